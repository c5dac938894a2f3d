"""Shared look of every figure: palette, fonts, and a cell-grid drawer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from tconvmat import _text, palette
from tconvmat.palette import (
    ACCENT,
    CELL_BORDER,
    CROPPED,
    EMPTY,
    GRID,
    HIGHLIGHT,
    INSERTED,
    phase_colors,
    tap_colors,
)

__all__ = [
    "ACCENT",
    "CELL_BORDER",
    "CROPPED",
    "EMPTY",
    "GRID",
    "HIGHLIGHT",
    "INSERTED",
    "phase_colors",
    "tap_colors",
]

VALUE_MAP = mpl.colors.LinearSegmentedColormap.from_list("tconvmat_values", palette.VALUE_STOPS)
"""The value ramp of :mod:`tconvmat.palette` as a matplotlib colour map (for colour bars)."""

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "figure.titlesize": 18,
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "svg.hashsalt": "tconvmat",
    "axes.linewidth": 0.8,
}


@contextmanager
def style() -> Iterator[None]:
    """Matplotlib settings of every tconvmat figure (fixed fonts, sizes, no randomness)."""
    with mpl.rc_context(cast(Any, RC)):
        yield


def text_color(face: Any) -> str:
    """Black or white text, whichever reads better on ``face``."""
    r, g, b, _ = to_rgba(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def value_label(value: Any) -> str:
    """Cell text in the one notation (:func:`tconvmat._text.value`), with a figure's digits."""
    return _text.value(value, digits=_text.FIGURE_DIGITS)


MAX_LABELLED_CELLS = 200
"""Value grids with more cells are drawn without their numbers."""
MAX_BORDERED = 48
"""Grids longer than this on a side get no cell borders and a tick every few cells."""


def fit_fontsize(rows: int, columns: int, base: float = 13.0) -> float:
    """Smaller text for bigger grids, never below 7 points."""
    return max(7.0, min(base, base * 10 / max(rows, columns, 1) ** 0.8))


def draw_cells(
    ax: Axes,
    faces: np.ndarray,
    labels: Sequence[Sequence[str]] | None = None,
    *,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    fontsize: float | None = None,
    row_groups: int = 0,
    col_groups: int = 0,
    upright_columns: bool = False,
) -> bool:
    """Draw a grid of coloured cells with optional text, like a printed matrix.

    ``faces`` is an ``(rows, columns)`` array of colours (strings).
    ``row_groups``/``col_groups`` draw heavier lines every that many cells
    (between the rows of an N-D grid that was flattened row-major). Column labels
    are turned on their side unless ``upright_columns``. Labels are
    left out when they would not fit their cells, and ticks thinned to what fits
    the axis; returns whether the labels were drawn.
    """
    rows, columns = faces.shape
    colors, inverse = np.unique(faces.astype(str), return_inverse=True)
    rgba = np.array([to_rgba(color) for color in colors])[inverse.reshape(-1)]
    rgba = rgba.reshape(*faces.shape, 4)
    ax.imshow(rgba, interpolation="nearest", aspect="equal", clip_on=False)  # see the borders
    small = max(rows, columns) <= MAX_BORDERED
    if small:  # cell borders, only over the cells; on large grids they would be a grey wash
        # Unclipped (they lie inside the axes anyway): matplotlib's SVG names a clip path
        # after the clipping object's memory address, which would change between runs.
        border: dict[str, Any] = {"color": CELL_BORDER, "linewidth": 0.6, "clip_on": False}
        ax.hlines(np.arange(rows + 1) - 0.5, -0.5, columns - 0.5, **border)
        ax.vlines(np.arange(columns + 1) - 0.5, -0.5, rows - 0.5, **border)
    for every, draw, count in ((row_groups, ax.axhline, rows), (col_groups, ax.axvline, columns)):
        if every and every < count and count // every <= MAX_BORDERED:
            for position in range(every, count, every):
                draw(position - 0.5, color=GRID, linewidth=1.8)
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    size = fontsize or fit_fontsize(rows, columns)
    width_pt, height_pt = _axes_points(ax)
    cell_pt = min(width_pt / columns, height_pt / rows)
    drawn = (
        labels is not None
        and rows * columns <= 4 * MAX_LABELLED_CELLS
        and text_width(max((len(t) for row in labels for t in row), default=0), size) <= cell_pt
    )
    if drawn:
        assert labels is not None
        for r in range(rows):
            for c in range(columns):
                if labels[r][c]:
                    ax.text(
                        c,
                        r,
                        labels[r][c],
                        ha="center",
                        va="center",
                        fontsize=size,
                        color=text_color(faces[r, c]),
                    )
    tick = max(7.0, size - 1)
    for which, count, names in (("x", columns, col_labels), ("y", rows, row_labels)):
        set_ticks = ax.set_xticks if which == "x" else ax.set_yticks
        if not names:
            set_ticks([])
            continue
        step = max(1, -(-count // MAX_BORDERED))  # every label on small grids, a few on large
        # and no more than fit side by side (upright columns: their widest label; else a line)
        room = width_pt if which == "x" else height_pt
        need = 1.4 * tick
        if which == "x" and upright_columns:
            need = text_width(max(map(len, names)), tick) + tick
        step = max(step, -(-count // max(1, int(room // need))))
        shown = list(range(0, count, step))
        set_ticks(shown, [names[i] for i in shown], fontsize=tick)
        if which == "x" and not upright_columns:
            ax.tick_params(axis="x", labelrotation=90)
    return drawn


def _axes_points(ax: Axes) -> tuple[float, float]:
    """The axes' width and height in points (before the layout engine's adjustments)."""
    box = ax.get_position()
    width, height = cast("Figure", ax.get_figure(root=True)).get_size_inches()
    return box.width * width * 72, box.height * height * 72


def text_width(characters: int, fontsize: float) -> float:
    """Estimated width in points of a label (digits are about 0.6 em wide)."""
    return 0.62 * fontsize * characters


def outline(ax: Axes, row: float, col: float, height: float, width: float, **style: Any) -> None:
    """A rectangle around cells ``[row, row + height) × [col, col + width)``."""
    options: dict[str, Any] = {"fill": False, "edgecolor": HIGHLIGHT, "linewidth": 3}
    options.update(style)
    ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, **options))


def value_faces(values: np.ndarray, vmax: float | None = None, zero: str = EMPTY) -> np.ndarray:
    """Colours of a value grid on the sequential map; zeros stay white."""
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    top = vmax if vmax is not None else max(float(finite.max(initial=0.0)), 1e-12)
    # Each distinct colour is written as hex once (grids repeat few colours).
    rgb = np.rint(palette.value_rgb(values, top)).astype(np.int64)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    unique, inverse = np.unique(packed.reshape(-1), return_inverse=True)
    names = np.array([f"#{int(v):06X}" for v in unique], dtype=object)
    faces = names[inverse.reshape(-1)].reshape(values.shape)
    faces[values == 0] = zero
    return faces


def draw_values(
    ax: Axes,
    values: np.ndarray,
    title: str,
    *,
    vmax: float | None = None,
    show_zero: bool = True,
    fontsize: float | None = None,
    faces: np.ndarray | None = None,
    index_labels: bool = True,
    legend: bool | None = None,
) -> None:
    """A 2-D value grid with its numbers printed in the cells (1-D arrays as one row).

    Grids of more than :data:`MAX_LABELLED_CELLS` cells, or whose numbers would not fit
    their cells, show colours only (drawing thousands of numbers is most of the time).
    Their colours then get a colour bar, unless ``faces`` colours the cells some other
    way or ``legend`` is False (panels that share another panel's bar).
    """
    values = np.atleast_2d(values)
    legend = faces is None if legend is None else legend
    faces = value_faces(values, vmax) if faces is None else np.atleast_2d(faces)
    rows, columns = values.shape
    labels = None
    if rows * columns <= MAX_LABELLED_CELLS:
        labels = [
            [(value_label(v) if (show_zero or v != 0) else "") for v in row]
            for row in values.tolist()
        ]
    drawn = draw_cells(
        ax,
        faces,
        labels,
        fontsize=fontsize,
        row_labels=[str(i) for i in range(rows)] if index_labels and rows > 1 else None,
        col_labels=[str(i) for i in range(columns)] if index_labels else None,
        upright_columns=True,
    )
    ax.set_title(title)
    if legend and not drawn:
        _colour_bar(ax, values, vmax)


def _colour_bar(ax: Axes, values: np.ndarray, vmax: float | None) -> None:
    """The scale of :func:`value_faces` (zeros are white, not on the bar)."""
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    top = vmax if vmax is not None else max(float(finite.max(initial=0.0)), 1e-12)
    mappable = mpl.cm.ScalarMappable(mpl.colors.Normalize(0, top), VALUE_MAP)
    label = "|value|" if (values < 0).any() else "value"
    bar = ax.figure.colorbar(mappable, ax=ax, fraction=0.046, pad=0.03, label=label)
    if np.all(finite == np.round(finite)):  # counts and integer data: whole-number ticks
        bar.locator = mpl.ticker.MaxNLocator(integer=True)
        bar.update_ticks()
