"""Figures of the matrix C: its structure, one row's footprint, 1-D bands, channel blocks."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from tconvmat.anatomy import footprint, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import padding_text, position, resolve, stride_text, tap_name
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["plot_channels", "plot_footprint", "plot_matrix", "plot_structure_1d"]

MAX_LABELLED_CELLS = 1600
"""Matrices with more cells are drawn as a structure picture, without per-cell numbers."""
MAX_LABELLED_COLUMNS = 64
MAX_DRAWN_CELLS = 250_000
"""Larger matrices are drawn as their top-left block (the first rows and what they reach)."""


def _tap_faces(taps: np.ndarray, colors: list[str]) -> np.ndarray:
    faces = np.full(taps.shape, _style.EMPTY, dtype=object)
    filled = taps >= 0
    faces[filled] = np.array(colors, dtype=object)[taps[filled]]
    return faces


def _tap_labels(taps: np.ndarray, values: np.ndarray) -> list[list[str]]:
    flat = values.reshape(-1)
    return [[_style.value_label(flat[t]) if t >= 0 else "" for t in row] for row in taps.tolist()]


def _tap_legend(figure: Figure, kernel: np.ndarray, colors: list[str], columns: int) -> None:
    """One entry per tap under the figure, in at most ``columns`` columns and no more than
    fit its width (then as many rows as needed, balanced)."""
    handles = [
        Patch(
            facecolor=colors[t],
            edgecolor=_style.GRID,
            label=f"{tap_name(j)} = {_style.value_label(kernel[j])}",
        )
        for t, j in enumerate(np.ndindex(*kernel.shape))
    ]
    size = float(mpl.rcParams["font.size"])
    entry = _style.text_width(max(len(str(h.get_label())) for h in handles) + 5, size)
    fits = max(1, int(figure.get_size_inches()[0] * 72 // entry))
    rows = -(-len(handles) // min(columns, fits))
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=-(-len(handles) // rows),
        title="kernel tap",
    )


def plot_matrix(
    geometry: ConvTranspose | None = None,
    kernel: Any = None,
    highlight: tuple[int, ...] | None = None,
) -> TconvFigure:
    """C and Cᵀ side by side, every non-zero coloured by its kernel tap and labelled with its value.

    Rows and columns carry their grid positions; heavier lines separate the
    rows of the flattened (row-major) grids. Row ``highlight`` of C (one input
    element's footprint) and the same column of Cᵀ are outlined.
    Defaults: the worked example, highlighting input element (1, 1).
    """
    geometry, _, kernel = resolve(geometry, None, kernel)
    if highlight is None:
        highlight = tuple(n // 2 for n in geometry.in_shape)
    taps = tap_matrix(geometry, max_cells=MAX_DRAWN_CELLS)
    colors = _style.tap_colors(kernel.size)
    n_in, n_out = taps.shape
    whole = (n_in, n_out) == geometry.matrix_shape
    compact = n_in * n_out > MAX_LABELLED_CELLS or n_out > MAX_LABELLED_COLUMNS
    faces = _tap_faces(taps, colors)
    labels = None if compact else _tap_labels(taps, kernel)
    in_labels = None if compact else [position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = None if compact else [position(p) for p in np.ndindex(*geometry.out_shape)]
    row = int(np.ravel_multi_index(highlight, geometry.in_shape))
    if row >= n_in:  # outside the block drawn: outline its first row instead
        row, highlight = 0, (0,) * geometry.ndim
    if compact:  # a fixed-size picture of the structure, no per-cell text
        size = (16.0, max(6.0, min(11.0, 16.0 * max(n_in, n_out) / (n_in + n_out) * 0.6)))
    else:
        size = (max(10.0, 0.5 * (n_in + n_out) + 3), max(6.0, 0.42 * n_out + 3))
    with _style.style():
        figure = new_figure(*size)
        left, right = figure.subplots(1, 2, width_ratios=[n_out, n_in])
        _style.draw_cells(
            left,
            faces,
            labels,
            row_labels=in_labels,
            col_labels=out_labels,
            row_groups=geometry.in_shape[-1],
            col_groups=geometry.out_shape[-1],
        )
        block = (
            f"{n_in} × {n_out}"
            if whole
            else (f"{geometry.matrix_shape[0]} × {geometry.matrix_shape[1]}, first {n_in} rows")
        )
        left.set_title(f"C ({block}): row = input element")
        left.set_xlabel("output position")
        left.set_ylabel("input position")
        _style.outline(left, row, 0, 1, n_out)
        _style.draw_cells(
            right,
            faces.T,
            None if labels is None else [list(r) for r in zip(*labels, strict=True)],
            row_labels=out_labels,
            col_labels=in_labels,
            row_groups=geometry.out_shape[-1],
            col_groups=geometry.in_shape[-1],
        )
        right.set_title(f"Cᵀ ({n_out} × {n_in}{'' if whole else ' block'}): y = Cᵀx")
        right.set_xlabel("input position")
        right.set_ylabel("output position")
        _style.outline(right, 0, row, n_out, 1)
        figure.suptitle(
            f"The matrix of the convolution and its transpose: stride {stride_text(geometry)}, "
            f"padding {padding_text(geometry)};\noutlined: input {position(highlight)}"
        )
        _tap_legend(figure, kernel, colors, min(kernel.size, 9))
    return figure


def plot_footprint(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    elements: tuple[tuple[int, ...], ...] | None = None,
) -> TconvFigure:
    """One row of C on the output grid: the kernel placed at an input's strided place, cropped.

    For each chosen input element: the input with the element marked, its row
    of C reshaped to the output grid, and ``x[i]`` times that row (what the
    element contributes to y). Defaults: an interior and a corner element of
    the worked example, so the crop of the padding shows.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    if geometry.ndim != 2:
        raise ValueError(f"plot_footprint draws 2-D geometries, got {geometry.ndim}-D")
    if elements is None:
        elements = (tuple(n // 2 for n in geometry.in_shape), (0, 0))
    vmax = float(np.max(np.abs(x))) * float(np.max(np.abs(kernel)))
    with _style.style():
        figure = new_figure(14, 4.6 * len(elements) + 0.8)
        axes = figure.subplots(len(elements), 3, squeeze=False)
        for (source, row_of_c, product), element in zip(axes, elements, strict=True):
            marked = _style.value_faces(x)
            marked[element] = _style.ACCENT
            _style.draw_values(
                source, x, f"input x, element {position(element)} = {x[element]}", faces=marked
            )
            row = footprint(geometry, kernel, element)
            _style.draw_values(
                row_of_c,
                row,
                f"row {position(element)} of C on the output grid",
                show_zero=False,
                vmax=float(np.max(np.abs(kernel))),
            )
            _style.draw_values(
                product,
                x[element] * row,
                f"x{position(element)} · row = its contribution",
                show_zero=False,
                vmax=vmax,
            )
        figure.suptitle(
            f"Footprint: each input element stamps the kernel at stride {stride_text(geometry)}, "
            f"cropped by padding {padding_text(geometry)}"
        )
    return figure


def _band_panel(ax: Any, geometry: ConvTranspose, kernel: np.ndarray, title: str) -> None:
    taps = tap_matrix(geometry)
    colors = _style.tap_colors(kernel.size)
    _style.draw_cells(
        ax,
        _tap_faces(taps, colors),
        _tap_labels(taps, kernel),
        row_labels=[str(i) for i in range(taps.shape[0])],
        col_labels=[str(t) for t in range(taps.shape[1])],
    )
    ax.tick_params(axis="x", rotation=0)
    ax.set_title(title)
    ax.set_xlabel("output index t")
    ax.set_ylabel("input index i")


def plot_structure_1d(in_size: int = 5, kernel: Any = (1, 2, 3)) -> TconvFigure:
    """1-D C: stride 1 (a Toeplitz band), stride 2 (a stepped band), dilation 2 (spread taps)."""
    kernel = np.asarray(kernel)
    cases = [
        ("stride 1: Toeplitz band", {"stride": 1}),
        ("stride 2: stepped band", {"stride": 2}),
        ("stride 1, dilation 2: spread taps", {"dilation": 2}),
    ]
    geometries = [ConvTranspose((in_size,), kernel.shape, **kw) for _, kw in cases]
    widths = [g.out_shape[0] for g in geometries]
    with _style.style():
        figure = new_figure(16, 4.8)
        axes = figure.subplots(1, 3, width_ratios=widths)
        for ax, (title, _), g in zip(axes, cases, geometries, strict=True):
            _band_panel(ax, g, kernel, f"{title}\nC is {g.matrix_shape[0]} × {g.matrix_shape[1]}")
        figure.suptitle(f"1-D convolution matrices: input {in_size}, kernel {kernel.tolist()}")
        _tap_legend(figure, kernel, _style.tap_colors(kernel.size), kernel.size)
    return figure


def plot_channels(
    in_size: int = 2,
    kernel_size: int = 2,
    channels: int = 4,
    group_counts: tuple[int, ...] = (1, 2, 4),
) -> TconvFigure:
    """The channel block structure of C: full, grouped, and depthwise (block-diagonal per group).

    1-D input of ``in_size``, stride 2; rows are (input channel, position),
    columns (output channel, position). Non-zeros are coloured by the input
    channel's group.
    """
    with _style.style():
        figure = new_figure(18, 4.8)
        axes = figure.subplots(1, len(group_counts))
        for ax, groups in zip(axes, group_counts, strict=True):
            g = ConvTranspose(
                (in_size,),
                (kernel_size,),
                stride=2,
                in_channels=channels,
                out_channels=channels,
                groups=groups,
            )
            matrix = g.matrix(np.ones(g.weight_shape, dtype=np.int64)).toarray()
            group_of_row = np.repeat(np.arange(channels) // (channels // groups), in_size)
            colors = np.array(_style.tap_colors(max(groups, 2))[:groups], dtype=object)
            faces = np.where(matrix != 0, colors[group_of_row][:, None], _style.EMPTY)
            out_size = g.out_shape[0]
            _style.draw_cells(ax, faces, row_groups=in_size, col_groups=out_size)
            ax.set_xticks(
                [c * out_size + (out_size - 1) / 2 for c in range(channels)],
                [f"out {c}" for c in range(channels)],
                fontsize=12,
                rotation=0,
            )
            ax.set_yticks(
                [c * in_size + (in_size - 1) / 2 for c in range(channels)],
                [f"in {c}" for c in range(channels)],
                fontsize=12,
            )
            kind = {1: "every channel mixes", channels: "depthwise"}.get(groups, "grouped")
            ax.set_title(
                f"groups = {groups} ({kind})\nC {matrix.shape[0]} × {matrix.shape[1]}, "
                f"{int((matrix != 0).sum())} non-zeros"
            )
        figure.suptitle(
            f"Channels and groups: {channels} → {channels} channels, 1-D input {in_size}, "
            f"kernel {kernel_size}, stride 2; colour = group of the input channel"
        )
    return figure
