"""Plain-text notation: grids, entries, positions, shapes, per-axis values and paddings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def value(v: object) -> str:
    """Format one entry: integers as integers, floats compactly, expressions by :func:`expression`.

    Examples
    --------
    >>> value(2.0), value(7), value("3x3")
    ('2', '7', '3x3')
    """
    if isinstance(v, float | np.floating):
        return "0" if v == 0 else f"{v:.6g}"
    if isinstance(v, str | int | np.integer):
        return str(v)
    return expression(v)


def expression(expr: object) -> str:
    """A SymPy expression in the one notation: ``w[1,1]·x[0,0] + …``, ``^`` for powers.

    Examples
    --------
    >>> import sympy
    >>> a, b = sympy.symbols("a b")
    >>> expression(3 * a + b**2)
    '3·a + b^2'
    """
    return str(expr).replace("**", "^").replace("*", "·")


def table(
    rows: Sequence[Sequence[object]],
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    blank_zero: bool = False,
) -> str:
    """Right-aligned table; with ``blank_zero`` zeros print as ``·`` so the pattern shows."""
    cells = [[("·" if blank_zero and v == 0 else value(v)) for v in row] for row in rows]
    if col_labels is not None:
        cells.insert(0, list(col_labels))
    if row_labels is not None:
        labels = ([""] if col_labels is not None else []) + list(row_labels)
        cells = [[label, *row] for label, row in zip(labels, cells, strict=True)]
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def grid(array: np.ndarray) -> str:
    """A 1-D, 2-D or 3-D array as rows of values (3-D: its slices, labelled ``slice i:``)."""
    array = np.asarray(array)
    if array.ndim == 1:
        return table([array.tolist()])
    if array.ndim == 2:
        return table(array.tolist())
    return "\n\n".join(f"slice {i}:\n{grid(block)}" for i, block in enumerate(array))


def position(index: tuple[int, ...]) -> str:
    """Grid position label in the one notation of tconvmat's text and figures: ``[0,1]``."""
    return "[" + ",".join(str(int(i)) for i in index) + "]"


AXIS_NAMES = {1: ("positions",), 2: ("rows", "columns"), 3: ("slices", "rows", "columns")}
"""What the axes are called, by number of spatial dimensions."""


def axis_names(ndim: int) -> tuple[str, ...]:
    """``('rows', 'columns')`` for 2-D; ``axis 0, axis 1, …`` beyond 3-D."""
    return AXIS_NAMES.get(ndim, tuple(f"axis {a}" for a in range(ndim)))


def shape(values: Sequence[int]) -> str:
    """``3×3`` (``5`` in 1-D)."""
    return "×".join(str(v) for v in values)


def per_axis(values: Sequence[Any], ndim: int | None = None) -> str:
    """``2`` when every axis has the same value, else ``2 along rows, 1 along columns``."""
    values = list(values)
    if len(set(map(str, values))) == 1:
        return str(values[0])
    names = axis_names(ndim or len(values))
    return ", ".join(f"{v} along {n}" for v, n in zip(values, names, strict=True))


def pads(geometry: Any) -> str:
    """Padding as the command line writes it: ``1``, ``1,2`` per axis, ``2:1,0:1`` per side."""
    if all(lo == hi for lo, hi in geometry.padding):
        return per_axis([lo for lo, _ in geometry.padding]).replace(" along ", " ")
    return ",".join(f"{lo}:{hi}" for lo, hi in geometry.padding) + " (low:high per axis)"
