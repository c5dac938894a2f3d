"""Preformatted text to a reader's width: grids too wide are split into column ranges, grids
side by side are stacked into rows that fit, long formula lines wrap with a hanging indent.

Examples
--------
>>> print(fit("1  2  3  4  5  6\\n7  8  9  10  11  12", 12))
columns 0–3:
1  2  3   4
7  8  9  10
<BLANKLINE>
columns 4–5:
 5   6
11  12
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

__all__ = ["fit", "side_by_side"]

GRID_LINE = re.compile(r"^ *\S+(?: {2,}\S+)* *$")
"""A line of a value grid: cells with no single space inside, at least two spaces apart."""
NUMBER = re.compile(r"^[-−]?[\d.]+(?:e[-+]?\d+)?$|^·$")


def side_by_side(blocks: Sequence[tuple[str, str]], width: int | None = None, gap: int = 4) -> str:
    """Text blocks next to each other, each under its title, as many to a row as ``width``
    allows (all in one row without a width).

    Examples
    --------
    >>> print(side_by_side([("a", "1  2"), ("b", "3  4"), ("c", "5  6")], width=12))
    a       b
    1  2    3  4
    <BLANKLINE>
    c
    5  6
    """
    columns = [[title, *text.split("\n")] for title, text in blocks]
    widths = [max(len(line) for line in column) for column in columns]
    rows: list[list[int]] = [[]]
    used = 0
    for n, w in enumerate(widths):
        if rows[-1] and width is not None and used + gap + w > width:
            rows.append([])
            used = 0
        used += (gap if rows[-1] else 0) + w
        rows[-1].append(n)
    out = []
    for row in rows:
        height = max(len(columns[n]) for n in row)
        lines = []
        for r in range(height):
            cells = [(columns[n][r] if r < len(columns[n]) else "").ljust(widths[n]) for n in row]
            lines.append((" " * gap).join(cells).rstrip())
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of a grid line."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]


def _split_grid(lines: list[str], width: int) -> str:
    """A grid too wide for ``width`` as ranges of its columns, row labels repeated."""
    rows = [_cells(line) for line in lines]
    count = max(len(r) for r in rows)
    if any(len(r) not in (count, count - 1) for r in rows) or count < 2:
        return "\n".join(_wrap_line(line, width) for line in lines)
    texts = [[line[a:b] for a, b in cells] for line, cells in zip(lines, rows, strict=True)]
    # a header line one cell short (the corner is empty) is padded at the front
    texts = [[""] * (count - len(t)) + t for t in texts]
    labelled = not all(NUMBER.match(t[0]) or t[0] == "" for t in texts)
    first = 1 if labelled else 0
    header = labelled and texts[0][0] == "" and all(t.isdigit() for t in texts[0][1:])
    widths = [max(len(t[c]) for t in texts) for c in range(count)]
    label_width = widths[0] if labelled else -2  # each further column adds a 2-space gap
    chunks, start = [], first
    while start < count:
        end, used = start, label_width
        while end < count and (end == start or used + widths[end] + 2 <= width):
            used += widths[end] + 2
            end += 1
        chunks.append((start, end))
        start = end
    out = []
    for a, b in chunks:
        keep = ([0] if labelled else []) + list(range(a, b))
        body = "\n".join("  ".join(t[c].rjust(widths[c]) for c in keep).rstrip() for t in texts)
        # a grid whose first line numbers its columns (a box cut from a larger grid) names
        # them by those numbers; otherwise by their places in this grid
        low, high = (texts[0][a], texts[0][b - 1]) if header else (a - first, b - 1 - first)
        span = f"column {low}" if b - a == 1 else f"columns {low}–{high}"
        out.append(f"{span}:\n{body}")
    return "\n\n".join(out)


def _wrap_line(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    indent = len(line) - len(line.lstrip())
    return textwrap.fill(
        line,
        width,
        initial_indent="",
        subsequent_indent=" " * (indent + 4),
        break_long_words=True,
        break_on_hyphens=False,
    )


def fit(text: str, width: int) -> str:
    """Preformatted text with no line longer than ``width``: wide grids split by columns,
    other long lines wrapped with a hanging indent of 4."""
    out = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        if all(len(line) <= width for line in lines):
            out.append(paragraph)
            continue
        grid = [line for line in lines if line.strip()]
        head = []
        while grid and not GRID_LINE.match(grid[0]):  # a title line above a grid
            head.append(grid.pop(0))
        if grid and all(GRID_LINE.match(line) for line in grid):
            fits = all(len(line) <= width for line in grid)
            body = "\n".join(grid) if fits else _split_grid(grid, width)
            out.append("\n".join([*(_wrap_line(h, width) for h in head), body]))
        else:
            out.append("\n".join(_wrap_line(line, width) for line in lines))
    return "\n\n".join(out)
