"""A figure as data: panels of coloured cells with numbers, laid out once, drawn by any renderer.

Every grid figure of tconvmat (and every animation frame) is a :class:`Board`: a
title, rows of :class:`Panel` (a grid of cells, its numbers, a title, index
labels, outlines, a colour bar), a legend and a footer.
:func:`tconvmat.plots.placement.layout` places everything once, in points, as a
short display list of :class:`Cells`, :class:`Line`, :class:`Box`, :class:`Label`
and :class:`Ramp`; the renderers only draw that list: Pillow for PNG and GIF
frames (:mod:`tconvmat.plots.raster`), SVG text and matplotlib for PDF
(:mod:`tconvmat.plots.vector`). A grid of any size costs the same handful of
items, and the layout guarantees what a slide needs: numbers only where they fit
at 8 pt or more (else a colour bar), index labels thinned to what fits, titles
that are never clipped, and no more than :data:`MAX_PIXELS` pixels at the style's
dpi (cells shrink, text does not).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from tconvmat.plots import palette

__all__ = [
    "DPI",
    "MAX_PIXELS",
    "MIN_FONT",
    "Board",
    "Box",
    "Break",
    "Cells",
    "ColourBar",
    "Label",
    "Laid",
    "Line",
    "Outline",
    "Panel",
    "Ramp",
    "Shown",
    "baseline",
    "block_width",
    "font_path",
    "text_block",
    "text_lines",
    "text_width",
]

DPI = 110
"""Pixels per inch of saved figures (72 points per inch)."""
MAX_PIXELS = 6_000_000
"""No figure is larger at :data:`DPI`: its cells shrink (text keeps its size)."""
MIN_FONT = 8.0
"""No number, index or title is smaller than this many points."""
CELL = 30.0
"""A cell's side in points, unless the figure is too large for it."""
NUMBER_FONT, TICK_FONT, TITLE_FONT, HEADING_FONT, LABEL_FONT = 13.0, 10.0, 13.0, 16.0, 11.0
GAP, MARGIN, PAD = 22.0, 12.0, 4.0
MAX_BORDERED = 64
"""Grids longer than this on a side get no cell borders (they would be a grey wash)."""
MAX_NUMBERS = 1200
"""Grids with more cells never get their numbers."""
SMALL_EXTENT = 180.0
"""When a figure's cells shrink to fit the pixel cap, no grid gets smaller than this (points)."""


# ---------------------------------------------------------------- what a figure holds


@dataclass(frozen=True)
class Outline:
    """A rectangle around cells ``[row, row + height) × [col, col + width)`` of a panel."""

    row: float
    col: float
    height: float
    width: float
    color: str = palette.HIGHLIGHT
    linewidth: float = 2.5
    dashed: bool = False


@dataclass(frozen=True)
class Break:
    """A cut in a drawn grid: column (``axis`` 1) or row (``axis`` 0) ``position`` stands for
    ``skipped`` cells left out; ``text`` says how many and what they hold (``99,996 zeros``).

    The cell is drawn as a gap with ``⋯`` (``⋮`` across a row) and ``text`` where the
    index label would be (see :mod:`tconvmat.plots.elide`).
    """

    axis: int
    position: int
    skipped: int
    text: str


@dataclass(frozen=True)
class ColourBar:
    """The value scale of a panel whose numbers are not written: 0 (white) to ``top``."""

    top: float
    label: str = "value"
    integer: bool = False


@dataclass
class Panel:
    """A grid of coloured cells, with its numbers, title, index labels and marks.

    ``faces`` holds ``#RRGGBB`` strings, one per cell; ``labels`` the text of each
    cell (``""`` for none), written only where it fits at :data:`MIN_FONT` or more;
    ``bar`` is drawn when the numbers are not (or always, with ``always_bar``).
    ``hatched`` marks cells not yet computed (a light hatch over their face);
    ``breaks`` are the rows and columns that stand for cells left out (elided grids);
    ``slice_gaps`` draws a gap between the groups of ``col_groups`` columns (a 3-D grid's
    slices side by side) instead of a heavier line.
    ``col_labels`` are turned on their side unless ``upright_columns``; ``cell``
    scales this panel's cells against the figure's; ``borders`` False draws no lines
    between cells (a picture rather than a grid).
    """

    faces: np.ndarray
    labels: Sequence[Sequence[str]] | None = None
    title: str = ""
    row_labels: Sequence[str] | None = None
    col_labels: Sequence[str] | None = None
    upright_columns: bool = True
    outlines: list[Outline] = field(default_factory=list)
    row_groups: int = 0
    col_groups: int = 0
    slice_gaps: bool = False
    bar: ColourBar | None = None
    always_bar: bool = False
    hatched: np.ndarray | None = None
    xlabel: str = ""
    ylabel: str = ""
    cell: float = 1.0
    bold_title: bool = True
    frame: bool = True
    font: float | None = None
    borders: bool = True
    breaks: Sequence[Break] = ()

    @property
    def shape(self) -> tuple[int, int]:
        rows, columns = self.faces.shape
        return int(rows), int(columns)


@dataclass
class Board:
    """A whole figure: a title, rows of panels, a legend of colours and a footer."""

    rows: Sequence[Sequence[Panel | None]]
    title: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)
    legend_title: str = ""
    footer: str = ""
    cell: float = CELL
    align_columns: bool = True
    min_width: float = 0.0
    """At least this wide (points): the frames of an animation share one width, so their
    panels and titles stay in place from frame to frame."""


# ---------------------------------------------------------------- what the renderers draw


@dataclass(frozen=True)
class Cells:
    """A block of cells: ``rgb`` (rows, columns, 3) uint8, top-left at (x, y), ``size`` each."""

    x: float
    y: float
    size: float
    rgb: np.ndarray
    hatched: np.ndarray | None = None


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    color: str
    width: float
    dashed: bool = False


@dataclass(frozen=True)
class Box:
    """A rectangle: outlined (``edge``), filled (``fill``) or both."""

    x: float
    y: float
    w: float
    h: float
    edge: str | None = None
    width: float = 1.0
    fill: str | None = None
    dashed: bool = False


@dataclass(frozen=True)
class Label:
    """One line of text whose baseline passes through (x, y); ``ha`` is left/center/right.

    ``rotation`` 90 turns it to read upwards, with (x, y) then the middle of the
    line's height at its ``ha`` end (``right``: the top end).
    """

    x: float
    y: float
    text: str
    size: float
    color: str = "#000000"
    bold: bool = False
    ha: str = "center"
    rotation: int = 0


@dataclass(frozen=True)
class Ramp:
    """A vertical colour scale: ``stops`` from the bottom (low) to the top (high)."""

    x: float
    y: float
    w: float
    h: float
    stops: tuple[str, ...]


Item = Cells | Line | Box | Label | Ramp


@dataclass(frozen=True)
class Shown:
    """How one panel came out: the numbers written in its cells (none when they did not
    fit), whether its colour bar is drawn, and its cell size in points."""

    panel: Panel
    numbers: tuple[str, ...]
    bar: bool
    cell: float


@dataclass(frozen=True)
class Laid:
    """A board laid out: its size in points, what to draw in drawing order, each panel."""

    width: float
    height: float
    items: tuple[Item, ...]
    board: Board
    shown: tuple[Shown, ...] = ()


# ---------------------------------------------------------------- text measures


def font_path(bold: bool = False) -> str:
    """DejaVu Sans, the font of every figure (shipped with matplotlib, found without it)."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.origin is not None
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return os.path.join(os.path.dirname(spec.origin), "mpl-data", "fonts", "ttf", name)


@lru_cache(maxsize=2)
def _measure_font(bold: bool):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    return ImageFont.truetype(font_path(bold), 100)


@lru_cache(maxsize=16384)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of one line of ``text`` at ``size`` points."""
    return float(_measure_font(bold).getlength(text)) * size / 100


def baseline(middle: float, size: float) -> float:
    """The baseline that centres a line of digits and capitals on ``middle`` (y down)."""
    return middle + 0.37 * size


def text_lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def block_width(text: str, size: float, bold: bool) -> float:
    return max((text_width(line, size, bold) for line in text_lines(text)), default=0.0)


def text_block(x: float, top: float, text: str, size: float, bold: bool) -> list[Item]:
    """Lines centred on x, the first line's top at ``top``."""
    return [
        Label(x, baseline(top + (n + 0.5) * 1.25 * size, size), line, size, bold=bold)
        for n, line in enumerate(text_lines(text))
    ]
