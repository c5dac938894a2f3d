"""Where everything of a board goes: panels measured, placed in rows, drawn as a display list.

:func:`layout` turns a :class:`~tconvmat.plots.board.Board` into a
:class:`~tconvmat.plots.board.Laid`: sizes in points (y down) and the short list of
items every renderer draws. Numbers are written only where they fit at
:data:`~tconvmat.plots.board.MIN_FONT` or more (else the panel's colour bar shows),
index labels are thinned to what fits, every title and label is inside the figure,
and the figure stays under :data:`~tconvmat.plots.board.MAX_PIXELS` (cells shrink,
text does not; small grids keep legible cells).

Examples
--------
>>> import numpy as np
>>> panel = Panel(np.full((2, 3), "#FFFFFF"), [["1", "2", "3"], ["4", "5", "6"]], "x")
>>> drawn = layout(Board([[panel]], title="A grid"))
>>> sorted({type(item).__name__ for item in drawn.items})
['Box', 'Cells', 'Label', 'Line']
>>> sorted(item.text for item in drawn.items if isinstance(item, Label))
['1', '2', '3', '4', '5', '6', 'A grid', 'x']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tconvmat.plots import palette
from tconvmat.plots.board import (
    DPI,
    GAP,
    HEADING_FONT,
    LABEL_FONT,
    MARGIN,
    MAX_BORDERED,
    MAX_NUMBERS,
    MAX_PIXELS,
    MIN_FONT,
    NUMBER_FONT,
    PAD,
    SMALL_EXTENT,
    TICK_FONT,
    TITLE_FONT,
    Board,
    Box,
    Cells,
    Item,
    Label,
    Laid,
    Line,
    Panel,
    Shown,
    baseline,
    block_width,
    text_block,
    text_lines,
    text_width,
)
from tconvmat.plots.elide import break_items, break_texts, upright_columns
from tconvmat.plots.keys import bar_width, colour_bar, legend_items

__all__ = ["layout"]


def _hex_rgb(faces: np.ndarray) -> np.ndarray:
    """``(rows, columns, 3)`` uint8 of a grid of ``#RRGGBB`` strings (each converted once)."""
    codes: dict[str, int] = {}
    index = np.fromiter(
        (codes.setdefault(str(f), len(codes)) for f in faces.reshape(-1)),
        dtype=np.int64,
        count=faces.size,
    )
    table = np.array([palette.hex_to_rgb(n) for n in codes] or [(255, 255, 255)], dtype=np.uint8)
    return table[index].reshape(*faces.shape, 3)


def _number_font(panel: Panel, cell: float) -> float | None:
    """The size the numbers fit at (at most the preferred), or None when they do not."""
    if panel.labels is None:
        return None
    rows, columns = panel.shape
    if rows * columns > MAX_NUMBERS:
        return None
    widest = max((text_width(t, 10.0) for row in panel.labels for t in row if t), default=0.0)
    preferred = panel.font or min(NUMBER_FONT, 0.5 * cell)
    if widest == 0:
        return preferred  # nothing to write: nothing is lost, no colour bar needed
    size = min(preferred, 10.0 * 0.88 * cell / widest, 0.62 * cell)
    return size if size >= MIN_FONT else None


def _thinned(names: Sequence[str] | None, room: float, need: float) -> list[int]:
    if not names:
        return []
    fits = max(1, int(room // max(need, 1e-9)))
    step = max(1, math.ceil(len(names) / fits))
    return list(range(0, len(names), step))


@dataclass
class _Placed:
    """A panel's measures (points) before it is put on the board."""

    panel: Panel
    cell: float
    font: float | None
    show_bar: bool
    title_h: float
    left: float
    bottom: float
    right: float
    grid_w: float
    grid_h: float

    @property
    def _half_text(self) -> float:
        """Half the widest text centred on the grid (its title, its axis label)."""
        title = block_width(self.panel.title, TITLE_FONT, self.panel.bold_title)
        return max(title, text_width(self.panel.xlabel, LABEL_FONT)) / 2

    @property
    def reach_left(self) -> float:
        """From the panel's left edge to the grid's centre."""
        return max(self.left + self.grid_w / 2, self._half_text)

    @property
    def width(self) -> float:
        return self.reach_left + max(self.grid_w / 2 + self.right, self._half_text)

    @property
    def below(self) -> float:
        return self.grid_h + self.bottom


def _measure(panel: Panel, cell: float, natural: float) -> _Placed:
    rows, columns = panel.shape
    # a small grid keeps its natural cells when a large figure shrinks (a kernel stays legible)
    cell = max(cell, min(natural, SMALL_EXTENT / max(rows, columns))) * panel.cell
    font = _number_font(panel, cell)
    show_bar = panel.bar is not None and (panel.always_bar or font is None)
    tick = TICK_FONT
    left = 0.0
    if panel.row_labels or break_texts(panel, 0):
        left = max(text_width(n, tick) for n in [*(panel.row_labels or ()), *break_texts(panel, 0)])
        left += PAD
    if panel.ylabel:
        left += 1.7 * LABEL_FONT
    bottom = 0.0
    if panel.col_labels or break_texts(panel, 1):
        if upright_columns(panel):
            bottom = 1.3 * tick + PAD
        else:
            names = [*(panel.col_labels or ()), *break_texts(panel, 1)]
            bottom = max(text_width(n, tick) for n in names) + 2 * PAD
    if panel.xlabel:
        bottom += 1.3 * LABEL_FONT
    right = 0.0
    if show_bar:
        assert panel.bar is not None
        right = bar_width(panel.bar)
    title_h = len(text_lines(panel.title)) * 1.25 * TITLE_FONT + (PAD if panel.title else 0)
    return _Placed(
        panel, cell, font, show_bar, title_h, left, bottom, right, columns * cell, rows * cell
    )


def _written(p: _Placed) -> tuple[str, ...]:
    """The numbers a placed panel writes, row by row (none when they do not fit)."""
    if p.font is None or p.panel.labels is None:
        return ()
    return tuple(t for row in p.panel.labels for t in row if t)


def _rules(
    x: float,
    y: float,
    cell: float,
    rows: int,
    columns: int,
    every: tuple[int, int],
    color: str,
    width: float,
) -> list[Item]:
    """Lines across every ``every[0]`` rows and down every ``every[1]`` columns (0: none)."""
    w, h = columns * cell, rows * cell
    across = range(0, rows + 1, every[0]) if every[0] else []
    down = range(0, columns + 1, every[1]) if every[1] else []
    lines: list[Item] = [Line(x, y + r * cell, x + w, y + r * cell, color, width) for r in across]
    return lines + [Line(x + c * cell, y, x + c * cell, y + h, color, width) for c in down]


def _slice_gaps(x: float, y: float, cell: float, height: float, columns: int, every: int) -> list:
    """A white gap, framed on both sides, between the slices of a 3-D grid drawn side by side
    (over the edges of the cells next to it), so each slice reads as a grid of its own."""
    gap = min(0.24 * cell, 7.0)
    items: list[Item] = []
    for c in range(every, columns, every):
        middle = x + c * cell
        items.append(Box(middle - gap / 2, y - 1, gap, height + 2, fill=palette.EMPTY))
        items += [
            Line(e, y, e, y + height, "#000000", 0.8) for e in (middle - gap / 2, middle + gap / 2)
        ]
    return items


def _draw_panel(p: _Placed, x: float, y: float) -> list[Item]:
    """The items of a placed panel whose grid's top-left corner is at (x, y)."""
    panel, cell = p.panel, p.cell
    rows, columns = panel.shape
    items: list[Item] = [Cells(x, y, cell, _hex_rgb(panel.faces), panel.hatched)]
    if panel.borders and max(rows, columns) <= MAX_BORDERED and cell >= 6:  # else a grey wash
        items += _rules(x, y, cell, rows, columns, (1, 1), palette.CELL_BORDER, 0.6)
    groups = [panel.row_groups, panel.col_groups]
    for axis, count in enumerate((rows, columns)):
        if not (groups[axis] and groups[axis] < count and count // groups[axis] <= MAX_BORDERED):
            groups[axis] = 0
    if any(groups) and cell >= 2:  # heavier lines, never wider than half a cell
        heavy = min(1.6, 0.5 * cell)
        items += _rules(x, y, cell, rows, columns, (groups[0], groups[1]), palette.GRID, heavy)
    if panel.frame:
        items.append(Box(x, y, p.grid_w, p.grid_h, edge="#000000", width=0.8))
    if panel.slice_gaps and groups[1]:
        items += _slice_gaps(x, y, cell, p.grid_h, columns, groups[1])
    items += break_items(panel, x, y, cell, p.grid_w, p.grid_h)
    if p.font is not None:
        assert panel.labels is not None
        for r, row in enumerate(panel.labels):
            for c, text in enumerate(row):
                if text:
                    color = palette.text_color(str(panel.faces[r, c]))
                    middle = y + (r + 0.5) * cell
                    items.append(
                        Label(x + (c + 0.5) * cell, baseline(middle, p.font), text, p.font, color)
                    )
    items += _ticks(p, x, y)
    for o in panel.outlines:
        items.append(
            Box(
                x + o.col * cell,
                y + o.row * cell,
                o.width * cell,
                o.height * cell,
                edge=o.color,
                width=min(o.linewidth, max(0.8, 0.4 * cell)),  # a frame, not a bar, on tiny cells
                dashed=o.dashed,
            )
        )
    if p.show_bar:
        assert panel.bar is not None
        items += colour_bar(panel.bar, x + p.grid_w, y, p.grid_h)
    items += text_block(x + p.grid_w / 2, y - p.title_h, panel.title, TITLE_FONT, panel.bold_title)
    return items


def _ticks(p: _Placed, x: float, y: float) -> list[Item]:
    panel, cell, tick = p.panel, p.cell, TICK_FONT
    items: list[Item] = []
    names = panel.row_labels
    for r in _thinned(names, p.grid_h, 1.25 * tick):
        assert names is not None
        if not names[r]:
            continue
        middle = y + (r + 0.5) * cell
        items.append(Label(x - PAD, baseline(middle, tick), names[r], tick, ha="right"))
    names = panel.col_labels
    if names:
        if upright_columns(panel):
            need = max(text_width(n, tick) for n in names) + tick
        else:
            need = 1.25 * tick
        for c in _thinned(names, p.grid_w, need):
            if not names[c]:
                continue
            centre = x + (c + 0.5) * cell
            if upright_columns(panel):
                top = y + p.grid_h + PAD
                items.append(Label(centre, baseline(top + 0.6 * tick, tick), names[c], tick))
            else:
                items.append(
                    Label(centre, y + p.grid_h + PAD, names[c], tick, ha="right", rotation=90)
                )
    if panel.xlabel:
        items.append(
            Label(
                x + p.grid_w / 2,
                baseline(y + p.below - 0.6 * LABEL_FONT, LABEL_FONT),
                panel.xlabel,
                LABEL_FONT,
            )
        )
    if panel.ylabel:
        items.append(
            Label(
                x - p.left + 0.65 * LABEL_FONT,
                y + p.grid_h / 2,
                panel.ylabel,
                LABEL_FONT,
                rotation=90,
            )
        )
    return items


def _arrange(
    board: Board, cell: float, draw: bool = True
) -> tuple[float, float, list[Item], list[Shown]]:
    """Rows of panels top to bottom; columns aligned across rows of several panels (a grid),
    a row of one panel centred."""
    placed = [
        [None if p is None else _measure(p, cell, board.cell) for p in row] for row in board.rows
    ]
    count = max((len(row) for row in placed), default=0)
    widths = [0.0] * count
    for row in placed:
        if board.align_columns and len(row) > 1:
            for n, p in enumerate(row):
                if p is not None:
                    widths[n] = max(widths[n], p.width)
    spans = []
    for row in placed:
        if board.align_columns and len(row) > 1:
            spans.append([widths[n] for n in range(len(row))])
        else:
            spans.append([p.width if p is not None else 0.0 for p in row])
    row_widths = [sum(span) + GAP * (len(span) - 1) for span in spans]
    heading = block_width(board.title, HEADING_FONT, True)
    footer = block_width(board.footer, LABEL_FONT, False)
    inner = max([*row_widths, heading, footer, board.min_width - 2 * MARGIN, 0.0])
    width = inner + 2 * MARGIN
    items: list[Item] = []
    shown: list[Shown] = []
    y = MARGIN + len(text_lines(board.title)) * 1.25 * HEADING_FONT + (PAD if board.title else 0)
    for row, span, row_width in zip(placed, spans, row_widths, strict=True):
        present = [p for p in row if p is not None]
        if not present:
            continue
        title_h = max(p.title_h for p in present)
        x = MARGIN + (inner - row_width) / 2 if len(row) == 1 else MARGIN
        for p, room in zip(row, span, strict=True):
            if p is not None and draw:
                left = x + (room - p.width) / 2 + p.reach_left - p.grid_w / 2
                items += _draw_panel(p, left, y + title_h)
                shown.append(Shown(p.panel, _written(p), p.show_bar, p.cell))
            x += room + GAP
        y += title_h + max(p.below for p in present) + GAP
    y -= GAP
    legend, legend_h = legend_items(board, width, y + 2 * PAD)
    items += legend
    y += 2 * PAD + legend_h
    items += text_block(width / 2, y + PAD, board.footer, LABEL_FONT, False)
    y += PAD + len(text_lines(board.footer)) * 1.25 * LABEL_FONT
    items = text_block(width / 2, MARGIN, board.title, HEADING_FONT, True) + items
    return width, y + MARGIN, items, shown


def layout(board: Board) -> Laid:
    """Place every panel, label and mark (points, y down), shrinking cells to the pixel cap."""
    cell = board.cell
    while True:
        width, height, _, _ = _arrange(board, cell, draw=False)
        pixels = width * height * (DPI / 72) ** 2
        if pixels <= MAX_PIXELS or cell <= 1.0:
            width, height, items, shown = _arrange(board, cell)
            return Laid(width, height, tuple(items), board, tuple(shown))
        cell = max(1.0, cell * min(0.9, math.sqrt(MAX_PIXELS / pixels)))
