"""Scatter route: every input value stamps value·kernel into the output."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tconvmat._arrays import trailing
from tconvmat.geometry import Geometry

CHUNK_BYTES = 16 * 2**20
"""Batch items are stamped a few at a time: the stamps stay below the allocator's
fresh-page threshold (32 MB), while the GEMM still gets enough columns to run well."""


def stamps(geometry: Geometry, columns: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Every input element's scaled kernel, summed over the input channels of its group.

    ``columns`` holds the input channels first: ``(in_channels, n)`` for ``n``
    input elements (of any batch items). Returns ``(groups, taps, opg, n)``:
    ``stamps[g, j, o, i]`` is what element ``i`` adds to output channel
    ``g·opg + o`` through tap ``j``; one matrix product per group,
    ``(taps·opg, cin) @ (cin, n)``.
    """
    groups = geometry.groups
    per_group_in = geometry.in_channels // groups
    per_group_out = geometry.out_channels // groups
    n_taps = math.prod(geometry.kernel_shape)
    # weight (c_in, opg, *kernel) -> (groups, taps·opg, cin_g)
    kernel: np.ndarray = weight.reshape(groups, per_group_in, per_group_out, n_taps).transpose(
        0, 3, 2, 1
    )
    kernel = kernel.reshape(groups, n_taps * per_group_out, per_group_in)
    return np.matmul(kernel, columns.reshape(groups, per_group_in, -1)).reshape(
        groups, n_taps, per_group_out, -1
    )


def scatter(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Place every stamp at its strided, dilated position, add overlaps, then crop.

    The canvas is stored phase-major: position ``r + s·m`` of an axis lives at
    ``[r, m]``, so the stamps of tap ``j`` (phase ``(origin + j·d) mod s``,
    offset ``(origin + j·d) // s``) form one block. Rows of x are padded with
    zeros to the phase grid's width, which makes that block one contiguous
    run of the flattened grid (the zero stamps of the padding add nothing).
    The phases are interleaved into y once at the end.
    """
    lines = geometry.axes
    axes = [line.canvas() for line in lines]
    batch, groups = x.shape[0], geometry.groups
    per_group_out = geometry.out_channels // groups
    stride, in_shape = geometry.stride, geometry.in_shape
    dtype = np.result_type(x, weight)
    grid = [-(-a.length // s) for a, s in zip(axes, stride, strict=True)]
    # Every axis but the first is padded to the grid's width; one spare row
    # takes the (zero) overflow of the last padded row.
    widths = [in_shape[0], *grid[1:]]
    grid[0] += 1
    run = math.prod(widths)
    padding = [(0, w - n) for w, n in zip(widths, in_shape, strict=True)]
    # Channels first, batch second: one GEMM covers every batch item of a chunk.
    padded = np.pad(np.moveaxis(x, 1, 0), [(0, 0), (0, 0), *padding]).reshape(
        geometry.in_channels, batch, run
    )
    steps = np.cumprod([1, *grid[::-1]])[-2::-1]
    phase_numbers = {phase: n for n, phase in enumerate(np.ndindex(*stride))}
    placements = []  # per tap: (phase number, flat offset in the phase grid)
    for position in np.ndindex(*geometry.kernel_shape):
        starts = [line.on_canvas(0, j) for line, j in zip(lines, position, strict=True)]
        phase = tuple(start % s for start, s in zip(starts, stride, strict=True))
        offset = sum(
            (start // s) * step for start, s, step in zip(starts, stride, steps, strict=True)
        )
        placements.append((phase_numbers[phase], int(offset)))
    canvas = np.zeros(
        (groups, per_group_out, batch, len(phase_numbers), math.prod(grid)), dtype=dtype
    )
    per_item = len(placements) * geometry.out_channels * run * dtype.itemsize
    chunk = max(1, CHUNK_BYTES // per_item)
    for start in range(0, batch, chunk):
        items = slice(start, start + chunk)
        columns = np.ascontiguousarray(padded[:, items])
        n_items = columns.shape[1]
        products = stamps(geometry, columns, weight).reshape(
            groups, len(placements), per_group_out, n_items, run
        )
        for tap, (number, offset) in enumerate(placements):
            canvas[:, :, items, number, offset : offset + run] += products[:, tap]
    phase_grid = canvas.reshape(geometry.out_channels, batch, len(phase_numbers), *grid)
    y = np.empty((batch, geometry.out_channels, *geometry.out_shape), dtype=dtype)
    for phase, number in phase_numbers.items():
        firsts = [(r - a.window.start) % s for r, a, s in zip(phase, axes, stride, strict=True)]
        if any(f >= n for f, n in zip(firsts, geometry.out_shape, strict=True)):
            continue
        counts = [
            len(range(f, n, s)) for f, n, s in zip(firsts, geometry.out_shape, stride, strict=True)
        ]
        source = tuple(
            slice((a.window.start + f - r) // s, (a.window.start + f - r) // s + c)
            for a, f, r, s, c in zip(axes, firsts, phase, stride, counts, strict=True)
        )
        target = tuple(slice(f, None, s) for f, s in zip(firsts, stride, strict=True))
        block: tuple[Any, ...] = (slice(None), slice(None), number, *source)
        y[trailing(target)] = np.moveaxis(phase_grid[block], 0, 1)
    return y
