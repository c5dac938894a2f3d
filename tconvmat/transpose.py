"""``conv_transpose``: the transposed convolution of a plain single-channel N-D grid."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import _arrays
from tconvmat.geometry import ConvTranspose

__all__ = ["conv_transpose"]


def conv_transpose(
    x: Any,
    kernel: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
    method: str = "auto",
) -> np.ndarray:
    """Transposed convolution of an N-D grid ``x`` with an N-D ``kernel``.

    Parameters
    ----------
    x, kernel : array_like
        Arrays with the same number of dimensions (one channel, no batch).
    stride, padding, dilation, output_padding
        As in :class:`~tconvmat.ConvTranspose`.
    method : str
        A route of :func:`tconvmat.routes.apply`.

    Returns
    -------
    numpy.ndarray
        ``Cᵀx`` reshaped to the output grid.

    Examples
    --------
    >>> conv_transpose([[3, 2, 1], [0, 5, 2], [1, 4, 7]], [[1, 2], [3, 4]], stride=2, padding=1)
    array([[12,  6,  8,  3],
           [ 0,  5, 10,  2],
           [ 0, 15, 20,  6],
           [ 2,  4,  8,  7]])
    """
    x = _arrays.as_numeric("x", x)
    kernel = _arrays.as_numeric("kernel", kernel)
    if x.ndim != kernel.ndim:
        raise ValueError(
            f"x has {x.ndim} dimension(s) and kernel {kernel.ndim}; conv_transpose needs "
            "the same number (use ConvTranspose or tconvmat.functional for channels)"
        )
    geometry = ConvTranspose(
        x.shape,
        kernel.shape,
        stride=stride,
        padding=padding,
        dilation=dilation,
        output_padding=output_padding,
    )
    return geometry.apply(x, kernel, method=method)
