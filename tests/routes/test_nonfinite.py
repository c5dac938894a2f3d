"""NaN and infinity through every route exactly as PyTorch (issue 20).

What PyTorch does, measured (and pinned by the literal tests below): the transposed
convolution forms ``x[i]·w[j]`` only for the (input, tap) pairs that land inside the
output. A real zero input meeting an infinite tap inside the output gives NaN; an
infinite tap whose landing is cropped away, or that would meet only the zero border
(padding, zero-extension of a negative crop), gives nothing: no NaN. Every route must
do the same, including the compiled ones.

PyTorch's float64 path does so everywhere; its float32 oneDNN path, for some batched
1-D cases, also multiplies the zero border (``conv_transpose1d`` of x = [[[-2]], [[-2]]]
with w = [[[0, 0, inf]]] at stride 2 gives NaN at y[0], where -2·0 is the only product
and float64 or batch 1 give 0). So the reference is PyTorch in float64, and float32
results are compared with it.
"""

from __future__ import annotations

import contextlib
from unittest import mock

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from kernel_data import pytorch
from strategies import geometries

import tconvmat
from tconvmat.core.axis import full_length
from tconvmat.routes import compiled

ROUTES = (*tconvmat.METHODS, "auto")
VALUES = np.array([0.0, 1.0, -2.0, np.inf, -np.inf, np.nan])


@st.composite
def cropped_geometries(draw: st.DrawFn) -> tconvmat.ConvTranspose:
    """Geometries with per-side crops, negative ones (zero-extension) included."""
    ndim = draw(st.integers(1, 3))
    shapes, kernels, strides, dilations, crops = [], [], [], [], []
    for _ in range(ndim):
        i, k = draw(st.integers(1, 4)), draw(st.integers(1, 4))
        s, d = draw(st.integers(1, 4)), draw(st.integers(1, 3))
        length = full_length(i, k, s, d)
        lo = draw(st.integers(-3, length - 1))
        hi = draw(st.integers(-3, length - 1 - lo))  # at least one output
        shapes.append(i)
        kernels.append(k)
        strides.append(s)
        dilations.append(d)
        crops.append((lo, hi))
    groups = draw(st.integers(1, 2))
    return tconvmat.ConvTranspose.from_crops(
        tuple(shapes),
        tuple(kernels),
        tuple(crops),
        stride=tuple(strides),
        dilation=tuple(dilations),
        in_channels=groups * draw(st.integers(1, 2)),
        out_channels=groups * draw(st.integers(1, 2)),
        groups=groups,
    )


def nonfinite(rng: np.random.Generator, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    return rng.choice(VALUES, shape, p=[0.35, 0.25, 0.1, 0.15, 0.1, 0.05]).astype(dtype)


def compiled_everywhere() -> contextlib.AbstractContextManager:
    """Let the compiled kernels serve even the smallest problems (auto and the scatter)."""
    return mock.patch.object(compiled, "MIN_OUTPUTS", 0)


def assert_same(ours: np.ndarray, theirs: np.ndarray, method: str) -> None:
    assert ours.shape == theirs.shape, method
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs), err_msg=method)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5, err_msg=method)


MODES = ["numpy"] + (["compiled"] if compiled.AVAILABLE else [])


@pytest.mark.parametrize("mode", MODES)
@given(
    st.one_of(geometries(), cropped_geometries()),
    st.integers(1, 2),
    st.sampled_from([np.float64, np.float32]),
    st.integers(0, 2**32 - 1),
)
def test_nonfinite_values_like_pytorch_on_every_route(mode, g, batch, dtype, seed):
    rng = np.random.default_rng(seed)
    x = nonfinite(rng, (batch, g.in_channels, *g.in_shape), dtype)
    weight = nonfinite(rng, g.weight_shape, dtype)
    expected = pytorch(g, x, weight)
    context = compiled_everywhere() if mode == "compiled" else contextlib.nullcontext()
    with context:
        for method in ROUTES:
            assert_same(g.apply(x, weight, method=method), expected, method)


def test_pytorch_float32_multiplies_the_border_where_float64_does_not():
    x, w = torch.full((2, 1, 1), -2.0), torch.tensor([[[0.0, 0.0, np.inf]]])
    assert np.isnan(F.conv_transpose1d(x, w, stride=2)[0, 0, 0].item())  # PyTorch 2.13
    exact = F.conv_transpose1d(x.double(), w.double(), stride=2)[0].tolist()
    assert exact == [[0.0, 0.0, -np.inf]]
    g = tconvmat.ConvTranspose((1,), (3,), stride=2)
    for method in ROUTES:
        assert g.apply(x.numpy(), w.numpy(), method=method)[0].tolist() == exact


@pytest.mark.parametrize("method", ROUTES)
def test_an_infinite_tap_at_a_cropped_border_gives_pytorchs_zero(method):
    g = tconvmat.ConvTranspose((1,), (2,), padding=1, dilation=2)
    assert F.conv_transpose1d(
        torch.tensor([[[1.0]]]), torch.tensor([[[np.inf, 2.0]]]), padding=1, dilation=2
    ).tolist() == [[[0.0]]]
    assert g.apply([1.0], [np.inf, 2.0], method=method).tolist() == [0.0]


@pytest.mark.parametrize("method", ROUTES)
def test_zero_times_inf_inside_the_output_is_nan_outside_nothing(method):
    g = tconvmat.ConvTranspose((1, 2), (1, 2), out_channels=2)
    x = np.array([[[[1.0, 0.0]]]])
    w = np.array([[[[np.inf, 1.0]], [[1.0, 1.0]]]])
    # PyTorch, run: [inf, nan, 0 | 1, 1, 0]: 0·inf inside the output is NaN (0·w[0] lands
    # on y[1]), but no product reaches y[2] from a padding zero
    theirs = F.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(w)).numpy().ravel()
    np.testing.assert_array_equal(theirs, [np.inf, np.nan, 0, 1, 1, 0])
    with compiled_everywhere():
        np.testing.assert_array_equal(g.apply(x, w, method=method).ravel(), theirs)
    np.testing.assert_array_equal(g.apply(x, w, method=method).ravel(), theirs)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", [*tconvmat.METHODS, "auto"])
def test_5_non_finite_kernel_values_match_pytorch(method, bad):
    x = np.array([[[1.0, 2.0, -3.0, 0.5]], [[0.0, 1.0, 2.0, 3.0]]])
    weight = np.array([[[1.0, bad, 3.0]]])
    expected = F.conv_transpose1d(
        torch.from_numpy(x), torch.from_numpy(weight), stride=2, padding=1
    ).numpy()
    ours = tconvmat.functional.conv_transpose1d(x, weight, stride=2, padding=1, method=method)
    np.testing.assert_array_equal(ours, expected)
