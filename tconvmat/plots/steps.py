"""Figures of the routes step by step: scatter, zero insertion, polyphase."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from tconvmat.anatomy import phases, scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import position, resolve, stride_text

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


def plot_scatter_steps(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> Figure:
    """The uncropped canvas after each input element's stamp, then the crop and the result.

    One panel per input element (row-major order) shows the running sum, the
    new stamp outlined; then the full canvas with the crop window of
    padding/output_padding dashed, and the cropped result y.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _require_2d(geometry, "plot_scatter_steps")
    steps = scatter_steps(geometry, x, kernel)
    accumulated = steps.accumulated
    n_steps = accumulated.shape[0]
    columns = min(4, n_steps + 3)
    rows = math.ceil((n_steps + 3) / columns)
    vmax = float(np.max(np.abs(steps.canvas))) or 1.0
    lines = geometry.axes
    extent = [line.extent for line in lines]
    with _style.style():
        figure = _style.new_figure(4.0 * columns, 4.0 * rows + 0.6)
        axes = figure.subplots(rows, columns, squeeze=False).reshape(-1)
        _style.draw_values(axes[0], x, "input x (stamped row by row)")
        for step, element in enumerate(np.ndindex(*geometry.in_shape)):
            ax = axes[step + 1]
            _style.draw_values(
                ax, accumulated[step], "", vmax=vmax, show_zero=False, index_labels=False
            )
            top = [line.on_canvas(i, 0) for line, i in zip(lines, element, strict=True)]
            _style.outline(ax, top[0], top[1], extent[0], extent[1])
            ax.set_title(f"{step + 1}. + x{position(element)} = {x[element]} · kernel")
        final, result = axes[n_steps + 1], axes[n_steps + 2]
        _style.draw_values(
            final,
            steps.canvas,
            "all stamps added; crop dashed",
            vmax=vmax,
            show_zero=False,
            index_labels=False,
        )
        _crop_outline(final, steps.window)
        shape = "×".join(str(n) for n in geometry.out_shape)
        _style.draw_values(
            result, steps.result, f"result y ({shape})", vmax=vmax, index_labels=False
        )
        for ax in axes[n_steps + 3 :]:
            ax.set_axis_off()
        figure.suptitle(
            f"Scatter: each input value stamps value·kernel at stride {stride_text(geometry)}; "
            "overlaps add; the padding crops the border"
        )
    return figure


def plot_zero_insertion(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    output: tuple[int, int] | None = None,
) -> Figure:
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
    # Cells that hold an input value, found by running the same steps on ones.
    holds_input = zero_insertion(geometry, np.ones_like(x), kernel).padded != 0
    faces[~holds_input] = _style.INSERTED
    extent = view.dilated_kernel.shape
    window = view.padded[output[0] : output[0] + extent[0], output[1] : output[1] + extent[1]]
    terms = " + ".join(
        f"{_style.value_label(a)}·{_style.value_label(b)}"
        for a, b in zip(window.reshape(-1), view.dilated_kernel.reshape(-1), strict=True)
    )
    pads = ", ".join(f"{lo}/{hi}" for lo, hi in view.padding)
    with _style.style():
        figure = _style.new_figure(17, 6.0)
        ratios = [x.shape[1], view.padded.shape[1], extent[1], view.result.shape[1]]
        axes = figure.subplots(1, 4, width_ratios=ratios)
        _style.draw_values(axes[0], x, "input x")
        _style.draw_values(
            axes[1],
            view.padded,
            f"zeros inserted (grey), stride {geometry.stride[0]};\n"
            f"border d·(k−1)−crop = {pads} per axis",
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
) -> Figure:
    """The output split into its ``prod(stride)`` phases, each made by a sub-kernel.

    Left: y with each cell coloured by its phase. Then per phase: the kernel
    with the taps of its sub-kernel shown (others blank) and the phase's
    outputs, a stride-1 correlation of x with that sub-kernel.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _require_2d(geometry, "plot_polyphase")
    parts = phases(geometry, x, kernel)
    colors = _style.tap_colors(max(len(parts), 2))
    y = geometry.apply(x, kernel)
    phase_faces = np.empty(y.shape, dtype=object)
    for color, part in zip(colors, parts, strict=False):
        phase_faces[
            tuple(slice(f, None, s) for f, s in zip(part.first, geometry.stride, strict=True))
        ] = color
    with _style.style():
        figure = _style.new_figure(4.2 + 3.2 * len(parts), 7.4)
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
        figure.suptitle(
            f"Polyphase: stride {stride_text(geometry)} splits y into {len(parts)} "
            "stride-1 convolutions with sub-kernels, interleaved"
        )
    return figure
