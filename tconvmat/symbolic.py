"""The symbolic route: C with SymPy symbols and exact closed-form outputs.

Everything here is built from the same tap structure as the numeric matrix
(:mod:`tconvmat.taps`), in time proportional to the number of non-zeros of C;
no dense matrix product is formed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy
from sympy.core.basic import _args_sortkey

from tconvmat import _arrays, taps
from tconvmat.geometry import ConvTranspose

__all__ = [
    "DEFAULT_LIMIT",
    "adjoint_certificate",
    "closed_form_function",
    "input_symbols",
    "kernel_symbols",
    "symbolic_apply",
    "symbolic_matrix",
    "transpose_from_closed_form",
]

DEFAULT_LIMIT = 10**6
"""Largest number of non-zeros of C that symbolic work accepts unless told otherwise."""


def _index_label(index: tuple[int, ...]) -> str:
    return ",".join(str(i) for i in index)


def _symbol_grid(name: str, channels: tuple[int, ...], spatial: tuple[int, ...]) -> np.ndarray:
    """Symbols ``name_{i,j}`` (one channel) or ``name^{(c,...)}_{i,j}`` on a grid."""
    grid = np.empty(channels + spatial, dtype=object)
    for index in np.ndindex(*grid.shape):
        lead, position = index[: len(channels)], index[len(channels) :]
        channel = f"^{{({_index_label(lead)})}}" if channels else ""
        grid[index] = sympy.Symbol(f"{name}{channel}_{{{_index_label(position)}}}")
    return grid


def kernel_symbols(geometry: ConvTranspose, name: str = "k") -> np.ndarray:
    """Kernel symbols named by their tap, e.g. ``k_{0,1}``; with channels ``k^{(c,o)}_{0,1}``.

    Returns an object array of ``kernel_shape`` with one channel, else of
    ``weight_shape`` (PyTorch's layout).

    Examples
    --------
    >>> kernel_symbols(ConvTranspose((3,), (2,))).tolist()
    [k_{0}, k_{1}]
    """
    if geometry.weight_shape[:2] == (1, 1):
        return _symbol_grid(name, (), geometry.kernel_shape)
    return _symbol_grid(name, geometry.weight_shape[:2], geometry.kernel_shape)


def input_symbols(geometry: ConvTranspose, name: str = "x") -> np.ndarray:
    """Input symbols named by position, e.g. ``x_{i,j}``; with channels ``x^{(c)}_{i,j}``.

    Examples
    --------
    >>> input_symbols(ConvTranspose((2,), (2,))).tolist()
    [x_{0}, x_{1}]
    """
    if geometry.in_channels == 1:
        return _symbol_grid(name, (), geometry.in_shape)
    return _symbol_grid(name, (geometry.in_channels,), geometry.in_shape)


def as_symbolic(name: str, value: Any) -> np.ndarray:
    """Object array of SymPy expressions; numbers become exact SymPy numbers.

    Strings are refused: user text is never parsed as code here.
    """
    array = np.asarray(value, dtype=object)
    flat = array.reshape(-1)
    for position, entry in enumerate(flat):
        if isinstance(entry, str | bytes):
            raise TypeError(
                f"{name} holds the string {entry!r}; pass sympy.Symbol({entry!r}) or a number"
            )
        try:
            flat[position] = sympy.sympify(entry, strict=True)
        except sympy.SympifyError:
            raise TypeError(
                f"{name} holds {entry!r} of type {type(entry).__name__}, which is not a "
                "number or SymPy expression"
            ) from None
    return flat.reshape(array.shape)


def _check_size(geometry: ConvTranspose, limit: int) -> int:
    count = taps.nnz(geometry)
    if count > limit:
        raise ValueError(
            f"symbolic work on this geometry means {count:,} non-zeros of C, above the limit "
            f"of {limit:,}; use the numeric routes (matrix, apply), a smaller problem, or "
            "raise the limit explicitly with limit=..."
        )
    return count


def _weight(geometry: ConvTranspose, kernel: Any) -> np.ndarray:
    """The kernel as SymPy objects in PyTorch's layout (default: the tap symbols)."""
    weight = kernel_symbols(geometry) if kernel is None else kernel
    return _arrays.weight(geometry, weight, convert=as_symbolic)


def _entries(geometry: ConvTranspose, weight: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows, columns and values (object array) of every stored entry of C."""
    structure = taps.channel_structure(geometry)
    rows = np.repeat(np.arange(structure.shape[0]), np.diff(structure.indptr))
    return rows, structure.indices, weight.reshape(-1)[structure.weight_index]


def symbolic_matrix(
    geometry: ConvTranspose, kernel: Any = None, *, limit: int = DEFAULT_LIMIT
) -> sympy.ImmutableSparseMatrix:
    """C as an immutable SymPy sparse matrix.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    kernel : array_like, optional
        Numbers, symbols or expressions, mixed, in the layout of
        :meth:`ConvTranspose.matrix`; by default :func:`kernel_symbols`.
    limit : int
        Largest number of non-zeros accepted (a ``ValueError`` beyond).

    Notes
    -----
    Built from the same tap structure as the numeric matrix:
    ``C[i, t] = k[j]`` exactly when ``t + crop_lo = i·s + j·d``.

    Examples
    --------
    >>> g = ConvTranspose((3,), (2,), stride=2, padding=1)
    >>> symbolic_matrix(g)
    Matrix([
    [k_{1},     0,     0,     0],
    [    0, k_{0}, k_{1},     0],
    [    0,     0,     0, k_{0}]])
    """
    _check_size(geometry, limit)
    rows, columns, values = _entries(geometry, _weight(geometry, kernel))
    shape = geometry.matrix_shape
    entries = dict(zip(zip(rows.tolist(), columns.tolist(), strict=True), values, strict=True))
    return sympy.ImmutableSparseMatrix(shape[0], shape[1], entries)


def _all_distinct_symbols(*arrays: np.ndarray) -> bool:
    seen: set[sympy.Symbol] = set()
    for array in arrays:
        for entry in array.reshape(-1):
            if not isinstance(entry, sympy.Symbol) or entry in seen:
                return False
            seen.add(entry)
    return True


def _sum_of_products(kernel_values: list, input_values: list, canonical: bool) -> sympy.Expr:
    if not kernel_values:
        return sympy.Integer(0)
    if not canonical:
        return sympy.Add(*[k * x for k, x in zip(kernel_values, input_values, strict=True)])
    # Distinct symbols: every product is a new monomial and no two terms combine,
    # so SymPy's canonical (sorted) argument order is all evaluation would do.
    products = [
        sympy.Mul._from_args(tuple(sorted((k, x), key=_args_sortkey)))
        for k, x in zip(kernel_values, input_values, strict=True)
    ]
    if len(products) == 1:
        return products[0]
    return sympy.Add._from_args(tuple(sorted(products, key=_args_sortkey)))


def symbolic_apply(
    geometry: ConvTranspose, x: Any = None, kernel: Any = None, *, limit: int = DEFAULT_LIMIT
) -> sympy.ImmutableDenseNDimArray:
    """Closed-form ``y = Cᵀx``: each output is the sum of the kernel·input products that reach it.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    x : array_like, optional
        Input of ``in_shape`` (one channel) or ``(in_channels, *in_shape)``;
        numbers, symbols or expressions. By default :func:`input_symbols`.
    kernel : array_like, optional
        As for :func:`symbolic_matrix`; by default :func:`kernel_symbols`.
    limit : int
        Largest number of non-zeros of C accepted.

    Returns
    -------
    sympy.ImmutableDenseNDimArray
        Shape ``out_shape``, or ``(out_channels, *out_shape)`` with channels.
        Integer and rational data give exact Integers and Rationals.

    Notes
    -----
    Built in O(nnz) from the tap structure, grouping C's entries by column:
    ``y[t] = Σ_{i, j : t + crop_lo = i·s + j·d} k[j]·x[i]``.

    Examples
    --------
    >>> import sympy
    >>> a, b, c, d = sympy.symbols("a b c d")
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> y = symbolic_apply(g, [[3, 2, 1], [0, 5, 2], [1, 4, 7]], [[a, b], [c, d]])
    >>> y[0, 0], y[1, 1]
    (3*d, 5*a)
    """
    _check_size(geometry, limit)
    channels = geometry.in_channels > 1 or geometry.out_channels > 1
    if x is None:
        x = input_symbols(geometry)
    batch, _ = _arrays.batched(
        geometry,
        "x",
        x,
        geometry.in_shape,
        geometry.in_channels,
        geometry.out_channels,
        convert=as_symbolic,
    )
    flat_x = batch.reshape(-1)
    weight = _weight(geometry, kernel)
    canonical = _all_distinct_symbols(weight, flat_x)
    rows, weight_index, bounds = taps.by_output(taps.channel_structure(geometry))
    kernel_terms = weight.reshape(-1)[weight_index].tolist()
    input_terms = flat_x[rows].tolist()
    outputs = [
        _sum_of_products(kernel_terms[lo:hi], input_terms[lo:hi], canonical)
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]
    shape = (geometry.out_channels, *geometry.out_shape) if channels else geometry.out_shape
    return sympy.ImmutableDenseNDimArray(outputs, shape)


def _random_rationals(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    numerators = rng.integers(-9, 10, size=shape).reshape(-1)
    denominators = rng.integers(1, 10, size=shape).reshape(-1)
    values = [sympy.Rational(int(n), int(d)) for n, d in zip(numerators, denominators, strict=True)]
    return np.array(values, dtype=object).reshape(shape)


def adjoint_certificate(
    geometry: ConvTranspose, kernel: Any = None, *, seed: int | None = 0, limit: int = 10_000
) -> tuple[sympy.Rational, sympy.Rational]:
    """``(⟨C u, v⟩, ⟨u, Cᵀ v⟩)`` in exact rational arithmetic: equal when C and Cᵀ are adjoint.

    ``C u`` uses the symbolic matrix; ``Cᵀ v`` uses the closed form of
    :func:`symbolic_apply`, which groups the entries by column: two separate
    constructions. Random rational ``u``, ``v`` (and kernel, when omitted).

    Examples
    --------
    >>> lhs, rhs = adjoint_certificate(ConvTranspose((3, 3), (2, 2), stride=2, padding=1))
    >>> lhs == rhs, type(lhs).__name__ in ("Rational", "Integer", "Half")
    (True, True)
    """
    _check_size(geometry, limit)
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
    geometry: ConvTranspose, kernel: Any = None, *, limit: int = 10_000
) -> sympy.ImmutableSparseMatrix:
    """The matrix of ``x ↦ y`` read off the closed form: ``∂y_t/∂x_i`` for every pair.

    For a correct construction this equals ``symbolic_matrix(geometry, kernel).T``
    (the identity ``Cᵀ = (C)ᵀ``, checked on small cases: the cost is
    ``prod(in_shape)·prod(out_shape)`` derivatives).

    Examples
    --------
    >>> g = ConvTranspose((2,), (2,), stride=2)
    >>> transpose_from_closed_form(g) == symbolic_matrix(g).T
    True
    """
    _check_size(geometry, limit)
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


def closed_form_function(geometry: ConvTranspose, *, limit: int = DEFAULT_LIMIT) -> Any:
    """Turn the symbolic closed form into a NumPy function ``f(x, kernel) -> y`` (lambdify).

    Examples
    --------
    >>> f = closed_form_function(ConvTranspose((3, 3), (2, 2), stride=2, padding=1))
    >>> f(np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]]), np.array([[1, 2], [3, 4]]))[0]
    array([12,  6,  8,  3])
    """
    x, kernel = input_symbols(geometry), kernel_symbols(geometry)
    closed = symbolic_apply(geometry, x, kernel, limit=limit)
    function = sympy.lambdify(
        [list(x.reshape(-1)), list(kernel.reshape(-1))], closed.tolist(), "numpy", dummify=True
    )

    def evaluate(x_values: Any, kernel_values: Any) -> np.ndarray:
        x_values, kernel_values = np.asarray(x_values), np.asarray(kernel_values)
        return np.asarray(function(list(x_values.reshape(-1)), list(kernel_values.reshape(-1))))

    return evaluate
