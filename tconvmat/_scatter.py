"""Scatter route: every input value stamps value·kernel into the output."""

from __future__ import annotations

import math

import numpy as np

from tconvmat import taps
from tconvmat._arrays import trailing
from tconvmat.geometry import ConvTranspose


def stamps(geometry: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Every input element's scaled kernel, summed over the input channels of its group.

    Returns shape ``(batch, out_channels, prod(kernel_shape), *in_shape)``:
    ``stamps[b, o, j, i]`` is what input element ``i`` adds through tap ``j``.
    """
    batch, groups = x.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    n_taps = math.prod(geometry.kernel_shape)
    grouped_x = x.reshape(batch, groups, per_group_in, -1)
    # (groups, opg * taps, per_group_in) @ (batch, groups, per_group_in, n_in)
    grouped_w = weight.reshape(groups, per_group_in, -1).transpose(0, 2, 1)
    products = np.matmul(grouped_w, grouped_x)
    return products.reshape(batch, geometry.out_channels, n_taps, *geometry.in_shape)


def scatter(geometry: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Place every stamp at its strided, dilated position, add overlaps, then crop."""
    axes = taps.per_axis(geometry, taps.canvas_axis)
    products = stamps(geometry, x, weight)
    canvas = np.zeros(
        (x.shape[0], geometry.out_channels, *(a.length for a in axes)), dtype=products.dtype
    )
    for tap, position in enumerate(np.ndindex(*geometry.kernel_shape)):
        reached = tuple(
            axis.tap_slice(j, i, s, d)
            for axis, j, i, s, d in zip(
                axes, position, geometry.in_shape, geometry.stride, geometry.dilation, strict=True
            )
        )
        canvas[trailing(reached)] += products[:, :, tap]
    return np.ascontiguousarray(canvas[trailing(a.window for a in axes)])
