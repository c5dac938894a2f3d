"""Small pieces of wording shared by the sections: axes, shapes, grids, sums, symbols.

One notation throughout: ``x[i,j]`` for the input, ``w[i,j]`` for the kernel
(as the user stores it), ``y[i,j]`` for the output, ``·`` for products; no
Python tuples in prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tconvmat.core import budget
from tconvmat.core.geometry import Geometry
from tconvmat.text import notation

AXIS_NAMES = notation.AXIS_NAMES

SINGULAR = {"positions": "position", "rows": "row", "columns": "column", "slices": "slice"}


axis_names = notation.axis_names
shape = notation.shape
sized = notation.sized
per_axis = notation.per_axis
pads = notation.pads


def apart(values: Sequence[int]) -> str:
    """``2 apart``, or ``2 apart on axis 0 (vertical) and 1 on axis 1 (horizontal)``."""
    values = list(values)
    if len(set(values)) == 1:
        return f"{values[0]} apart"
    n = len(values)
    rest = " and ".join(f"{v} on {notation.axis_label(a, n)}" for a, v in enumerate(values) if a)
    return f"{values[0]} apart on {notation.axis_label(0, n)} and {rest}"


def padding(geometry: Geometry) -> str:
    """``1 on every side``, ``2 at the start and 1 at the end on axis 0 (vertical), …``."""
    sides = {side for pair in geometry.padding for side in pair}
    if len(sides) == 1:
        return f"{sides.pop()} on every side"
    parts = [
        f"{lo}" if lo == hi else f"{lo} at the start and {hi} at the end"
        for lo, hi in geometry.padding
    ]
    return ", ".join(f"{p} on {notation.axis_label(a, geometry.ndim)}" for a, p in enumerate(parts))


def index(position: Sequence[int]) -> str:
    """``[0,1]``: a grid position in the one notation."""
    return notation.position(tuple(position))


CORNER = 8
"""Grids above the print budget show their top-left corner this many cells wide."""


LINE_WIDE = 78
"""A 1-D row wider than this many characters is written in labelled stretches."""
MOST_CELLS = 40
"""A long 1-D row keeps at most this many values (the figures' elision chooses them)."""


def grid(array: np.ndarray, marks: Any = None, origin: tuple[int, ...] | None = None) -> str:
    """A 1-D, 2-D or 3-D array as rows of values; 3-D as its slices, labelled.

    A 1-D row too long for one line is written in labelled stretches, its long runs of
    zeros cut out as the figures cut them (``positions 3–998: 996 zeros``); ``marks``
    (positions) are the cells to keep, by default the non-zero ones. Grids with more cells
    than the print budget (``budget.LIMITS['cells']``) show their shape, their range and
    the top-left corner instead. A box cut from a larger grid at ``origin`` (its first index
    on each axis) is numbered as in that grid (positions, rows, columns, slices).

    Examples
    --------
    >>> print(grid(np.r_[2, np.zeros(998, int), 2, 4, np.zeros(998, int), 3]))
    positions 0–1:        2  0
    positions 2–997:      996 zeros
    positions 998–1001:   0  2  4  0
    positions 1002–1997:  996 zeros
    positions 1998–1999:  0  3
    """
    array = np.asarray(array)
    if array.ndim == 1 and array.size > 1:
        written = notation.grid(array) if array.size <= MOST_CELLS else None
        if written is None or len(written) > LINE_WIDE:
            return _row(array, marks, origin[0] if origin else 0)
    if array.size > budget.LIMITS["cells"]:
        # a corner that fits the budget in any number of dimensions (8⁴ cells would not)
        width = max(1, min(CORNER, int(budget.LIMITS["cells"] ** (1 / array.ndim))))
        corner = array[(slice(0, width),) * array.ndim]
        span = ""
        if array.dtype.kind in "iuf":
            span = f", from {value(np.nanmin(array))} to {value(np.nanmax(array))}"
        return (
            f"({shape(array.shape)} values{span}; too many to print, the first {width} "
            f"along each axis:)\n{grid(corner, origin=origin)}"
        )
    return notation.grid(array, origin=origin)


CORNER_ABOVE = 144
"""A 2-D or 3-D grid with more cells than this prints its top-left corner only."""
CORNER_CELLS = 64
"""About this many cells of such a grid are printed."""


def corner(array: np.ndarray) -> tuple[np.ndarray, tuple[slice, ...] | None]:
    """The top-left corner of a large 2-D or 3-D grid and its box; the grid, ``None`` else
    (beyond 3-D :func:`grid` shows a corner within the print budget itself).

    Examples
    --------
    >>> part, box = corner(np.zeros((31, 31)))
    >>> part.shape, notation.region("y", box)
    ((8, 8), 'y[0:8, 0:8]')
    """
    array = np.asarray(array)
    if array.ndim not in (2, 3) or array.size <= CORNER_ABOVE:
        return array, None
    side = max(1, round(CORNER_CELLS ** (1 / array.ndim)))
    box = tuple(slice(0, min(side, n)) for n in array.shape)
    return array[box], box


def _row(array: np.ndarray, marks: Any, offset: int = 0) -> str:
    """A long 1-D row as :func:`tconvmat.text.notation.stretches` writes it, its positions
    counted from ``offset`` (a box cut from a longer row)."""
    from tconvmat.plots.elide import Cut  # the figures' choice of cells, so both cut alike

    if marks is None:
        marks = np.flatnonzero([v != 0 for v in array.tolist()])
    cut = Cut.around(array.size, marks, above=MOST_CELLS, most=MOST_CELLS)
    kept = cut.index >= 0
    cells = np.full(cut.index.size, "", dtype=object)
    cells[kept] = notation.values(array[cut.index[kept]])
    index = np.where(cut.index >= 0, cut.index + offset, -1)
    return notation.stretches(cells.tolist(), index.tolist(), cut.notes)


def channel_grid(array: np.ndarray, name: str = "channel") -> str:
    """Channel-first values, one labelled grid per channel: ``output channel 0:`` …"""
    return "\n\n".join(f"{name} {c}:\n{grid(block)}" for c, block in enumerate(array))


value = notation.value
expression = notation.expression


def factor(v: Any) -> str:
    """A value inside a product: negative numbers in parentheses, ``(-2)``."""
    return as_factor(value(v))


def as_factor(text: str) -> str:
    """A value already written by :func:`value`, as :func:`factor` writes it in a product."""
    return f"({text})" if text.startswith("-") else text


def ordinal_every(step: int) -> str:
    """``every 2nd``, ``every 3rd``, ``every`` (step 1)."""
    if step == 1:
        return "every"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(
        step % 10 if step % 100 not in (11, 12, 13) else 0, "th"
    )
    return f"every {step}{suffix}"


def listing(values: Sequence[Any], limit: int = 6) -> str:
    """``0, 2, 4`` or ``0, 2, 4, …, 14`` for long lists."""
    values = [str(v) for v in values]
    if len(values) <= limit:
        return ", ".join(values)
    return ", ".join(values[: limit - 1]) + f", …, {values[-1]}"
