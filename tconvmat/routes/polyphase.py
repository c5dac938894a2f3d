"""Polyphase route: ``prod(stride)`` interleaved stride-1 correlations with sub-kernels.

Output phase ``r`` (outputs ``first, first + s, ...`` on every axis) receives
only the kernel taps with ``j·d ≡ first + crop_lo (mod s)``, each reading the
input at a fixed shift. So each phase is one matrix product of the sub-kernel
with the shifted input copies (im2col), and no multiplication touches an
inserted zero. Phases no tap reaches are zeros and never visited. Where each tap
reads is worked out once per geometry (:func:`plan`), not on every call.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from tconvmat.core.arrays import trailing
from tconvmat.core.geometry import Geometry

CHUNK_BYTES = 8 * 2**20
"""Shifted copies are made a block at a time (batch items, then rows of the phase),
so that they stay in cache and below the allocator's fresh-page threshold."""


def input_padding(geometry: Geometry, phases_per_axis: list) -> list[tuple[int, int]]:
    """Zeros to add on each side so that every phase's shifted reads stay inside."""
    pads = []
    for axis, phases in enumerate(phases_per_axis):
        size = geometry.in_shape[axis]
        low, high = 0, 0
        for phase in phases:
            if phase.shifts.size:
                low = max(low, int(phase.shifts.max()))
                high = max(high, phase.count - 1 - int(phase.shifts.min()) - (size - 1))
        pads.append((low, high))
    return pads


@dataclass(frozen=True)
class Tap:
    """One tap of a phase: its kernel index, the inputs it really reads, where they go.

    Tap ``(j, shift)`` brings input ``m − shift`` to phase output ``m``, for ``m`` in
    ``[max(0, shift), min(count, shift + size))`` on every axis (``reads`` and
    ``writes``); ``starts`` is where it reads the zero-bordered input for output 0.
    """

    index: tuple[int, ...]
    reads: tuple[slice, ...]
    writes: tuple[slice, ...]
    starts: tuple[int, ...]


@dataclass(frozen=True)
class Phase:
    """One output phase every axis's taps reach: where it sits in y, its taps."""

    placed: tuple[slice, ...]
    counts: tuple[int, ...]
    taps: tuple[Tap, ...]
    tap_index: tuple[np.ndarray, ...]


@lru_cache(maxsize=256)
def plan(geometry: Geometry) -> tuple[list[tuple[int, int]], tuple[Phase, ...]]:
    """The zero border of the input and every occupied phase with its taps, per geometry."""
    per_axis = [a.occupied_phases() for a in geometry.axes]
    pads = input_padding(geometry, per_axis)
    phases = []
    for phase in itertools.product(*per_axis):
        taps = []
        for member in itertools.product(*(zip(p.taps, p.shifts, strict=True) for p in phase)):
            shifts = [int(h) for _, h in member]
            bounds = [
                (max(0, h), min(p.count, h + n))
                for h, p, n in zip(shifts, phase, geometry.in_shape, strict=True)
            ]
            taps.append(
                Tap(
                    tuple(int(j) for j, _ in member),
                    tuple(
                        slice(lo - h, hi - h) for h, (lo, hi) in zip(shifts, bounds, strict=True)
                    ),
                    tuple(slice(lo, hi) for lo, hi in bounds),
                    tuple(low - h for h, (low, _) in zip(shifts, pads, strict=True)),
                )
            )
        index = tuple(
            np.array([t.index[a] for t in taps], dtype=np.int64) for a in range(len(phase))
        )
        placed = tuple(slice(p.first, None, s) for p, s in zip(phase, geometry.stride, strict=True))
        phases.append(Phase(placed, tuple(p.count for p in phase), tuple(taps), index))
    return pads, tuple(phases)


def _exact_phase(
    geometry: Geometry, phase: Phase, x: np.ndarray, weight: np.ndarray, total: np.ndarray
) -> None:
    """One phase as a sum over its taps, each over the inputs it really reads.

    No zero border is read, so no ``0·inf`` is formed that PyTorch does not form. One
    product over the channels of each group per tap.
    """
    groups = geometry.groups
    per_group_in = geometry.in_channels // groups
    for tap in phase.taps:
        if any(w.start >= w.stop for w in tap.writes):
            continue
        source = x[trailing(tap.reads)]
        target = total[trailing(tap.writes)]
        if geometry.single_channel:
            target += source * weight[(0, 0, *tap.index)]
            continue
        index: tuple[Any, ...] = (slice(None), slice(None), *tap.index)
        kernel = weight[index].reshape(groups, per_group_in, -1).transpose(0, 2, 1)
        columns = source.reshape(x.shape[0], groups, per_group_in, -1)
        target += np.matmul(kernel, columns).reshape(target.shape)


def _gemm_phase(
    geometry: Geometry, phase: Phase, padded: np.ndarray, weight: np.ndarray, y: np.ndarray
) -> None:
    """One phase as GEMMs of its sub-kernel with shifted copies of the bordered input."""
    batch, groups, dtype = padded.shape[0], geometry.groups, y.dtype
    per_group_in = geometry.in_channels // groups
    per_group_out = geometry.out_channels // groups
    counts, members = phase.counts, len(phase.taps)
    # sub-kernel (c_in, opg, taps) -> (groups, opg, cin_g·taps)
    sub_kernel: tuple[Any, ...] = (slice(None), slice(None), *phase.tap_index)
    kernel = weight[sub_kernel].reshape(groups, per_group_in, per_group_out, members)
    kernel = kernel.transpose(0, 2, 1, 3).reshape(groups, per_group_out, -1)
    placed = phase.placed
    row_bytes = geometry.in_channels * members * math.prod(counts[1:]) * dtype.itemsize
    rows = max(1, CHUNK_BYTES // row_bytes)
    items = max(1, rows // counts[0])
    for start in range(0, batch, items):
        chunk = slice(start, start + items)
        n_items = padded[chunk].shape[0]
        for top in range(0, counts[0], rows):
            block = [min(rows, counts[0] - top), *counts[1:]]
            columns = np.empty((n_items, geometry.in_channels, members, *block), dtype)
            for n, tap in enumerate(phase.taps):
                starts = (tap.starts[0] + top, *tap.starts[1:])
                window = [slice(a, a + size) for a, size in zip(starts, block, strict=True)]
                columns[:, :, n] = padded[(chunk, slice(None), *window)]
            grouped = columns.reshape(n_items, groups, kernel.shape[2], -1)
            product = np.matmul(kernel, grouped)  # (items, groups, opg, block)
            step = placed[0].step
            first = placed[0].start + top * step
            target = [slice(first, first + block[0] * step, step), *placed[1:]]
            y[(chunk, slice(None), *target)] = product.reshape(
                n_items, geometry.out_channels, *block
            )


def polyphase(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each output phase that some tap reaches as GEMMs of its sub-kernel with shifted inputs.

    Phases no tap reaches (a stride above the kernel, or ``gcd(s, d) > 1``) stay zero
    and are never visited, so the work is bounded by the taps and inputs, not the stride.
    One channel, or a kernel holding NaN or infinity: each phase as a sum over its taps
    of the inputs each really reads (:func:`_exact_phase`); otherwise one GEMM per phase
    of the sub-kernel with shifted copies of the zero-bordered input.
    """
    batch = x.shape[0]
    pads, phases = plan(geometry)
    dtype = np.result_type(x, weight)
    y = np.zeros((batch, geometry.out_channels, *geometry.out_shape), dtype=dtype)
    exact = geometry.single_channel or not np.isfinite(weight).all()
    padded = x if exact else np.pad(x, [(0, 0), (0, 0), *pads])
    for phase in phases:
        if exact:  # straight into the phase's (strided) view of the zeroed y
            _exact_phase(geometry, phase, x, weight, y[(slice(None), slice(None), *phase.placed)])
        else:
            _gemm_phase(geometry, phase, padded, weight, y)
    return y
