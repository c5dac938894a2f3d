"""The forward convolution by sliding the kernel (PyTorch's cross-correlation)."""

from __future__ import annotations

import math

import numpy as np

from tconvmat.core import arrays
from tconvmat.core.geometry import Geometry


def correlate(geometry: Geometry, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``x[c, i] = Σ_{o, j} w[c, o, j] · y[o, i·s + j·d - crop_lo]`` (zero outside ``y``)."""
    padded = arrays.pad_or_trim(y, list(geometry.crops))
    windows = arrays.sliding_windows(
        padded, geometry.kernel_shape, geometry.stride, geometry.dilation
    )
    batch, groups = y.shape[0], geometry.groups
    per_group_out = geometry.out_channels // groups
    n_in, n_taps = math.prod(geometry.in_shape), math.prod(geometry.kernel_shape)
    patches = windows.reshape(batch, groups, per_group_out, n_in, n_taps).transpose(0, 1, 3, 2, 4)
    patches = patches.reshape(batch, groups, n_in, per_group_out * n_taps)
    kernel = weight.reshape(groups, -1, per_group_out * n_taps).transpose(0, 2, 1)
    x = np.matmul(patches, kernel)  # (batch, groups, n_in, per_group_in)
    x = x.transpose(0, 1, 3, 2).reshape(batch, geometry.in_channels, *geometry.in_shape)
    return np.ascontiguousarray(x)
