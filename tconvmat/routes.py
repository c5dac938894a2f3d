"""The transposed convolution by any of its independent routes, and the forward convolution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from tconvmat import _arrays, _dilate, _forward, _polyphase, _scatter, _validate
from tconvmat.geometry import METHODS, ConvTranspose
from tconvmat.matrix import build_matrix

__all__ = ["apply", "choose_method", "conv"]

Route = Callable[[ConvTranspose, np.ndarray, np.ndarray], np.ndarray]


def _matrix_route(geometry: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``Cᵀx`` with the sparse matrix, each batch item a column."""
    batch = x.shape[0]
    columns = x.reshape(batch, -1).T
    y = build_matrix(geometry, weight).T @ columns
    return np.ascontiguousarray(y.T).reshape(batch, geometry.out_channels, *geometry.out_shape)


_ROUTES: dict[str, Route] = {
    "matrix": _matrix_route,
    "scatter": _scatter.scatter,
    "dilate": _dilate.dilate,
    "polyphase": _polyphase.polyphase,
}


def choose_method(geometry: ConvTranspose) -> str:
    """The route ``method="auto"`` takes: the one measured fastest for this kind of case.

    - One input and one output channel: ``"polyphase"``. Each phase is a short
      sum of shifted copies of x; nothing multiplies an inserted zero, and no
      large intermediate is formed.
    - Channels without groups: ``"scatter"`` when every stride divides its
      kernel size (each input stamps whole, evenly overlapping patches: one
      large GEMM of all stamps and ``prod(kernel)`` contiguous additions),
      otherwise ``"polyphase"`` (one GEMM per output phase, which wastes
      nothing on the uneven phases and needs no canvas).
    - Groups: ``"polyphase"``; with few channels per group the stamps GEMM is
      too thin for BLAS, and the phase GEMMs gather ``cin·taps`` per product.

    See ``benchmarks/RESULTS.md`` for the measurements behind the rule.

    Examples
    --------
    >>> choose_method(ConvTranspose((8, 8), (3, 3), stride=2))
    'polyphase'
    >>> choose_method(ConvTranspose((8, 8), (4, 4), stride=2, in_channels=4, out_channels=4))
    'scatter'
    """
    if geometry.in_channels == 1 and geometry.out_channels == 1:
        return "polyphase"
    even = all(k % s == 0 for k, s in zip(geometry.kernel_shape, geometry.stride, strict=True))
    return "scatter" if even and geometry.groups == 1 else "polyphase"


def apply(geometry: ConvTranspose, x: Any, kernel: Any, method: str = "auto") -> np.ndarray:
    """The transposed convolution ``y = Cᵀx``.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    x : array_like
        Input of shape ``(batch, in_channels, *in_shape)``, ``(in_channels,
        *in_shape)``, or ``in_shape`` with one input channel.
    kernel : array_like
        Weight ``(in_channels, out_channels // groups, *kernel_shape)``, or
        ``kernel_shape`` with one input and one output channel.
    method : {'auto', 'matrix', 'scatter', 'dilate', 'polyphase'}
        The route, each written from its own principle (``'auto'``, the
        default, picks one by :func:`choose_method`):

        - ``'matrix'``: ``Cᵀ @ x`` with the sparse matrix C;
        - ``'scatter'``: every input value stamps ``value·kernel`` into the
          uncropped output at its strided, dilated place; overlaps add; the
          crops apply;
        - ``'dilate'``: insert ``s - 1`` zeros between input values, pad by
          ``d·(k - 1) - crop`` and correlate with the flipped kernel at stride 1;
        - ``'polyphase'``: the output splits into ``prod(stride)`` phases, each
          a stride-1 correlation of x with a sub-kernel.

    Returns
    -------
    numpy.ndarray
        The output in the input's layout with ``out_channels``. Integer data
        give exact int64 results; float32 stays float32.

    Examples
    --------
    >>> g = ConvTranspose((2,), (2,), stride=2)
    >>> apply(g, [1, 10], [1, 2], method="scatter")
    array([ 1,  2, 10, 20])
    """
    method = _validate.choice("method", method, ("auto", *METHODS))
    weight = _arrays.weight(geometry, kernel)
    batch, restore = _arrays.batched(
        geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
    )
    if method == "auto":
        method = choose_method(geometry)
    dtype = _arrays.result_dtype(batch, weight)
    y = _ROUTES[method](geometry, batch.astype(dtype, copy=False), weight.astype(dtype, copy=False))
    return restore(y)


def conv(geometry: ConvTranspose, y: Any, kernel: Any, method: str = "direct") -> np.ndarray:
    """The forward convolution ``x = C @ y`` whose transpose the geometry describes.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry; ``y`` has its ``out_shape`` and the result its ``in_shape``.
    y : array_like
        ``(batch, out_channels, *out_shape)``, ``(out_channels, *out_shape)``, or
        ``out_shape`` with one channel.
    kernel : array_like
        The same weight as for :func:`apply`.
    method : {'direct', 'matrix'}
        ``'direct'`` slides the kernel over the padded ``y`` (PyTorch's
        cross-correlation); ``'matrix'`` computes ``C @ y``.

    Examples
    --------
    >>> g = ConvTranspose((2,), (2,), stride=2)
    >>> conv(g, [1, 2, 3, 4], [1, 10])
    array([21, 43])
    """
    method = _validate.choice("method", method, ("direct", "matrix"))
    weight = _arrays.weight(geometry, kernel)
    batch, restore = _arrays.batched(
        geometry, "y", y, geometry.out_shape, geometry.out_channels, geometry.in_channels
    )
    dtype = _arrays.result_dtype(batch, weight)
    batch, weight = batch.astype(dtype, copy=False), weight.astype(dtype, copy=False)
    if method == "matrix":
        columns = batch.reshape(batch.shape[0], -1).T
        x = (build_matrix(geometry, weight) @ columns).T
        shape = (batch.shape[0], geometry.in_channels, *geometry.in_shape)
        return restore(np.ascontiguousarray(x).reshape(shape))
    return restore(_forward.correlate(geometry, batch, weight))
