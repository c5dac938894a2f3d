"""A layer with channels, drawn: each output channel as the sum of its group's input channels."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._figure import TconvFigure, new_figure
from tconvmat.problem import counting

__all__ = ["MAX_DRAWN_CHANNELS", "plot_channel_sums"]

MAX_DRAWN_CHANNELS = 4
"""Output channels drawn (one row each); the text lists the rest."""


def _panel(array: np.ndarray) -> np.ndarray:
    """2-D view of one channel: 1-D as one row, 3-D its middle slice."""
    array = np.asarray(array)
    return array[array.shape[0] // 2] if array.ndim == 3 else np.atleast_2d(array)


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
    columns = per_in + 1
    cell = _panel(rows[0][3])
    middle = " (middle slice)" if g.ndim == 3 else ""
    with _style.style():
        figure = new_figure(
            max(9.0, columns * (0.55 * cell.shape[1] + 1.6)),
            len(rows) * (0.55 * cell.shape[0] + 1.3) + 1.4,
        )
        axes = figure.subplots(len(rows), columns, squeeze=False)
        size = _style.fit_fontsize(cell.shape[0], cell.shape[1], base=12)
        for r, (o, group, terms, total) in enumerate(rows):
            for c, (title, term) in enumerate(terms):
                sign = "" if c == 0 else "+ "
                _style.draw_values(
                    axes[r, c], _panel(term), f"{sign}{title}", vmax=vmax, fontsize=size
                )
            _style.draw_values(
                axes[r, -1],
                _panel(total),
                f"= output channel {o} (group {group})",
                vmax=vmax,
                fontsize=size,
            )
        groups = f"{g.groups} group{'s' if g.groups != 1 else ''}"
        figure.suptitle(
            f"{g.in_channels} → {g.out_channels} channels in {groups}: each output channel "
            f"({_text.shape(g.out_shape)}{middle})\nis the sum over its group's input channels"
        )
    return figure
