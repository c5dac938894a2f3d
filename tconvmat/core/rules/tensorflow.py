"""TensorFlow's ``tf.nn.conv_transpose`` and the forward convolution's 'SAME'."""

from __future__ import annotations

from tconvmat.core import axis
from tconvmat.core.rules._types import Pair

__all__ = ["same_padding", "tensorflow_crops", "tensorflow_output_length"]


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> Pair:
    """The forward convolution's 'SAME' padding on one axis, per side.

    What its ``⌈size / stride⌉`` windows need beyond the input (never negative),
    the odd element at the end: TensorFlow's and JAX's 'SAME', Keras's
    ``padding='same'`` for forward layers, ONNX's ``SAME_UPPER`` (see
    :func:`onnx_same_conv_padding` for ``SAME_LOWER``) and, at stride 1,
    PyTorch's ``padding='same'``.

    Examples
    --------
    >>> same_padding(16, 3, 2), same_padding(15, 3, 2), same_padding(8, 4, 1)
    ((0, 1), (1, 1), (1, 2))
    >>> same_padding(8, 1, 4)  # the stride beyond the kernel's reach: no padding
    (0, 0)
    """
    windows = -(-size // stride)
    total = max(axis.full_length(windows, kernel, stride, dilation) - size, 0)
    return total // 2, total - total // 2


def tensorflow_output_length(
    in_len: int, kernel: int, stride: int, dilation: int, padding: str | Pair
) -> int:
    """The output length tconvmat assumes when TensorFlow's ``output_shape`` is left out.

    ``I·s`` for 'SAME', the whole scatter for 'VALID', the scatter less the
    padding for explicit ``(lo, hi)`` (TensorFlow itself always needs
    ``output_shape``).

    Examples
    --------
    >>> [tensorflow_output_length(16, 3, 2, 1, mode) for mode in ("SAME", "VALID")]
    [32, 33]
    """
    full = axis.full_length(in_len, kernel, stride, dilation)
    if padding == "SAME":
        return in_len * stride
    if padding == "VALID":
        return full
    assert not isinstance(padding, str)
    return full - padding[0] - padding[1]


def tensorflow_crops(
    in_len: int,
    kernel: int,
    stride: int,
    dilation: int,
    padding: str | Pair,
    out_len: int,
) -> Pair:
    """``tf.nn.conv_transpose``'s crops: the gradient of ``conv(y; padding)`` for ``len(y) = n``.

    The forward convolution pads ``n`` by ``(pad_lo, pad_hi)`` ('SAME': see
    :func:`same_padding`; 'VALID': none; or explicit) and must give back ``I``
    windows, else TensorFlow refuses the shapes; the crops are
    ``(pad_lo, L − pad_lo − n)``.

    Raises
    ------
    ValueError
        When a convolution of ``out_len`` does not give ``in_len`` (TensorFlow refuses it).

    Examples
    --------
    >>> tensorflow_crops(16, 3, 2, 1, "SAME", 32), tensorflow_crops(16, 3, 2, 1, "VALID", 34)
    ((0, 1), (0, -1))
    """
    if padding == "SAME":
        pads = same_padding(out_len, kernel, stride, dilation)
    elif padding == "VALID":
        pads = (0, 0)
    else:
        assert not isinstance(padding, str)
        pads = padding
    windows, _ = axis.forward_length(out_len, kernel, stride, dilation, pads)
    if windows != in_len:
        mode = padding.lower() if isinstance(padding, str) else f"padding {padding}"
        raise ValueError(
            f"output_shape ({out_len}) is not consistent with input {in_len}: a {mode} "
            f"convolution of size {out_len} with kernel {kernel}, stride {stride}, dilation "
            f"{dilation} gives {windows}, not {in_len} (TensorFlow refuses it)"
        )
    full = axis.full_length(in_len, kernel, stride, dilation)
    return pads[0], full - pads[0] - out_len
