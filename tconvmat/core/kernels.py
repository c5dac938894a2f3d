"""The one place a kernel is read: its layout, its values, and its orientation.

Every view of tconvmat (the sparse and symbolic matrices, the routes, the
closed form, the general term, the figures and the explanation) reads the
kernel through :func:`weight` or names its taps through :func:`user_tap`, so a
geometry's ``flip_kernel`` (JAX's default orientation) reaches all of them.

The *scatter* orientation is PyTorch's: input ``i`` adds ``x[i]·w[j]`` at
``i·s + j·d``. A flipped geometry's user gives the kernel reversed on every
spatial axis, so the scatter's tap ``j`` is the user's tap ``k − 1 − j``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.core.arrays import as_numeric
from tconvmat.core.geometry import Geometry

__all__ = [
    "SlidingKernel",
    "orient",
    "reversed_taps",
    "sliding_kernel",
    "sub_kernel_taps",
    "tap_order",
    "user_tap",
    "weight",
]


def orient(geometry: Geometry, array: np.ndarray) -> np.ndarray:
    """Reverse the trailing spatial axes when the geometry flips its kernel (its own inverse).

    Examples
    --------
    >>> orient(Geometry((3,), (3,), flip_kernel=True), np.array([1, 10, 100]))
    array([100,  10,   1])
    """
    if not geometry.flip_kernel:
        return array
    return np.flip(array, axis=tuple(range(array.ndim - geometry.ndim, array.ndim)))


def user_tap(geometry: Geometry, tap: tuple[int, ...]) -> tuple[int, ...]:
    """The user's index of the scatter's tap ``tap`` (``k − 1 − j`` per axis when flipped).

    Examples
    --------
    >>> user_tap(Geometry((3, 3), (2, 3), flip_kernel=True), (0, 0))
    (1, 2)
    """
    if not geometry.flip_kernel:
        return tuple(tap)
    return tuple(k - 1 - j for k, j in zip(geometry.kernel_shape, tap, strict=True))


def sub_kernel_taps(geometry: Geometry, phases: Sequence[Any]) -> tuple[tuple[int, ...], ...]:
    """The user's indices of the taps of one N-D output phase (one ``AxisPhase`` per axis).

    Examples
    --------
    >>> g = Geometry((3, 3), (2, 2), stride=2, padding=1)
    >>> sub_kernel_taps(g, [a.phases()[0] for a in g.axes])
    ((1, 1),)
    """
    return tuple(
        user_tap(geometry, tap) for tap in itertools.product(*(p.taps.tolist() for p in phases))
    )


@dataclass(frozen=True)
class SlidingKernel:
    """One output phase as a plain stride-1 correlation (what ``F.conv2d`` computes).

    The phase ``y[first::s]`` is the correlation of ``x``, padded by ``pads`` (per axis
    ``(before, after)``; negative: cut), with the kernel ``cells`` at stride 1. ``cells``
    holds the user's tap of each cell (``None``: a zero between taps when ``d/gcd(s, d) > 1``):
    the phase's sub-kernel reversed on every axis.
    """

    cells: np.ndarray
    pads: tuple[tuple[int, int], ...]


def sliding_kernel(geometry: Geometry, phases: Sequence[Any]) -> SlidingKernel:
    """The correlation form of one N-D output phase (one ``AxisPhase`` per axis).

    Output ``m`` of a phase is ``Σ w[taps[n]]·x[m − shifts[n]]`` per axis
    (:class:`tconvmat.core.axis.AxisPhase`): the input offsets ``o = −shift`` grow as the tap
    index falls, so the sliding kernel is the sub-kernel reversed, its cells
    ``d / gcd(s, d)`` apart.

    Examples
    --------
    >>> g = Geometry((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    >>> k = sliding_kernel(g, [a.phases()[f] for a, f in zip(g.axes, (0, 1))])
    >>> k.cells.tolist(), k.pads
    ([[(1, 2), (1, 0)]], ((0, 0), (0, 1)))
    """
    per_axis: list[list[int | None]] = []
    pads = []
    for phase, line in zip(phases, geometry.axes, strict=True):
        offsets = (-phase.shifts).tolist()
        if not offsets:
            per_axis.append([])
            pads.append((0, 0))
            continue
        low, high = min(offsets), max(offsets)
        cells: list[int | None] = [None] * (high - low + 1)
        for tap, offset in zip(phase.taps.tolist(), offsets, strict=True):
            cells[offset - low] = tap
        per_axis.append(cells)
        pads.append((-low, phase.count + high - line.size))
    grid = np.empty(tuple(len(c) for c in per_axis), dtype=object)
    for index in np.ndindex(*grid.shape):
        taps = tuple(cells[i] for cells, i in zip(per_axis, index, strict=True))
        grid[index] = None if None in taps else user_tap(geometry, taps)  # type: ignore[arg-type]
    return SlidingKernel(grid, tuple(pads))


def tap_order(geometry: Geometry) -> np.ndarray:
    """Flat user tap index of every flat scatter tap index (one channel's kernel).

    Examples
    --------
    >>> tap_order(Geometry((3,), (3,), flip_kernel=True)).tolist()
    [2, 1, 0]
    """
    # the user's flat index read in the scatter's orientation is the user's tap of each
    # scatter tap (orient reverses exactly when user_tap does)
    taps = np.arange(math.prod(geometry.kernel_shape), dtype=np.int64)
    return orient(geometry, taps.reshape(geometry.kernel_shape)).reshape(-1)


def reversed_taps(geometry: Geometry) -> np.ndarray:
    """Flat user tap of every cell of the reversed kernel, row-major (one channel's kernel).

    The reversed kernel is the one the zero-insertion view slides over the zero-inserted
    input: the scatter's kernel reversed on every axis
    (:attr:`tconvmat.analysis.anatomy.ZeroInsertion.flipped_kernel`); reversing a grid on every
    axis reverses its row-major order. For a geometry that flips its kernel it is the
    kernel as given.

    Examples
    --------
    >>> reversed_taps(Geometry((3, 3), (2, 2))).tolist()
    [3, 2, 1, 0]
    >>> reversed_taps(Geometry((3,), (3,), flip_kernel=True)).tolist()
    [0, 1, 2]
    """
    return tap_order(geometry)[::-1].copy()


def weight(
    geometry: Geometry, kernel: Any, convert: Callable[[str, Any], np.ndarray] = as_numeric
) -> np.ndarray:
    """The kernel in the scatter's orientation and PyTorch's layout.

    Parameters
    ----------
    geometry : Geometry
        The geometry; its ``flip_kernel`` decides the orientation.
    kernel : array_like
        ``(in_channels, out_channels // groups, *kernel_shape)``, or
        ``kernel_shape`` with one input and one output channel, as the user's
        framework stores it.
    convert : callable
        Checks and converts the values (numeric by default; the symbolic
        routes pass their SymPy converter).

    Returns
    -------
    numpy.ndarray
        Shape ``weight_shape``; reversed on the spatial axes when the geometry
        flips its kernel.

    Examples
    --------
    >>> weight(Geometry((3,), (2,)), [1, 2])
    array([[[1, 2]]])
    >>> weight(Geometry((3,), (2,), flip_kernel=True), [1, 2])
    array([[[2, 1]]])
    """
    array = convert("kernel", kernel)
    expected = geometry.weight_shape
    if array.shape == geometry.kernel_shape and geometry.single_channel:
        array = array.reshape(expected)
    if array.shape != expected:
        plain = " or kernel_shape" if geometry.single_channel else ""
        raise ValueError(
            f"kernel has shape {array.shape}, but this geometry needs {expected} "
            f"(in_channels, out_channels // groups, *kernel_shape){plain}"
        )
    return orient(geometry, array)
