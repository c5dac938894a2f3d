"""What each route allocates, known from the geometry before any work (for the budget).

One function per route, each returning the elements of the largest arrays the route
holds at once for ``batch`` inputs (the output included); the registry
(:mod:`tconvmat.routes.registry`) pairs every route with its estimate, and
:func:`tconvmat.routes.apply` checks it against the budget before the route runs.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from tconvmat.core import structure
from tconvmat.core.geometry import Geometry
from tconvmat.routes import winograd

_FLOAT = np.dtype(float)

__all__ = [
    "dilate_elements",
    "fused_elements",
    "matrix_elements",
    "occupied_phase_count",
    "polyphase_elements",
    "scatter_elements",
    "working_elements",
]

CHUNK_ELEMENTS = 2**21
"""The routes that work a few batch items at a time keep each block below this size
(polyphase: 8 MB of float32; scatter: 2 MB)."""


def occupied_phase_count(geometry: Geometry) -> int:
    """How many output phases some tap reaches (the phases the routes visit; at most taps)."""
    return math.prod(len(a.occupied_phases()) for a in geometry.axes)


def _outputs(geometry: Geometry, batch: int) -> int:
    return batch * geometry.out_channels * math.prod(geometry.out_shape)


def _chunked(batch: int, per_item: int) -> int:
    """Elements of the largest block when items are taken a few at a time."""
    items = max(1, CHUNK_ELEMENTS // max(per_item, 1))
    return min(batch, items) * per_item


def matrix_elements(geometry: Geometry, batch: int) -> int:
    """The output and C's non-zeros."""
    return _outputs(geometry, batch) + structure.nnz(geometry)


def scatter_elements(geometry: Geometry, batch: int) -> int:
    """The output and one block of stamps (every input times every tap and output channel)."""
    per_item = math.prod(geometry.in_shape) * math.prod(geometry.kernel_shape)
    return _outputs(geometry, batch) + _chunked(batch, per_item * geometry.out_channels)


def dilate_elements(geometry: Geometry, batch: int) -> int:
    """The output and one band of windows of the zero-inserted input (every output of
    the band times every input channel and tap of its group)."""
    rows, *rest = geometry.out_shape
    per_row = batch * geometry.in_channels * math.prod(geometry.kernel_shape) * math.prod(rest)
    return (
        _outputs(geometry, batch) + min(rows, max(1, CHUNK_ELEMENTS // max(per_row, 1))) * per_row
    )


def polyphase_elements(geometry: Geometry, batch: int) -> int:
    """The output, the zero-bordered input, and one block of shifted copies."""
    padded = [a.size + 2 * (a.extent // a.stride + 1) for a in geometry.axes]
    bordered = batch * geometry.in_channels * math.prod(padded)
    per_item = geometry.in_channels * math.prod(geometry.kernel_shape)
    per_item *= math.prod(
        -(-n // s) for n, s in zip(geometry.out_shape, geometry.stride, strict=True)
    )
    return _outputs(geometry, batch) + bordered + _chunked(batch, per_item)


def fused_elements(geometry: Geometry, batch: int) -> int:
    """The output and a contiguous copy of the input (the compiled loops buffer one row),
    and F(2×2, 3×3)'s working arrays where it serves (:mod:`tconvmat.routes.winograd`)."""
    inputs = batch * geometry.in_channels * math.prod(geometry.in_shape)
    extra = winograd.working_elements(geometry) if winograd.serves(geometry, _FLOAT) else 0
    return _outputs(geometry, batch) + inputs + extra


ESTIMATES = {
    "matrix": matrix_elements,
    "scatter": scatter_elements,
    "dilate": dilate_elements,
    "polyphase": polyphase_elements,
    "fused": fused_elements,
}


@lru_cache(maxsize=1024)
def working_elements(geometry: Geometry, batch: int, method: str) -> int:
    """Elements of the largest arrays the route ``method`` allocates for ``batch`` inputs.

    Examples
    --------
    >>> working_elements(Geometry((4,), (2,), stride=2), 1, "scatter")
    16
    """
    return ESTIMATES[method](geometry, batch)
