"""How many kernel taps reach each output: even, uneven (checkerboard, stripes) or gaps.

Output ``t`` of an axis receives tap ``j`` when ``t + crop_lo − j·d`` is a
multiple of ``s`` (:func:`tconvmat.axis.phase_taps`), so away from the borders
the count depends only on the output's phase; in N-D the per-axis counts
multiply. Verdicts speak of output indices, never of residues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from tconvmat import anatomy, axis, budget
from tconvmat.geometry import Geometry

__all__ = ["RULE", "AxisOverlap", "OverlapReport", "axis_overlap", "overlap_counts"]


@dataclass(frozen=True)
class AxisOverlap:
    """Taps reaching an output far from the borders, per output phase of one axis.

    ``per_phase[r]`` counts the taps ``j`` with ``j·d ≡ r (mod s)``: output
    ``t`` with ``(t + crop_lo) mod s = r`` receives exactly those (when the
    input is long enough around it). ``counts`` (when known) are the actual
    counts along the axis, borders included.
    """

    kernel: int
    stride: int
    dilation: int
    per_phase: tuple[int, ...]
    crop_lo: int = 0
    counts: tuple[int, ...] = ()

    @property
    def even(self) -> bool:
        """Every phase receives the same number of taps."""
        return len(set(self.per_phase)) == 1

    @property
    def untouched(self) -> tuple[int, ...]:
        """Residues ``(t + crop_lo) mod s`` that no tap reaches."""
        return tuple(r for r, c in enumerate(self.per_phase) if c == 0)

    def first_output(self, residue: int) -> int:
        """The first output index of a residue class: ``(r − crop_lo) mod s``."""
        return (residue - self.crop_lo) % self.stride

    @property
    def untouched_outputs(self) -> tuple[int, ...]:
        """Output indices that no tap reaches (all of them, when ``counts`` is known)."""
        if self.counts:
            return tuple(int(t) for t in np.flatnonzero(np.array(self.counts) == 0))
        return tuple(sorted(self.first_output(r) for r in self.untouched))

    @property
    def has_interior(self) -> bool:
        """Some output of every reached phase receives that phase's full count."""
        if not self.counts:
            return True
        full = {r: c for r, c in enumerate(self.per_phase) if c}
        seen = {
            (t + self.crop_lo) % self.stride
            for t, c in enumerate(self.counts)
            if c and c == self.per_phase[(t + self.crop_lo) % self.stride]
        }
        return set(full) <= seen


def axis_overlap(kernel: int, stride: int, dilation: int = 1) -> AxisOverlap:
    """Interior tap counts per phase on one axis.

    Examples
    --------
    >>> axis_overlap(3, 2).per_phase, axis_overlap(4, 2).per_phase
    ((2, 1), (2, 2))
    >>> axis_overlap(3, 2, dilation=2).per_phase  # gcd(2, 2) = 2: phase 1 untouched
    (3, 0)
    """
    return AxisOverlap(kernel, stride, dilation, axis.phase_tap_counts(kernel, stride, dilation))


@dataclass(frozen=True)
class OverlapReport:
    """How many kernel taps reach each output element, and what that means.

    Attributes
    ----------
    counts : numpy.ndarray
        On the output grid: the row counts of Cᵀ (taps reaching each output).
    axes : tuple of AxisOverlap
        Interior counts per phase, and the actual counts, per axis.
    even : bool
        Whether every interior output receives the same number of taps.
    verdict : str
    rule : str
    pattern : str
        ``'even'``, ``'gaps'``, ``'alternating'`` (1-D), ``'stripes'`` (uneven along
        one axis of several) or ``'checkerboard'`` (uneven along two or more).
    """

    counts: np.ndarray
    axes: tuple[AxisOverlap, ...]
    even: bool
    verdict: str
    rule: str
    pattern: str = ""

    @property
    def interior_values(self) -> tuple[int, ...]:
        """The distinct interior counts (products of the per-axis phase counts)."""
        values = {1}
        for line in self.axes:
            values = {v * c for v in values for c in line.per_phase}
        return tuple(sorted(values))

    def _repr_markdown_(self) -> str:
        from tconvmat._text import grid

        return f"**Overlap: {self.pattern}**\n\n```\n{grid(self.counts)}\n```\n\n{self.verdict}.\n"


RULE = (
    "Output t of an axis receives tap j of input i when t + crop_lo = i·s + j·d, so away from "
    "the borders the taps reaching t are those with j·d ≡ t + crop_lo (mod s). With dilation 1 "
    "that is ⌊k/s⌋ or ⌈k/s⌉ taps per axis, equal for every output exactly when s divides k; with "
    "dilation d only phases that are multiples of gcd(s, d) are reached, so gcd(s, d) > 1 leaves "
    "whole phases of the output untouched. In N-D the counts multiply across axes."
)

_NAMES = {1: ("positions",), 2: ("rows", "columns"), 3: ("slices", "rows", "columns")}


def _listing(values: tuple[int, ...]) -> str:
    shown = [str(v) for v in values[:5]]
    return ", ".join(shown) + (", …" if len(values) > 5 else "")


def _pattern(axes: tuple[AxisOverlap, ...]) -> str:
    uneven = [line for line in axes if not line.even]
    if any(line.untouched for line in axes):
        return "gaps"
    if not uneven:
        return "even"
    if len(axes) == 1:
        return "alternating"
    return "stripes" if len(uneven) == 1 else "checkerboard"


def overlap_counts(geometry: Geometry, *, limit: int | None = None) -> OverlapReport:
    """How many taps reach each output element (row counts of Cᵀ), with the verdict and the rule.

    Parameters
    ----------
    geometry : Geometry
    limit : int, optional
        Most values the report may hold per axis (the counts along each axis and
        per phase; default ``budget.LIMITS['items']``); the grid of counts is
        also held to ``budget.LIMITS['elements']``. Both are checked before any work.

    Examples
    --------
    >>> report = overlap_counts(Geometry((6, 6), (3, 3), stride=2))
    >>> report.even, report.interior_values, report.pattern
    (False, (1, 2, 4), 'checkerboard')
    >>> report.verdict.split(":")[0]
    'uneven'
    """
    budget.check_items(
        "the overlap report",
        sum(a.output_length + a.stride for a in geometry.axes),
        limit,
        "axis_overlap(kernel, stride, dilation) gives the counts per phase alone; else use a "
        "smaller problem, or in Python pass limit=N to raise the limit",
    )
    counts = anatomy.overlap_grid(geometry)
    axes = tuple(
        AxisOverlap(
            a.kernel,
            a.stride,
            a.dilation,
            axis.phase_tap_counts(a.kernel, a.stride, a.dilation),
            a.crop[0],
            tuple(a.tap_counts().tolist()),
        )
        for a in geometry.axes
    )
    names = _NAMES.get(geometry.ndim, tuple(f"axis {n}" for n in range(geometry.ndim)))
    pattern = _pattern(axes)
    even = all(line.even for line in axes)
    if pattern == "gaps":
        where = "; ".join(
            f"{names[n]} {_listing(line.untouched_outputs)}"
            for n, line in enumerate(axes)
            if line.untouched_outputs
        )
        verdict = (
            f"gaps: some outputs receive no tap at all ({where}); the stride exceeds the "
            "dilated kernel's reach or shares a factor with the dilation"
        )
    elif pattern == "even":
        count = math.prod(line.per_phase[0] for line in axes)
        verdict = (
            f"even: every output away from the borders receives {count} "
            f"tap{'s' if count != 1 else ''} (no checkerboard from overlap)"
        )
    else:
        values = OverlapReport(counts, axes, even, "", "").interior_values
        shape = {
            "alternating": "an alternating pattern",
            "stripes": "stripes",
            "checkerboard": "the checkerboard pattern",
        }[pattern]
        verdict = (
            f"uneven: interior outputs receive {', '.join(map(str, values))} taps depending on "
            f"their phase, {shape} of transposed convolutions"
        )
        short = [names[n] for n, line in enumerate(axes) if not line.has_interior]
        if short:
            verdict += (
                f" (this output is too short along {' and '.join(short)} for any output there "
                "to be away from the borders, so the borders shape every value)"
            )
    return OverlapReport(counts, axes, even, verdict, RULE, pattern)
