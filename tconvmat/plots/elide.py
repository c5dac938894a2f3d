"""Long grids drawn legibly: the stretches worth seeing kept, the rest cut out with a visible break.

A 1-D output of a large stride is mostly zeros between short stamps: 3 inputs at
stride 10⁵ give 200,002 outputs of which 6 receive a tap. A figure draws such an
axis *elided*: the cells around the marks (the stamps, the crop's edges, the
chosen output) with one break column wherever a stretch is left out, labelled
with how many cells it skips. Which cells to keep comes from the caller (the
engine's landings, :mod:`tconvmat.core.axis`); this module only chooses the cells and
cuts the arrays, so a figure costs what it draws, never what the stride spans.

Examples
--------
>>> cut = Cut.around(200_002, [0, 1, 100_000, 100_001, 200_000, 200_001])
>>> cut.labels()
['0', '1', '2', '', '99999', '100000', '100001', '100002', '', '199999', '200000', '200001']
>>> [(b.position, b.text) for b in cut.breaks()]
[(3, '99,996 zeros'), (8, '99,996 zeros')]
>>> cut.take(np.arange(200_002))[:4].tolist()
[0, 1, 2, 0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.plots import palette
from tconvmat.plots.board import (
    NUMBER_FONT,
    PAD,
    TICK_FONT,
    Box,
    Break,
    Item,
    Label,
    Line,
    Panel,
    baseline,
)
from tconvmat.text import notation

__all__ = [
    "CONTEXT",
    "ELIDE_ABOVE",
    "MAX_DRAWN",
    "Cut",
    "break_items",
    "break_texts",
    "cuts_around",
    "cuts_of",
    "upright_columns",
]

ELIDE_ABOVE = 48
"""Axes longer than this many cells are drawn elided (shorter ones whole)."""
MAX_DRAWN = 36
"""An elided axis draws at most this many columns, breaks included."""
CONTEXT = 1
"""Cells kept either side of each mark (so a stamp shows where it starts and ends)."""
MIN_SKIP = 3
"""A stretch shorter than this is drawn, not cut (a break costs a column itself)."""


@dataclass(frozen=True)
class Cut:
    """Which cells of one axis of ``length`` are drawn, in order; ``-1`` marks a break.

    ``skipped[n]`` counts the cells the ``n``-th break leaves out and ``notes[n]``
    says what they hold: ``"99,996 zeros"`` (no occupied cell), ``"998 × 1"`` (a run of
    one value) or ``"991 more"`` (cells left out to fit).
    """

    length: int
    index: np.ndarray
    skipped: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def zeros(self) -> tuple[bool, ...]:
        """Per break: whether it skips only zeros."""
        return tuple(note.endswith(" zeros") for note in self.notes)

    @classmethod
    def whole(cls, length: int) -> Cut:
        """Every cell, no break.

        >>> Cut.whole(3).labels()
        ['0', '1', '2']
        """
        return cls(int(length), np.arange(int(length), dtype=np.int64))

    @classmethod
    def around(
        cls,
        length: int,
        marks: Any,
        *,
        context: int = CONTEXT,
        above: int = ELIDE_ABOVE,
        most: int = MAX_DRAWN,
        occupied: Any = None,
        values: Any = None,
    ) -> Cut:
        """The cells within ``context`` of a mark, and the axis's two ends.

        Axes of ``above`` cells or fewer are drawn whole. Stretches of fewer than
        :data:`MIN_SKIP` cells between kept cells are kept too. When the kept cells
        and breaks exceed ``most``, the first ones are kept and the end of the axis,
        with one break between them. A break is noted "zeros" when it skips no cell
        of ``occupied`` (by default the marks); with ``values`` (one per cell, whose
        changes are marked), a break that skips no mark holds one value, noted
        ``N × value``; else "more".

        Examples
        --------
        >>> Cut.around(10, [4]).labels()  # short: drawn whole
        ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
        >>> cut = Cut.around(1000, range(1000), most=10)  # every cell marked: head and tail
        >>> cut.labels(), cut.notes
        (['0', '1', '2', '3', '4', '5', '6', '', '998', '999'], ('991 more',))
        >>> ones = np.r_[np.ones(100), 2, np.ones(100)]
        >>> Cut.around(201, [99, 100, 101], values=ones).notes
        ('96 × 1', '96 × 1')
        """
        length = int(length)
        if length <= above:
            return cls.whole(length)
        points = np.asarray(marks, dtype=np.int64).reshape(-1)
        points = _increasing(points[(points >= 0) & (points < length)])
        full = points if occupied is None else _increasing(np.asarray(occupied, dtype=np.int64))
        ends = np.union1d(points, [0, length - 1])
        starts = np.maximum(ends - context, 0)
        stops = np.minimum(ends + context + 1, length)
        reach = np.maximum.accumulate(stops)
        new = np.flatnonzero(starts[1:] - reach[:-1] >= MIN_SKIP) + 1
        first = np.concatenate([[0], new])
        last = np.concatenate([new - 1, [ends.size - 1]])
        ranges = [(int(starts[a]), int(reach[b])) for a, b in zip(first, last, strict=True)]
        index = np.concatenate([np.arange(a, b, dtype=np.int64) for a, b in _fit(ranges, most)])
        gaps = np.flatnonzero(np.diff(index) > 1)
        before, after = index[gaps], index[gaps + 1]
        skipped = (after - before - 1).tolist()
        holding = np.searchsorted(full, after) - np.searchsorted(full, before + 1)
        marked = np.searchsorted(points, after) - np.searchsorted(points, before + 1)
        notes = []
        for n, b, held, mark in zip(skipped, before.tolist(), holding, marked, strict=True):
            if values is not None and not mark and values[b + 1] != 0:
                notes.append(
                    f"{n:,} × {notation.value(values[b + 1], digits=notation.FIGURE_DIGITS)}"
                )
            else:
                notes.append(f"{n:,} {'more' if held else 'zeros'}")
        return cls(length, np.insert(index, gaps + 1, -1), tuple(skipped), tuple(notes))

    @property
    def elided(self) -> bool:
        """Whether any cell is left out."""
        return bool(self.skipped)

    @property
    def size(self) -> int:
        """Drawn cells, breaks included."""
        return int(self.index.size)

    def breaks(self, axis: int = 1) -> tuple[Break, ...]:
        """The breaks as columns (``axis`` 1) or rows (``axis`` 0) of the drawn grid."""
        where = np.flatnonzero(self.index < 0)
        return tuple(
            Break(axis, int(p), n, note)
            for p, n, note in zip(where, self.skipped, self.notes, strict=True)
        )

    def take(self, array: Any, axis: int = -1, fill: Any = 0) -> np.ndarray:
        """The drawn cells of ``array`` along ``axis``, ``fill`` at the breaks."""
        array = np.asarray(array)
        if not self.elided:
            return array
        picked = np.take(array, np.maximum(self.index, 0), axis=axis)
        where: list[Any] = [slice(None)] * array.ndim
        where[axis] = self.index < 0
        picked[tuple(where)] = fill
        return picked

    def labels(self, origin: int = 0) -> list[str]:
        """Each drawn cell's index (counted from ``origin``), ``""`` at the breaks."""
        return [str(i + origin) if i >= 0 else "" for i in self.index.tolist()]

    def position(self, i: int) -> float:
        """Where cell ``i`` of the axis is drawn (a break's place for a skipped cell)."""
        at = int(np.searchsorted(self.index[self.index >= 0], i))
        kept = self.index[self.index >= 0]
        if at < kept.size and kept[at] == i:
            return float(np.flatnonzero(self.index == i)[0])
        before = np.flatnonzero(self.index < 0)
        return float(before[min(at, before.size) - 1]) if before.size else float(at)

    def span(self, start: int, extent: int) -> tuple[float, float]:
        """Drawn ``(first, width)`` of the cells ``[start, start + extent)`` (for outlines)."""
        inside = (self.index >= start) & (self.index < start + extent)
        if not inside.any():
            return self.position(start), 1.0
        drawn = np.flatnonzero(inside)
        return float(drawn[0]), float(drawn[-1] - drawn[0] + 1)


def _increasing(values: np.ndarray) -> np.ndarray:
    """``values`` sorted without repeats (as they come when they already are)."""
    values = values.reshape(-1)
    return values if bool(np.all(values[1:] > values[:-1])) else np.unique(values)


def _fit(ranges: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    """The ranges within ``most`` drawn columns (a break between two ranges is one):
    the first ones, then the last range's end."""
    drawn = sum(b - a for a, b in ranges) + len(ranges) - 1
    if drawn <= most:
        return ranges
    last_start, end = ranges[-1]
    tail = (max(last_start, end - max(1, most // 4)), end)
    room = most - (tail[1] - tail[0]) - 1
    kept: list[tuple[int, int]] = []
    for a, b in ranges:
        b = min(b, tail[0])
        if a >= b:
            break
        cost = (b - a) + (1 if kept else 0)
        if cost <= room:
            kept.append((a, b))
            room -= cost
            continue
        take = room - (1 if kept else 0)
        if take >= 1:
            kept.append((a, a + take))
        break
    if kept and kept[-1][1] == tail[0]:
        return [*kept[:-1], (kept[-1][0], tail[1])]
    return [*kept, tail]


def cuts_of(
    shape: Sequence[int], marks: Sequence[Any] | None = None, values: Any = None
) -> tuple[Cut, ...]:
    """One cut per axis of a 1-D or 2-D grid: around ``marks[a]`` (indices along axis
    ``a``, whose neighbourhoods hold every non-zero cell), or around where ``values``
    change (a 1-D run of one value is noted ``N × value``); 3-D grids are drawn whole.

    Examples
    --------
    >>> [c.size for c in cuts_of((3, 1000), values=np.eye(3, 1000))]
    [3, 8]
    >>> cuts_of((200,), values=np.r_[1, np.ones(198) * 2, 1])[0].notes
    ('194 × 2',)
    """
    if len(shape) > 2:
        return tuple(Cut.whole(n) for n in shape)
    if marks is not None:
        return tuple(Cut.around(n, m) for n, m in zip(shape, marks, strict=True))
    grid = np.asarray(values).reshape(tuple(shape))
    cuts = []
    for a in range(grid.ndim):
        others = tuple(b for b in range(grid.ndim) if b != a)
        changes = np.flatnonzero(np.any(np.diff(grid, axis=a) != 0, axis=others))
        held = np.flatnonzero(np.any(grid != 0, axis=others))
        runs = grid if grid.ndim == 1 else None
        marked = np.unique(np.concatenate([changes, changes + 1]))
        cuts.append(Cut.around(shape[a], marked, occupied=held, values=runs))
    return tuple(cuts)


def cuts_around(held: Any) -> tuple[Cut, ...]:
    """One cut per axis of a 1-D or 2-D boolean grid, around its True cells (a kernel's
    taps, a stretched kernel's): the rest, where nothing is held, cut out.

    Examples
    --------
    >>> held = np.zeros(100_001, dtype=bool)
    >>> held[[0, -1]] = True
    >>> cuts_around(held)[0].notes
    ('99,997 zeros',)
    """
    held = np.asarray(held, dtype=bool)
    return cuts_of(
        held.shape,
        [
            np.flatnonzero(held.any(axis=tuple(b for b in range(held.ndim) if b != a)))
            for a in range(held.ndim)
        ],
    )


# ---------------------------------------------------------------- drawing the breaks


def break_texts(panel: Panel, axis: int) -> list[str]:
    """The texts of a panel's breaks along ``axis`` (0: rows, 1: columns)."""
    return [b.text for b in panel.breaks if b.axis == axis]


def upright_columns(panel: Panel) -> bool:
    """Column labels stand upright unless the panel asks otherwise or has column breaks
    (turned on their side, every index and every break's count fits its column)."""
    return panel.upright_columns and not break_texts(panel, 1)


def break_items(
    panel: Panel, x: float, y: float, cell: float, grid_w: float, grid_h: float
) -> list[Item]:
    """A panel's breaks: a white gap through the grid's lines and frame, ``⋯`` (``⋮``) in
    its cells, short slanted marks where the frame is cut, and the count as the label."""
    items: list[Item] = []
    rows, columns = panel.shape
    font = min(NUMBER_FONT, 0.6 * cell)
    column_breaks = [b.position for b in panel.breaks if b.axis == 1]
    row_breaks = [b.position for b in panel.breaks if b.axis == 0]
    for b in panel.breaks:
        if b.axis == 1:
            left = x + b.position * cell
            items.append(Box(left + 0.4, y - 2, cell - 0.8, grid_h + 4, fill=palette.EMPTY))
            for edge in (left, left + cell):  # a cut axis: // across the frame, top and bottom
                for level in (y, y + grid_h):
                    items.append(Line(edge - 2, level + 3, edge + 2, level - 3, palette.NOTE, 1))
            if font >= 6:
                for r in range(rows):
                    if r not in row_breaks:
                        middle = y + (r + 0.5) * cell
                        items.append(
                            Label(left + cell / 2, baseline(middle, font), "⋯", font, palette.NOTE)
                        )
            items.append(
                Label(
                    left + cell / 2,
                    y + grid_h + PAD,
                    b.text,
                    TICK_FONT,
                    palette.NOTE,
                    ha="right",
                    rotation=90,
                )
            )
        else:
            top = y + b.position * cell
            items.append(Box(x - 2, top + 0.4, grid_w + 4, cell - 0.8, fill=palette.EMPTY))
            for edge in (top, top + cell):
                for level in (x, x + grid_w):
                    items.append(Line(level - 3, edge + 2, level + 3, edge - 2, palette.NOTE, 1))
            if font >= 6:
                for c in range(columns):
                    if c not in column_breaks:
                        centre = x + (c + 0.5) * cell
                        items.append(
                            Label(centre, baseline(top + cell / 2, font), "⋮", font, palette.NOTE)
                        )
            items.append(
                Label(
                    x - PAD,
                    baseline(top + cell / 2, TICK_FONT),
                    b.text,
                    TICK_FONT,
                    palette.NOTE,
                    ha="right",
                )
            )
    return items
