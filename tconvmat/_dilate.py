"""Zero-insertion route: the fractionally strided convolution."""

from __future__ import annotations

import math

import numpy as np

from tconvmat import _arrays, taps
from tconvmat._arrays import trailing
from tconvmat.geometry import ConvTranspose


def insert_zeros(x: np.ndarray, stride: tuple[int, ...]) -> np.ndarray:
    """Put ``s - 1`` zeros between neighbouring values on each trailing spatial axis.

    Examples
    --------
    >>> insert_zeros(np.array([1, 2, 3]), (2,))
    array([1, 0, 2, 0, 3])
    """
    ndim = len(stride)
    spatial = x.shape[x.ndim - ndim :]
    shape = tuple((n - 1) * s + 1 for n, s in zip(spatial, stride, strict=True))
    z = np.zeros(x.shape[: x.ndim - ndim] + shape, dtype=x.dtype)
    z[trailing(slice(None, None, s) for s in stride)] = x
    return z


def dilate(geometry: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Zero-insert, pad by ``d·(k - 1) - crop``, correlate with the flipped kernel."""
    ndim = geometry.ndim
    padding = [
        taps.zero_insertion_padding(k, d, c)
        for k, d, c in zip(geometry.kernel_shape, geometry.dilation, geometry.crops, strict=True)
    ]
    z = _arrays.pad_or_trim(insert_zeros(x, geometry.stride), padding)
    windows = _arrays.sliding_windows(z, geometry.kernel_shape, (1,) * ndim, geometry.dilation)
    flipped = weight[trailing((slice(None, None, -1),) * ndim)]

    batch, groups = x.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    n_out, n_taps = math.prod(geometry.out_shape), math.prod(geometry.kernel_shape)
    # windows: (batch, groups, per_group_in, n_out, n_taps) -> (batch, groups, n_out, cin·taps)
    patches = windows.reshape(batch, groups, per_group_in, n_out, n_taps).transpose(0, 1, 3, 2, 4)
    patches = patches.reshape(batch, groups, n_out, per_group_in * n_taps)
    # flipped: (groups, per_group_in, opg, taps) -> (groups, cin·taps, opg)
    kernel = flipped.reshape(groups, per_group_in, -1, n_taps).transpose(0, 1, 3, 2)
    kernel = kernel.reshape(groups, per_group_in * n_taps, -1)
    y = np.matmul(patches, kernel)  # (batch, groups, n_out, opg)
    y = y.transpose(0, 1, 3, 2).reshape(batch, geometry.out_channels, *geometry.out_shape)
    return np.ascontiguousarray(y)
