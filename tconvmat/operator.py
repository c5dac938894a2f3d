"""C as a matrix-free SciPy ``LinearOperator``: problems whose C would not fit in memory."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.sparse.linalg import LinearOperator

from tconvmat import _arrays
from tconvmat.geometry import ConvTranspose

__all__ = ["as_linear_operator"]


def as_linear_operator(
    geometry: ConvTranspose, kernel: Any, method: str = "auto"
) -> LinearOperator:
    """C as a ``LinearOperator``: ``matvec`` is the convolution, ``rmatvec`` the transposed one.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    kernel : array_like
        Weight in PyTorch's layout, or ``kernel_shape`` with one channel.
    method : str, default 'auto'
        Route of the transposed convolution (``rmatvec``).

    Returns
    -------
    scipy.sparse.linalg.LinearOperator
        Shape :attr:`ConvTranspose.matrix_shape`; vectors are flattened row-major
        and channel by channel, as for :meth:`ConvTranspose.matrix`. Its
        transpose ``.T`` maps x to y = Cᵀx, e.g. for ``lsqr``.

    Notes
    -----
    Nothing of size ``nnz`` is stored: each product runs a convolution, so the
    memory is that of the vectors.

    Examples
    --------
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> op = as_linear_operator(g, [[1, 2], [3, 4]])
    >>> x = np.array([3, 2, 1, 0, 5, 2, 1, 4, 7], dtype=float)
    >>> (op.T @ x).reshape(4, 4)[0]
    array([12.,  6.,  8.,  3.])
    """
    weight = _arrays.weight(geometry, kernel)
    dtype = np.result_type(weight.dtype, np.float32)
    weight = weight.astype(dtype, copy=False)
    rows = geometry.in_channels * math.prod(geometry.in_shape)
    columns = geometry.out_channels * math.prod(geometry.out_shape)
    output = (geometry.out_channels, *geometry.out_shape)
    source = (geometry.in_channels, *geometry.in_shape)

    def convolve(y: np.ndarray) -> np.ndarray:
        y = np.asarray(y, dtype=dtype).reshape(output)
        return geometry.conv(y, weight).reshape(-1)

    def transpose(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=dtype).reshape(source)
        return geometry.apply(x, weight, method=method).reshape(-1)

    return LinearOperator((rows, columns), matvec=convolve, rmatvec=transpose, dtype=dtype)
