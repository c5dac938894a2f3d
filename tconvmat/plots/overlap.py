"""Figures of overlap counts (the checkerboard effect) and of what each parameter does."""

from __future__ import annotations

import dataclasses
import textwrap
from typing import Any

import numpy as np

from tconvmat.analysis import axis_overlap
from tconvmat.analysis.anatomy import overlap_grid, tap_matrix
from tconvmat.analysis.overlap_words import FLAT_WORDS, TAPS_WORDS, flat_word, taps_per_output
from tconvmat.analysis.variations import PARAMETERS, Refused, Variant, setting, tried
from tconvmat.api import ConvTranspose
from tconvmat.core.budget import check_view
from tconvmat.plots import _style, palette
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_of
from tconvmat.plots.matrix import column_cut
from tconvmat.problem import Problem, counting
from tconvmat.text import notation

__all__ = ["plot_overlap", "plot_overlap_counts", "plot_parameter_effects"]


def plot_overlap(
    kernel_sizes: tuple[int, ...] = (2, 3, 4),
    strides: tuple[int, ...] = (1, 2, 3),
    in_size: int = 4,
) -> TconvFigure:
    """How many kernel taps reach each output element, for a grid of (kernel, stride) pairs.

    2-D input of ``in_size``², square kernels, padding 0; each panel on its own
    colour scale (its counts are written), so every panel's pattern shows. Away
    from the border the counts are even exactly when the stride divides the kernel size;
    otherwise they alternate (the checkerboard pattern of transposed
    convolutions), and a stride larger than the kernel leaves outputs no tap reaches.
    """
    counts = {
        (k, s): overlap_grid(ConvTranspose((in_size, in_size), (k, k), stride=s))
        for k in kernel_sizes
        for s in strides
    }
    rows: list[list[Panel | None]] = []
    for k in kernel_sizes:
        row: list[Panel | None] = []
        for s in strides:
            taps = taps_per_output((axis_overlap(k, s), axis_overlap(k, s)))
            panel = _style.value_panel(
                counts[(k, s)],
                f"kernel {k}, stride {s}\ntaps per output: {taps}",
                index_labels=False,
            )
            panel.cell = 0.8
            row.append(panel)
        rows.append(row)
    return TconvFigure(
        Board(
            rows,
            title=(
                f"Overlap counts in general (an example, input {in_size}×{in_size}, padding 0): "
                "taps reaching each output\neven away from the border exactly when the stride "
                "divides the kernel; each panel on its own colour scale (its most taps brightest)"
            ),
            footer=textwrap.fill(FLAT_WORDS.replace("*", ""), 100),
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


def _effect_rows(problem: Problem) -> list[list[tuple[str, ConvTranspose | None]]]:
    """Per parameter, by value: (label, geometry) of its variants and of the problem, a
    refused variant with no geometry; each row starts with blanks (None) so that the
    problem sits in the same column in every row."""
    rows = []
    for parameter in PARAMETERS:
        own = getattr(problem.geometry, parameter)
        row: list[tuple[Any, str, ConvTranspose | None]] = [
            (v.value, v.label, v.geometry if isinstance(v, Variant) else None)
            for v in tried(problem)
            if v.parameter == parameter
        ]
        row.append(
            (own, f"{setting(problem.geometry, parameter)} (this problem)", problem.geometry)
        )
        rows.append([(label, g) for _, label, g in sorted(row, key=lambda r: r[0])])
    column = [
        next(i for i, (label, _) in enumerate(r) if label.endswith("(this problem)")) for r in rows
    ]
    return [[("", None)] * (max(column) - c) + r for r, c in zip(rows, column, strict=True)]


def _refused_panel(label: str) -> Panel:
    """The place of a variant PyTorch refuses: its name, no C (the reason is below)."""
    return Panel(
        np.full((1, 1), _style.EMPTY, dtype=object),
        title=f"{label}: not allowed\n(see below)",
        bold_title=False,
        frame=False,
        borders=False,
    )


def _effects_panel(g: ConvTranspose, label: str) -> Panel:
    """C of g's first axis, the columns the padding crops in grey (elided when its columns
    hold long stretches of zeros, as in :func:`tconvmat.plots.matrix.column_cut`).

    1-D: each tap in its tap colour (as in C's figure). N-D: each tap is a whole kernel
    row along this axis, so all in one colour of their own with the row's number written.
    """
    full, window = _first_axis(g)
    taps, columns, breaks = tap_matrix(full), np.arange(full.matrix_shape[1]), []
    cut = column_cut(taps)
    if cut is not None:
        taps, columns, breaks = cut.take(taps, axis=1, fill=-1), cut.index, list(cut.breaks(1))
    if g.ndim == 1:
        colors = np.array(_style.tap_colors(g.kernel_shape[0]), dtype=object)
        labels = None
    else:
        colors = np.array([palette.AXIS_TAP] * g.kernel_shape[0], dtype=object)
        labels = [[str(t) if t >= 0 else "" for t in row] for row in taps.tolist()]
    faces = np.where(taps >= 0, colors[np.maximum(taps, 0)], _style.EMPTY)
    outside = (columns >= 0) & ((columns < window.start) | (columns >= window.stop))
    faces[:, outside] = np.where(taps[:, outside] >= 0, _style.CROPPED, _style.INSERTED)
    own = label.endswith("(this problem)")
    panel = Panel(
        faces,
        labels,
        title=f"{label}: output {notation.shape(g.out_shape)}",
        bold_title=own,
        cell=max(0.3, 0.6 * min(1.0, 8 / taps.shape[0])),  # long inputs: smaller cells
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
    explanation's table (:func:`tconvmat.analysis.variations.variants`), each titled with
    its whole output shape. Each panel draws C along the first axis (1-D: the
    whole C), non-zeros coloured by tap, the output columns the padding crops in
    grey. Defaults: 1-D input 4, kernel 3, stride 2, padding 1. Any number of
    dimensions.

    Examples
    --------
    >>> g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    >>> titles = [p.title for p in plot_parameter_effects(g).panels]
    >>> titles[0].splitlines()[0], titles[1]
    ('stride 1: not allowed', 'stride 2 (this problem): output 8×8')
    """
    if geometry is None:
        geometry = ConvTranspose((4,), (3,), stride=2, padding=1)
    geometry, x, kernel = resolve(geometry, x, kernel)
    problem = Problem(geometry, x, kernel)
    rows = _effect_rows(problem)
    refused = [v for v in tried(problem) if isinstance(v, Refused)]
    first = "" if geometry.ndim == 1 else f" along the first axis (of {geometry.ndim}-D)"
    if geometry.ndim == 1:
        longest = max(g.kernel_shape[0] for row in rows for _, g in row if g)
        legend = [(c, f"w[{j}]") for j, c in enumerate(_style.tap_colors(longest))]
    else:
        legend = [(palette.AXIS_TAP, "a kernel row along the first axis (its number)")]
    legend += [
        (_style.CROPPED, "a tap the padding crops away"),
        (_style.INSERTED, "an output the padding crops (no tap)"),
    ]
    return TconvFigure(
        Board(
            [
                [
                    None if not label else _effects_panel(g, label) if g else _refused_panel(label)
                    for label, g in row
                ]
                for row in rows
            ],
            title=(
                f"What each parameter does to C{first}: input "
                f"{notation.shape(geometry.in_shape)}, "
                f"kernel {notation.shape(geometry.kernel_shape)}\n"
                "rows = inputs, columns = outputs (uncropped); outlined: this problem"
            ),
            legend=legend,
            legend_title="colour",
            footer="\n".join(f"not drawn: {v.label}, {v.reason}" for v in refused),
        )
    )


def plot_overlap_counts(geometry: ConvTranspose | None = None, kernel: Any = None) -> TconvFigure:
    """Taps per output for this geometry, and with kernels of stride + 1 and 2·stride.

    The second panel makes stamps overlap unevenly (the stride does not divide
    the kernel: checkerboard or stripes), the third evenly (it does): the same
    input size, stride, padding and dilation. Each panel answers the explanation's two
    questions in its words (:mod:`tconvmat.analysis.overlap_words`): taps per output
    (even, uneven, gaps) and, with ``kernel`` (the other kernels: 1, 2, 3, …), ones → flat?
    Any number of dimensions (1-D as one row, 3-D as its slices side by side).

    Examples
    --------
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> print(plot_overlap_counts(g, [[1, 2], [3, 4]]).panels[0].title)
    this problem: kernel 2×2
    taps per output: even; ones → flat? no
    """
    from tconvmat.analysis.overlap import overlap_counts

    geometry = geometry if geometry is not None else ConvTranspose((4, 4), (2, 2), stride=2)
    check_view(geometry)
    cases = [("this problem", geometry, kernel)]
    for label, shape in (
        ("kernel stride + 1", tuple(s + 1 for s in geometry.stride)),
        ("kernel 2·stride", tuple(2 * s for s in geometry.stride)),
    ):
        if shape == geometry.kernel_shape:
            continue
        try:
            variant = dataclasses.replace(geometry, kernel_shape=shape)
        except ValueError:
            continue
        cases.append((label, variant, None if kernel is None else counting(shape)))
    panels: list[Panel | None] = []
    for label, g, weights in cases:
        report = overlap_counts(g, weights)
        flat = f"; ones → flat? {flat_word(report.flat)}" if report.flat is not None else ""
        numbers = " (1, 2, 3, …)" if weights is not None and g is not geometry else ""
        panels.append(
            _style.value_panel(
                report.counts,
                f"{label}: kernel {notation.shape(g.kernel_shape)}{numbers}\n"
                f"taps per output: {report.taps}{flat}",
                cuts=cuts_of(report.counts.shape, values=report.counts),
            )
        )
    rule = (
        "with dilation d, taps reach only every gcd(s, d)-th output,\n"
        "and those evenly only where s / gcd(s, d) divides the kernel"
        if max(geometry.dilation) > 1
        else "even only where the stride divides the kernel"
    )
    words = [TAPS_WORDS] + ([FLAT_WORDS] if kernel is not None else [])
    return TconvFigure(
        Board(
            [panels] if max(p.shape[1] for p in panels if p) <= 24 else [[p] for p in panels],
            title=f"Taps reaching each output: {rule}\n(each panel on its own colour scale)",
            align_columns=False,
            footer="\n".join(textwrap.fill(w.replace("*", ""), 100) for w in words),
        )
    )
