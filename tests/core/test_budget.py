"""The one budget (issue 15): C's non-zeros, a route's working elements and symbolic work
are refused before any work at, under and over their limits; a huge stride costs nothing."""

from __future__ import annotations

import numpy as np
import pytest

import tconvmat
from tconvmat.core import budget


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_the_nnz_budget_at_under_and_over_its_limit(delta):
    g = tconvmat.ConvTranspose((10, 10), (3, 3))
    limit = g.nnz + delta
    if delta < 0:
        with pytest.raises(
            budget.SizeError,
            match=rf"C would hold {g.nnz:,} non-zeros, above the limit of {limit:,}; use tconvmat.as_linear_operator",
        ):
            g.matrix(np.ones((3, 3)), limit=limit)
    else:
        assert g.matrix(np.ones((3, 3)), limit=limit).nnz == g.nnz


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_the_element_budget_at_under_and_over_its_limit(delta):
    g = tconvmat.ConvTranspose((8,), (3,), stride=2)
    from tconvmat.routes.cost import working_elements

    need = working_elements(g, 1, "scatter")
    call = lambda: g.apply(np.ones(8), np.ones(3), method="scatter", limit=need + delta)  # noqa: E731
    if delta < 0:
        with pytest.raises(
            budget.SizeError,
            match=rf"would hold {need:,} elements, above the limit of {need - 1:,}; split the batch",
        ):
            call()
    else:
        assert call().shape == (17,)


def test_known_sizes_are_refused_before_any_work():
    g = tconvmat.ConvTranspose((4096, 4096), (3, 3), in_channels=64, out_channels=64)
    with pytest.raises(budget.SizeError, match=r"618,475,290,624 non-zeros"):
        g.matrix(np.zeros(g.weight_shape))  # a 72 GiB allocation before; refused at once
    with pytest.raises(budget.SizeError, match="symbolic work on this geometry would hold"):
        g.symbolic_matrix()
    with pytest.raises(TypeError, match="limit must be an integer or None, got 'x'"):
        tconvmat.ConvTranspose((4,), (3,)).symbolic_matrix(limit="x")
    with pytest.raises(ValueError, match=r"limit \(-1\) must be >= 0"):
        tconvmat.ConvTranspose((4,), (3,)).symbolic_matrix(limit=-1)


def test_a_huge_stride_takes_a_route_that_does_not_grow_with_it():
    g = tconvmat.ConvTranspose((4,), (3,), stride=10**5)
    for method in (*tconvmat.METHODS, "auto"):  # every route visits 3 phases, not 10⁵
        y = g.apply([1, 2, 3, 4], [1, 2, 3], method=method)
        assert y.shape == (300_003,) and y[10**5 + 2] == 6 and y.sum() == 60
    with pytest.raises(budget.SizeError, match=r"3,000,000,0\d\d elements, above the limit"):
        tconvmat.ConvTranspose((4,), (3,), stride=10**9).apply([1, 2, 3, 4], [1, 2, 3])
    with pytest.raises(
        ValueError,
        match=r"axis 0 would be 3,000,000,000,000,000,000,000,000,000,003 positions long .*stride 10+",
    ):
        tconvmat.ConvTranspose((4,), (3,), stride=10**30)
