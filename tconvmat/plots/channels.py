"""Layers with channels, drawn: the block structure of C, and each output channel as the sum
over its group's input channels."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import settings_text
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import MAX_NUMBERS, Board, Panel
from tconvmat.problem import counting
from tconvmat.text import notation

__all__ = ["MAX_DRAWN_CHANNELS", "plot_channel_sums", "plot_channels"]

MAX_DRAWN_CHANNELS = 4
"""Output channels drawn (one row each); the text lists the rest."""
MAX_BLOCK_CELLS = MAX_NUMBERS
"""A layer's C with more entries (too many to number) is drawn as one cell per channel block
(its non-zeros): the block-diagonal structure legible at any size."""


def _default_layer() -> ConvTranspose:
    """The worked example's sizes with 2 → 4 channels in 2 groups."""
    return ConvTranspose((3, 3), (2, 2), 2, 1, in_channels=2, out_channels=4, groups=2)


def _channel_labels(count: int, size: int, name: str) -> list[str]:
    """``in ch 0`` in the middle of each channel's rows, blank elsewhere."""
    return [f"{name} {i // size}" if i % size == size // 2 else "" for i in range(count * size)]


def _block_panel(g: ConvTranspose, kernel: np.ndarray | None, title: str) -> Panel:
    """C of a layer: non-zeros in their tap colours (with their values when given), one
    outlined block per group, heavier lines between channels."""
    n_in, n_out = int(np.prod(g.in_shape)), int(np.prod(g.out_shape))
    taps = int(np.prod(g.kernel_shape))
    numbering = np.broadcast_to(np.arange(1, taps + 1).reshape(g.kernel_shape), g.weight_shape)
    tap = g.matrix(np.ascontiguousarray(numbering)).toarray().astype(int) - 1  # -1: no tap
    labels = None
    if kernel is not None and tap.size <= MAX_NUMBERS:
        values = g.matrix(kernel).toarray()
        labels = [
            [_style.value_label(v) if t >= 0 else "" for v, t in zip(row, trow, strict=True)]
            for row, trow in zip(values.tolist(), tap.tolist(), strict=True)
        ]
    rows_per = g.in_channels // g.groups * n_in
    cols_per = g.out_channels // g.groups * n_out
    return Panel(
        _style.tap_faces(tap, taps),
        labels,
        title,
        row_labels=_channel_labels(g.in_channels, n_in, "in ch"),
        col_labels=_channel_labels(g.out_channels, n_out, "out ch"),
        row_groups=n_in,
        col_groups=n_out,
        outlines=[
            _style.outline(n * rows_per, n * cols_per, rows_per, cols_per, linewidth=2.5)
            for n in range(g.groups)
        ],
        xlabel="(output channel, position)",
        ylabel="(input channel, position)",
    )


def _block_map(g: ConvTranspose) -> Panel:
    """One cell per (input channel, output channel) block of C: its non-zeros (0 outside
    the groups)."""
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    pair = dataclasses.replace(g, in_channels=1, out_channels=1, groups=1)
    nnz = pair.matrix(np.ones(g.kernel_shape)).nnz
    counts = np.array(
        [
            [nnz if c // per_in == o // per_out else 0 for o in range(g.out_channels)]
            for c in range(g.in_channels)
        ]
    )
    panel = _style.value_panel(counts, "non-zeros of each channel block of C")
    panel.row_labels = [f"in ch {c}" for c in range(g.in_channels)]
    panel.col_labels = [f"out ch {o}" for o in range(g.out_channels)]
    panel.upright_columns = False  # turned, so every channel is named
    panel.outlines = [
        _style.outline(n * per_in, n * per_out, per_in, per_out, linewidth=2.5)
        for n in range(g.groups)
    ]
    return panel


def _layer_figure(g: ConvTranspose, kernel: Any) -> TconvFigure:
    """One layer's own C, block-diagonal per group."""
    weight = counting(g.weight_shape) if kernel is None else np.asarray(kernel)
    rows, columns = g.matrix_shape
    groups = f"{g.groups} group{'s' if g.groups != 1 else ''}"
    shape = "block-diagonal" if g.groups > 1 else "every channel mixes"
    title = f"C of this layer ({rows} × {columns}): {groups}, {shape}"
    taps = int(np.prod(g.kernel_shape))
    legend = [(c, f"tap {t}") for t, c in enumerate(_style.tap_colors(taps))]
    if rows * columns <= MAX_BLOCK_CELLS:
        panel = _block_panel(g, weight, title + "\noutlined: each group's block")
    else:
        panel, legend = _block_map(g), []
        panel.title = title + "\none cell per channel block (its non-zeros)"
    return TconvFigure(
        Board(
            [[panel]],
            title=(
                f"Channels and groups: {g.in_channels} → {g.out_channels} channels, "
                f"input {notation.shape(g.in_shape)}\n{settings_text(g)}"
            ),
            legend=legend,
            legend_title="kernel tap (row-major; each channel pair has its own values)",
            align_columns=False,
        )
    )


def plot_channels(
    geometry: ConvTranspose | None = None,
    kernel: Any = None,
    *,
    in_size: int = 2,
    kernel_size: int = 2,
    channels: int = 4,
    group_counts: tuple[int, ...] = (1, 2, 4),
) -> TconvFigure:
    """The channel block structure of C: block-diagonal per group.

    With a ``geometry`` (and its PyTorch-layout ``kernel``, counting 1, 2, 3, … by
    default): that layer's own C, rows (input channel, position), columns (output
    channel, position), non-zeros in their tap colours with their values where they
    fit, each group's block outlined; a C too large to number (beyond 1 200 entries) as
    one cell per channel block (the matrix figure zooms into one pair's C). Without one, a
    general comparison: ``channels`` → ``channels`` channels, 1-D input ``in_size``, kernel
    ``kernel_size``, stride 2, for each of ``group_counts`` (full, grouped, depthwise).

    Examples
    --------
    >>> g = ConvTranspose((3, 3), (2, 2), 2, 1, in_channels=2, out_channels=4, groups=2)
    >>> plot_channels(g).panels[0].title.splitlines()[0]
    'C of this layer (18 × 64): 2 groups, block-diagonal'
    """
    if geometry is not None:
        return _layer_figure(geometry, kernel)
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
        kind = {1: "every channel mixes", channels: "depthwise"}.get(groups, "grouped")
        pairs = g.groups * (g.in_channels // g.groups) * (g.out_channels // g.groups)
        panels.append(
            _block_panel(
                g,
                None,
                f"groups = {groups} ({kind})\nC {g.matrix_shape[0]} × {g.matrix_shape[1]}, "
                f"{pairs * in_size * kernel_size} non-zeros",
            )
        )
    return TconvFigure(
        Board(
            [panels],
            title=(
                f"Channels and groups in general (an example, not your layer): {channels} → "
                f"{channels} channels,\n1-D input {in_size}, kernel {kernel_size}, stride 2; "
                "outlined: one group's block"
            ),
            legend=[(c, f"w[{t}]") for t, c in enumerate(_style.tap_colors(kernel_size))],
            legend_title="kernel tap (the same in every channel pair here)",
            align_columns=False,
        )
    )


def plot_channel_sums(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The input channels and each output channel made from them.

    When a group has several input channels: the input channels, then one row per
    output channel, each input channel of its group through its kernel and their sum,
    the output channel. When a group has one input channel, each of its output channels
    is that input channel through one kernel (nothing to add): one row per group shows
    the input channel, then each kernel and the output channel it makes. One value
    scale for every grid; kernels in their tap colours. ``x`` is ``(in_channels,
    *in_shape)`` and ``kernel`` PyTorch's weight ``(in_channels, out_channels // groups,
    *kernel_shape)``; by default 2 → 4 channels in 2 groups on the worked example's
    sizes, filled with 1, 2, 3, …
    """
    g = _default_layer() if geometry is None else geometry
    x = counting((g.in_channels, *g.in_shape)) if x is None else np.asarray(x)
    kernel = counting(g.weight_shape) if kernel is None else np.asarray(kernel)
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    pair = dataclasses.replace(g, in_channels=1, out_channels=1, groups=1)
    rows = []
    for o in range(min(g.out_channels, MAX_DRAWN_CHANNELS)):
        group, local = divmod(o, per_out)
        terms = [
            (c, local, pair.apply(x[c], kernel[c, local]))
            for c in range(group * per_in, (group + 1) * per_in)
        ]
        rows.append((o, group, terms, np.sum([t for *_, t in terms], axis=0)))
    top = _style.scale(x, *(total for *_, total in rows), *(t for r in rows for *_, t in r[2]))
    drawn_inputs = sorted({c for _, _, terms, _ in rows for c, *_ in terms})
    board_rows: list[list[Panel | None]] = []
    if per_in == 1:  # one row per group: its input channel, then each kernel and output
        for c in drawn_inputs:
            row: list[Panel | None] = [
                _style.value_panel(x[c], f"input ch {c} (group {c})", vmax=top)
            ]
            for o, group, terms, total in rows:
                if group == c:
                    local = terms[0][1]
                    row += [
                        _style.kernel_panel(kernel[c, local], f"through w[{c}, {local}]"),
                        _style.value_panel(total, f"= output ch {o}", vmax=top),
                    ]
            board_rows.append(row)
    else:
        board_rows.append(
            [
                _style.value_panel(x[c], f"input ch {c} (group {c // per_in})", vmax=top)
                for c in drawn_inputs
            ]
        )
        for o, group, terms, total in rows:
            row = [
                _style.value_panel(
                    term, f"{'' if n == 0 else '+ '}input ch {c} through w[{c}, {local}]", vmax=top
                )
                for n, (c, local, term) in enumerate(terms)
            ]
            row.append(_style.value_panel(total, f"= output ch {o} (group {group})", vmax=top))
            board_rows.append(row)
    groups = f"{g.groups} group{'s' if g.groups != 1 else ''}"
    how = (
        "one input channel per group: each output channel is it through its own kernel"
        if per_in == 1
        else "each output channel is the sum over its group's input channels"
    )
    more = (
        f" (the first {MAX_DRAWN_CHANNELS} of {g.out_channels} output channels)"
        if g.out_channels > MAX_DRAWN_CHANNELS
        else ""
    )
    return TconvFigure(
        Board(
            board_rows,
            title=(
                f"{g.in_channels} → {g.out_channels} channels in {groups}, each output "
                f"{notation.shape(g.out_shape)}{more}:\n{how}"
            ),
        )
    )
