"""The worked example every figure defaults to."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.core.arrays import admit
from tconvmat.core.budget import check_view
from tconvmat.problem import WORKED_INPUT, WORKED_KERNEL, worked_geometry
from tconvmat.text.notation import position


def resolve(
    geometry: ConvTranspose | None, x: Any = None, kernel: Any = None
) -> tuple[ConvTranspose, np.ndarray, np.ndarray]:
    """Fill in the worked example where nothing is given; count 1, 2, 3, ... for missing data.

    The geometry is held to the view budget (:func:`tconvmat.core.budget.check_view`) first.
    """
    if geometry is None:
        geometry = worked_geometry()
        x = WORKED_INPUT if x is None else x
        kernel = WORKED_KERNEL if kernel is None else kernel
    check_view(geometry)
    if x is None:
        x = np.arange(1, int(np.prod(geometry.in_shape)) + 1).reshape(geometry.in_shape)
    if kernel is None:
        kernel = np.arange(1, int(np.prod(geometry.kernel_shape)) + 1).reshape(
            geometry.kernel_shape
        )
    return geometry, admit("x", x), admit("kernel", kernel)


def tap_name(index: tuple[int, ...]) -> str:
    """Kernel tap label: ``w[0,1]``."""
    return "w" + position(index)


def padding_text(geometry: ConvTranspose) -> str:
    """``1`` when every side has the same padding, else the per-axis (low, high) pairs."""
    sides = {side for pair in geometry.padding for side in pair}
    return str(sides.pop()) if len(sides) == 1 else str(geometry.padding)


def settings_text(geometry: ConvTranspose) -> str:
    """Every parameter of a figure's title, as the explanation writes them:
    ``kernel 2×2, stride 2, padding 1, dilation 1, output_padding 0``."""
    from tconvmat.analysis.variations import setting

    names = ("kernel_shape", "stride", "padding", "dilation", "output_padding")
    return ", ".join(setting(geometry, name) for name in names)


def stride_text(geometry: ConvTranspose) -> str:
    """``2`` when every axis has the same stride, else the tuple."""
    return str(geometry.stride[0]) if len(set(geometry.stride)) == 1 else str(geometry.stride)
