"""A layer with channels, drawn: each output channel as the sum of its group's input channels."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.problem import counting

__all__ = ["MAX_DRAWN_CHANNELS", "plot_channel_sums"]

MAX_DRAWN_CHANNELS = 4
"""Output channels drawn (one row each); the text lists the rest."""


def plot_channel_sums(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """One row per output channel: the transposed convolution of each input channel of its
    group with its kernel, and their sum, the output channel.

    ``x`` is ``(in_channels, *in_shape)`` and ``kernel`` PyTorch's weight
    ``(in_channels, out_channels // groups, *kernel_shape)``; by default 2 → 4 channels in
    2 groups on the worked example's sizes, filled with 1, 2, 3, …
    """
    if geometry is None:  # the worked example's sizes with 2 → 4 channels in 2 groups
        geometry = ConvTranspose((3, 3), (2, 2), 2, 1, in_channels=2, out_channels=4, groups=2)
    g = geometry
    if x is None:
        x = counting((g.in_channels, *g.in_shape))
    if kernel is None:
        kernel = counting(g.weight_shape)
    x, kernel = np.asarray(x), np.asarray(kernel)
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    pair = dataclasses.replace(g, in_channels=1, out_channels=1, groups=1)
    rows = []
    for o in range(min(g.out_channels, MAX_DRAWN_CHANNELS)):
        group, local = divmod(o, per_out)
        terms = [
            (f"x[{c}] with w[{c}, {local}]", pair.apply(x[c], kernel[c, local]))
            for c in range(group * per_in, (group + 1) * per_in)
        ]
        total = np.sum([t for _, t in terms], axis=0)
        rows.append((o, group, terms, total))
    vmax = max(float(np.max(np.abs(total))) for *_, total in rows) or 1.0
    board_rows: list[list[Panel | None]] = []
    for o, group, terms, total in rows:
        row: list[Panel | None] = [
            _style.value_panel(term, f"{'' if c == 0 else '+ '}{title}", vmax=vmax)
            for c, (title, term) in enumerate(terms)
        ]
        row.append(_style.value_panel(total, f"= output channel {o} (group {group})", vmax=vmax))
        board_rows.append(row)
    groups = f"{g.groups} group{'s' if g.groups != 1 else ''}"
    return TconvFigure(
        Board(
            board_rows,
            title=f"{g.in_channels} → {g.out_channels} channels in {groups}: each output "
            f"channel ({_text.shape(g.out_shape)})\nis the sum over its group's input channels",
        )
    )
