"""Figures of the matrix C: its structure, one row's footprint, 1-D bands, channel blocks."""

from __future__ import annotations

from itertools import islice
from typing import Any

import numpy as np

from tconvmat.anatomy import footprint, reached_columns, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import padding_text, position, resolve, stride_text, tap_name
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import MAX_NUMBERS, Board, Break, Panel
from tconvmat.plots.elide import ELIDE_ABOVE, MAX_DRAWN, Cut, cuts_of

__all__ = [
    "drawn_taps",
    "matrix_cuts",
    "plot_channels",
    "plot_footprint",
    "plot_matrix",
    "plot_structure_1d",
]

MAX_PAIRED = 20_000
"""Larger matrices draw C alone: Cᵀ is the same picture turned, and C gets the room."""
MAX_DRAWN_CELLS = 250_000
"""Larger matrices are drawn as their top-left block (the first rows and what they reach)."""
MAX_ELIDED_COLUMNS = 60
"""Columns an elided C draws at most, breaks included (its labels stand on their side)."""


def _tap_faces(taps: np.ndarray, colors: list[str]) -> np.ndarray:
    faces = np.full(taps.shape, _style.EMPTY, dtype=object)
    filled = taps >= 0
    faces[filled] = np.array(colors, dtype=object)[taps[filled]]
    return faces


def _tap_labels(taps: np.ndarray, values: np.ndarray) -> list[list[str]] | None:
    if taps.size > MAX_NUMBERS:
        return None
    flat = values.reshape(-1)
    return [[_style.value_label(flat[t]) if t >= 0 else "" for t in row] for row in taps.tolist()]


def tap_legend(kernel: np.ndarray, colors: list[str]) -> list[tuple[str, str]]:
    """One legend entry per kernel tap: its colour and ``w[0,1] = 2``."""
    return [
        (colors[t], f"{tap_name(j)} = {_style.value_label(kernel[j])}")
        for t, j in enumerate(np.ndindex(*kernel.shape))
    ]


def _positions(index: np.ndarray, shape: tuple[int, ...]) -> list[str]:
    """Grid positions of flat indices (``""`` at an elided grid's breaks)."""
    return [position(np.unravel_index(i, shape)) if i >= 0 else "" for i in index.tolist()]


def matrix_cuts(geometry: ConvTranspose) -> tuple[Cut, Cut] | None:
    """The rows and columns of C a figure draws when its columns hold long stretches of
    zeros (a stride well above the kernel): every row up to 48 (else the first and last
    ones) and the columns around their entries. None when C has no such stretch: it is
    then drawn whole (or its top-left block), a picture of its band.

    Examples
    --------
    >>> rows, columns = matrix_cuts(ConvTranspose((3,), (2,), stride=1000))
    >>> rows.size, columns.labels()[:5], columns.breaks()[0].text
    (3, ['0', '1', '2', '', '999'], '996 zeros')
    >>> matrix_cuts(ConvTranspose((16, 16), (3, 3), stride=2, padding=1)) is None
    True
    """
    n_in, n_out = geometry.matrix_shape
    if n_out <= ELIDE_ABOVE:
        return None
    every = reached_columns(geometry, np.arange(n_in))
    for most in (MAX_DRAWN, 24, 16, 12, 8, 6):  # fewer rows until their entries all show
        rows = Cut.around(n_in, np.arange(n_in), above=most, most=most)
        reached = reached_columns(geometry, rows.index[rows.index >= 0])
        columns = Cut.around(n_out, reached, most=MAX_ELIDED_COLUMNS, occupied=every)
        if np.isin(reached, columns.index).all():
            break
    return (rows, columns) if any(columns.zeros) else None


def drawn_taps(geometry: ConvTranspose, cuts: tuple[Cut, Cut]) -> np.ndarray:
    """The taps of C (see :func:`tconvmat.anatomy.tap_matrix`) in the rows and columns the
    ``cuts`` draw, -1 where there is none and at the breaks."""
    rows, columns = cuts
    taps = np.full((rows.size, columns.size), -1, dtype=np.int64)
    taps[np.ix_(rows.index >= 0, columns.index >= 0)] = tap_matrix(
        geometry, rows=rows.index[rows.index >= 0], columns=columns.index[columns.index >= 0]
    )
    return taps


def plot_matrix(
    geometry: ConvTranspose | None = None,
    kernel: Any = None,
    highlight: tuple[int, ...] | None = None,
) -> TconvFigure:
    """C and Cᵀ side by side, every non-zero coloured by its kernel tap and labelled with its value.

    Rows and columns carry their grid positions; heavier lines separate the
    rows of the flattened (row-major) grids. Row ``highlight`` of C (one input
    element's footprint) and the same column of Cᵀ are outlined. Any number of
    dimensions (positions are N-D); large matrices show their numbers only where
    they fit, and their top-left block beyond 250 000 entries. A C whose columns
    hold long stretches of zeros (a large stride) is drawn elided
    (:func:`matrix_cuts`): the columns around the entries, a labelled break for each
    stretch. Defaults: the worked example, highlighting input element (1, 1).
    """
    geometry, _, kernel = resolve(geometry, None, kernel)
    if highlight is None:
        highlight = tuple(n // 2 for n in geometry.in_shape)
    colors = _style.tap_colors(kernel.size)
    rows, columns = geometry.matrix_shape
    row = int(np.ravel_multi_index(highlight, geometry.in_shape))
    cuts = matrix_cuts(geometry)
    if cuts is not None:
        row_cut, column_cut = cuts
        taps = drawn_taps(geometry, cuts)
        in_labels = _positions(row_cut.index, geometry.in_shape)
        out_labels = _positions(column_cut.index, geometry.out_shape)
        breaks = [*row_cut.breaks(0), *column_cut.breaks(1)]
        drawn_row = np.flatnonzero(row_cut.index == row)
        block = f"{rows:,} × {columns:,}, elided"
        block_t = f"{columns:,} × {rows:,}, elided"
        groups = (0, 0)
    else:
        taps = tap_matrix(geometry, max_cells=MAX_DRAWN_CELLS)
        n_in, n_out = taps.shape
        in_labels = [position(p) for p in islice(np.ndindex(*geometry.in_shape), n_in)]
        out_labels = [position(p) for p in islice(np.ndindex(*geometry.out_shape), n_out)]
        breaks = []
        drawn_row = np.array([row]) if row < n_in else np.array([], dtype=np.int64)
        whole = (n_in, n_out) == geometry.matrix_shape
        block = f"{n_in} × {n_out}" if whole else f"{rows} × {columns}, first {n_in} rows"
        block_t = f"{n_out} × {n_in}{'' if whole else ' block'}"
        groups = (geometry.in_shape[-1], geometry.out_shape[-1])
    if not drawn_row.size:  # outside what is drawn: outline the first row instead
        drawn_row, highlight = np.array([0]), (0,) * geometry.ndim
    at = int(drawn_row[0])
    n_in, n_out = taps.shape
    faces = _tap_faces(taps, colors)
    labels = _tap_labels(taps, kernel)
    left = Panel(
        faces,
        labels,
        f"C ({block}): row = input element",
        row_labels=in_labels,
        col_labels=out_labels,
        upright_columns=False,
        row_groups=groups[0],
        col_groups=groups[1],
        outlines=[_style.outline(at, 0, 1, n_out)],
        xlabel="output position",
        ylabel="input position",
        breaks=breaks,
    )
    right = Panel(
        faces.T,
        None if labels is None else [list(r) for r in zip(*labels, strict=True)],
        f"Cᵀ ({block_t}): y = Cᵀx",
        row_labels=out_labels,
        col_labels=in_labels,
        upright_columns=False,
        row_groups=groups[1],
        col_groups=groups[0],
        outlines=[_style.outline(0, at, n_out, 1)],
        xlabel="input position",
        ylabel="output position",
        breaks=[Break(1 - b.axis, b.position, b.skipped, b.text) for b in breaks],
    )
    return TconvFigure(
        Board(
            [[left, right]] if taps.size <= MAX_PAIRED else [[left]],
            title=(
                f"The matrix of the convolution and its transpose: stride {stride_text(geometry)}, "
                f"padding {padding_text(geometry)}; outlined: input {position(highlight)}"
                + (
                    ""
                    if taps.size <= MAX_PAIRED
                    else "\nCᵀ is the same picture turned (rows ↔ columns)"
                )
            ),
            legend=tap_legend(kernel, colors),
            legend_title="kernel tap",
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
    of C reshaped to the output grid, and ``x[i]`` times that row (what the
    element contributes to y). 1-D grids are one row, 3-D grids their slices
    side by side. Defaults: an interior and a corner element of the worked
    example, so the crop of the padding shows.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    if not geometry.single_channel:
        raise ValueError("plot_footprint draws one input and one output channel")
    if elements is None:
        elements = (tuple(n // 2 for n in geometry.in_shape), (0,) * geometry.ndim)
    vmax = float(np.max(np.abs(x))) * float(np.max(np.abs(kernel)))
    rows = []
    for element in elements:
        marked = _style.flat(_style.value_faces(x))
        marked[_style.flat_index(element, geometry.in_shape)] = _style.ACCENT
        row = footprint(geometry, kernel, element)
        cuts = cuts_of(
            geometry.out_shape,
            [line.landing()[i] for line, i in zip(geometry.axes, element, strict=True)],
        )
        rows.append(
            [
                _style.value_panel(
                    x, f"input x, element {position(element)} = {x[element]}", faces=marked
                ),
                _style.value_panel(
                    row,
                    f"row {position(element)} of C on the output grid",
                    show_zero=False,
                    vmax=float(np.max(np.abs(kernel))),
                    cuts=cuts,
                ),
                _style.value_panel(
                    x[element] * row,
                    f"x{position(element)} · row = its contribution",
                    show_zero=False,
                    vmax=vmax,
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
        )
    )


def _band_panel(geometry: ConvTranspose, kernel: np.ndarray, title: str) -> Panel:
    taps = tap_matrix(geometry)
    return Panel(
        _tap_faces(taps, _style.tap_colors(kernel.size)),
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
            title=f"1-D convolution matrices: input {in_size}, kernel {kernel.tolist()}",
            legend=tap_legend(kernel, _style.tap_colors(kernel.size)),
            legend_title="kernel tap",
            align_columns=False,
        )
    )


def plot_channels(
    in_size: int = 2,
    kernel_size: int = 2,
    channels: int = 4,
    group_counts: tuple[int, ...] = (1, 2, 4),
) -> TconvFigure:
    """The channel block structure of C: full, grouped, and depthwise (block-diagonal per group).

    1-D input of ``in_size``, stride 2; rows are (input channel, position),
    columns (output channel, position). Non-zeros are coloured by kernel tap, as
    in every figure of C; each group's block is outlined.
    """
    colors = _style.tap_colors(kernel_size)
    panels: list[Panel | None] = []
    for groups in group_counts:
        g = ConvTranspose(
            (in_size,),
            (kernel_size,),
            stride=2,
            in_channels=channels,
            out_channels=channels,
            groups=groups,
        )
        weight = np.broadcast_to(np.arange(1, kernel_size + 1), g.weight_shape)
        matrix = g.matrix(np.ascontiguousarray(weight)).toarray()  # entry = tap + 1
        faces = _tap_faces(matrix.astype(int) - 1, colors)
        out_size = g.out_shape[0]
        rows_per, cols_per = channels // groups * in_size, channels // groups * out_size
        kind = {1: "every channel mixes", channels: "depthwise"}.get(groups, "grouped")
        panels.append(
            Panel(
                faces,
                title=(
                    f"groups = {groups} ({kind})\nC {matrix.shape[0]} × {matrix.shape[1]}, "
                    f"{int((matrix != 0).sum())} non-zeros"
                ),
                row_labels=[
                    f"in {i // in_size}" if i % in_size == in_size // 2 else ""
                    for i in range(channels * in_size)
                ],
                col_labels=[
                    f"out {i // out_size}" if i % out_size == out_size // 2 else ""
                    for i in range(channels * out_size)
                ],
                row_groups=in_size,
                col_groups=out_size,
                outlines=[
                    _style.outline(n * rows_per, n * cols_per, rows_per, cols_per, linewidth=2.5)
                    for n in range(groups)
                ],
                xlabel="(output channel, position)",
                ylabel="(input channel, position)",
            )
        )
    return TconvFigure(
        Board(
            [panels],
            title=(
                f"Channels and groups: {channels} → {channels} channels, 1-D input {in_size}, "
                f"kernel {kernel_size}, stride 2; outlined: one group's block"
            ),
            legend=[(c, f"w[{t}]") for t, c in enumerate(colors)],
            legend_title="kernel tap (the same in every channel pair here)",
            align_columns=False,
        )
    )
