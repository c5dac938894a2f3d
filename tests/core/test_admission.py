"""Every door data enters by gives the same answer to masked, unsigned, boolean and object data.

The answers: a masked array is refused (its mask would be ignored), booleans are refused,
uint64 beyond int64 is refused by the numeric doors and kept exactly by the symbolic ones,
smaller unsigned integers compute exactly, object arrays are refused by the numeric doors
(with the symbolic routes named) and taken by the symbolic ones.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import tconvmat
from tconvmat import functional, plots
from tconvmat.analysis import transpose_versus_inverse
from tconvmat.plots.animation import animate
from tconvmat.symbolic import adjoint_certificate, closed_form_function

G = tconvmat.ConvTranspose((3,), (2,), stride=2, padding=1)
X = np.array([3, 2, 1])
W = np.array([1, 2])
EXPECTED = [6, 2, 4, 1]  # by hand: stamps 3·[1,2], 2·[1,2], 1·[1,2] at 0, 2, 4; crop 1 each side


def _operator_vector(v):
    return tconvmat.as_linear_operator(G, W.astype(float)).rmatvec(v)


NUMERIC_DOORS = {
    "apply x": lambda x, w: G.apply(x, W),
    "apply kernel": lambda x, w: G.apply(X, w),
    "matrix": lambda x, w: G.matrix(w).toarray(),
    "conv y": lambda x, w: G.conv(np.resize(x, 4), W),
    "conv_transpose x": lambda x, w: tconvmat.conv_transpose(x, W, stride=2, padding=1),
    "conv_matrix": lambda x, w: tconvmat.conv_matrix(w, (3,), stride=2, padding=1).toarray(),
    "functional input": lambda x, w: functional.conv_transpose1d(
        x.reshape(1, 1, 3), W.reshape(1, 1, 2), stride=2, padding=1
    ),
    "functional bias": lambda x, w: functional.conv_transpose1d(
        X.reshape(1, 1, 3), W.reshape(1, 1, 2), bias=x[:1]
    ),
    "operator kernel": lambda x, w: tconvmat.as_linear_operator(G, w).shape,
    "operator vector": lambda x, w: _operator_vector(x),
    "dot_test kernel": lambda x, w: tconvmat.dot_test(G, w),
    "transpose_versus_inverse": lambda x, w: transpose_versus_inverse(G, w),
    "plot x": lambda x, w: plots.plot_scatter_steps(
        tconvmat.ConvTranspose((3, 1), (2, 1), stride=2), x.reshape(3, 1), W.reshape(2, 1)
    ),
    "animate kernel": lambda x, w: animate(G, X, w),
}
SYMBOLIC_DOORS = {
    "symbolic_apply x": lambda x, w: G.symbolic_apply(x, W),
    "symbolic_apply kernel": lambda x, w: G.symbolic_apply(X, w),
    "symbolic_matrix": lambda x, w: G.symbolic_matrix(w),
    "adjoint_certificate": lambda x, w: adjoint_certificate(G, w),
    "closed form function": lambda x, w: closed_form_function(G)(x, W),
    "general term": lambda x, w: G.general_term().evaluate((1,), x, W),
    "explain input": lambda x, w: tconvmat.explain(input=x, kernel=W, stride=2, padding=1),
}
ALL_DOORS = {**NUMERIC_DOORS, **SYMBOLIC_DOORS}


def _masked(array):
    return np.ma.masked_array(array, mask=np.arange(array.size) == 0)


@pytest.mark.parametrize("door", sorted(ALL_DOORS))
def test_masked_arrays_are_refused_at_every_door(door):
    with pytest.raises(TypeError, match=r"is a masked array, whose mask tconvmat would ignore"):
        ALL_DOORS[door](_masked(X), _masked(W))


@pytest.mark.parametrize("door", sorted(ALL_DOORS))
def test_booleans_are_refused_at_every_door(door):
    with pytest.raises(TypeError, match=r"booleans|dtype bool"):
        ALL_DOORS[door](X.astype(bool), W.astype(bool))


@pytest.mark.parametrize("door", sorted(NUMERIC_DOORS))
def test_uint64_beyond_int64_is_refused_by_numeric_doors(door):
    huge = np.array([2**63 + 5, 1, 1], dtype=np.uint64)
    with pytest.raises(
        ValueError, match=r"9,223,372,036,854,775,813 \(dtype uint64\), beyond int64"
    ):
        NUMERIC_DOORS[door](huge, huge[:2])


def test_uint64_beyond_int64_is_exact_in_the_symbolic_routes():
    huge = 2**63 + 5
    y = G.symbolic_apply(np.array([huge, 1, 1], dtype=np.uint64), W)
    assert list(y) == [2 * huge, 1, 2, 1]  # by hand, as EXPECTED with x[0] = huge


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_unsigned_integers_compute_exactly(dtype):
    for method in tconvmat.METHODS:
        y = G.apply(X.astype(dtype), W.astype(dtype), method=method)
        assert y.dtype == np.int64 and y.tolist() == EXPECTED, method
    assert G.matrix(W.astype(dtype)).toarray().tolist() == G.matrix(W).toarray().tolist()
    assert [int(v) for v in G.symbolic_apply(X.astype(dtype), W.astype(dtype))] == EXPECTED


@pytest.mark.parametrize("door", sorted(NUMERIC_DOORS))
def test_object_arrays_are_refused_by_numeric_doors_with_the_symbolic_way(door):
    with pytest.raises(
        TypeError, match=r"dtype object; for symbols .* use the symbolic routes|draws numbers"
    ):
        NUMERIC_DOORS[door](X.astype(object), W.astype(object))


def test_object_arrays_are_taken_by_symbolic_doors():
    a, b = sympy.symbols("a b")
    y = G.symbolic_apply(X.astype(object), np.array([a, b], dtype=object))
    assert list(y) == [3 * b, 2 * a, 2 * b, a]


def test_exact_integers_or_a_clear_refusal():
    with pytest.raises(ValueError, match=r"integer data: an output can reach .* beyond int64"):
        functional.conv_transpose2d(np.full((1, 1, 2, 2), 2**62), np.full((1, 1, 2, 2), 4))
    with pytest.raises(ValueError, match="beyond int64"):
        tconvmat.conv_transpose(np.array([2**63 + 5], dtype=np.uint64), [1])
    # just inside the bound: exact
    assert tconvmat.conv_transpose(np.array([2**61]), [3]).tolist() == [3 * 2**61]
    exact = tconvmat.ConvTranspose((1,), (1,)).symbolic_apply([2**63 + 5], [1])
    assert exact[0] == 2**63 + 5


def test_masked_arrays_are_refused():
    with pytest.raises(TypeError, match=r"x is a masked array, whose mask tconvmat would ignore"):
        tconvmat.conv_transpose(np.ma.masked_array([1, 2], mask=[0, 1]), [1])
