"""Exact checks of the symbolic route: the adjoint identity, Cᵀ read off the closed form."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from tconvmat.core.arrays import admit
from tconvmat.core.geometry import Geometry
from tconvmat.symbolic.closed_form import (
    DEFAULT_LIMIT,
    check_size,
    input_symbols,
    kernel_symbols,
    symbolic_apply,
    symbolic_matrix,
)

__all__ = ["adjoint_certificate", "closed_form_function", "transpose_from_closed_form"]


def _random_rationals(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    numerators = rng.integers(-9, 10, size=shape).reshape(-1)
    denominators = rng.integers(1, 10, size=shape).reshape(-1)
    values = [sympy.Rational(int(n), int(d)) for n, d in zip(numerators, denominators, strict=True)]
    return np.array(values, dtype=object).reshape(shape)


def adjoint_certificate(
    geometry: Geometry, kernel: Any = None, *, seed: int | None = 0, limit: int = 10_000
) -> tuple[sympy.Rational, sympy.Rational]:
    """``(⟨C u, v⟩, ⟨u, Cᵀ v⟩)`` in exact rational arithmetic: equal when C and Cᵀ are adjoint.

    ``C u`` uses the symbolic matrix; ``Cᵀ v`` uses the closed form of
    :func:`symbolic_apply`, which groups the entries by column: two separate
    constructions. Random rational ``u``, ``v`` (and kernel, when omitted).

    Examples
    --------
    >>> lhs, rhs = adjoint_certificate(Geometry((3, 3), (2, 2), stride=2, padding=1))
    >>> lhs == rhs, type(lhs).__name__ in ("Rational", "Integer", "Half")
    (True, True)
    """
    check_size(geometry, limit, outputs=True)
    rng = np.random.default_rng(seed)
    if kernel is None:
        kernel = _random_rationals(rng, geometry.weight_shape)
    u = _random_rationals(rng, (geometry.out_channels, *geometry.out_shape))
    v = _random_rationals(rng, (geometry.in_channels, *geometry.in_shape))
    forward = symbolic_matrix(geometry, kernel, limit=limit) * sympy.Matrix(u.reshape(-1))
    adjoint = symbolic_apply(geometry, v, kernel, limit=limit)
    lhs = sum((a * b for a, b in zip(forward, v.reshape(-1), strict=True)), sympy.Integer(0))
    rhs = sum(
        (a * b for a, b in zip(u.reshape(-1), np.ravel(adjoint.tolist()), strict=True)),
        sympy.Integer(0),
    )
    return lhs, rhs


def transpose_from_closed_form(
    geometry: Geometry, kernel: Any = None, *, limit: int = 10_000
) -> sympy.ImmutableSparseMatrix:
    """The matrix of ``x ↦ y`` read off the closed form: ``∂y_t/∂x_i`` for every pair.

    For a correct construction this equals ``symbolic_matrix(geometry, kernel).T``
    (the identity ``Cᵀ = (C)ᵀ``, checked on small cases: the cost is
    ``prod(in_shape)·prod(out_shape)`` derivatives).

    Examples
    --------
    >>> g = Geometry((2,), (2,), stride=2)
    >>> transpose_from_closed_form(g) == symbolic_matrix(g).T
    True
    """
    check_size(geometry, limit, outputs=True)
    x = input_symbols(geometry)
    y = symbolic_apply(geometry, x, kernel, limit=limit)
    outputs = np.ravel(np.array(y.tolist(), dtype=object))
    inputs = x.reshape(-1)
    entries = {}
    for t, expression in enumerate(outputs):
        for symbol in expression.free_symbols & set(inputs):
            entries[(t, int(np.flatnonzero(inputs == symbol)[0]))] = sympy.diff(expression, symbol)
    rows, columns = geometry.matrix_shape[1], geometry.matrix_shape[0]
    return sympy.ImmutableSparseMatrix(rows, columns, entries)


def closed_form_function(geometry: Geometry, *, limit: int = DEFAULT_LIMIT) -> Any:
    """Turn the symbolic closed form into a NumPy function ``f(x, kernel) -> y`` (lambdify).

    Examples
    --------
    >>> f = closed_form_function(Geometry((3, 3), (2, 2), stride=2, padding=1))
    >>> f(np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]]), np.array([[1, 2], [3, 4]]))[0]
    array([12,  6,  8,  3])
    """
    x, kernel = input_symbols(geometry), kernel_symbols(geometry)
    closed = symbolic_apply(geometry, x, kernel, limit=limit)
    function = sympy.lambdify(
        [list(x.reshape(-1)), list(kernel.reshape(-1))], closed.tolist(), "numpy", dummify=True
    )

    def evaluate(x_values: Any, kernel_values: Any) -> np.ndarray:
        x_values, kernel_values = admit("x", x_values), admit("kernel", kernel_values)
        return np.asarray(function(list(x_values.reshape(-1)), list(kernel_values.reshape(-1))))

    return evaluate
