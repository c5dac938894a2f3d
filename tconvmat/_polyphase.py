"""Polyphase route: ``prod(stride)`` interleaved stride-1 correlations with sub-kernels."""

from __future__ import annotations

import itertools

import numpy as np

from tconvmat import taps
from tconvmat._arrays import trailing
from tconvmat.geometry import ConvTranspose


def polyphase(geometry: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Compute each output phase from the kernel taps that reach it, without inserted zeros."""
    batch, groups = x.shape[0], geometry.groups
    per_group_in = geometry.in_channels // groups
    per_group_out = geometry.out_channels // groups
    grouped_x = x.reshape(batch, groups, per_group_in, *geometry.in_shape)
    grouped_w = weight.reshape(groups, per_group_in, per_group_out, *geometry.kernel_shape)
    phases_per_axis = taps.per_axis(geometry, taps.axis_phases)
    dtype = np.result_type(x, weight)
    y = np.zeros((batch, geometry.out_channels, *geometry.out_shape), dtype=dtype)
    for phase in itertools.product(*phases_per_axis):
        sub = np.zeros((batch, groups, per_group_out, *(p.count for p in phase)), dtype=dtype)
        for members in itertools.product(*(zip(p.taps, p.shifts, strict=True) for p in phase)):
            # Phase output m reads input m - shift: keep the m where both exist.
            out_window, in_window = [], []
            for (_, shift), p, size in zip(members, phase, geometry.in_shape, strict=True):
                lo, hi = max(0, shift), min(p.count, size + shift)
                out_window.append(slice(lo, hi))
                in_window.append(slice(lo - shift, hi - shift))
            if any(w.start >= w.stop for w in out_window):
                continue
            tap = tuple(int(j) for j, _ in members)
            sub[trailing(out_window)] += np.einsum(
                "bgc...,gco->bgo...", grouped_x[trailing(in_window)], grouped_w[trailing(tap)]
            )
        placed = tuple(slice(p.first, None, s) for p, s in zip(phase, geometry.stride, strict=True))
        y[trailing(placed)] = sub.reshape(batch, geometry.out_channels, *sub.shape[3:])
    return y
