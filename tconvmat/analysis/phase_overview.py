"""The phases a view shows one by one, found without visiting those no tap reaches.

A stride ``s`` splits each axis of the output into ``s`` phases; with a kernel shorter
than the stride most of them receive no tap and hold zeros (3 inputs at stride 10⁵:
2 of 100,000 phases). Explanations and figures show the phases that taps reach and
count the rest, from :meth:`tconvmat.core.axis.Axis.occupied_phases` (the taps' residues),
so their work grows with the kernel, never with the stride.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import routes
from tconvmat.analysis.anatomy import Phase, _plain, _single_channel
from tconvmat.core import kernels
from tconvmat.core.axis import AxisPhase
from tconvmat.core.geometry import Geometry

__all__ = ["MOST_PHASES", "PhaseOverview", "phase_overview"]

MOST_PHASES = 16
"""Phases an explanation or a figure shows one by one (the rest are counted)."""


@dataclass(frozen=True)
class PhaseOverview:
    """The phases worth showing one by one, and how many there are of each kind.

    Attributes
    ----------
    shown : tuple of Phase
        Every phase when there are at most ``most``; else the first ``most`` phases
        that receive a tap (row-major order of their first output). Their ``values``
        are empty when no data was given.
    combinations : tuple of tuple of AxisPhase
        The same phases, one :class:`~tconvmat.core.axis.AxisPhase` per axis.
    total : int
        All phases: ``prod(min(s, L_out))`` over the axes.
    with_taps : int
        The phases some tap reaches: the product over the axes of
        :meth:`tconvmat.core.axis.Axis.occupied_phases`; the others hold zeros.
    """

    shown: tuple[Phase, ...]
    combinations: tuple[tuple[AxisPhase, ...], ...]
    total: int
    with_taps: int

    @property
    def without_taps(self) -> int:
        """Phases no tap reaches (their outputs are zeros)."""
        return self.total - self.with_taps

    @property
    def left_out(self) -> int:
        """Phases that receive a tap but are not shown one by one."""
        return self.with_taps - sum(1 for p in self.shown if p.taps)

    @property
    def no_tap_note(self) -> str:
        """``"998 of the 1,000 phases receive no tap: their outputs stay 0"``, or ``""`` when
        every phase is shown (those with no tap among them)."""
        if not self.without_taps or len(self.shown) == self.total:
            return ""
        return (
            f"{self.without_taps:,} of the {self.total:,} phases receive no tap: "
            "their outputs stay 0"
        )

    @property
    def left_out_note(self) -> str:
        """``"5 more phases receive taps and are not shown one by one"`` (or ``""``)."""
        if not self.left_out:
            return ""
        return f"{self.left_out:,} more phases receive taps and are not shown one by one"


def phase_overview(
    geometry: Geometry, x: Any = None, kernel: Any = None, most: int = MOST_PHASES
) -> PhaseOverview:
    """The phases to show one by one (:class:`PhaseOverview`), found without visiting
    the phases no tap reaches: the work grows with the taps, never with the stride.
    With ``x`` and ``kernel`` (one channel), each shown phase holds its outputs.

    Examples
    --------
    >>> o = phase_overview(Geometry((3,), (2,), stride=1000), [1, 2, 3], [1, 2])
    >>> [(p.first, p.taps, p.values.tolist()) for p in o.shown], o.total, o.without_taps
    ([((0,), ((0,),), [1, 2, 3]), ((1,), ((1,),), [2, 4, 6])], 1000, 998)
    >>> o.no_tap_note
    '998 of the 1,000 phases receive no tap: their outputs stay 0'
    >>> len(phase_overview(Geometry((3, 3), (2, 2), stride=2, padding=1)).shown)
    4
    """
    total = math.prod(min(a.stride, a.output_length) for a in geometry.axes)
    occupied = [a.occupied_phases() for a in geometry.axes]
    with_taps = math.prod(len(o) for o in occupied)
    every = total <= most
    combinations = list(
        itertools.islice(
            itertools.product(*([a.phases() for a in geometry.axes] if every else occupied)),
            most,
        )
    )
    y = np.zeros(0)
    if x is not None and kernel is not None:
        _single_channel(geometry, "phase_overview")
        values, _ = _plain(geometry, x, kernel)
        y = routes.apply(geometry, values, kernel)
    shown = []
    for combination in combinations:
        first = tuple(p.first for p in combination)
        window = tuple(slice(f, None, s) for f, s in zip(first, geometry.stride, strict=True))
        values = y[window] if y.size else np.zeros(0)
        shown.append(Phase(first, kernels.sub_kernel_taps(geometry, combination), values))
    return PhaseOverview(tuple(shown), tuple(map(tuple, combinations)), total, with_taps)
