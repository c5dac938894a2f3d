"""The keys of a figure: colour bars (the value scale) and legends (what a colour means)."""

from __future__ import annotations

import math

from tconvmat.plots import palette
from tconvmat.plots.board import (
    LABEL_FONT,
    MARGIN,
    PAD,
    TICK_FONT,
    Board,
    Box,
    ColourBar,
    Item,
    Label,
    Line,
    Ramp,
    baseline,
    text_block,
    text_width,
)
from tconvmat.text import notation

__all__ = ["bar_text", "bar_width", "colour_bar", "legend_items"]


def bar_text(top: float) -> str:
    return notation.value(top, digits=notation.FIGURE_DIGITS)


def bar_width(bar: ColourBar) -> float:
    """Room a colour bar takes right of its grid (points)."""
    return PAD * 2 + 10 + PAD + TICK_FONT * 0.62 * len(bar_text(bar.top)) + 1.5 * LABEL_FONT


def colour_bar(bar: ColourBar, x: float, y: float, grid_h: float) -> list[Item]:
    """A colour bar right of the grid: the ramp, ticks at 0, half and top, the label."""
    tick = TICK_FONT
    height = max(grid_h, 40.0)
    left = x + 2 * PAD
    items: list[Item] = [
        Ramp(left, y, 10, height, palette.VALUE_STOPS),
        Box(left, y, 10, height, edge="#000000", width=0.6),
    ]
    values = [0.0, bar.top / 2, bar.top]
    if bar.integer:
        values = sorted({0.0, float(round(bar.top / 2)), float(bar.top)})
    for value in values:
        at = y + height * (1 - value / bar.top) if bar.top else y + height
        items.append(Line(left + 10, at, left + 13, at, "#000000", 0.6))
        items.append(
            Label(left + 10 + PAD + 1, baseline(at, tick), bar_text(value), tick, ha="left")
        )
    width = tick * 0.62 * len(bar_text(bar.top))
    items.append(
        Label(
            left + 10 + 2 * PAD + width + 0.8 * LABEL_FONT,
            y + height / 2,
            bar.label,
            LABEL_FONT,
            rotation=90,
        )
    )
    return items


# ---------------------------------------------------------------- the whole board


def legend_items(board: Board, width: float, top: float) -> tuple[list[Item], float]:
    """Swatches and their labels in as many columns as fit ``width``; returns its height."""
    if not board.legend:
        return [], 0.0
    size = LABEL_FONT
    entry = max(text_width(label, size) for _, label in board.legend) + 14 + 3 * PAD + 10
    columns = max(1, min(len(board.legend), int((width - 2 * MARGIN) // entry)))
    rows = math.ceil(len(board.legend) / columns)
    columns = math.ceil(len(board.legend) / rows)  # balanced
    items: list[Item] = []
    y = top
    if board.legend_title:
        items += text_block(width / 2, y, board.legend_title, size, True)
        y += 1.25 * size
    left = (width - columns * entry) / 2
    line = 1.5 * size
    for n, (color, label) in enumerate(board.legend):
        row, column = divmod(n, columns)
        cx, cy = left + column * entry, y + row * line + line / 2
        items.append(Box(cx, cy - 6, 14, 12, edge=palette.GRID, width=0.6, fill=color))
        items.append(Label(cx + 14 + PAD, baseline(cy, size), label, size, ha="left"))
    return items, (y - top) + rows * line + PAD
