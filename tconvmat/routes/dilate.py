"""Zero-insertion route: the fractionally strided convolution."""

from __future__ import annotations

import math

import numpy as np

from tconvmat.core import arrays, axis
from tconvmat.core.arrays import trailing
from tconvmat.core.geometry import Geometry


def insert_zeros(x: np.ndarray, stride: tuple[int, ...]) -> np.ndarray:
    """Put ``s - 1`` zeros between neighbouring values on each trailing spatial axis.

    Examples
    --------
    >>> insert_zeros(np.array([1, 2, 3]), (2,))
    array([1, 0, 2, 0, 3])
    """
    ndim = len(stride)
    spatial = x.shape[x.ndim - ndim :]
    # the uncropped scatter of a one-tap kernel: (n − 1)·s + 1
    shape = tuple(axis.full_length(n, 1, s, 1) for n, s in zip(spatial, stride, strict=True))
    z = np.zeros(x.shape[: x.ndim - ndim] + shape, dtype=x.dtype)
    z[trailing(slice(None, None, s) for s in stride)] = x
    return z


def zero_inserted(geometry: Geometry, x: np.ndarray) -> np.ndarray:
    """x with ``s − 1`` zeros between values, bordered by ``d·(k − 1) − crop`` (trailing axes)."""
    padding = [a.zero_insertion_padding() for a in geometry.axes]
    return arrays.pad_or_trim(insert_zeros(x, geometry.stride), padding)


BAND_ELEMENTS = 2**21
"""Output rows (first axis) are computed a band at a time, its windows about this many
elements; bands whose windows read inserted zeros only are zeros and never built."""


def _band(geometry: Geometry, x: np.ndarray, start: int, stop: int) -> np.ndarray | None:
    """The zero-inserted, bordered input that output rows ``start … stop − 1`` read.

    Input row ``i`` sits at row ``i·s + low`` of the bordered grid (``low`` the first
    axis's ``d·(k − 1) − crop_lo``), and output row ``t`` reads rows ``t … t + d·(k − 1)``.
    ``None`` when no input row falls in the band: its windows hold inserted zeros only.
    """
    first = geometry.axes[0]
    low, step = first.zero_insertion_padding()[0], first.stride
    rows = stop - start + first.extent - 1
    lo = max(0, -(-(start - low) // step))
    hi = min(first.size, (start + rows - 1 - low) // step + 1)
    if lo >= hi:
        return None
    inputs = x[:, :, lo:hi]
    if geometry.ndim > 1:  # the other axes zero-inserted and bordered whole
        padding = [a.zero_insertion_padding() for a in geometry.axes[1:]]
        inputs = arrays.pad_or_trim(insert_zeros(inputs, geometry.stride[1:]), padding)
    band = np.zeros((*inputs.shape[:2], rows, *inputs.shape[3:]), dtype=inputs.dtype)
    top = lo * step + low - start
    band[:, :, top : top + (hi - lo - 1) * step + 1 : step] = inputs
    return band


def _patches(geometry: Geometry, z: np.ndarray, out_shape: tuple[int, ...]) -> np.ndarray:
    """Stride-1 windows of the zero-inserted grid: ``(batch, groups, n_out, cin·taps)``."""
    windows = arrays.sliding_windows(
        z, geometry.kernel_shape, (1,) * geometry.ndim, geometry.dilation
    )
    batch, groups = z.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    n_out, n_taps = math.prod(out_shape), math.prod(geometry.kernel_shape)
    patches = windows.reshape(batch, groups, per_group_in, n_out, n_taps).transpose(0, 1, 3, 2, 4)
    return patches.reshape(batch, groups, n_out, per_group_in * n_taps)


def dilate(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Zero-insert, pad by ``d·(k − 1) - crop``, correlate with the flipped kernel.

    Products with the inserted zeros are part of this route's principle; where
    the kernel holds NaN or infinity they would give NaN (``0·inf``) where no
    input value meets that tap, so those products are masked out, as every
    other route and PyTorch never form them. The output is computed a band of rows
    at a time (:func:`_band`), and bands that would read inserted zeros only are left
    zero, so a stride far above the kernel costs no more than the inputs.
    """
    ndim, groups = geometry.ndim, geometry.groups
    flipped = weight[trailing((slice(None, None, -1),) * ndim)]
    n_taps = math.prod(geometry.kernel_shape)
    per_group_in = geometry.in_channels // groups
    # flipped: (groups, per_group_in, opg, taps) -> (groups, cin·taps, opg)
    kernel = flipped.reshape(groups, per_group_in, -1, n_taps).transpose(0, 1, 3, 2)
    kernel = kernel.reshape(groups, per_group_in * n_taps, -1)
    finite = bool(np.isfinite(kernel).all())
    batch, (rows, *rest) = x.shape[0], geometry.out_shape
    y = np.zeros((batch, geometry.out_channels, rows, *rest), dtype=np.result_type(x, weight))
    per_row = batch * geometry.in_channels * n_taps * math.prod(rest)
    step = max(1, BAND_ELEMENTS // max(per_row, 1))
    ones = np.ones((1, *x.shape[1:]), bool)
    for start in range(0, rows, step):
        stop = min(rows, start + step)
        band = _band(geometry, x, start, stop)
        if band is None:
            continue
        shape = (stop - start, *rest)
        patches = _patches(geometry, band, shape)
        if finite:
            part = np.matmul(patches, kernel)  # (batch, groups, n_out, opg)
        else:
            reached = _band(geometry, ones, start, stop)
            assert reached is not None  # the same rows as the band's
            real = _patches(geometry, reached, shape)
            products = patches[..., None] * kernel[None, :, None]
            part = np.where(real[..., None], products, 0).sum(axis=-2)
        y[:, :, start:stop] = part.transpose(0, 1, 3, 2).reshape(
            batch, geometry.out_channels, *shape
        )
    return y
