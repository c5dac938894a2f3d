"""Figures of the matrix C: its structure, one row's footprint, 1-D bands.

Large problems are drawn through a zoom window (:mod:`tconvmat.plots.zoom`): the
block of C for a few interior inputs and the outputs they reach, every entry
numbered, rather than a whole C too fine to read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.analysis.anatomy import footprint, tap_block, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style, zoom
from tconvmat.plots._defaults import (
    padding_text,
    position,
    resolve,
    settings_text,
    stride_text,
)
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Break, Panel
from tconvmat.plots.elide import Cut, cuts_of
from tconvmat.text import notation

__all__ = ["column_cut", "plot_footprint", "plot_matrix", "plot_structure_1d"]

MAX_WHOLE = 1200
"""Larger matrices are drawn as the block of an interior zoom window (every entry numbered)."""
MAX_ELIDED_COLUMNS = 60
"""Columns an elided block of C draws at most, breaks included (labels on their side)."""
ALONE = 3.0
"""C at least this many times wider than tall is drawn alone: Cᵀ, a tall strip, would leave
an empty area under C beside it (or, stacked, a portrait figure too small on a slide)."""


def _tap_labels(taps: np.ndarray, values: np.ndarray) -> list[list[str]]:
    flat = values.reshape(-1)
    return [[_style.value_label(flat[t]) if t >= 0 else "" for t in row] for row in taps.tolist()]


def _box_positions(box: tuple[slice, ...]) -> list[str]:
    """The grid positions of a box, row-major, as the figures write them."""
    return [
        position(tuple(s.start + i for s, i in zip(box, p, strict=True)))
        for p in np.ndindex(*(s.stop - s.start for s in box))
    ]


def column_cut(taps: np.ndarray) -> Cut | None:
    """The columns of a block of C (tap indices, -1: none) a figure draws when they hold
    long stretches of zeros (a stride well above the kernel): those around the entries,
    a labelled break for each stretch; None when there is no such stretch.

    Examples
    --------
    >>> from tconvmat.analysis.anatomy import tap_matrix
    >>> cut = column_cut(tap_matrix(ConvTranspose((3,), (2,), stride=1000)))
    >>> cut.labels()[:5], cut.notes[0]
    (['0', '1', '2', '', '999'], '996 zeros')
    >>> column_cut(tap_matrix(ConvTranspose((4,), (3,), stride=2))) is None
    True
    """
    reached = np.flatnonzero((taps >= 0).any(axis=0))
    cut = Cut.around(taps.shape[1], reached, most=MAX_ELIDED_COLUMNS)
    return cut if any(cut.zeros) else None


def plot_matrix(
    geometry: ConvTranspose | None = None,
    kernel: Any = None,
    highlight: tuple[int, ...] | None = None,
) -> TconvFigure:
    """C and Cᵀ, every non-zero coloured by its kernel tap and labelled with its value.

    Rows and columns carry their grid positions; heavier lines separate the
    rows of the flattened (row-major) grids. Row ``highlight`` of C (one input
    element's footprint) and the same column of Cᵀ are outlined. Any number of
    dimensions (positions are N-D). A C of more than 1 200 entries is drawn as
    the block of an interior zoom window (a few inputs around ``highlight`` and
    the outputs they reach, with their true positions), so every entry keeps its
    number; a C three times as wide as tall is drawn alone (Cᵀ is the same picture
    turned), so no empty area lies under it.
    Defaults: the worked example, highlighting input element (1, 1).
    """
    geometry, _, kernel = resolve(geometry, None, kernel)
    if highlight is None:
        highlight = tuple(n // 2 for n in geometry.in_shape)
    n_in, n_out = geometry.matrix_shape
    inputs = tuple(slice(0, n) for n in geometry.in_shape)
    outputs = tuple(slice(0, n) for n in geometry.out_shape)
    if n_in * n_out > MAX_WHOLE:
        window = zoom.interior(geometry, centre=highlight)
        inputs, outputs = window.inputs, window.outputs
    whole = not (
        zoom.zoomed("x", inputs, geometry.in_shape) or zoom.zoomed("y", outputs, geometry.out_shape)
    )
    taps = tap_block(geometry, inputs, outputs)
    in_labels, out_labels = _box_positions(inputs), _box_positions(outputs)
    cut, breaks = column_cut(taps), []
    if cut is not None:  # long stretches of zero columns: cut out, each break labelled
        taps = cut.take(taps, axis=1, fill=-1)
        out_labels = [out_labels[i] if i >= 0 else "" for i in cut.index.tolist()]
        breaks = list(cut.breaks(1))
    faces = _style.tap_faces(taps, kernel.size)
    labels = _tap_labels(taps, kernel)
    rows_drawn, columns_drawn = taps.shape
    row = int(
        np.ravel_multi_index(
            tuple(h - s.start for h, s in zip(highlight, inputs, strict=True)),
            tuple(s.stop - s.start for s in inputs),
        )
    )
    in_last, out_last = inputs[-1].stop - inputs[-1].start, outputs[-1].stop - outputs[-1].start
    if cut is not None:
        out_last = 0  # no row of the output grid is whole any more
    if whole:
        c_title = f"C ({n_in} × {n_out}): row = input element"
        t_title = f"Cᵀ ({n_out} × {n_in}): y = Cᵀx"
    else:
        c_title = (
            f"C ({n_in} × {n_out}), zoomed: rows {notation.region('x', inputs)}, "
            f"columns {notation.region('y', outputs)}\n"
            "(interior inputs and every output they reach)"
        )
        t_title = f"Cᵀ ({n_out} × {n_in}), the same block turned: y = Cᵀx"
    if cut is not None:
        c_title += "\n(columns of zeros cut out: each break says how many)"
    left = Panel(
        faces,
        labels,
        c_title,
        row_labels=in_labels,
        col_labels=out_labels,
        upright_columns=False,
        row_groups=in_last,
        col_groups=out_last,
        outlines=[_style.outline(row, 0, 1, columns_drawn)],
        xlabel="output position",
        ylabel="input position",
        breaks=breaks,
    )
    right = Panel(
        faces.T,
        [list(r) for r in zip(*labels, strict=True)],
        t_title,
        row_labels=out_labels,
        col_labels=in_labels,
        upright_columns=False,
        row_groups=out_last,
        col_groups=in_last,
        outlines=[_style.outline(0, row, columns_drawn, 1)],
        xlabel="input position",
        ylabel="output position",
        breaks=[Break(0, b.position, b.skipped, b.text) for b in breaks],
    )
    ratio = columns_drawn / rows_drawn
    if ratio >= ALONE:  # Cᵀ would be a tall strip beside or under it: C gets the room
        rows: list[list[Panel | None]] = [[left]]
        left.title += "\nCᵀ is this picture turned (rows ↔ columns): y = Cᵀx"
    else:
        rows = [[left, right]]
    return TconvFigure(
        Board(
            rows,
            title=(
                "The matrix of the convolution and its transpose; outlined: input "
                f"{position(highlight)}\n{settings_text(geometry)}"
            ),
            legend=_style.tap_legend(kernel),
            legend_title="kernel tap (colour and number)",
            align_columns=False,
        )
    )


def plot_footprint(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    elements: tuple[tuple[int, ...], ...] | None = None,
) -> TconvFigure:
    """One row of C on the output grid: the kernel placed at an input's strided place, cropped.

    For each chosen input element: the input with the element marked, its row
    of C reshaped to the output grid (each entry a kernel tap, in its tap colour
    as in :func:`plot_matrix`), and ``x[i]`` times that row (what the element
    contributes to y, on the figure's one value scale with x). 1-D grids are one
    row, 3-D grids their slices side by side; an output grid too large for its
    numbers is drawn around the stamp (a zoom window, true indices). Defaults: an
    interior and a corner element of the worked example, so the crop of the
    padding shows.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    if not geometry.single_channel:
        raise ValueError("plot_footprint draws one input and one output channel")
    if elements is None:
        elements = (tuple(n // 2 for n in geometry.in_shape), (0,) * geometry.ndim)
    top = _style.scale(x, float(np.max(np.abs(x))) * float(np.max(np.abs(kernel))))
    large = zoom.is_large(geometry.out_shape)
    rows = []
    for element in elements:
        if large:
            window = zoom.interior(geometry, centre=element)
            seen, box = window.inputs, window.outputs
        else:
            seen = tuple(slice(0, n) for n in geometry.in_shape)
            box = tuple(slice(0, n) for n in geometry.out_shape)
        origin = tuple(b.start for b in box)
        inputs = tuple(slice(i, i + 1) for i in element)
        taps = tap_block(geometry, inputs, box).reshape([b.stop - b.start for b in box])
        row = footprint(geometry, kernel, element)[box]
        cuts = cuts_of(  # around the stamp: a large stride leaves long stretches of zeros
            row.shape,
            [
                line.landing()[i] - b.start
                for line, i, b in zip(geometry.axes, element, box, strict=True)
            ],
        )
        where = zoom.zoom_line("y", box, geometry.out_shape)
        title = f"input x, element {position(element)} = {_style.value_label(x[element])}"
        rows.append(
            [
                _style.marked_panel(
                    x[seen],
                    title + zoom.zoom_line("x", seen, geometry.in_shape),
                    tuple(e - s.start for e, s in zip(element, seen, strict=True)),
                    top,
                    origin=tuple(s.start for s in seen),
                ),
                _style.tap_panel(
                    row,
                    taps,
                    kernel.size,
                    f"row {position(element)} of C on the output grid{where}",
                    origin=origin,
                    cuts=cuts,
                ),
                _style.value_panel(
                    x[element] * row,
                    f"x{position(element)} · row = its contribution{where}",
                    show_zero=False,
                    vmax=top,
                    origin=origin,
                    cuts=cuts,
                ),
            ]
        )
    return TconvFigure(
        Board(
            rows,
            title=(
                "Footprint: each input element stamps the kernel at stride "
                f"{stride_text(geometry)}, cropped by padding {padding_text(geometry)}"
            ),
            legend=_style.tap_legend(kernel),
            legend_title="kernel tap",
        )
    )


def _band_panel(geometry: ConvTranspose, kernel: np.ndarray, title: str) -> Panel:
    taps = tap_matrix(geometry)
    return Panel(
        _style.tap_faces(taps, kernel.size),
        _tap_labels(taps, kernel),
        title,
        row_labels=_style.index_names(taps.shape[0]),
        col_labels=_style.index_names(taps.shape[1]),
        xlabel="output index t",
        ylabel="input index i",
    )


def plot_structure_1d(in_size: int = 5, kernel: Any = (1, 2, 3)) -> TconvFigure:
    """1-D C: stride 1 (a Toeplitz band), stride 2 (a stepped band), dilation 2 (spread taps)."""
    kernel = np.asarray(kernel)
    cases = [
        ("stride 1: Toeplitz band", {"stride": 1}),
        ("stride 2: stepped band", {"stride": 2}),
        ("stride 1, dilation 2: spread taps", {"dilation": 2}),
    ]
    panels: list[Panel | None] = []
    for title, settings in cases:
        g = ConvTranspose((in_size,), kernel.shape, **settings)
        shape = f"C is {g.matrix_shape[0]} × {g.matrix_shape[1]}"
        panels.append(_band_panel(g, kernel, f"{title}\n{shape}"))
    return TconvFigure(
        Board(
            [panels],
            title=(
                "1-D convolution matrices in general (an example, not your problem): "
                f"input {in_size}, kernel {kernel.tolist()}"
            ),
            legend=_style.tap_legend(kernel),
            legend_title="kernel tap",
            align_columns=False,
        )
    )
