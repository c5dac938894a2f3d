"""Scatter route: every input value stamps value·kernel into the output.

The stamps of all inputs are one matrix product per group (the weight passed to BLAS
as a transposed operand, never copied), and each tap's stamps are added straight into
y at their strided, dilated places, only for the inputs whose landing lies inside the
output (:meth:`tconvmat.core.axis.Axis.tap_inputs`): no canvas, no padded copy of x, and no
product is formed that PyTorch does not form (``0·inf`` at a cropped border stays out).
With numba (``tconvmat[fast]``) the placement is one compiled pass that writes every
output once (:mod:`tconvmat.routes._col2im`); without it, one strided addition per tap.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.routes import compiled

__all__ = ["compiled_placement", "place", "scatter", "stamps"]

CHUNK_BYTES = 2 * 2**20
"""Batch items are stamped a few at a time (at least one), so that the stamps are still
in cache when they are placed: 128→64 32² k4 s2 at batch 8 took 28.4 ms with 16 MB
blocks and 23.1 ms with one item (4 MB) at a time."""


SPARSE_RATIO = 8
"""The compiled placement serves where the stamps are at least 1/8 of the outputs."""


def compiled_placement(geometry: Geometry, dtype: np.dtype, batch: int) -> bool:
    """Whether the stamps are placed by the compiled pass: numba here, at most 3-D, and
    large enough that loading it never shows (:func:`tconvmat.routes.compiled.worth_loading`)."""
    outputs = batch * geometry.out_channels * math.prod(geometry.out_shape)
    served = geometry.ndim <= compiled.MAX_DIMS and dtype.kind in "ifc"
    # the pass writes every output: where the stamps are far fewer (a stride far above
    # the kernel), the zeroed y and one addition per tap cost less (stride 10⁷ on three
    # inputs: 0.47 s against milliseconds)
    stamps = batch * geometry.out_channels * math.prod(geometry.in_shape)
    dense = stamps * math.prod(geometry.kernel_shape) * SPARSE_RATIO >= outputs
    return served and dense and compiled.worth_loading(outputs)


def stamps(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Every input element's scaled kernel, summed over the input channels of its group.

    ``x`` is ``(batch, in_channels, *in_shape)``. Returns ``(batch, out_channels, taps,
    n_in)``: ``stamps[b, o, j, i]`` is what input element ``i`` of item ``b`` adds to
    output channel ``o`` through tap ``j`` (flat, row-major). One matrix product per
    group, ``(opg·taps, cin_g) @ (cin_g, n_in)``, whose left operand is a transposed
    view of the weight.
    """
    groups = geometry.groups
    per_group_in = geometry.in_channels // groups
    taps = math.prod(geometry.kernel_shape)
    columns = x.reshape(x.shape[0], groups, per_group_in, -1)
    kernel = weight.reshape(groups, per_group_in, -1).transpose(0, 2, 1)
    product = np.matmul(kernel, columns)  # (batch, groups, opg·taps, n_in)
    return product.reshape(x.shape[0], geometry.out_channels, taps, columns.shape[-1])


@lru_cache(maxsize=256)
def _placements(geometry: Geometry) -> tuple[tuple[tuple[Any, ...], tuple[Any, ...]], ...]:
    """Per tap with landings inside the output: (stamp index, output slice) on the spatial axes.

    Tap ``j``'s inputs ``[low, high)`` land at ``low·s + j·d − crop_lo``, every ``s``.
    """
    bounds = [a.tap_inputs() for a in geometry.axes]
    found = []
    for number, tap in enumerate(np.ndindex(*geometry.kernel_shape)):
        source, target = [], []
        for a, j, (low, high) in zip(geometry.axes, tap, bounds, strict=True):
            lo, hi = int(low[j]), int(high[j])
            if lo == hi:
                break
            start = lo * a.stride + j * a.dilation - a.crop[0]
            source.append(slice(lo, hi))
            target.append(slice(start, start + (hi - lo - 1) * a.stride + 1, a.stride))
        else:
            found.append(((number, *source), tuple(target)))
    return tuple(found)


def place(geometry: Geometry, products: np.ndarray, y: np.ndarray) -> None:
    """Add every stamp into the zeroed ``y`` at its place, one strided addition per tap."""
    shaped = products.reshape(*products.shape[:3], *geometry.in_shape)
    for source, target in _placements(geometry):
        y[(Ellipsis, *target)] += shaped[(slice(None), slice(None), *source)]


def scatter(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Stamp every input, add each stamp at its strided, dilated place inside the output."""
    batch = x.shape[0]
    dtype = np.result_type(x, weight)
    fast = compiled_placement(geometry, dtype, batch)
    if fast:
        from tconvmat.routes import _col2im
    allocate = np.empty if fast else np.zeros  # the compiled pass writes every output
    y = allocate((batch, geometry.out_channels, *geometry.out_shape), dtype=dtype)
    per_item = math.prod(geometry.kernel_shape) * geometry.out_channels
    per_item *= math.prod(geometry.in_shape) * dtype.itemsize
    chunk = max(1, CHUNK_BYTES // max(per_item, 1))
    for start in range(0, batch, chunk):
        items = slice(start, start + chunk)
        products = stamps(geometry, x[items], weight)
        if fast:
            _col2im.place(geometry, products, y[items])
        else:
            place(geometry, products, y[items])
    return y
