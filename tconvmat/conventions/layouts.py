"""Array layouts: channels first or last, and transposed-convolution weights to PyTorch's."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["channels_first", "channels_last", "weight_to_pytorch"]


def channels_last(x: Any) -> np.ndarray:
    """``(N, C, *spatial)`` → ``(N, *spatial, C)`` (TensorFlow's and JAX's NHWC)."""
    x = np.asanyarray(x)
    return np.moveaxis(x, 1, -1)


def channels_first(x: Any) -> np.ndarray:
    """``(N, *spatial, C)`` → ``(N, C, *spatial)`` (PyTorch's NCHW)."""
    x = np.asanyarray(x)
    return np.moveaxis(x, -1, 1)


def weight_to_pytorch(weight: Any, layout: str) -> np.ndarray:
    """Rearrange a transposed-convolution weight to PyTorch's ``(in, out, *spatial)``.

    ``layout`` names the axes of ``weight``: ``I`` the channels of the
    transposed convolution's input, ``O`` of its output, any other letters the
    spatial axes in order. TensorFlow's ``conv2d_transpose`` filter is
    ``"HWOI"``; PyTorch's own is ``"IOHW"``.

    Examples
    --------
    >>> weight_to_pytorch(np.zeros((3, 3, 8, 4)), "HWOI").shape
    (4, 8, 3, 3)
    """
    weight = np.asanyarray(weight)
    if len(layout) != weight.ndim or layout.count("I") != 1 or layout.count("O") != 1:
        raise ValueError(
            f"layout {layout!r} must name the {weight.ndim} axes of weight {weight.shape} with "
            "exactly one I and one O"
        )
    spatial = [n for n, letter in enumerate(layout) if letter not in "IO"]
    return np.transpose(weight, [layout.index("I"), layout.index("O"), *spatial])
