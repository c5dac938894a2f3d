"""Keras 3's ``Conv{N}DTranspose``: its own padding and output length (not TensorFlow's SAME)."""

from __future__ import annotations

from tconvmat.core import axis
from tconvmat.core.rules._types import Pair
from tconvmat.core.rules.jax import jax_crops

__all__ = ["keras_crops", "keras_output_length", "keras_padding"]


def keras_padding(
    kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> Pair:
    """Keras 3's padding of the zero-inserted input for ``Conv{N}DTranspose`` (JAX backend).

    Not TensorFlow's SAME: 'same' pads ``s + e − 2`` in all without
    ``output_padding`` and ``e + e mod 2 − 2 + op`` with it, at most ``e − 1``
    at the start; 'valid' pads ``(e − 1, e − 1 + op)`` with ``op`` defaulting to
    ``max(e, s) − e`` (``e`` is the dilated kernel's extent).

    Examples
    --------
    >>> keras_padding(4, 1, 1, "same", 0), keras_padding(3, 2, 1, "same", None)
    ((1, 1), (2, 1))
    """
    e = axis.extent(kernel, dilation)
    if padding == "valid":
        extra = max(e, stride) - e if output_padding is None else output_padding
        return e - 1, e - 1 + extra
    total = stride + e - 2 if output_padding is None else e + e % 2 - 2 + output_padding
    start = min(total // 2 + total % 2, e - 1)
    return start, total - start


def keras_crops(
    kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> Pair:
    """Keras 3's crops for ``Conv{N}DTranspose``: :func:`keras_padding` as crops.

    Examples
    --------
    >>> keras_crops(4, 1, 1, "same", 0), keras_crops(3, 2, 1, "same", None)
    ((2, 2), (0, 1))
    """
    return jax_crops(
        axis.extent(kernel, dilation),
        keras_padding(kernel, stride, dilation, padding, output_padding),
    )


def keras_output_length(
    in_len: int,
    kernel: int,
    stride: int,
    padding: str,
    output_padding: int | None,
    dilation: int = 1,
) -> int:
    """Keras 3's output length (``compute_conv_transpose_output_shape``).

    'same': ``I·s`` without ``output_padding``, else ``(I − 1)·s + e mod 2 + op``;
    'valid': ``(I − 1)·s + e + op`` with ``op`` defaulting to ``max(e, s) − e``.

    Examples
    --------
    >>> keras_output_length(16, 3, 2, "same", None), keras_output_length(16, 3, 2, "valid", None)
    (32, 33)
    >>> keras_output_length(3, 4, 1, "same", 0)
    2
    """
    crops = keras_crops(kernel, stride, dilation, padding, output_padding)
    return axis.output_length(in_len, kernel, stride, dilation, crops)
