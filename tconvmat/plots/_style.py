"""Shared look of every figure: palette, fonts, and a cell-grid drawer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

# Paul Tol's "light" scheme: distinct for colour-blind readers, dark text stays legible.
TAP_COLORS = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)
EMPTY = "#FFFFFF"
INSERTED = "#E4E4E4"  # inserted zeros and cropped cells
CROPPED = "#A8A8A8"  # a kernel tap that the padding crops away
GRID = "#888888"
HIGHLIGHT = "#000000"
ACCENT = "#CC3311"  # Tol vibrant red, for windows and crops
VALUE_MAP = "viridis"

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


def tap_colors(count: int) -> list[str]:
    """One colour per kernel tap; beyond nine taps, samples of a colour-blind-safe map."""
    if count <= len(TAP_COLORS):
        return list(TAP_COLORS[:count])
    cmap = mpl.colormaps["cividis"]
    return [mpl.colors.to_hex(cmap(0.25 + 0.75 * i / (count - 1))) for i in range(count)]


def text_color(face: Any) -> str:
    """Black or white text, whichever reads better on ``face``."""
    r, g, b, _ = to_rgba(face)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def value_label(value: Any) -> str:
    """Cell text: integers plainly, floats with three significant digits."""
    if isinstance(value, float | np.floating):
        return f"{value:.3g}"
    return str(value)


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
) -> None:
    """Draw a grid of coloured cells with optional text, like a printed matrix.

    ``faces`` is an ``(rows, columns)`` array of colours (strings).
    ``row_groups``/``col_groups`` draw heavier lines every that many cells
    (between the rows of an N-D grid that was flattened row-major).
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
        border: dict[str, Any] = {"color": "#CCCCCC", "linewidth": 0.6, "clip_on": False}
        ax.hlines(np.arange(rows + 1) - 0.5, -0.5, columns - 0.5, **border)
        ax.vlines(np.arange(columns + 1) - 0.5, -0.5, rows - 0.5, **border)
    for every, draw, count in ((row_groups, ax.axhline, rows), (col_groups, ax.axvline, columns)):
        if every and every < count and count // every <= MAX_BORDERED:
            for position in range(every, count, every):
                draw(position - 0.5, color=GRID, linewidth=1.8)
    ax.set_xlim(-0.5, columns - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    size = fontsize or fit_fontsize(rows, columns)
    if labels is not None and rows * columns <= 4 * MAX_LABELLED_CELLS:
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
        shown = list(range(0, count, step))
        set_ticks(shown, [names[i] for i in shown], fontsize=tick)
        if which == "x":
            ax.tick_params(axis="x", labelrotation=90)


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
    cmap = mpl.colormaps[VALUE_MAP]
    # The map has a finite table of colours: convert each distinct one to hex once.
    levels = cmap(np.nan_to_num(0.15 + 0.8 * np.abs(values) / top, nan=1.0, posinf=1.0))
    unique, inverse = np.unique(levels.reshape(-1, 4), axis=0, return_inverse=True)
    names = np.array([mpl.colors.to_hex(color) for color in unique], dtype=object)
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
) -> None:
    """A 2-D value grid with its numbers printed in the cells (1-D arrays as one row).

    Grids of more than :data:`MAX_LABELLED_CELLS` cells show colours only: their numbers
    would be too small to read, and drawing thousands of them is most of the time.
    """
    values = np.atleast_2d(values)
    faces = value_faces(values, vmax) if faces is None else np.atleast_2d(faces)
    rows, columns = values.shape
    labels = None
    if rows * columns <= MAX_LABELLED_CELLS:
        labels = [
            [(value_label(v) if (show_zero or v != 0) else "") for v in row]
            for row in values.tolist()
        ]
    draw_cells(
        ax,
        faces,
        labels,
        fontsize=fontsize,
        row_labels=[str(i) for i in range(rows)] if index_labels and rows > 1 else None,
        col_labels=[str(i) for i in range(columns)] if index_labels else None,
    )
    ax.tick_params(axis="x", rotation=0)
    ax.set_title(title)
