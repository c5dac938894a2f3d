"""The dot test: C and Cᴴ are adjoint, ⟨C u, v⟩ = ⟨u, Cᴴ v⟩."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import routes
from tconvmat.core import arrays, budget, structure, validation
from tconvmat.core.geometry import Geometry
from tconvmat.core.sparse import build_matrix

__all__ = ["dot_test"]


def _random(rng: np.random.Generator, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """Standard normal values of ``dtype`` (complex: independent real and imaginary parts)."""
    part = np.zeros(0, dtype).real.dtype
    drawn = part if part in (np.float32, np.float64) else np.dtype(np.float64)
    if dtype.kind != "c":
        return rng.standard_normal(shape, dtype=drawn).astype(dtype, copy=False)
    values = np.empty(shape, dtype)
    values.real = rng.standard_normal(shape, dtype=drawn)
    values.imag = rng.standard_normal(shape, dtype=drawn)
    return values


def _data_type(dtype: Any, complex_: bool) -> np.dtype:
    return np.result_type(dtype, np.complex64) if complex_ else np.dtype(dtype)


def _relative_gap(forward: Any, u: Any, adjoint: Any, v: Any) -> float:
    """``|⟨C u, v⟩ − ⟨u, Cᴴ v⟩| / max(|⟨C u, v⟩|, |⟨u, Cᴴ v⟩|)``, with ``⟨a, b⟩ = bᴴa``."""
    lhs = complex(np.vdot(np.ravel(v), np.ravel(forward)))
    rhs = complex(np.vdot(np.ravel(adjoint), np.ravel(u)))
    scale = max(abs(lhs), abs(rhs))
    return 0.0 if scale == 0 else abs(lhs - rhs) / scale


def dot_test(
    operator: Any,
    kernel: Any = None,
    *,
    method: str = "matrix",
    seed: int | None = 0,
    dtype: Any = np.float64,
    limit: int | None = None,
) -> float:
    """Relative error of ``⟨C u, v⟩ = ⟨u, Cᴴ v⟩`` on random ``u`` and ``v``.

    Parameters
    ----------
    operator : Geometry or LinearOperator
        A geometry (then C is built from ``kernel`` and ``method`` picks what
        is tested), or anything with ``shape``, ``matvec`` and ``rmatvec``,
        such as :func:`tconvmat.as_linear_operator`'s result.
    kernel : array_like, optional
        With a geometry: the weight in PyTorch's layout (or ``kernel_shape``
        with one channel); random when omitted.
    method : str, default 'matrix'
        With a geometry: ``'matrix'`` tests the sparse C and ``conj(C)ᵀ``; any
        route name of :func:`tconvmat.routes.apply` tests that route (with the
        conjugated kernel) against the direct forward convolution.
    seed : int or None
        Seed of the random vectors (and kernel).
    dtype : dtype, default float64
        Type of the random data; a complex type (or a complex kernel or
        operator) draws complex vectors, so a missing conjugation shows.
    limit : int, optional
        Most elements of each random vector, and of what the tested route or C
        allocates (default ``budget.LIMITS['elements']`` and ``['nnz']``), checked
        before any work.

    Returns
    -------
    float
        ``|⟨C u, v⟩ − ⟨u, Cᴴ v⟩| / max(|⟨C u, v⟩|, |⟨u, Cᴴ v⟩|)``: about the
        machine epsilon of ``dtype`` when the pair is adjoint.

    Notes
    -----
    With ``⟨a, b⟩ = bᴴ a``, ``⟨C u, v⟩ = vᴴ C u = (Cᴴ v)ᴴ u = ⟨u, Cᴴ v⟩`` for any
    matrix. Two separately written operators that pass this test for random
    complex vectors are each other's adjoint: the forward convolution and the
    transposed convolution with the conjugated kernel.

    Examples
    --------
    >>> g = Geometry((3, 3), (2, 2), stride=2, padding=1)
    >>> dot_test(g) < 1e-12
    True
    >>> dot_test(g, method="scatter", dtype=complex) < 1e-12
    True
    """
    rng = np.random.default_rng(seed)
    wants_complex = np.dtype(dtype).kind == "c"
    if not isinstance(operator, Geometry):
        wants_complex = wants_complex or np.dtype(getattr(operator, "dtype", float)).kind == "c"
        rows, columns = operator.shape
        budget.check_elements("the dot test's random vectors", max(rows, columns), limit)
        data_type = _data_type(dtype, wants_complex)
        u, v = _random(rng, (columns,), data_type), _random(rng, (rows,), data_type)
        return _relative_gap(operator.matvec(u), u, operator.rmatvec(v), v)
    geometry = operator
    validation.choice("method", method, ("auto", *routes.METHODS))
    budget.check_elements("the dot test's random vectors", budget.view_size(geometry)[1], limit)
    if method == "matrix":
        budget.check_nnz("C", structure.nnz(geometry), limit)
    if kernel is None:
        kernel = _random(rng, geometry.weight_shape, _data_type(dtype, wants_complex))
    kernel = arrays.as_numeric("kernel", kernel)
    data_type = _data_type(dtype, wants_complex or kernel.dtype.kind == "c")
    u = _random(rng, (geometry.out_channels, *geometry.out_shape), data_type)
    v = _random(rng, (geometry.in_channels, *geometry.in_shape), data_type)
    if method == "matrix":
        matrix = build_matrix(geometry, kernel, limit=limit)
        forward, adjoint = matrix @ u.reshape(-1), matrix.conj().T @ v.reshape(-1)
    else:
        forward = routes.conv(geometry, u, kernel, limit=limit)
        adjoint = routes.apply(geometry, v, np.conj(kernel), method=method, limit=limit)
    return _relative_gap(forward, u, adjoint, v)
