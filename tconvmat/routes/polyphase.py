"""Polyphase route: ``prod(stride)`` interleaved stride-1 correlations with sub-kernels.

Output phase ``r`` (outputs ``first, first + s, ...`` on every axis) receives
only the kernel taps with ``j·d ≡ first + crop_lo (mod s)``, each reading the
input at a fixed shift. So each phase is one matrix product of the sub-kernel
with the shifted input copies (im2col), and no multiplication touches an
inserted zero.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from tconvmat._arrays import trailing
from tconvmat.geometry import Geometry

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


def _shifted_window(
    member: tuple, pads: list[tuple[int, int]], sizes: list[int], top: int = 0
) -> list[slice]:
    """Where the taps ``member`` read the padded input for phase outputs ``top …`` (first axis).

    Phase output ``m`` reads input ``m − shift``, i.e. padded index ``low − shift + m``.
    """
    starts = [low - shift for (_, shift), (low, _) in zip(member, pads, strict=True)]
    starts[0] += top
    return [slice(start, start + size) for start, size in zip(starts, sizes, strict=True)]


def _exact_phase(
    geometry: Geometry, phase: tuple, x: np.ndarray, weight: np.ndarray, total: np.ndarray
) -> None:
    """One phase as a sum over its taps, each over the inputs it really reads.

    Tap ``(j, shift)`` brings input ``m − shift`` to phase output ``m``, for ``m`` in
    ``[max(0, shift), min(count, shift + size))``: no zero border is read, so no
    ``0·inf`` is formed that PyTorch does not form. One product over the channels of
    each group per tap.
    """
    groups = geometry.groups
    per_group_in = geometry.in_channels // groups
    members = itertools.product(*(zip(p.taps, p.shifts, strict=True) for p in phase))
    for member in members:
        bounds = [
            (max(0, int(h)), min(p.count, int(h) + n))
            for (_, h), p, n in zip(member, phase, geometry.in_shape, strict=True)
        ]
        if any(lo >= hi for lo, hi in bounds):
            continue
        reads = [
            slice(lo - int(h), hi - int(h)) for (_, h), (lo, hi) in zip(member, bounds, strict=True)
        ]
        source = x[trailing(reads)]
        taps = tuple(int(j) for j, _ in member)
        target = total[trailing(slice(lo, hi) for lo, hi in bounds)]
        if geometry.single_channel:
            target += source * weight[(0, 0, *taps)]
            continue
        tap: tuple[Any, ...] = (slice(None), slice(None), *taps)
        kernel = weight[tap].reshape(groups, per_group_in, -1).transpose(0, 2, 1)
        columns = source.reshape(x.shape[0], groups, per_group_in, -1)
        target += np.matmul(kernel, columns).reshape(target.shape)


def polyphase(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Each output phase that some tap reaches as GEMMs of its sub-kernel with shifted inputs.

    Phases no tap reaches (a stride above the kernel, or ``gcd(s, d) > 1``) stay zero
    and are never visited, so the work is bounded by the taps and inputs, not the stride.
    One channel, or a kernel holding NaN or infinity: each phase as a sum over its taps
    of the inputs each really reads (:func:`_exact_phase`); otherwise one GEMM per phase
    of the sub-kernel with shifted copies of the zero-bordered input.
    """
    batch, groups = x.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    per_group_out = geometry.out_channels // groups
    phases_per_axis = [a.occupied_phases() for a in geometry.axes]
    dtype = np.result_type(x, weight)
    y = np.zeros((batch, geometry.out_channels, *geometry.out_shape), dtype=dtype)
    exact = geometry.single_channel or not np.isfinite(weight).all()
    pads = input_padding(geometry, phases_per_axis)
    padded = x if exact else np.pad(x, [(0, 0), (0, 0), *pads])
    for phase in itertools.product(*phases_per_axis):
        counts = [p.count for p in phase]
        placed = [slice(p.first, None, s) for p, s in zip(phase, geometry.stride, strict=True)]
        if exact:
            total = np.zeros((batch, geometry.out_channels, *counts), dtype=dtype)
            _exact_phase(geometry, phase, x, weight, total)
            y[(slice(None), slice(None), *placed)] = total
            continue
        members = list(itertools.product(*(zip(p.taps, p.shifts, strict=True) for p in phase)))
        tap_index = tuple(np.array([m[a][0] for m in members]) for a in range(len(phase)))
        # sub-kernel (c_in, opg, taps) -> (groups, opg, cin_g·taps)
        sub_kernel: tuple[Any, ...] = (slice(None), slice(None), *tap_index)
        kernel = weight[sub_kernel]
        kernel = kernel.reshape(groups, per_group_in, per_group_out, len(members))
        kernel = kernel.transpose(0, 2, 1, 3).reshape(groups, per_group_out, -1)
        placed = [slice(p.first, None, s) for p, s in zip(phase, geometry.stride, strict=True)]
        row_bytes = geometry.in_channels * len(members) * math.prod(counts[1:]) * dtype.itemsize
        rows = max(1, CHUNK_BYTES // row_bytes)
        items = max(1, rows // counts[0])
        for start in range(0, batch, items):
            chunk = slice(start, start + items)
            for top in range(0, counts[0], rows):
                block = [min(rows, counts[0] - top), *counts[1:]]
                n_items = padded[chunk].shape[0]
                columns = np.empty((n_items, geometry.in_channels, len(members), *block), dtype)
                for n, member in enumerate(members):
                    window = _shifted_window(member, pads, block, top)
                    columns[:, :, n] = padded[(chunk, slice(None), *window)]
                grouped = columns.reshape(n_items, groups, kernel.shape[2], -1)
                product = np.matmul(kernel, grouped)  # (items, groups, opg, block)
                target = [
                    slice(
                        placed[0].start + top * placed[0].step,
                        placed[0].start + (top + block[0]) * placed[0].step,
                        placed[0].step,
                    ),
                    *placed[1:],
                ]
                y[(chunk, slice(None), *target)] = product.reshape(
                    n_items, geometry.out_channels, *block
                )
    return y
