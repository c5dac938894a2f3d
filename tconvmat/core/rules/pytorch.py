"""PyTorch's ``ConvTranspose{N}d``: crops ``(p_lo, p_hi − output_padding)``."""

from __future__ import annotations

from typing import Any

from tconvmat.core import axis
from tconvmat.core.rules._types import Pair
from tconvmat.core.rules.common import output_padding_limit

__all__ = ["pytorch_call", "pytorch_crops", "pytorch_output_sizes"]


def pytorch_crops(padding: tuple[Any, Any], output_padding: Any) -> tuple[Any, Any]:
    """``ConvTranspose{N}d``'s crops: ``(p_lo, p_hi − output_padding)`` (SymPy too).

    Examples
    --------
    >>> pytorch_crops((1, 1), 1)
    (1, 0)
    """
    return padding[0], padding[1] - output_padding


def pytorch_output_sizes(
    in_len: int, kernel: int, stride: int, dilation: int, padding: int
) -> range:
    """The sizes ``forward(x, output_size=...)`` accepts: ``min`` to ``min + s − 1``.

    ``min = (I − 1)·s − 2p + d·(k − 1) + 1``; each larger size is one more
    ``output_padding``. PyTorch bounds ``output_size`` by the stride alone, even where
    an explicit ``output_padding`` may reach ``max(s, d) − 1``.

    Examples
    --------
    >>> pytorch_output_sizes(16, 3, 2, 1, 1)
    range(31, 33)
    >>> pytorch_output_sizes(4, 3, 1, 2, 0)  # output_padding 1 is allowed, output_size 9 not
    range(8, 9)
    """
    smallest = axis.output_length(in_len, kernel, stride, dilation, (padding, padding))
    return range(smallest, smallest + stride)


def pytorch_call(crop: Pair, stride: int, dilation: int) -> tuple[int, int, Pair]:
    """The closest PyTorch ``(padding, output_padding)`` for a crop, and what remains.

    PyTorch crops ``(p, p − op)`` with ``p >= 0`` and ``0 <= op < max(s, d)``.
    Returns ``(padding, output_padding, adjust)`` where ``adjust`` is what to cut
    (positive) or zero-pad (negative) at each end of PyTorch's output afterwards;
    ``(0, 0)`` when the call alone reproduces the crop.

    Examples
    --------
    >>> pytorch_call((1, 0), 2, 1)
    (1, 1, (0, 0))
    >>> pytorch_call((0, 1), 2, 1)  # TensorFlow's SAME: more cut at the end
    (0, 0, (0, 1))
    """
    lo, hi = crop
    if lo >= 0 and 0 <= lo - hi < output_padding_limit(stride, dilation):
        return lo, lo - hi, (0, 0)
    p = max(min(lo, hi), 0)
    return p, 0, (lo - p, hi - p)
