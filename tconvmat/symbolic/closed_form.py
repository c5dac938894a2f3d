"""The symbolic route: C with SymPy symbols and exact closed-form outputs.

Everything here is built from the same tap structure as the numeric matrix
(:mod:`tconvmat.core.structure`), and the kernel is read through the same
:func:`tconvmat.core.kernels.weight` (so a flipped framework kernel is flipped here
too), in time proportional to the number of non-zeros of C; no dense matrix
product is formed.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy
from sympy.core.basic import _args_sortkey

from tconvmat.core import arrays as _arrays
from tconvmat.core import budget, kernels, structure
from tconvmat.core.geometry import Geometry
from tconvmat.text import notation

__all__ = [
    "DEFAULT_LIMIT",
    "as_symbolic",
    "check_size",
    "input_symbols",
    "kernel_symbols",
    "symbolic_apply",
    "symbolic_matrix",
]

DEFAULT_LIMIT = budget.LIMITS["symbolic"]
"""Largest number of SymPy terms symbolic work accepts unless told otherwise (10⁶)."""


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


def kernel_symbols(geometry: Geometry, name: str = notation.KERNEL) -> np.ndarray:
    """Kernel symbols named by their tap, e.g. ``w_{0,1}``; with channels ``w^{(c,o)}_{0,1}``
    (``w`` as everywhere in tconvmat's text; ``k`` is the kernel's size).

    Returns an object array of ``kernel_shape`` with one channel, else of
    ``weight_shape`` (PyTorch's layout), named as the user's framework stores
    the kernel (a flipped geometry reads them reversed).

    Examples
    --------
    >>> kernel_symbols(Geometry((3,), (2,))).tolist()
    [w_{0}, w_{1}]
    """
    if geometry.single_channel:
        return _symbol_grid(name, (), geometry.kernel_shape)
    return _symbol_grid(name, geometry.weight_shape[:2], geometry.kernel_shape)


def input_symbols(geometry: Geometry, name: str = notation.INPUT) -> np.ndarray:
    """Input symbols named by position, e.g. ``x_{i,j}``; with channels ``x^{(c)}_{i,j}``.

    Examples
    --------
    >>> input_symbols(Geometry((2,), (2,))).tolist()
    [x_{0}, x_{1}]
    """
    if geometry.in_channels == 1:
        return _symbol_grid(name, (), geometry.in_shape)
    return _symbol_grid(name, (geometry.in_channels,), geometry.in_shape)


def as_symbolic(name: str, value: Any) -> np.ndarray:
    """Object array of SymPy expressions; numbers become exact SymPy numbers.

    Strings are refused: user text is never parsed as code here.
    """
    array = _arrays.admit(name, value, exact=True).astype(object)
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


def check_size(geometry: Geometry, limit: Any, *, outputs: bool = False) -> int:
    """Refuse symbolic work beyond ``limit`` SymPy terms (a non-negative integer).

    The terms are the non-zeros of C, plus one sum per output element when
    ``outputs`` (the closed form builds every output, zero or not).
    """
    terms = structure.nnz(geometry)
    unit = "non-zeros of C"
    if outputs:
        terms += geometry.out_channels * math.prod(geometry.out_shape)
        unit = "SymPy terms (non-zeros of C and outputs)"
    return budget.check_symbolic(
        "symbolic work on this geometry", terms, unit, DEFAULT_LIMIT if limit is None else limit
    )


def _weight(geometry: Geometry, kernel: Any) -> np.ndarray:
    """The kernel as SymPy objects in PyTorch's layout and the scatter's orientation."""
    weight = kernel_symbols(geometry) if kernel is None else kernel
    return kernels.weight(geometry, weight, convert=as_symbolic)


def _entries(geometry: Geometry, weight: np.ndarray) -> tuple[np.ndarray, ...]:
    """Rows, columns and values (object array) of every stored entry of C."""
    layout = structure.channel_structure(geometry)
    rows = np.repeat(np.arange(layout.shape[0]), np.diff(layout.indptr))
    return rows, layout.indices, weight.reshape(-1)[layout.weight_index]


def symbolic_matrix(
    geometry: Geometry, kernel: Any = None, *, limit: int = DEFAULT_LIMIT
) -> sympy.SparseMatrix:
    """C as a SymPy sparse matrix.

    Parameters
    ----------
    geometry : Geometry
        The geometry.
    kernel : array_like, optional
        Numbers, symbols or expressions, mixed, in the layout of
        :meth:`tconvmat.ConvTranspose.matrix`; by default :func:`kernel_symbols`.
    limit : int
        Largest number of non-zeros accepted (a ``ValueError`` beyond).

    Notes
    -----
    Built from the same tap structure as the numeric matrix:
    ``C[i, t] = w[j]`` exactly when ``t + crop_lo = i·s + j·d``.

    Examples
    --------
    >>> g = Geometry((3,), (2,), stride=2, padding=1)
    >>> symbolic_matrix(g)
    Matrix([
    [w_{1},     0,     0,     0],
    [    0, w_{0}, w_{1},     0],
    [    0,     0,     0, w_{0}]])
    """
    check_size(geometry, limit)
    rows, columns, values = _entries(geometry, _weight(geometry, kernel))
    shape = geometry.matrix_shape
    entries = dict(zip(zip(rows.tolist(), columns.tolist(), strict=True), values, strict=True))
    # Mutable on purpose: SymPy's immutable sparse matrix sorts every entry into a Dict
    # when built (6 s at 128², against 0.2 s); .as_immutable() gives a hashable copy.
    return sympy.SparseMatrix(shape[0], shape[1], entries)


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
    geometry: Geometry, x: Any = None, kernel: Any = None, *, limit: int = DEFAULT_LIMIT
) -> sympy.ImmutableDenseNDimArray:
    """Closed-form ``y = Cᵀx``: each output is the sum of the kernel·input products that reach it.

    Parameters
    ----------
    geometry : Geometry
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
    ``y[t] = Σ_{i, j : t + crop_lo = i·s + j·d} w[j]·x[i]``.

    Examples
    --------
    >>> import sympy
    >>> a, b, c, d = sympy.symbols("a b c d")
    >>> g = Geometry((3, 3), (2, 2), stride=2, padding=1)
    >>> y = symbolic_apply(g, [[3, 2, 1], [0, 5, 2], [1, 4, 7]], [[a, b], [c, d]])
    >>> y[0, 0], y[1, 1]
    (3*d, 5*a)
    """
    check_size(geometry, limit, outputs=True)
    channels = not geometry.single_channel
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
    rows, weight_index, bounds = structure.by_output(structure.channel_structure(geometry))
    kernel_terms = weight.reshape(-1)[weight_index].tolist()
    input_terms = flat_x[rows].tolist()
    outputs = [
        _sum_of_products(kernel_terms[lo:hi], input_terms[lo:hi], canonical)
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
    ]
    shape = (geometry.out_channels, *geometry.out_shape) if channels else geometry.out_shape
    return sympy.ImmutableDenseNDimArray(outputs, shape)
