"""What each route allocates, known from the geometry before any work (for the budget)."""

from __future__ import annotations

import math

from tconvmat import structure
from tconvmat.geometry import Geometry

__all__ = ["phase_count", "working_elements"]


def phase_count(geometry: Geometry) -> int:
    """How many output phases the polyphase and scatter routes loop over (in Python)."""
    return math.prod(min(s, n) for s, n in zip(geometry.stride, geometry.out_shape, strict=True))


def working_elements(geometry: Geometry, batch: int, method: str) -> int:
    """Elements of the largest arrays a route allocates for ``batch`` inputs.

    The output always; then the matrix route's C (its non-zeros), the scatter
    route's phase-major canvas, the zero-insertion route's windows (every output
    times every input channel and tap of its group), the polyphase route's
    padded input.
    """
    out = batch * geometry.out_channels * math.prod(geometry.out_shape)
    taps = math.prod(geometry.kernel_shape)
    per_group_in = geometry.in_channels // geometry.groups
    if method == "matrix":
        extra = structure.nnz(geometry)
    elif method == "scatter":
        canvas = [a.canvas().length + a.stride for a in geometry.axes]
        extra = batch * geometry.out_channels * math.prod(canvas)
    elif method == "dilate":
        extra = batch * geometry.groups * math.prod(geometry.out_shape) * per_group_in * taps
    else:  # polyphase and fused: the zero-bordered input
        padded = [a.size + 2 * (a.extent // a.stride + 1) for a in geometry.axes]
        extra = batch * geometry.in_channels * math.prod(padded)
    return out + extra
