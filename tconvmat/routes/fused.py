"""Fused route: the output phase by phase, compiled, each output row written once.

A route of its own principle (the polyphase view, compiled): output phase ``r`` of every
axis receives only the taps with ``j·d ≡ r + crop_lo (mod s)`` at fixed shifts
(:meth:`tconvmat.axis.Axis.phases`), so each output row is a short sum of contiguous
rows of the zero-bordered input, accumulated in a buffer and written once: no canvas, no
inserted zeros, no im2col copies. The loops are compiled by numba
(``pip install "tconvmat[fast]"``) and cached on disk, so only the first call of each
kind on a machine compiles. Without numba the route does not exist and nothing else
changes.
"""

from __future__ import annotations

import importlib.util
import math
from typing import Any

import numpy as np

from tconvmat import _arrays
from tconvmat.geometry import Geometry
from tconvmat.routes.polyphase import input_padding

__all__ = ["AVAILABLE", "conv", "transpose", "worth_it"]

AVAILABLE = importlib.util.find_spec("numba") is not None
"""Whether numba can be imported (checked without importing it)."""


def _three(geometry: Geometry) -> tuple[int, ...]:
    """Leading spatial axes of length 1 bring a problem to three spatial axes."""
    return (1,) * (3 - geometry.ndim)


def _phase_tables(geometry: Geometry) -> tuple[Any, ...]:
    """Per axis (three, leading ones trivial): phase firsts, counts, tap pointers, taps, shifts."""
    phases = [a.phases() for a in geometry.axes]
    pads = input_padding(geometry, phases)
    firsts, counts, pointers, taps, shifts, lows = [], [], [], [], [], []
    for _ in _three(geometry):
        firsts.append(np.array([0]))
        counts.append(np.array([1]))
        pointers.append(np.array([0, 1]))
        taps.append(np.array([0]))
        shifts.append(np.array([0]))
        lows.append(0)
    for axis_phases, (low, _) in zip(phases, pads, strict=True):
        firsts.append(np.array([p.first for p in axis_phases], dtype=np.int64))
        counts.append(np.array([p.count for p in axis_phases], dtype=np.int64))
        sizes = [len(p.taps) for p in axis_phases]
        pointers.append(np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64))
        taps.append(np.concatenate([p.taps for p in axis_phases]).astype(np.int64))
        shifts.append(np.concatenate([p.shifts for p in axis_phases]).astype(np.int64))
        lows.append(low)
    return firsts, counts, pointers, taps, shifts, lows, pads


def transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``y = Cᵀx`` for a batched x, compiled (see the module's docstring)."""
    from tconvmat.routes import _fused_kernels as compiled

    batch, pad = x.shape[0], _three(geometry)
    firsts, counts, pointers, taps, shifts, lows, pads = _phase_tables(geometry)
    widths: list[tuple[int, int]] = [(0, 0), (0, 0), *pads]
    padded = np.pad(x, widths).reshape(
        batch,
        geometry.in_channels,
        *pad,
        *(n + lo + hi for n, (lo, hi) in zip(geometry.in_shape, pads, strict=True)),
    )
    w = np.ascontiguousarray(weight.reshape(*weight.shape[:2], *pad, *geometry.kernel_shape))
    # every output lies in exactly one phase and every phase row is written: no zeroing
    y = np.empty((batch, geometry.out_channels, *pad, *geometry.out_shape), dtype=x.dtype)
    stride = np.array((*pad, *geometry.stride), dtype=np.int64)
    per_axis = [
        table
        for axis in range(3)
        for table in (firsts[axis], counts[axis], pointers[axis], taps[axis], shifts[axis])
    ]
    compiled.transpose3(
        np.ascontiguousarray(padded),
        w,
        y,
        stride,
        np.array(lows, dtype=np.int64),
        geometry.groups,
        *per_axis,
    )
    return y.reshape(batch, geometry.out_channels, *geometry.out_shape)


def conv(geometry: Geometry, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The forward convolution ``x = C y``, compiled: each input row written once."""
    from tconvmat.routes import _fused_kernels as compiled

    batch, pad = y.shape[0], _three(geometry)
    bordered = _arrays.pad_or_trim(y, list(geometry.crops))  # every window inside
    ys = np.ascontiguousarray(
        bordered.reshape(batch, geometry.out_channels, *pad, *bordered.shape[2:])
    )
    w = np.ascontiguousarray(weight.reshape(*weight.shape[:2], *pad, *geometry.kernel_shape))
    x = np.empty((batch, geometry.in_channels, *pad, *geometry.in_shape), dtype=y.dtype)
    strides = np.array((*pad, *geometry.stride), dtype=np.int64)
    dilations = np.array((*pad, *geometry.dilation), dtype=np.int64)
    compiled.forward3(ys, w, x, strides, dilations, geometry.groups)
    return x.reshape(batch, geometry.in_channels, *geometry.in_shape)


def worth_it(geometry: Geometry, batch: int) -> bool:
    """The cost model of ``auto``: where the fused loops beat the NumPy routes.

    Measured (``benchmarks/bench_speed.py``): one channel, and few channels per group
    (thin GEMMs, where BLAS loses). Never for small problems: a call that could
    trigger a compilation must be large enough not to notice it, and explaining the
    worked example never compiles anything.
    """
    if not AVAILABLE:
        return False
    outputs = batch * geometry.out_channels * math.prod(geometry.out_shape)
    if outputs < MIN_OUTPUTS:
        return False
    per_in = geometry.in_channels // geometry.groups
    per_out = geometry.out_channels // geometry.groups
    return per_in * per_out <= MAX_PAIRS


MIN_OUTPUTS = 2**15
"""Below this many output elements ``auto`` never takes the compiled route."""
MAX_PAIRS = 1
"""Above this many (input, output) channel pairs per group the GEMM routes win (measured:
grouped 64→64 g8, 64 pairs, ran 3× slower compiled than the NumPy polyphase route)."""
