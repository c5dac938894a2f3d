"""The overlap verdict in words: the column "taps per output" (even, uneven, gaps), the
column "ones → flat?" (yes, no), and the sentences that say what they mean here.

One function per question (:func:`taps_per_output`, :func:`flat_word`); the verdict, the
explanation's table, the JSON and inspect's finding all call them. :mod:`tconvmat.analysis.overlap`
computes the counts and sums and re-exports every name here.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat.text import notation

if TYPE_CHECKING:
    from tconvmat.analysis.overlap import AxisOverlap

__all__ = [
    "FLAT_WORDS",
    "TAPS_WORDS",
    "all_equal",
    "flat_sentence",
    "flat_word",
    "gap_reason",
    "sum_pattern",
    "taps_per_output",
    "taps_sentence",
    "verdict",
]


def _listing(values: tuple[int, ...]) -> str:
    shown = [str(v) for v in values[:5]]
    return ", ".join(shown) + (", …" if len(values) > 5 else "")


def all_equal(sums: dict[tuple[int, ...], Any]) -> bool:
    values = np.array(list(sums.values()), dtype=complex)
    return bool(np.allclose(values, values[0], rtol=1e-9, atol=0))


def sum_pattern(sums: dict[tuple[int, ...], Any]) -> str:
    """What unequal phase sums draw: ``'a checkerboard'`` when they vary along two or more
    axes, ``'stripes'`` along one of several, ``'an alternating pattern'`` in 1-D, ``''``
    when they are all equal.

    Examples
    --------
    >>> sum_pattern({(0, 0): 4, (0, 1): 3, (1, 0): 2, (1, 1): 1})
    'a checkerboard'
    >>> sum_pattern({(0, 0): 15, (1, 0): 6}), sum_pattern({(0,): 1, (1,): 2})
    ('stripes', 'an alternating pattern')
    """
    firsts = list(sums)
    ndim = len(firsts[0])
    shape = tuple(max(p[a] for p in firsts) + 1 for a in range(ndim))
    grid = np.zeros(shape, dtype=complex)
    where = np.fromiter(itertools.chain.from_iterable(firsts), np.int64, len(firsts) * ndim)
    grid[tuple(where.reshape(-1, ndim).T)] = np.array(list(sums.values()), dtype=complex)
    # along axis a the sums vary when some line of phases (the others fixed) holds two that
    # differ: one pass per axis, never a comparison of every pair of phases (a stride of 10⁵
    # has 10⁵ phases: the pairs took minutes)
    varying = {
        a
        for a in range(ndim)
        if not np.isclose(grid, grid.take([0], axis=a), rtol=1e-9, atol=0).all()
    }
    if not varying:
        return ""
    if ndim == 1:
        return "an alternating pattern"
    return "stripes" if len(varying) == 1 else "a checkerboard"


def taps_per_output(axes: tuple[AxisOverlap, ...]) -> str:
    """The words of the column "taps per output": ``'even'`` (every output away from the
    borders receives as many taps as every other), ``'uneven'`` (the number depends on the
    output's phase) or ``'gaps'`` (some outputs receive none).

    Examples
    --------
    >>> from tconvmat.analysis.overlap import axis_overlap
    >>> [taps_per_output((axis_overlap(k, 2),)) for k in (2, 3)]
    ['even', 'uneven']
    >>> taps_per_output((axis_overlap(3, 2, dilation=2),))
    'gaps'
    """
    if any(line.untouched for line in axes):
        return "gaps"
    return "even" if all(line.even for line in axes) else "uneven"


def flat_word(flat: bool | None) -> str:
    """The words of the column "ones → flat?": ``yes``, ``no``, or ``''`` without a kernel."""
    return "" if flat is None else ("yes" if flat else "no")


TAPS_WORDS = (
    "**taps per output**: how many (input, tap) pairs reach an output. *even*: every output "
    "away from the borders receives the same number; *uneven*: the number depends on the "
    "output's phase; *gaps*: some outputs receive none"
)
"""The definition of :func:`taps_per_output`'s words, where the explanation lists its words."""
FLAT_WORDS = (
    "**ones → flat?**: whether an input of ones comes out constant away from the borders "
    "(*yes* or *no*); even taps per output do not guarantee it"
)
"""The definition of :func:`flat_word`'s words."""


def _phase_sums_words(sums: dict[tuple[int, ...], Any], limit: int = 8) -> str:
    """The sums in phase order (the order the phases are listed in), at most ``limit``."""
    values = [notation.value(v) for v in itertools.islice(sums.values(), limit)]
    return ", ".join(values) + (", …" if len(sums) > limit else "")


def gap_reason(line: AxisOverlap) -> str:
    """Why some phases of one axis receive no tap: ``stride 2 and dilation 2 share the factor
    2`` or ``stride 3 exceeds kernel size 2`` (``''`` when every phase is reached).

    Examples
    --------
    >>> from tconvmat.analysis.overlap import axis_overlap
    >>> gap_reason(axis_overlap(2, 2, dilation=2)), gap_reason(axis_overlap(2, 3))
    ('stride 2 and dilation 2 share the factor 2', 'stride 3 exceeds kernel size 2')
    """
    if not line.untouched:
        return ""
    factor = math.gcd(line.stride, line.dilation)
    if factor > 1:
        return f"stride {line.stride} and dilation {line.dilation} share the factor {factor}"
    return f"stride {line.stride} exceeds kernel size {line.kernel}"


def taps_sentence(axes: tuple[AxisOverlap, ...], ndim: int) -> str:
    """``taps per output: uneven (interior outputs receive 1, 2 or 4 taps, by phase)``: the
    column's word with what it means here (from the per-axis counts alone, any size)."""
    names = notation.axis_names(ndim)
    word = taps_per_output(axes)
    if word == "gaps":
        where = " or ".join(
            f"{names[n]} {_listing(line.untouched_outputs)}"
            for n, line in enumerate(axes)
            if line.untouched_outputs
        )
        reasons = notation.joined(sorted({gap_reason(line) for line in axes if line.untouched}))
        return f"taps per output: gaps (no tap reaches {where}: {reasons})"
    if word == "even":
        count = math.prod(line.per_phase[0] for line in axes)
        return (
            f"taps per output: even (every output away from the borders receives {count} "
            f"tap{'s' if count != 1 else ''})"
        )
    values = [1]
    for line in axes:
        values = sorted({v * c for v in values for c in line.per_phase})
    counts = ", ".join(map(str, values[:-1])) + f" or {values[-1]}"
    sentence = f"taps per output: uneven (interior outputs receive {counts} taps, by phase"
    short = [names[n] for n, line in enumerate(axes) if not line.has_interior]
    if short:
        sentence += (
            f"; this output is too short along {' and '.join(short)} for any output there "
            "to be away from the borders, so the borders shape every value"
        )
    return sentence + ")"


def flat_sentence(sums: dict[tuple[int, ...], Any] | None, taps: str) -> str:
    """``ones → flat? no: the phases' sub-kernels sum to …``; ``''`` without a kernel where
    the taps alone answer it."""
    if sums is None:
        if taps != "even":
            return ""
        return (
            "ones → flat? needs the kernel: unequal sub-kernel sums per phase can pattern an "
            "input of ones even with even taps per output"
        )
    if all_equal(sums):
        return (
            f"ones → flat? yes: every phase's sub-kernel sums to "
            f"{notation.value(next(iter(sums.values())))}, so an input of ones comes out constant "
            "away from the borders"
        )
    yet = ", even so" if taps == "even" else ""
    return (
        f"ones → flat? no{yet}: the phases' sub-kernels sum to {_phase_sums_words(sums)} in "
        f"phase order, so an input of ones comes out as {sum_pattern(sums)}"
    )


def verdict(axes: tuple[AxisOverlap, ...], ndim: int, sums: Any) -> str:
    """Both columns' answers in words, each from its one function."""
    taps = taps_sentence(axes, ndim)
    flat = flat_sentence(sums, taps_per_output(axes))
    return f"{taps}; {flat}" if flat else taps
