"""The fused route's stride-1 3×3 kernel, Winograd's F(2×2, 3×3), against PyTorch.

Called on its own (any channel count, so the sweeps stay small) and through ``auto``:
dilations, per-side and negative crops, output padding, groups, batches, float32,
float64 and complex128 (the adjoint with conjugation), non-finite data and overflow (the
direct kernel takes over), the working arrays one thread keeps, and threads at once.
"""

from __future__ import annotations

import threading
import tracemalloc
from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kernel_data import data, pytorch

import tconvmat
from tconvmat.core.axis import full_length
from tconvmat.routes import choose_method, compiled, cost, fused, winograd

pytestmark = pytest.mark.skipif(not compiled.AVAILABLE, reason="numba is not installed")


@st.composite
def stride_one_3x3(draw: st.DrawFn) -> tconvmat.ConvTranspose:
    """2-D, 3×3, stride 1; dilations 1-3, any crops that leave an output (some negative:
    the output reaches beyond the scatter with zeros), groups 1-3."""
    in_shape, dilation, crops = [], [], []
    for _ in range(2):
        size, d = draw(st.integers(1, 12)), draw(st.integers(1, 3))
        room = full_length(size, 3, 1, d) - 1
        lo = draw(st.integers(-2, room))
        crops.append((lo, draw(st.integers(-2, room - max(lo, 0)))))
        in_shape.append(size)
        dilation.append(d)
    groups = draw(st.integers(1, 3))
    return tconvmat.ConvTranspose.from_crops(
        tuple(in_shape),
        (3, 3),
        crops=crops,
        dilation=tuple(dilation),
        in_channels=groups * draw(st.integers(1, 4)),
        out_channels=groups * draw(st.integers(1, 4)),
        groups=groups,
    )


@given(
    stride_one_3x3(),
    st.integers(1, 3),
    st.sampled_from([np.float32, np.float64, np.complex128]),
    st.integers(0, 2**32 - 1),
)
def test_winograd_equals_pytorch(g, batch, dtype, seed):
    x, weight = data(g, batch, dtype, seed)
    y = winograd.transpose(g, x, weight)
    assert y is not None, "finite data: F(2×2, 3×3) must not give way"
    expected = pytorch(g, x, weight)
    assert y.shape == expected.shape == (batch, g.out_channels, *g.out_shape)
    assert y.dtype == dtype
    scale = max(1.0, float(np.abs(expected).max(initial=0)))
    tolerance = 2e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(y, expected, rtol=0, atol=tolerance * scale)


@given(stride_one_3x3(), st.integers(0, 2**32 - 1))
def test_winograd_is_the_adjoint_of_c_with_conjugation(g, seed):
    x, weight = data(g, 1, np.complex128, seed)
    u = data(g, 1, np.complex128, seed + 1)[0]  # an input-shaped vector
    y = winograd.transpose(g, x, weight)
    v = np.random.default_rng(seed).standard_normal(y.shape) * (1 + 2j)
    C = g.matrix(weight)  # ⟨C v, u⟩ = ⟨v, Cᴴ u⟩, with Cᴴ u the kernel on conj(w)
    left = np.vdot(C @ v.reshape(-1), u.reshape(-1))
    right = np.vdot(v.reshape(-1), winograd.transpose(g, u, np.conj(weight)).reshape(-1))
    assert abs(left - right) <= 1e-9 * max(1.0, abs(left))
    np.testing.assert_allclose(y.reshape(-1), C.T @ x.reshape(-1), atol=1e-10)


def test_the_worked_example_input_by_hand():
    """The worked example's x in two identical channels, one output channel, stride 1,
    padding 1: input (i, j) stamps tap (a, b) at (i + a − 1, j + b − 1), so the centre
    tap 1 and the corner tap 10 give y[i, j] = 2·(x[i, j] + 10·x[i + 1, j + 1])."""
    g = tconvmat.ConvTranspose((3, 3), (3, 3), padding=1, in_channels=2, out_channels=1)
    x = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]], dtype=float)
    kernel = np.zeros((3, 3))
    kernel[1, 1], kernel[0, 0] = 1.0, 10.0
    y = winograd.transpose(g, np.stack([x, x])[None], np.stack([kernel, kernel])[:, None])
    np.testing.assert_array_equal(y[0, 0], [[106, 44, 2], [80, 150, 4], [2, 8, 14]])


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_non_finite_inputs_give_way_to_the_direct_kernel(bad):
    g = tconvmat.ConvTranspose(
        (34, 34), (3, 3), padding=1, dilation=2, in_channels=24, out_channels=24
    )
    assert winograd.serves(g, np.dtype("float64"))
    x, weight = data(g, 2, np.float64, 7)
    x[1, 3, 4, 4] = bad
    weight[3, :, 1, 1] = 0.0  # 0·inf at the centre tap: NaN there, as in PyTorch
    assert winograd.transpose(g, x, weight) is None
    y, expected = g.apply(x, weight), pytorch(g, x, weight)
    assert choose_method(g, 2) == "fused" or not compiled.worth_loading(y.size)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(expected))
    np.testing.assert_array_equal(np.isinf(y), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(y[finite], expected[finite], atol=1e-10)
    np.testing.assert_allclose(fused.transpose(g, x, weight)[finite], expected[finite], atol=1e-10)


def test_an_overflowing_transform_gives_way_to_the_direct_kernel():
    """Inputs near float32's largest value: Bᵀ x B adds four of them and overflows, the
    direct sum (the centre tap alone) does not."""
    g = tconvmat.ConvTranspose((16, 16), (3, 3), padding=1, in_channels=24, out_channels=24)
    assert winograd.serves(g, np.dtype("float32"))
    x = np.full((1, 24, 16, 16), 1e38, dtype=np.float32)
    weight = np.zeros(g.weight_shape, dtype=np.float32)
    weight[np.arange(24), np.arange(24), 1, 1] = 1.0  # the identity
    assert winograd.transpose(g, x, weight) is None
    np.testing.assert_array_equal(fused.transpose(g, x, weight), x)


def test_the_route_takes_it_where_it_serves_and_auto_where_it_pays():
    dilated = tconvmat.ConvTranspose(
        (64, 64), (3, 3), padding=2, dilation=2, in_channels=32, out_channels=32
    )
    assert winograd.serves(dilated, np.dtype("float32"))
    assert not winograd.serves(dilated, np.dtype("int64"))  # integers: exact direct sums
    assert choose_method(dilated) == "fused"
    thin = tconvmat.ConvTranspose((64, 64), (3, 3), padding=1, in_channels=8, out_channels=8)
    assert not winograd.serves(thin, np.dtype("float32"))  # the direct kernel is faster
    wide = tconvmat.ConvTranspose((16, 16), (3, 3), padding=1, in_channels=256, out_channels=256)
    assert winograd.serves(wide, np.dtype("float32")) and choose_method(wide, 8) == "scatter"
    x, weight = data(dilated, 1, np.float32, 3)
    with mock.patch.object(winograd, "transpose", wraps=winograd.transpose) as spy:
        y = dilated.apply(x, weight)
    assert spy.call_count == 1
    expected = pytorch(dilated, x, weight)
    np.testing.assert_allclose(y, expected, rtol=0, atol=2e-6 * np.abs(expected).max())
    integers = dilated.apply(x.astype(np.int64), weight.astype(np.int64))
    exact = pytorch(dilated, x.astype(np.int64), weight.astype(np.int64))
    np.testing.assert_array_equal(integers, exact.astype(np.int64))


def test_it_serves_only_where_it_pays_and_auto_chooses_routes_as_before():
    """Few tiles per residue grid (large dilation, one-row outputs) or a tile row too wide
    for a chunk: the direct kernel. Wider layers: the scatter, for y = Cᵀx and for the
    forward convolution alike."""

    def layer(shape, **options):
        return tconvmat.ConvTranspose(shape, (3, 3), in_channels=32, out_channels=32, **options)

    f32 = np.dtype("float32")
    assert winograd.serves(layer((64, 64), padding=2, dilation=2), f32)
    assert not winograd.serves(layer((32, 32), padding=16, dilation=16), f32)  # 1 tile
    assert not winograd.serves(layer((1, 1024), padding=1), f32)  # one output row
    assert not winograd.serves(layer((64, 4096), padding=1), f32)  # 64 MiB a tile row
    far = tconvmat.ConvTranspose((5, 5), (3, 3), dilation=500, in_channels=24, out_channels=24)
    assert not winograd.serves(far, f32)
    assert cost.fused_elements(far, 1) < 30_000_000  # the direct kernel's estimate
    wide = tconvmat.ConvTranspose((16, 16), (3, 3), padding=1, in_channels=128, out_channels=128)
    assert not fused.worth_it(wide, 1) and choose_method(wide, 1) == "scatter"
    with mock.patch.object(tconvmat.routes, "CONV_ROUTES", dict(tconvmat.routes.CONV_ROUTES)):
        routes = tconvmat.routes.CONV_ROUTES
        routes["fused"] = mock.Mock(side_effect=AssertionError("the forward conv took fused"))
        y = np.ones((1, 128, *wide.out_shape))
        x = wide.conv(y, np.ones(wide.weight_shape), method="auto")
    assert x.shape == (1, 128, 16, 16)


def test_a_small_output_beside_large_inputs_keeps_its_precision_by_the_scatter():
    """The documented limit: F(2×2, 3×3)'s error follows each tile's largest inputs. An
    identity kernel on a checkerboard of ×1e4 values: the scatter (and PyTorch) give y = x
    exactly; F(2×2, 3×3) stays within float32's rounding of max|y|."""
    g = tconvmat.ConvTranspose((64, 64), (3, 3), padding=1, in_channels=32, out_channels=32)
    x = np.random.default_rng(0).standard_normal((1, 32, 64, 64)).astype(np.float32)
    x[:, :, ::2, ::2] *= 1e4
    w = np.zeros(g.weight_shape, np.float32)
    w[np.arange(32), np.arange(32), 1, 1] = 1.0
    np.testing.assert_array_equal(g.apply(x, w, method="scatter"), x)
    y = winograd.transpose(g, x, w)
    assert np.abs(y - x).max() <= 4 * np.finfo(np.float32).eps * np.abs(x).max()


def test_a_kept_working_array_never_carries_one_layer_into_another():
    """Same shapes, different borders: the held arrays are made afresh for each layer."""
    a = tconvmat.ConvTranspose.from_crops(
        (10, 10), (3, 3), crops=[(1, 1), (1, 1)], in_channels=2, out_channels=2
    )
    b = tconvmat.ConvTranspose.from_crops(
        (10, 10), (3, 3), crops=[(0, 2), (2, 0)], in_channels=2, out_channels=2
    )
    assert a.out_shape == b.out_shape and winograd.tiling(a) != winograd.tiling(b)
    for g in (a, b, a, b):
        x, weight = data(g, 1, np.float64, 11)
        np.testing.assert_allclose(
            winograd.transpose(g, x, weight), pytorch(g, x, weight), atol=1e-12
        )


def test_threads_at_once_each_keep_their_own_working_arrays():
    layers = [
        tconvmat.ConvTranspose(
            (20, 20), (3, 3), padding=p, dilation=d, in_channels=4, out_channels=4
        )
        for p, d in ((1, 1), (2, 2))
    ]
    cases = [(g, *data(g, 2, np.float64, i)) for i, g in enumerate(layers)]
    expected = [pytorch(g, x, w) for g, x, w in cases]
    failures = []

    def work(i):
        g, x, w = cases[i]
        for _ in range(30):
            if not np.allclose(winograd.transpose(g, x, w), expected[i], atol=1e-12):
                failures.append(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in (0, 1, 0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_budget_counts_what_it_allocates_and_keep_zero_keeps_nothing():
    g = tconvmat.ConvTranspose(
        (40, 40), (3, 3), padding=2, dilation=2, in_channels=24, out_channels=24
    )
    x, weight = data(g, 2, np.float64, 5)
    with mock.patch.object(winograd, "KEEP", 0):
        winograd.transpose(g, x, weight)  # compiled and loaded before measuring
        assert getattr(winograd._HELD, "arrays", None) is None
        tracemalloc.start()
        winograd.transpose(g, x, weight)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    budget = cost.fused_elements(g, 2) * x.itemsize
    assert budget - x.nbytes <= peak <= budget  # the estimate holds, and is not far above
