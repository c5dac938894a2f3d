"""Index tables the compiled kernels read, built once per geometry from :mod:`tconvmat.core.axis`.

The kernels see every problem with three spatial axes: 1-D and 2-D problems get
leading axes of length 1 (:func:`three`). The first two axes are read per output index
(the (tap, input) pairs that land on it, :meth:`tconvmat.core.axis.Axis.by_output`), the last
per output phase (:meth:`tconvmat.core.axis.Axis.occupied_phases`), so that its innermost
loops run along contiguous rows. Every table is as long as the taps and inputs, never
as the stride.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from tconvmat.core.axis import Axis
from tconvmat.core.geometry import Geometry
from tconvmat.routes.polyphase import input_padding

__all__ = ["by_output_tables", "kernel_tables", "last_axis_tables", "phase_tables", "three"]

_ONE = Axis(1, 1, 1, 1, (0, 0))
"""A padding axis: one input, one tap, one output."""


def three(geometry: Geometry) -> tuple[int, ...]:
    """The leading axes of length 1 that bring a problem to three spatial axes."""
    return (1,) * (3 - geometry.ndim)


def _axes(geometry: Geometry) -> list[Axis]:
    return [_ONE] * (3 - geometry.ndim) + list(geometry.axes)


@lru_cache(maxsize=256)
def by_output_tables(geometry: Geometry) -> tuple[np.ndarray, ...]:
    """``(pointer0, taps0, inputs0, pointer1, taps1, inputs1)`` of the first two axes.

    Examples
    --------
    >>> [t.tolist() for t in by_output_tables(Geometry((3,), (2,), stride=2))]
    [[0, 1], [0], [0], [0, 1], [0], [0]]
    """
    tables: list[np.ndarray] = []
    for axis in _axes(geometry)[:2]:
        tables += [np.ascontiguousarray(t, dtype=np.int64) for t in axis.by_output()]
    return tuple(tables)


@lru_cache(maxsize=256)
def last_axis_tables(geometry: Geometry) -> tuple[np.ndarray | int | bool, ...]:
    """The last axis's occupied phases: ``(firsts, counts, pointer, taps, shifts, s, zero)``.

    Output ``m`` of phase ``q`` is output ``firsts[q] + s·m``; its taps are
    ``taps[pointer[q]:pointer[q + 1]]``, each reading input ``m − shift``. ``zero``
    says that some phase receives no tap (its outputs are zeros).

    Examples
    --------
    >>> firsts, counts, pointer, taps, shifts, s, zero = last_axis_tables(
    ...     Geometry((3,), (2,), stride=5))
    >>> firsts.tolist(), counts.tolist(), taps.tolist(), shifts.tolist(), s, zero
    ([0, 1], [3, 3], [0, 1], [0, 0], 5, True)
    """
    axis = _axes(geometry)[-1]
    phases = axis.occupied_phases()
    sizes = [len(p.taps) for p in phases]
    pointer = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    taps = np.concatenate([p.taps for p in phases] or [np.zeros(0)]).astype(np.int64)
    shifts = np.concatenate([p.shifts for p in phases] or [np.zeros(0)]).astype(np.int64)
    firsts = np.array([p.first for p in phases], dtype=np.int64)
    counts = np.array([p.count for p in phases], dtype=np.int64)
    zero = len(phases) < min(axis.stride, axis.output_length)
    return firsts, counts, pointer, taps, shifts, axis.stride, bool(zero)


@lru_cache(maxsize=256)
def kernel_tables(geometry: Geometry) -> tuple[Any, ...]:
    """:func:`by_output_tables` then :func:`last_axis_tables`: what the kernels read."""
    return (*by_output_tables(geometry), *last_axis_tables(geometry))


def _phase_arrays(phases: list) -> tuple[np.ndarray, ...]:
    """``(firsts, counts, pointer, taps, shifts)`` of one axis's phases, as int64 arrays."""
    pointer = np.concatenate([[0], np.cumsum([len(p.taps) for p in phases])])
    return tuple(
        np.ascontiguousarray(a, dtype=np.int64)
        for a in (
            [p.first for p in phases],
            [p.count for p in phases],
            pointer,
            np.concatenate([p.taps for p in phases] or [np.zeros(0)]),
            np.concatenate([p.shifts for p in phases] or [np.zeros(0)]),
        )
    )


@lru_cache(maxsize=256)
def phase_tables(geometry: Geometry) -> tuple[Any, ...]:
    """The occupied phases of all three axes and the zero border each tap's reads need.

    Returns ``(pads, lows, phase0, phase1, phase2)``: ``pads`` per real axis (before,
    after), ``lows`` the border before each of the three axes, and per axis the
    phases' ``(firsts, counts, pointer, taps, shifts)``.

    Examples
    --------
    >>> pads, lows, _, _, (firsts, counts, pointer, taps, shifts) = phase_tables(
    ...     Geometry((3,), (3,), stride=2, padding=1))
    >>> pads, lows.tolist(), firsts.tolist(), taps.tolist(), shifts.tolist()
    ([(0, 0)], [0, 0, 0], [0, 1], [1, 0, 2], [0, -1, 0])
    """
    phases = [a.occupied_phases() for a in _axes(geometry)]
    pads = input_padding(geometry, phases[3 - geometry.ndim :])
    lows = np.array([0] * (3 - geometry.ndim) + [lo for lo, _ in pads], dtype=np.int64)
    return (pads, lows, *(_phase_arrays(p) for p in phases))
