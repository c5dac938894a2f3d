"""The sparse matrix C of the forward convolution (SciPy)."""

from __future__ import annotations

from typing import Any

from scipy.sparse import csr_array

from tconvmat import _arrays, taps
from tconvmat.geometry import ConvTranspose

__all__ = ["build_matrix", "conv_matrix"]


def build_matrix(geometry: ConvTranspose, kernel: Any) -> csr_array:
    """C as a ``scipy.sparse.csr_array`` written directly from the tap structure.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    kernel : array_like
        Weight of shape ``(in_channels, out_channels // groups, *kernel_shape)``,
        or ``kernel_shape`` with one channel.

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(in_channels·prod(in_shape), out_channels·prod(out_shape))``;
        integer kernels give int64 entries. Rows are input elements and columns
        output elements, flattened row-major within each channel, channel blocks
        in order. Entries equal to zero in the kernel are still stored, so the
        sparsity pattern is the geometry's, whatever the kernel values.

    Notes
    -----
    ``C[i, t] = w[j]`` exactly when ``t + crop_lo = i·s + j·d`` on every axis;
    the forward convolution is ``C @ y`` and the transposed one ``Cᵀ @ x``.

    Examples
    --------
    >>> C = build_matrix(ConvTranspose((3,), (2,), stride=2, padding=1), [1, 2])
    >>> C.toarray()
    array([[2, 0, 0, 0],
           [0, 1, 2, 0],
           [0, 0, 0, 1]])
    """
    weight = _arrays.weight(geometry, kernel)
    dtype = _arrays.result_dtype(weight)
    structure = taps.channel_structure(geometry)
    data = structure.values(weight.reshape(-1).astype(dtype, copy=False))
    return csr_array((data, structure.indices, structure.indptr), shape=structure.shape, copy=False)


def conv_matrix(
    kernel: Any,
    in_shape: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
) -> csr_array:
    """C for a plain single-channel N-D kernel and input shape.

    Parameters are those of :class:`~tconvmat.ConvTranspose`; ``in_shape`` is
    the shape of the transposed convolution's input.

    Examples
    --------
    >>> conv_matrix([[1, 2], [3, 4]], (3, 3), stride=2, padding=1).shape
    (9, 16)
    """
    kernel = _arrays.as_numeric("kernel", kernel)
    geometry = ConvTranspose(
        in_shape,
        kernel.shape,
        stride=stride,
        padding=padding,
        dilation=dilation,
        output_padding=output_padding,
    )
    return build_matrix(geometry, kernel)
