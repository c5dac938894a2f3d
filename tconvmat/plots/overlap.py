"""Figures of overlap counts (the checkerboard effect) and of what each parameter does."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from tconvmat import _text
from tconvmat.analysis import axis_overlap
from tconvmat.anatomy import overlap_grid, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.budget import check_view
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure, new_figure
from tconvmat.problem import Problem
from tconvmat.variations import PARAMETERS, setting, variants

__all__ = ["plot_overlap", "plot_overlap_counts", "plot_parameter_effects"]


def plot_overlap(
    kernel_sizes: tuple[int, ...] = (2, 3, 4),
    strides: tuple[int, ...] = (1, 2, 3),
    in_size: int = 4,
) -> TconvFigure:
    """How many kernel taps reach each output element, for a grid of (kernel, stride) pairs.

    2-D input of ``in_size``², square kernels, padding 0. Away from the border
    the counts are even exactly when the stride divides the kernel size;
    otherwise they alternate (the checkerboard pattern of transposed
    convolutions), and a stride larger than the kernel leaves outputs no tap reaches.
    """
    counts = {
        (k, s): overlap_grid(ConvTranspose((in_size, in_size), (k, k), stride=s))
        for k in kernel_sizes
        for s in strides
    }
    top = max(int(c.max()) for c in counts.values())
    with _style.style():
        figure = new_figure(5.0 * len(strides), 4.9 * len(kernel_sizes) + 0.6)
        axes = figure.subplots(len(kernel_sizes), len(strides), squeeze=False)
        for (k, s), ax in zip(counts, axes.reshape(-1), strict=True):
            grid = counts[(k, s)]
            size = _style.fit_fontsize(grid.shape[0], grid.shape[1], base=11)
            _style.draw_values(ax, grid, "", vmax=top, fontsize=size, index_labels=False)
            axis = axis_overlap(k, s)
            verdict = "gaps" if axis.untouched else "even" if axis.even else "uneven: checkerboard"
            ax.set_title(f"kernel {k}, stride {s}: {verdict}", fontsize=13)
        figure.suptitle(
            f"Overlap counts: taps reaching each output (input {in_size}×{in_size}, padding 0)\n"
            "even away from the border exactly when the stride divides the kernel"
        )
    return figure


def _first_axis(g: ConvTranspose) -> tuple[ConvTranspose, slice]:
    """g's first axis as 1-D without positive crops, and where g's output sits in it."""
    line = g.axes[0]
    full = ConvTranspose.from_crops(
        (line.size,),
        (line.kernel,),
        [(min(line.crop[0], 0), min(line.crop[1], 0))],
        stride=line.stride,
        dilation=line.dilation,
    )
    start = max(line.crop[0], 0)
    return full, slice(start, start + line.output_length)


def _effect_rows(problem: Problem) -> list[tuple[str, list[tuple[str, ConvTranspose]]]]:
    """Per parameter: (label, geometry) of its variants and of the problem, by value."""
    found = variants(problem)
    rows = []
    for parameter in PARAMETERS:
        row = [(v.value, v.label, v.geometry) for v in found if v.parameter == parameter]
        own = getattr(problem.geometry, parameter)
        row.append(
            (own, f"{setting(problem.geometry, parameter)} (this problem)", problem.geometry)
        )
        rows.append((parameter, [(label, g) for _, label, g in sorted(row, key=lambda r: r[0])]))
    return rows


def _effects_panel(ax: Axes, g: ConvTranspose, label: str, widest: int) -> None:
    """C of g's first axis, the columns the padding crops in grey."""
    full, window = _first_axis(g)
    taps = tap_matrix(full)
    colors = np.array(_style.tap_colors(g.kernel_shape[0]), dtype=object)
    faces = np.where(taps >= 0, colors[np.maximum(taps, 0)], _style.EMPTY)
    outside = np.ones(taps.shape[1], dtype=bool)
    outside[window] = False
    faces[:, outside] = np.where(taps[:, outside] >= 0, _style.CROPPED, _style.INSERTED)
    _style.draw_cells(ax, faces)
    ax.set_xlim(-0.5, widest - 0.5)
    own = label.endswith("(this problem)")
    for spine in ax.spines.values():
        spine.set_visible(False)
    if own:
        _style.outline(ax, 0, 0, *taps.shape, linewidth=2.5)
    ax.set_title(
        f"{label}: output {_text.shape(g.out_shape)}",
        fontsize=13,
        fontweight="bold" if own else "normal",
    )


def plot_parameter_effects(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """Small multiples: what stride, padding, kernel size, dilation and output_padding do to C.

    One row per parameter: the problem itself (framed) between the same problem
    with that parameter one lower and one higher, exactly the variants of the
    explanation's table (:func:`tconvmat.variations.variants`), each titled with
    its whole output shape. Each panel draws C along the first axis (1-D: the
    whole C), non-zeros coloured by tap, the output columns the padding crops in
    grey so every panel has the same cell size. Defaults: 1-D input 4, kernel 3,
    stride 2, padding 1. Any number of dimensions.

    Examples
    --------
    >>> g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    >>> [ax.get_title() for ax in plot_parameter_effects(g).axes][:2]
    ['stride 2 (this problem): output 8×8', 'stride 3: output 11×11']
    """
    if geometry is None:
        geometry = ConvTranspose((4,), (3,), stride=2, padding=1)
    geometry, x, kernel = resolve(geometry, x, kernel)
    rows = _effect_rows(Problem(geometry, x, kernel))
    widest = max(_first_axis(g)[0].out_shape[0] for _, row in rows for _, g in row)
    columns = max(len(row) for _, row in rows)
    with _style.style():
        figure = new_figure(6.0 * columns, 12.5)
        axes = figure.subplots(len(rows), columns, squeeze=False)
        for r, (_, drawn) in enumerate(rows):
            for c in range(columns):
                if c < len(drawn):
                    _effects_panel(axes[r, c], drawn[c][1], drawn[c][0], widest)
                else:
                    axes[r, c].set_axis_off()
        first = "" if geometry.ndim == 1 else f" along the first axis (of {geometry.ndim}-D)"
        figure.suptitle(
            f"What each parameter does to C{first}: input {_text.shape(geometry.in_shape)}, "
            f"kernel {_text.shape(geometry.kernel_shape)}\n"
            "rows = inputs, columns = outputs, colour = kernel tap, grey = cropped by the padding"
        )
    return figure


def _counts_panel(geometry: ConvTranspose) -> np.ndarray:
    """The overlap counts as a 2-D grid (1-D as one row, 3-D as its middle slice)."""
    counts = overlap_grid(geometry)
    if counts.ndim == 3:
        counts = counts[counts.shape[0] // 2]
    return np.atleast_2d(counts)


def plot_overlap_counts(geometry: ConvTranspose | None = None) -> TconvFigure:
    """Taps per output for this geometry, and with kernels of stride + 1 and 2·stride.

    The second panel makes stamps overlap unevenly (the stride does not divide
    the kernel: checkerboard or stripes), the third evenly (it does): the same
    input size, stride, padding and dilation.
    """
    from tconvmat.overlap import overlap_counts

    geometry = geometry if geometry is not None else ConvTranspose((4, 4), (2, 2), stride=2)
    check_view(geometry)
    cases = [("this problem", geometry)]
    for label, shape in (
        ("kernel stride + 1", tuple(s + 1 for s in geometry.stride)),
        ("kernel 2·stride", tuple(2 * s for s in geometry.stride)),
    ):
        if shape == geometry.kernel_shape:
            continue
        try:
            cases.append((label, dataclasses.replace(geometry, kernel_shape=shape)))
        except ValueError:
            continue
    grids = [_counts_panel(g) for _, g in cases]
    top = max(int(grid.max()) for grid in grids) or 1
    widths = [grid.shape[1] for grid in grids]
    with _style.style():
        figure = new_figure(
            max(9.0, 0.55 * sum(widths) + 3.0 * len(cases)),
            0.6 * max(grid.shape[0] for grid in grids) + 2.4,
        )
        axes = figure.subplots(1, len(cases), squeeze=False, width_ratios=widths)[0]
        for ax, (label, g), grid in zip(axes, cases, grids, strict=True):
            size = _style.fit_fontsize(grid.shape[0], grid.shape[1], base=12)
            _style.draw_values(ax, grid, "", vmax=top, fontsize=size)
            kernel = _text.shape(g.kernel_shape)
            ax.set_title(f"{label}: kernel {kernel}\n{overlap_counts(g).pattern}", fontsize=13)
        middle = " (middle slice)" if geometry.ndim == 3 else ""
        rule = (
            "with dilation d, taps reach only every gcd(s, d)-th output,\n"
            "and those evenly only where s / gcd(s, d) divides the kernel"
            if max(geometry.dilation) > 1
            else "even only where the stride divides the kernel"
        )
        figure.suptitle(f"Taps reaching each output{middle}: {rule}")
    return figure
