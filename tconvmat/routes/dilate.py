"""Zero-insertion route: the fractionally strided convolution."""

from __future__ import annotations

import math

import numpy as np

from tconvmat import _arrays, axis
from tconvmat._arrays import trailing
from tconvmat.geometry import Geometry


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
    return _arrays.pad_or_trim(insert_zeros(x, geometry.stride), padding)


def _patches(geometry: Geometry, z: np.ndarray) -> np.ndarray:
    """Stride-1 windows of the zero-inserted grid: ``(batch, groups, n_out, cin·taps)``."""
    windows = _arrays.sliding_windows(
        z, geometry.kernel_shape, (1,) * geometry.ndim, geometry.dilation
    )
    batch, groups = z.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    n_out, n_taps = math.prod(geometry.out_shape), math.prod(geometry.kernel_shape)
    patches = windows.reshape(batch, groups, per_group_in, n_out, n_taps).transpose(0, 1, 3, 2, 4)
    return patches.reshape(batch, groups, n_out, per_group_in * n_taps)


def dilate(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Zero-insert, pad by ``d·(k − 1) - crop``, correlate with the flipped kernel.

    Products with the inserted zeros are part of this route's principle; where
    the kernel holds NaN or infinity they would give NaN (``0·inf``) where no
    input value meets that tap, so those products are masked out, as every
    other route and PyTorch never form them.
    """
    ndim, groups = geometry.ndim, geometry.groups
    patches = _patches(geometry, zero_inserted(geometry, x))
    flipped = weight[trailing((slice(None, None, -1),) * ndim)]
    n_taps = math.prod(geometry.kernel_shape)
    per_group_in = geometry.in_channels // groups
    # flipped: (groups, per_group_in, opg, taps) -> (groups, cin·taps, opg)
    kernel = flipped.reshape(groups, per_group_in, -1, n_taps).transpose(0, 1, 3, 2)
    kernel = kernel.reshape(groups, per_group_in * n_taps, -1)
    if np.isfinite(kernel).all():
        y = np.matmul(patches, kernel)  # (batch, groups, n_out, opg)
    else:
        real = _patches(geometry, zero_inserted(geometry, np.ones((1, *x.shape[1:]), bool)))
        products = patches[..., None] * kernel[None, :, None]
        y = np.where(real[..., None], products, 0).sum(axis=-2)
    y = y.transpose(0, 1, 3, 2).reshape(x.shape[0], geometry.out_channels, *geometry.out_shape)
    return np.ascontiguousarray(y)
