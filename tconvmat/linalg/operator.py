"""C as a matrix-free SciPy ``LinearOperator``: problems whose C would not fit in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat import routes
from tconvmat.core import arrays, kernels
from tconvmat.core.geometry import Geometry

if TYPE_CHECKING:
    from scipy.sparse.linalg import LinearOperator

__all__ = ["as_linear_operator"]


def as_linear_operator(geometry: Geometry, kernel: Any, method: str = "auto") -> LinearOperator:
    """C as a ``LinearOperator``: ``matvec`` is the convolution, ``rmatvec`` its adjoint Cᴴ.

    Parameters
    ----------
    geometry : Geometry
        The geometry.
    kernel : array_like
        Weight in PyTorch's layout, or ``kernel_shape`` with one channel;
        real or complex.
    method : str, default 'auto'
        Route of the transposed convolution (``rmatvec`` and ``.T``).

    Returns
    -------
    scipy.sparse.linalg.LinearOperator
        Shape :attr:`~tconvmat.core.geometry.Geometry.matrix_shape`; vectors are
        flattened row-major and channel by channel, as for
        :meth:`~tconvmat.ConvTranspose.matrix`. As SciPy promises, ``rmatvec``,
        ``.H`` and ``.adjoint()`` apply ``Cᴴ = conj(C)ᵀ`` (the transposed
        convolution with the conjugated kernel), and ``.T`` applies ``Cᵀ``,
        the transposed convolution itself.

    Notes
    -----
    Nothing of size ``nnz`` is stored: each product runs a convolution, so the
    memory is that of the vectors. Products are computed in the common type of
    the kernel and the vector (at least float32), so a complex vector keeps its
    imaginary part with a real kernel. Matrix products (``op @ Y`` with ``Y``
    of several columns) run every column as one batch.

    Examples
    --------
    >>> g = Geometry((3, 3), (2, 2), stride=2, padding=1)
    >>> op = as_linear_operator(g, [[1, 2], [3, 4]])
    >>> x = np.array([3, 2, 1, 0, 5, 2, 1, 4, 7], dtype=float)
    >>> (op.T @ x).reshape(4, 4)[0]
    array([12.,  6.,  8.,  3.])
    """
    from scipy.sparse.linalg import LinearOperator  # here: SciPy's linalg costs 40 ms to import

    user = arrays.as_numeric("kernel", kernel)
    kernels.weight(geometry, user)  # checks the layout once, here
    dtype = np.result_type(user.dtype, np.float32)
    conjugate = np.conj(user)
    output = (geometry.out_channels, *geometry.out_shape)
    source = (geometry.in_channels, *geometry.in_shape)

    def batch(columns: np.ndarray, layout: tuple[int, ...]) -> np.ndarray:
        columns = arrays.as_numeric("the vector", columns)
        common = np.result_type(columns.dtype, dtype)
        return columns.astype(common, copy=False).T.reshape(-1, *layout)

    def convolve(columns: np.ndarray) -> np.ndarray:
        x = routes.conv(geometry, batch(columns, output), user, method="auto")
        return x.reshape(x.shape[0], -1).T

    def adjoint(columns: np.ndarray) -> np.ndarray:
        y = routes.apply(geometry, batch(columns, source), conjugate, method=method)
        return y.reshape(y.shape[0], -1).T

    return LinearOperator(
        geometry.matrix_shape,
        matvec=lambda v: convolve(np.reshape(v, (-1, 1)))[:, 0],
        rmatvec=lambda v: adjoint(np.reshape(v, (-1, 1)))[:, 0],
        matmat=convolve,
        rmatmat=adjoint,
        dtype=dtype,
    )
