"""The route registry: every route states its domain and working memory; auto honours them;
work is bounded by the data, never by the stride; integer kinds behave alike everywhere."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat.core import budget
from tconvmat.routes import ROUTES, choose_method, compiled, cost, tables
from tconvmat.routes.registry import refusal

ROUTES_AND_AUTO = (*tconvmat.METHODS, "auto")
needs_numba = pytest.mark.skipif(not compiled.AVAILABLE, reason="numba is not installed")


def test_every_route_states_its_principle_domain_and_working_memory():
    g = tconvmat.ConvTranspose((5, 4), (3, 2), stride=2, in_channels=4, out_channels=6, groups=2)
    for name, route in ROUTES.items():
        assert route.principle and route.domain(g) is None, name
        assert route.working(g, 3) >= 3 * g.out_channels * 10 * 8, name  # the output at least
        assert cost.working_elements(g, 3, name) == route.working(g, 3)


@needs_numba
def test_the_compiled_route_is_never_chosen_beyond_three_dimensions():
    g = tconvmat.ConvTranspose((2,) * 8, (2,) * 8, stride=2)
    assert ROUTES["fused"].domain(g) is not None
    assert choose_method(g) != "fused"
    x, w = np.ones(g.in_shape), np.ones(g.kernel_shape)
    assert g.apply(x, w).sum() == 2**8 * 2**8  # every input stamps every tap once
    with pytest.raises(
        ValueError,
        match=r"method='fused' cannot serve this geometry: it has 8 spatial dimensions and "
        r"the compiled loops serve at most 3; use one of 'matrix', 'scatter'",
    ):
        g.apply(x, w, method="fused")
    four = tconvmat.ConvTranspose((2,) * 4, (2,) * 4, stride=2)
    with pytest.raises(ValueError, match="it has 4 spatial dimensions"):
        four.apply(np.ones(four.in_shape), np.ones(four.kernel_shape), method="fused")
    with pytest.raises(ValueError, match=r"method='fused' cannot serve .* use 'direct' or"):
        four.conv(np.ones(four.out_shape), np.ones(four.kernel_shape), method="fused")


@needs_numba
def test_interpreted_switches_every_compiled_kernel_off():
    g = tconvmat.ConvTranspose((256, 256), (3, 3), stride=2)
    assert choose_method(g) == "fused"
    with tconvmat.routes.interpreted():
        assert choose_method(g) != "fused"
        assert refusal("fused", g) is not None
        with pytest.raises(ValueError, match="switched off here"):
            g.apply(np.ones(g.in_shape), np.ones(g.kernel_shape), method="fused")


def test_an_8d_problem_and_a_large_explanation_never_import_numba():
    import subprocess
    import sys

    code = (
        "import sys, numpy as np, tconvmat\n"
        "g = tconvmat.ConvTranspose((2,) * 8, (2,) * 8, stride=2)\n"
        "y = tconvmat.routes.apply(g, np.ones(g.in_shape), np.ones(g.kernel_shape))\n"
        "e = tconvmat.explain(input_shape=(200, 200), kernel_shape=(3, 3))\n"
        "print(y.sum(), e.output.shape[0], 'numba' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["65536.0", "399", "False"], done.stderr


@pytest.mark.parametrize("method", ROUTES_AND_AUTO)
def test_a_huge_stride_visits_only_the_phases_the_taps_reach(method):
    g = tconvmat.ConvTranspose((3,), (3,), stride=10**7, padding=1)
    assert [len(a.occupied_phases()) for a in g.axes] == [3]
    firsts, counts, *_ = tables.last_axis_tables(g)
    assert firsts.tolist() == [0, 1, 10**7 - 1] and counts.tolist() == [3, 2, 2]
    y = g.apply([1.0, 2.0, 3.0], [1.0, 10.0, 100.0], method=method)
    expected = F.conv_transpose1d(
        torch.tensor([[[1.0, 2.0, 3.0]]], dtype=torch.float64),
        torch.tensor([[[1.0, 10.0, 100.0]]], dtype=torch.float64),
        stride=10**7,
        padding=1,
    ).numpy()[0, 0]
    nonzero = np.flatnonzero(expected)
    assert y.shape == expected.shape
    np.testing.assert_array_equal(np.flatnonzero(y), nonzero)
    np.testing.assert_array_equal(y[nonzero], expected[nonzero])


def test_phases_no_tap_reaches_are_zeros_on_every_route():
    # gcd(stride, dilation) = 2: the odd phases receive nothing
    g = tconvmat.ConvTranspose((4, 3), (3, 2), stride=2, dilation=2, in_channels=2, out_channels=2)
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, *g.in_shape)), rng.standard_normal(g.weight_shape)
    expected = F.conv_transpose2d(
        torch.from_numpy(x[None]), torch.from_numpy(w), stride=2, dilation=2
    ).numpy()[0]
    for method in ROUTES_AND_AUTO:
        np.testing.assert_allclose(g.apply(x, w, method=method), expected, atol=1e-12)


@pytest.mark.parametrize("method", ROUTES_AND_AUTO)
def test_unsigned_integers_are_exact_int64_on_every_route(method):
    g = tconvmat.ConvTranspose((3,), (2,), stride=2)
    x = np.array([1, 0, 255], dtype=np.uint8)
    w = np.array([2**40, 3], dtype=np.uint64)
    y = g.apply(x, w, method=method)
    assert y.dtype == np.int64
    assert y.tolist() == [2**40, 3, 0, 0, 255 * 2**40, 765]
    with pytest.raises(ValueError, match="beyond int64"):
        g.apply(x, np.array([2**63 + 5, 1], dtype=np.uint64), method=method)


@pytest.mark.parametrize("method", ROUTES_AND_AUTO)
def test_object_and_boolean_arrays_are_refused_on_every_route(method):
    g = tconvmat.ConvTranspose((3,), (2,), stride=2)
    with pytest.raises(TypeError, match=r"got dtype object; for symbols .*use the symbolic"):
        g.apply(np.array([1, 2, 3], dtype=object), [1, 2], method=method)
    with pytest.raises(TypeError, match="kernel holds booleans"):
        g.apply([1, 2, 3], np.array([True, False]), method=method)


def test_the_matrix_keeps_unsigned_entries_exact_or_refuses_them():
    g = tconvmat.ConvTranspose((3,), (2,), stride=2)
    exact = g.matrix(np.array([2**63 - 1, 7], dtype=np.uint64))
    assert exact.dtype == np.int64 and exact.toarray()[0, :2].tolist() == [2**63 - 1, 7]
    with pytest.raises(
        ValueError, match=r"kernel holds 9,223,372,036,854,775,813 \(dtype uint64\)"
    ):
        g.matrix(np.array([2**63 + 5, 1], dtype=np.uint64))


def test_the_working_memory_is_checked_before_the_route_runs():
    g = tconvmat.ConvTranspose((64, 64), (4, 4), stride=2, in_channels=8, out_channels=8)
    need = ROUTES["scatter"].working(g, 1)
    with pytest.raises(budget.SizeError, match=f"the scatter route would hold {need:,} elements"):
        g.apply(np.zeros((8, 64, 64)), np.zeros(g.weight_shape), method="scatter", limit=need - 1)


def test_explaining_an_8d_problem_prints_a_corner_without_a_traceback(capsys):
    from tconvmat.cli.main import main

    shape = "x".join(["2"] * 8)
    code = main(["explain", "--input-shape", shape, "--kernel-shape", shape, "--stride", "2"])
    out = capsys.readouterr().out
    assert code in (0, None)
    # the first stamp, on the canvas box around it (3 per axis): a corner of it, with its range
    assert "3×3×3×3×3×3×3×3 values, from 0 to 256; too many to print, the first 2 along" in out
    assert "4×4×4×4×4×4×4×4 values, from 1 to 65536; too many to print" in out  # the canvas
