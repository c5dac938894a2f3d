"""Figures of the routes step by step: scatter, zero insertion, polyphase."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.anatomy import phases, scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["plot_polyphase", "plot_scatter_steps", "plot_zero_insertion"]


def _require_2d(geometry: ConvTranspose, name: str) -> None:
    if geometry.ndim != 2:
        raise ValueError(f"{name} draws 2-D geometries, got {geometry.ndim}-D")


def _crop_outline(ax: Any, window: tuple[slice, ...]) -> None:
    (rows, cols) = window
    _style.outline(
        ax,
        rows.start,
        cols.start,
        rows.stop - rows.start,
        cols.stop - cols.start,
        edgecolor=_style.ACCENT,
        linestyle="--",
        linewidth=3,
    )


MAX_STEP_PANELS = 11
"""Scatters with more input elements draw their first stamps, then the whole canvas."""


def _scatter_1d(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> TconvFigure:
    """1-D: one row per stamp on the canvas, then their sum and the cropped result."""
    steps = scatter_steps(geometry, x, kernel, max_steps=2 * MAX_STEP_PANELS)
    n = len(steps.contributions)
    total = geometry.in_shape[0]
    width = steps.canvas.shape[0]
    window = steps.window[0]
    rows = [steps.contributions[i] for i in range(n)] + [steps.canvas]
    labels = [f"x[{i}] = {_style.value_label(x[i])}" for i in range(n)] + ["canvas (sum)"]
    result = np.zeros(width, dtype=steps.canvas.dtype)
    result[window] = steps.result
    table = np.array([*rows, result])
    faces = _style.value_faces(table, vmax=float(np.max(np.abs(table))) or 1.0)
    faces[-1, :] = [
        _style.INSERTED if not window.start <= c < window.stop else f
        for c, f in enumerate(faces[-1, :])
    ]
    text = [[_style.value_label(v) if v != 0 else "" for v in row] for row in table.tolist()]
    for c in range(width):
        if window.start <= c < window.stop:
            text[-1][c] = _style.value_label(result[c])
    with _style.style():
        figure = new_figure(max(8.0, 0.62 * width + 4.5), 0.55 * (len(table) + 3) + 1.8)
        top, main = figure.subplots(2, 1, height_ratios=[1, len(table)])
        _style.draw_values(top, kernel, "kernel w", index_labels=True)
        _style.draw_cells(
            main,
            faces,
            text,
            row_labels=[*labels, "y (cropped)"],
            col_labels=[str(c) for c in range(width)],
        )
        main.tick_params(axis="x", rotation=0)
        main.set_xlabel("canvas position")
        _style.outline(
            main,
            len(table) - 1,
            window.start,
            1,
            window.stop - window.start,
            edgecolor=_style.ACCENT,
            linestyle="--",
        )
        more = f" (first {n} of {total})" if n < total else ""
        figure.suptitle(
            f"Scatter: each x[i] stamps x[i]·w at i·{geometry.stride[0]}{more};\n"
            f"their sum, cropped, is y ({geometry.out_shape[0]} values)"
        )
    return figure


def plot_scatter_steps(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The uncropped canvas after each input element's stamp, then the crop and the result.

    2-D: the input and the kernel, one panel per stamp (row-major order, the
    first few for large inputs) with the running sum and the new stamp
    outlined, then the full canvas with the crop window dashed, and y.
    1-D: one row per stamp on the canvas, their sum and the cropped result.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    if geometry.ndim == 1:
        return _scatter_1d(geometry, x, kernel)
    _require_2d(geometry, "plot_scatter_steps")
    steps = scatter_steps(geometry, x, kernel, max_steps=MAX_STEP_PANELS)
    accumulated = steps.accumulated
    n_steps = accumulated.shape[0]
    panels = n_steps + 4
    columns = min(4, panels)
    rows = math.ceil(panels / columns)
    vmax = float(np.max(np.abs(steps.canvas))) or 1.0
    lines = geometry.axes
    extent = [line.extent for line in lines]
    with _style.style():
        figure = new_figure(4.0 * columns, 4.0 * rows + 0.6)
        axes = figure.subplots(rows, columns, squeeze=False).reshape(-1)
        _style.draw_values(axes[0], x, "input x (stamped row by row)")
        _style.draw_values(axes[1], kernel, "kernel w")
        for step, element in zip(range(n_steps), np.ndindex(*geometry.in_shape), strict=False):
            ax = axes[step + 2]
            _style.draw_values(ax, accumulated[step], "", vmax=vmax, show_zero=False, legend=False)
            top = [line.on_canvas(i, 0) for line, i in zip(lines, element, strict=True)]
            _style.outline(ax, top[0], top[1], extent[0], extent[1])
            value = _style.value_label(x[element])
            ax.set_title(f"{step + 1}. + x{position(element)} = {value} · w")
        final, result = axes[n_steps + 2], axes[n_steps + 3]
        skipped = int(np.prod(geometry.in_shape)) - n_steps
        title = "all stamps added; crop dashed"
        if skipped:
            title = f"… {skipped} more stamps: all added;\ncrop dashed"
        _style.draw_values(final, steps.canvas, title, vmax=vmax, show_zero=False, legend=False)
        _crop_outline(final, steps.window)
        shape = _text.shape(geometry.out_shape)
        _style.draw_values(result, steps.result, f"result y ({shape})", vmax=vmax)
        for ax in axes[n_steps + 4 :]:
            ax.set_axis_off()
        crops = [side for pair in geometry.crops for side in pair]
        if all(c == 0 for c in crops):
            ending = "nothing is cropped (padding 0)"
        elif all(c >= 0 for c in crops):
            ending = "the padding crops the border (dashed)"
        else:
            ending = "zeros extend the border"
        figure.suptitle(
            f"Scatter: each input value stamps value·kernel at stride {stride_text(geometry)};\n"
            f"overlaps add; {ending}"
        )
    return figure


def plot_zero_insertion(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    output: tuple[int, int] | None = None,
) -> TconvFigure:
    """The fractionally strided view: zeros inserted, border padded, flipped kernel sliding.

    Panels: the input; the zero-inserted and padded grid with the flipped
    kernel's window for output ``output`` outlined; the flipped (dilated)
    kernel; and the result, that output outlined. Same numbers as the scatter.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _require_2d(geometry, "plot_zero_insertion")
    view = zero_insertion(geometry, x, kernel)
    if output is None:
        output = (min(1, geometry.out_shape[0] - 1), min(1, geometry.out_shape[1] - 1))
    faces = _style.value_faces(view.padded, vmax=float(np.max(np.abs(x))) or 1.0)
    faces[~view.holds_input] = _style.INSERTED
    extent = view.dilated_kernel.shape
    window = view.padded[output[0] : output[0] + extent[0], output[1] : output[1] + extent[1]]
    terms = " + ".join(
        f"{_style.value_label(a)}·{_style.value_label(b)}"
        for a, b in zip(window.reshape(-1), view.dilated_kernel.reshape(-1), strict=True)
    )
    sides = [f"{lo} before, {hi} after" for lo, hi in view.padding]
    pads = sides[0] if len(set(sides)) == 1 else f"rows {sides[0]}; columns {sides[1]}"
    with _style.style():
        figure = new_figure(17, 6.0)
        ratios = [x.shape[1], view.padded.shape[1], extent[1], view.result.shape[1]]
        axes = figure.subplots(1, 4, width_ratios=ratios)
        _style.draw_values(axes[0], x, "input x")
        _style.draw_values(
            axes[1],
            view.padded,
            f"zeros inserted (grey), stride {stride_text(geometry)};\nborder d·(k−1)−crop: {pads}",
            faces=faces,
        )
        _style.outline(axes[1], output[0], output[1], extent[0], extent[1], edgecolor=_style.ACCENT)
        _style.draw_values(axes[2], view.dilated_kernel, "flipped kernel", show_zero=False)
        _style.draw_values(
            axes[3], view.result, f"result y, y{position(output)} = {view.result[output]}"
        )
        _style.outline(axes[3], output[0], output[1], 1, 1, edgecolor=_style.ACCENT)
        figure.suptitle(
            "Zero insertion (fractionally strided convolution): the flipped kernel "
            "slides at stride 1 and gives the same numbers"
        )
        figure.supxlabel(
            f"y{position(output)} = {terms} = {_style.value_label(view.result[output])}"
        )
    return figure


def plot_polyphase(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The output split into its ``prod(stride)`` phases, each made by a sub-kernel.

    Left: y with each cell coloured by its phase. Then per phase: the kernel
    with the taps of its sub-kernel shown (others blank) and the phase's
    outputs, a stride-1 correlation of x with that sub-kernel.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _require_2d(geometry, "plot_polyphase")
    parts = phases(geometry, x, kernel)
    colors = _style.phase_colors(len(parts))
    y = geometry.apply(x, kernel)
    phase_faces = np.empty(y.shape, dtype=object)
    for color, part in zip(colors, parts, strict=False):
        phase_faces[
            tuple(slice(f, None, s) for f, s in zip(part.first, geometry.stride, strict=True))
        ] = color
    with _style.style():
        figure = new_figure(max(11.0, 4.2 + 3.2 * len(parts)), 7.4)
        grid = figure.add_gridspec(2, len(parts) + 1, width_ratios=[1.6] + [1] * len(parts))
        main = figure.add_subplot(grid[:, 0])
        _style.draw_values(main, y, "y, coloured by phase", faces=phase_faces)
        for column, (color, part) in enumerate(zip(colors, parts, strict=False), start=1):
            sub = figure.add_subplot(grid[0, column])
            used = np.full(kernel.shape, _style.EMPTY, dtype=object)
            labels = np.full(kernel.shape, "", dtype=object)
            for tap in part.taps:
                used[tap], labels[tap] = color, _style.value_label(kernel[tap])
            _style.draw_cells(sub, used, labels.tolist())
            sub.set_title(f"phase {position(part.first)}\nsub-kernel")
            out = figure.add_subplot(grid[1, column])
            faces = np.full(part.values.shape, color, dtype=object)
            _style.draw_values(
                out,
                part.values,
                f"y[{part.first[0]}::{geometry.stride[0]}, {part.first[1]}::{geometry.stride[1]}]",
                faces=faces,
                index_labels=False,
            )
        if len(parts) == 1:
            title = "Polyphase at stride 1: one phase,\nthe whole output is one convolution"
        else:
            title = (
                f"Polyphase: stride {stride_text(geometry)} splits y into {len(parts)} "
                "stride-1 convolutions\nwith sub-kernels, interleaved"
            )
        figure.suptitle(title)
    return figure
