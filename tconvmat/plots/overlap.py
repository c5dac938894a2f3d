"""Figures of overlap counts (the checkerboard effect) and of what each parameter does."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.analysis import axis_overlap
from tconvmat.anatomy import overlap_grid, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.budget import check_view
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_of
from tconvmat.plots.matrix import drawn_taps, matrix_cuts
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
    rows: list[list[Panel | None]] = []
    for k in kernel_sizes:
        row: list[Panel | None] = []
        for s in strides:
            axis = axis_overlap(k, s)
            verdict = "gaps" if axis.untouched else "even" if axis.even else "uneven: checkerboard"
            panel = _style.value_panel(
                counts[(k, s)], f"kernel {k}, stride {s}: {verdict}", vmax=top, index_labels=False
            )
            panel.cell = 0.8
            row.append(panel)
        rows.append(row)
    return TconvFigure(
        Board(
            rows,
            title=(
                f"Overlap counts: taps reaching each output (input {in_size}×{in_size}, "
                "padding 0)\neven away from the border exactly when the stride divides the kernel"
            ),
        )
    )


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


def _effects_panel(g: ConvTranspose, label: str) -> Panel:
    """C of g's first axis, the columns the padding crops in grey (elided when its columns
    hold long stretches of zeros, as in :func:`tconvmat.plots.matrix.matrix_cuts`)."""
    full, window = _first_axis(g)
    cuts = matrix_cuts(full)
    if cuts is None:
        taps, columns, breaks = tap_matrix(full), np.arange(full.matrix_shape[1]), []
    else:
        taps, columns = drawn_taps(full, cuts), cuts[1].index
        breaks = [*cuts[0].breaks(0), *cuts[1].breaks(1)]
    colors = np.array(_style.tap_colors(g.kernel_shape[0]), dtype=object)
    faces = np.where(taps >= 0, colors[np.maximum(taps, 0)], _style.EMPTY)
    outside = (columns >= 0) & ((columns < window.start) | (columns >= window.stop))
    faces[:, outside] = np.where(taps[:, outside] >= 0, _style.CROPPED, _style.INSERTED)
    own = label.endswith("(this problem)")
    panel = Panel(
        faces,
        title=f"{label}: output {_text.shape(g.out_shape)}",
        bold_title=own,
        cell=0.6,
        breaks=breaks,
    )
    if own:
        panel.outlines.append(_style.outline(0, 0, *taps.shape, linewidth=3))
    return panel


def plot_parameter_effects(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """Small multiples: what stride, padding, kernel size, dilation and output_padding do to C.

    One row per parameter: the problem itself (outlined) between the same problem
    with that parameter one lower and one higher, exactly the variants of the
    explanation's table (:func:`tconvmat.variations.variants`), each titled with
    its whole output shape. Each panel draws C along the first axis (1-D: the
    whole C), non-zeros coloured by tap, the output columns the padding crops in
    grey. Defaults: 1-D input 4, kernel 3, stride 2, padding 1. Any number of
    dimensions.

    Examples
    --------
    >>> g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    >>> [p.title for p in plot_parameter_effects(g).panels][:2]
    ['stride 2 (this problem): output 8×8', 'stride 3: output 11×11']
    """
    if geometry is None:
        geometry = ConvTranspose((4,), (3,), stride=2, padding=1)
    geometry, x, kernel = resolve(geometry, x, kernel)
    rows = _effect_rows(Problem(geometry, x, kernel))
    first = "" if geometry.ndim == 1 else f" along the first axis (of {geometry.ndim}-D)"
    return TconvFigure(
        Board(
            [[_effects_panel(g, label) for label, g in row] for _, row in rows],
            title=(
                f"What each parameter does to C{first}: input "
                f"{_text.shape(geometry.in_shape)}, kernel {_text.shape(geometry.kernel_shape)}\n"
                "rows = inputs, columns = outputs, colour = kernel tap, grey = cropped by the "
                "padding"
            ),
        )
    )


def plot_overlap_counts(geometry: ConvTranspose | None = None) -> TconvFigure:
    """Taps per output for this geometry, and with kernels of stride + 1 and 2·stride.

    The second panel makes stamps overlap unevenly (the stride does not divide
    the kernel: checkerboard or stripes), the third evenly (it does): the same
    input size, stride, padding and dilation. Any number of dimensions (1-D as one
    row, 3-D as its slices side by side).
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
    grids = [overlap_grid(g) for _, g in cases]
    top = max(int(grid.max()) for grid in grids) or 1
    panels: list[Panel | None] = []
    for (label, g), grid in zip(cases, grids, strict=True):
        kernel = "×".join(map(str, g.kernel_shape))
        panels.append(
            _style.value_panel(
                grid,
                f"{label}: kernel {kernel}\n{overlap_counts(g).pattern}",
                vmax=top,
                cuts=cuts_of(grid.shape, values=grid),
            )
        )
    rule = (
        "with dilation d, taps reach only every gcd(s, d)-th output,\n"
        "and those evenly only where s / gcd(s, d) divides the kernel"
        if max(geometry.dilation) > 1
        else "even only where the stride divides the kernel"
    )
    return TconvFigure(
        Board(
            [panels] if max(p.shape[1] for p in panels if p) <= 24 else [[p] for p in panels],
            title=f"Taps reaching each output: {rule}",
            align_columns=False,
        )
    )
