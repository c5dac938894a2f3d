"""ONNX's ``ConvTranspose`` and ``Conv`` as ONNX Runtime 1.32 computes them."""

from __future__ import annotations

from tconvmat.core import axis
from tconvmat.core.rules._types import Pair
from tconvmat.core.rules.common import check_output_padding
from tconvmat.core.rules.tensorflow import same_padding

__all__ = ["onnx_crops", "onnx_pads", "onnx_pairs", "onnx_same_conv_padding"]


def onnx_pairs(pads: list[int], ndim: int) -> list[Pair]:
    """ONNX's ``pads`` ``[x1_begin, x2_begin, …, x1_end, x2_end, …]`` as (begin, end) per axis.

    Examples
    --------
    >>> onnx_pairs([1, 2, 3, 4], 2)
    [(1, 3), (2, 4)]
    """
    if len(pads) != 2 * ndim:
        raise ValueError(f"pads has {len(pads)} entries; ONNX needs 2·{ndim} = {2 * ndim}")
    return list(zip(pads[:ndim], pads[ndim:], strict=True))


def onnx_pads(pairs: list[Pair]) -> list[int]:
    """(begin, end) per axis as ONNX's flat ``pads`` (the inverse of :func:`onnx_pairs`).

    Examples
    --------
    >>> onnx_pads([(1, 3), (2, 4)])
    [1, 2, 3, 4]
    """
    return [lo for lo, _ in pairs] + [hi for _, hi in pairs]


def _onnx_split(total: int, auto_pad: str) -> Pair:
    """SAME_UPPER puts the odd element at the end, everything else at the start."""
    small = total // 2
    return (small, total - small) if auto_pad == "SAME_UPPER" else (total - small, small)


def onnx_crops(
    in_len: int,
    kernel: int,
    stride: int,
    dilation: int = 1,
    *,
    pads: Pair = (0, 0),
    output_padding: int = 0,
    auto_pad: str = "NOTSET",
    output_len: int | None = None,
) -> Pair:
    """ONNX ``ConvTranspose``'s crops, as ONNX Runtime 1.32 computes them.

    - ``output_shape`` given (``output_len``), or ``auto_pad`` SAME_UPPER/SAME_LOWER
      (target ``I·s``): the total padding ``L + op − n`` is split, SAME_UPPER with
      the odd element at the end, NOTSET/SAME_LOWER/VALID at the start. A negative
      total pads nothing; an explicit ``output_shape`` then zero-extends the end
      (up to ``L + s − 1``; beyond, ONNX Runtime refuses), SAME gives ``L + op``.
    - otherwise ``pads`` (VALID: none): crops ``(begin, end − op)``.

    ``output_padding`` must be below the stride (:func:`check_output_padding`).

    Examples
    --------
    >>> onnx_crops(16, 3, 2, pads=(1, 1), output_padding=1)
    (1, 0)
    >>> onnx_crops(16, 3, 2, auto_pad="SAME_UPPER"), onnx_crops(16, 3, 2, auto_pad="SAME_LOWER")
    ((0, 1), (1, 0))
    >>> onnx_crops(2, 2, 3, output_len=7)  # beyond the scatter: zeros at the end
    (0, -2)
    """
    check_output_padding(output_padding, stride, dilation, "onnx")
    full = axis.full_length(in_len, kernel, stride, dilation)
    same = auto_pad in ("SAME_UPPER", "SAME_LOWER")
    if output_len is None and same:
        target = in_len * stride
    elif output_len is None:
        begin, end = (0, 0) if auto_pad == "VALID" else pads
        if min(begin, end) < 0:
            raise ValueError(f"pads {list(pads)} must not be negative (ONNX Runtime's rule)")
        return begin, end - output_padding
    else:
        target = output_len
        if target > full + stride - 1:
            raise ValueError(
                f"output_shape ({target}) is longer than the {full} positions the scatter "
                f"reaches plus stride − 1 ({stride - 1}): its convolution would not give back "
                f"input {in_len} (ONNX Runtime refuses it)"
            )
    total = full + output_padding - target
    if total < 0:
        begin = 0
        length = target if output_len is not None else full + output_padding
        return begin, full - length
    begin, end = _onnx_split(total, auto_pad)
    return begin, end - output_padding


def onnx_same_conv_padding(
    size: int, kernel: int, stride: int, dilation: int, auto_pad: str
) -> Pair:
    """The forward ONNX ``Conv``'s padding for ``auto_pad`` SAME_UPPER/SAME_LOWER.

    Examples
    --------
    >>> onnx_same_conv_padding(16, 3, 2, 1, "SAME_UPPER")
    (0, 1)
    >>> onnx_same_conv_padding(16, 3, 2, 1, "SAME_LOWER")
    (1, 0)
    """
    low, high = same_padding(size, kernel, stride, dilation)
    return (low, high) if auto_pad == "SAME_UPPER" else (high, low)
