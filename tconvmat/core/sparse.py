"""The sparse matrix C of the forward convolution (SciPy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat.core import arrays, budget, kernels, structure
from tconvmat.core.geometry import Geometry

if TYPE_CHECKING:
    from scipy.sparse import csr_array

__all__ = ["build_matrix", "from_weight"]


def build_matrix(geometry: Geometry, kernel: Any, *, limit: int | None = None) -> csr_array:
    """C as a ``scipy.sparse.csr_array`` written directly from the tap structure.

    Parameters
    ----------
    geometry : Geometry
        The geometry.
    kernel : array_like
        Weight of shape ``(in_channels, out_channels // groups, *kernel_shape)``,
        or ``kernel_shape`` with one channel, oriented as the geometry's
        framework stores it (see :func:`tconvmat.core.kernels.weight`).
    limit : int, optional
        Most non-zeros accepted (default ``budget.LIMITS['nnz']``); the count is
        known from the geometry, so a larger C is refused before anything is built.

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(in_channels·prod(in_shape), out_channels·prod(out_shape))``;
        integer kernels (signed or unsigned) give exact int64 entries (an unsigned
        value above int64's maximum is refused), complex kernels complex ones. Rows
        are input elements and columns output elements, flattened row-major
        within each channel, channel blocks in order. Entries equal to zero in
        the kernel are still stored, so the sparsity pattern is the geometry's,
        whatever the kernel values.

    Notes
    -----
    ``C[i, t] = w[j]`` exactly when ``t + crop_lo = i·s + j·d`` on every axis;
    the forward convolution is ``C @ y`` and the transposed one ``Cᵀ @ x``.
    For complex kernels the adjoint is ``Cᴴ = conj(C)ᵀ``.

    Examples
    --------
    >>> C = build_matrix(Geometry((3,), (2,), stride=2, padding=1), [1, 2])
    >>> C.toarray()
    array([[2, 0, 0, 0],
           [0, 1, 2, 0],
           [0, 0, 0, 1]])
    """
    budget.check_nnz("C", structure.nnz(geometry), limit)
    return from_weight(geometry, kernels.weight(geometry, kernel))


def from_weight(geometry: Geometry, weight: np.ndarray) -> csr_array:
    """C from a weight already read by :func:`tconvmat.core.kernels.weight` (the routes' input).

    ``weight`` has ``weight_shape`` and the scatter's orientation; it is not
    oriented again.
    """
    from scipy.sparse import csr_array  # here: SciPy costs 0.15 s to import; pages never need it

    dtype = arrays.result_dtype(weight)
    layout = structure.channel_structure(geometry)
    data = layout.values(weight.reshape(-1).astype(dtype, copy=False))
    return csr_array((data, layout.indices, layout.indptr), shape=layout.shape, copy=False)
