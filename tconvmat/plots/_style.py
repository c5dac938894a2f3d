"""Shared look of every figure: the palette's colours, value grids as panels, matplotlib settings.

Grid figures are :class:`~tconvmat.plots.board.Board` data (no matplotlib); :func:`value_panel`
is the one way a grid of numbers becomes a panel (numbers in the cells where they fit, else a
colour bar). :func:`style` holds the settings of the few figures drawn with matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import numpy as np

from tconvmat.plots.board import MAX_NUMBERS, ColourBar, Outline, Panel
from tconvmat.plots.elide import Cut
from tconvmat.plots.palette import (
    ACCENT,
    CELL_BORDER,
    CROPPED,
    EMPTY,
    GRID,
    HIGHLIGHT,
    INSERTED,
    PENDING,
    phase_colors,
    tap_colors,
    value_rgb,
)
from tconvmat.text import notation

__all__ = [
    "ACCENT",
    "CELL_BORDER",
    "CROPPED",
    "EMPTY",
    "GRID",
    "HIGHLIGHT",
    "INSERTED",
    "PENDING",
    "RC",
    "colour_bar",
    "flat",
    "flat_index",
    "flat_outlines",
    "grid_labels",
    "hatch_pending",
    "index_names",
    "kernel_panel",
    "marked_panel",
    "outline",
    "phase_colors",
    "scale",
    "slices_note",
    "style",
    "take",
    "tap_colors",
    "tap_faces",
    "tap_legend",
    "tap_panel",
    "value_faces",
    "value_label",
    "value_panel",
]

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.titleweight": "bold",
    "figure.titlesize": 16,
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "svg.hashsalt": "tconvmat",
    "axes.linewidth": 0.8,
}
"""matplotlib settings of the figures drawn with matplotlib (fixed fonts, no randomness)."""


@contextmanager
def style() -> Iterator[None]:
    """Matplotlib settings of every tconvmat figure drawn with matplotlib."""
    import matplotlib as mpl

    with mpl.rc_context(cast(Any, RC)):
        yield


def value_label(value: Any) -> str:
    """Cell text in the one notation (:func:`~tconvmat.text.notation.value`), a figure's digits."""
    return notation.value(value, digits=notation.FIGURE_DIGITS)


def _top(values: np.ndarray, vmax: float | None) -> float:
    finite = np.abs(values[np.isfinite(values)])
    return float(vmax) if vmax is not None else max(float(finite.max(initial=0.0)), 1e-12)


def scale(*arrays: Any) -> float:
    """The one value scale of a figure: the largest magnitude of all its value grids.

    Every value panel of a figure is coloured on it, so a number has one colour
    wherever it appears in the figure (kernel taps take tap colours instead).

    >>> scale([[3, 2], [0, 7]], [12, -28])
    28.0
    """
    tops = [_top(np.asarray(a, dtype=float).reshape(-1), None) for a in arrays]
    return max([*tops, 1e-12])


def value_faces(values: Any, vmax: float | None = None, zero: str = EMPTY) -> np.ndarray:
    """Colours of a value grid on the value ramp, by magnitude; zeros ``zero`` (white)."""
    values = np.asarray(values, dtype=float)
    rgb = np.rint(value_rgb(values, _top(values, vmax))).astype(np.int64)
    packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    unique, inverse = np.unique(packed.reshape(-1), return_inverse=True)
    names = np.array([f"#{int(v):06X}" for v in unique], dtype=object)
    faces = names[inverse.reshape(-1)].reshape(values.shape)
    faces[values == 0] = zero
    return faces


def colour_bar(values: Any, vmax: float | None = None) -> ColourBar:
    """The scale of :func:`value_faces` for these values (whole-number ticks for counts)."""
    values = np.asarray(values, dtype=float)
    finite = np.abs(values[np.isfinite(values)])
    label = "|value|" if (values < 0).any() else "value"
    return ColourBar(_top(values, vmax), label, bool(np.all(finite == np.round(finite))))


def grid_labels(values: np.ndarray, show_zero: bool = True) -> list[list[str]] | None:
    """The text of each cell (None for grids too large to write their numbers)."""
    if values.size > MAX_NUMBERS:
        return None
    return [
        [value_label(v) if (show_zero or v != 0) else "" for v in row] for row in values.tolist()
    ]


def index_names(count: int, start: int = 0) -> list[str]:
    """``0, 1, 2, …`` (from ``start``): index labels along one side of a grid."""
    return [str(i) for i in range(start, start + count)]


def tap_faces(taps: Any, count: int) -> np.ndarray:
    """Colours of a grid of flat kernel tap indices (-1: no tap, white)."""
    taps = np.asarray(taps)
    faces = np.full(taps.shape, EMPTY, dtype=object)
    filled = taps >= 0
    faces[filled] = np.array(tap_colors(count), dtype=object)[taps[filled]]
    return faces


def tap_legend(kernel: Any) -> list[tuple[str, str]]:
    """One legend entry per kernel tap: its colour and ``w[0,1] = 2`` (row-major taps)."""
    kernel = np.asarray(kernel)
    colors = tap_colors(kernel.size)
    return [
        (colors[t], f"w{notation.position(j)} = {value_label(kernel[j])}")
        for t, j in enumerate(np.ndindex(*kernel.shape))
    ]


def tap_panel(
    values: Any,
    taps: Any,
    count: int,
    title: str,
    *,
    index_labels: bool = True,
    origin: tuple[int, ...] | None = None,
    cuts: tuple[Cut, ...] | None = None,
) -> Panel:
    """Kernel taps: each cell in its tap's colour, with its value; cells without a tap (-1) blank.

    ``values`` and ``taps`` have the same shape (1-D as one row, 3-D as its slices side
    by side); ``count`` is the kernel's number of taps; ``cuts`` draw it elided (see
    :func:`value_panel`).
    """
    taps = np.asarray(taps)
    panel = value_panel(
        values,
        title,
        faces=tap_faces(taps, count),
        index_labels=index_labels,
        origin=origin,
        cuts=cuts,
    )
    if panel.breaks and cuts is not None:
        values, taps = take(values, cuts), take(taps, cuts, -1)
    grid, where = flat(np.asarray(values)), flat(taps)
    panel.labels = [
        [value_label(v) if t >= 0 else "" for v, t in zip(row, trow, strict=True)]
        for row, trow in zip(grid.tolist(), where.tolist(), strict=True)
    ]
    return panel


def marked_panel(
    values: Any,
    title: str,
    element: tuple[int, ...] | None,
    vmax: float,
    *,
    origin: tuple[int, ...] | None = None,
) -> Panel:
    """A value grid with one element pointed at: filled in the accent colour and outlined
    (so it shows without colour too). ``element`` indexes ``values``; None marks none."""
    values = np.asarray(values)
    faces = flat(value_faces(values, vmax))
    if element is not None:
        faces[flat_index(element, values.shape)] = ACCENT
    panel = value_panel(values, title, faces=faces, origin=origin)
    if element is not None:
        panel.outlines += flat_outlines(element, (1,) * values.ndim, values.shape)
    return panel


def kernel_panel(kernel: Any, title: str = "kernel w", *, index_labels: bool = True) -> Panel:
    """The kernel, each tap in its tap colour with its value (as in C's legend)."""
    kernel = np.asarray(kernel)
    taps = np.arange(kernel.size).reshape(kernel.shape)
    return tap_panel(kernel, taps, kernel.size, title, index_labels=index_labels)


def hatch_pending(panel: Panel, done: np.ndarray, cuts: tuple[Cut, ...] | None = None) -> Panel:
    """Hatch the cells of ``panel`` not yet computed (``done`` False) and blank their text,
    so a computed 0 (written "0") never looks like a cell still to come (``cuts``: the
    panel is elided; its breaks stay blank)."""
    if panel.breaks and cuts is not None:
        done = take(done, cuts, True)
    pending = ~flat(done)
    panel.hatched = pending
    panel.faces[pending] = PENDING
    if panel.labels is not None:
        panel.labels = [
            [t if not p else "" for t, p in zip(row, prow, strict=True)]
            for row, prow in zip(panel.labels, pending.tolist(), strict=True)
        ]
    return panel


def outline(
    row: float, col: float, height: float, width: float, color: str = HIGHLIGHT, **style: Any
) -> Outline:
    """A rectangle around cells ``[row, row + height) × [col, col + width)``."""
    return Outline(row, col, height, width, color, **style)


def value_panel(
    values: Any,
    title: str,
    *,
    vmax: float | None = None,
    show_zero: bool = True,
    faces: np.ndarray | None = None,
    index_labels: bool = True,
    legend: bool | None = None,
    font: float | None = None,
    origin: tuple[int, ...] | None = None,
    cuts: tuple[Cut, ...] | None = None,
) -> Panel:
    """A value grid (1-D as one row, 3-D as its slices side by side) with its numbers.

    Where they do not fit (large grids), a colour bar gives the scale, unless
    ``faces`` colours the cells some other way or ``legend`` is False (panels
    that share another panel's bar). ``origin`` is the index of the first element
    when the grid is a window of a larger one: the index labels count from it.
    ``cuts`` (one :class:`~tconvmat.plots.elide.Cut` per axis of a 1-D or 2-D grid)
    draw it elided: the kept cells, a break for each stretch left out; the colour
    scale is still the whole grid's.
    """
    array = np.asarray(values)
    start = tuple(origin) if origin is not None else (0,) * array.ndim
    if cuts is not None and array.ndim <= 2 and any(c.elided for c in cuts):
        return _elided_panel(
            array, title, cuts, start, vmax, show_zero, faces, index_labels, legend
        )
    grid = flat(array)
    legend = faces is None if legend is None else legend
    cells = value_faces(grid, vmax) if faces is None else flat(faces)
    rows, columns = grid.shape
    numeric = grid.dtype.kind in "iufb"
    width = array.shape[-1] if array.ndim == 3 else columns
    row_start, col_start = (0, start[0]) if array.ndim == 1 else (start[-2], start[-1])
    return Panel(
        cells,
        grid_labels(grid, show_zero),
        title,
        row_labels=index_names(rows, row_start) if index_labels and rows > 1 else None,
        col_labels=[str(c % width + col_start) for c in range(columns)] if index_labels else None,
        bar=colour_bar(grid, vmax) if legend and numeric else None,
        font=font,
        col_groups=width if array.ndim == 3 else 0,
        slice_gaps=array.ndim == 3,
        xlabel=slices_note(array.shape, start[0] if array.ndim == 3 else 0) if index_labels else "",
    )


def take(array: Any, cuts: tuple[Cut, ...], fill: Any = 0) -> np.ndarray:
    """The drawn cells of a 1-D or 2-D ``array`` (one cut per axis), ``fill`` at breaks."""
    drawn = np.asarray(array)
    for axis, cut in enumerate(cuts):
        drawn = cut.take(drawn, axis=axis, fill=fill)
    return drawn


def _elided_panel(
    array: np.ndarray,
    title: str,
    cuts: tuple[Cut, ...],
    origin: tuple[int, ...],
    vmax: float | None,
    show_zero: bool,
    faces: np.ndarray | None,
    index_labels: bool,
    legend: bool | None,
) -> Panel:
    numeric = array.dtype.kind in "iufb"
    top = vmax if vmax is not None or not numeric else _top(array.astype(float), None)
    grid = np.atleast_2d(take(array, cuts))
    gaps = np.zeros(grid.shape, dtype=bool)
    for axis, cut in enumerate(cuts[::-1]):  # 1-D: the one cut is the columns'
        index = cut.index < 0
        gaps |= index[None, :] if axis == 0 else index[:, None]
    cells = value_faces(grid, top) if faces is None else np.atleast_2d(take(faces, cuts, EMPTY))
    cells[gaps] = EMPTY
    labels = grid_labels(grid, show_zero)
    if labels is not None:
        labels = [
            [t if not g else "" for t, g in zip(row, grow, strict=True)]
            for row, grow in zip(labels, gaps.tolist(), strict=True)
        ]
    legend = faces is None if legend is None else legend
    rows = cuts[0] if len(cuts) == 2 else None
    return Panel(
        cells,
        labels,
        title,
        row_labels=rows.labels(origin[0]) if rows is not None and index_labels else None,
        col_labels=cuts[-1].labels(origin[-1]) if index_labels else None,
        bar=colour_bar(array, top) if legend and numeric else None,
        breaks=(*cuts[-1].breaks(1), *(rows.breaks(0) if rows is not None else ())),
    )


def flat(array: Any) -> np.ndarray:
    """A grid to draw: 1-D as one row, 2-D as is, 3-D as its slices side by side.

    >>> flat(np.arange(8).reshape(2, 2, 2)).tolist()
    [[0, 1, 4, 5], [2, 3, 6, 7]]
    """
    array = np.asarray(array)
    if array.ndim <= 2:
        return np.atleast_2d(array)
    depth, rows, columns = array.shape
    return array.transpose(1, 0, 2).reshape(rows, depth * columns)


def flat_index(index: tuple[int, ...], shape: tuple[int, ...]) -> tuple[int, int]:
    """Where element ``index`` of an array of ``shape`` sits in :func:`flat` of it."""
    if len(shape) == 1:
        return 0, index[0]
    if len(shape) == 2:
        return index[0], index[1]
    return index[1], index[0] * shape[2] + index[2]


def flat_outlines(
    start: tuple[int, ...],
    extent: tuple[int, ...],
    shape: tuple[int, ...],
    cuts: tuple[Cut, ...] | None = None,
    **style: Any,
) -> list[Outline]:
    """Outlines of the block ``start + [0, extent)`` in :func:`flat` (one per 3-D slice);
    with ``cuts``, where the block is drawn in the elided grid."""
    if cuts is not None and len(shape) <= 2:
        spans = [c.span(s, e) for c, s, e in zip(cuts, start, extent, strict=True)]
        if len(shape) == 1:
            return [outline(0, spans[0][0], 1, spans[0][1], **style)]
        return [outline(spans[0][0], spans[1][0], spans[0][1], spans[1][1], **style)]
    if len(shape) == 1:
        return [outline(0, start[0], 1, extent[0], **style)]
    if len(shape) == 2:
        return [outline(start[0], start[1], extent[0], extent[1], **style)]
    return [
        outline(start[1], d * shape[2] + start[2], extent[1], extent[2], **style)
        for d in range(max(start[0], 0), min(start[0] + extent[0], shape[0]))
    ]


def slices_note(shape: tuple[int, ...], first: int = 0) -> str:
    """How a flattened 3-D grid reads (empty for 1-D and 2-D)."""
    if len(shape) != 3:
        return ""
    return f"slices {first}–{first + shape[0] - 1} of the first axis, left to right"
