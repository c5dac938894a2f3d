"""Figures of the routes step by step: scatter, zero insertion, polyphase (1-D, 2-D, 3-D).

1-D grids are drawn as one row, 3-D grids as their slices side by side (heavier
lines between slices), so every view has a figure in every dimension.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.anatomy import PhaseOverview, phase_overview, scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_of

__all__ = ["plot_polyphase", "plot_scatter_steps", "plot_zero_insertion"]

MAX_STEP_PANELS = 11
"""Scatters with more input elements draw their first stamps, then the whole canvas."""
LARGE_CANVAS = 12
"""Canvases longer than this on a side show only the first few stamps (the first row's)."""


def _single(geometry: ConvTranspose, name: str) -> None:
    if not geometry.single_channel:
        raise ValueError(
            f"{name} draws one input and one output channel; this problem has "
            f"{geometry.in_channels} → {geometry.out_channels} (see plot_channels)"
        )


def _window_start(window: tuple[slice, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(w.start for w in window), tuple(w.stop - w.start for w in window)


def _crop_note(geometry: ConvTranspose) -> str:
    """What happens at the border: nothing, a crop, or zeros added (negative crops)."""
    crops = [side for pair in geometry.crops for side in pair]
    if all(c == 0 for c in crops):
        return "nothing is cropped (padding 0)"
    if all(c >= 0 for c in crops):
        return "the padding crops the border (dashed: what stays)"
    return "zeros extend the border"


def _scatter_1d(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> TconvFigure:
    """1-D: one row per stamp on the canvas, then their sum and the cropped result."""
    steps = scatter_steps(geometry, x, kernel, max_steps=2 * MAX_STEP_PANELS)
    n = len(steps.contributions)
    total = geometry.in_shape[0]
    width = steps.canvas.shape[0]
    window = steps.window[0]
    result = np.zeros(width, dtype=steps.canvas.dtype)
    result[window] = steps.result
    table = np.array([*steps.contributions, steps.canvas, result])
    faces = _style.value_faces(table, vmax=float(np.max(np.abs(table))) or 1.0)
    outside = np.ones(width, dtype=bool)
    outside[window] = False
    faces[-1, outside] = _style.INSERTED
    text = [[_style.value_label(v) if v != 0 else "" for v in row] for row in table.tolist()]
    text[-1] = [_style.value_label(v) if not outside[c] else "" for c, v in enumerate(result)]
    names = [f"x[{i}] = {_style.value_label(x[i])}" for i in range(n)]
    main = Panel(
        faces,
        text,
        "stamps on the canvas, their sum, and y",
        row_labels=[*names, "canvas (sum)", "y (cropped)"],
        col_labels=_style.index_names(width),
        outlines=[
            _style.outline(
                len(table) - 1,
                window.start,
                1,
                window.stop - window.start,
                _style.ACCENT,
                dashed=True,
            )
        ],
        xlabel="canvas position",
        bar=_style.colour_bar(table),
    )
    more = f" (first {n} of {total})" if n < total else ""
    return TconvFigure(
        Board(
            [[_style.value_panel(kernel, "kernel w")], [main]],
            title=(
                f"Scatter: each x[i] stamps x[i]·w at i·{geometry.stride[0]}{more};\n"
                f"their sum, cropped, is y ({geometry.out_shape[0]} values); "
                f"{_crop_note(geometry)}"
            ),
        )
    )


def plot_scatter_steps(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The uncropped canvas after each input element's stamp, then the crop and the result.

    2-D and 3-D (slices side by side): the input and the kernel, one panel per
    stamp (row-major order, the first 11 for large inputs) with the running sum
    and the new stamp outlined, then the full canvas with the crop window dashed,
    and y; where the numbers do not fit, one colour bar gives the shared scale.
    1-D: one row per stamp on the canvas, their sum and the cropped result.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _single(geometry, "plot_scatter_steps")
    if geometry.ndim == 1:
        return _scatter_1d(geometry, x, kernel)
    flat_canvas = _style.flat(np.empty(tuple(line.canvas().length for line in geometry.axes)))
    large = max(flat_canvas.shape) > LARGE_CANVAS
    shown = 5 if large else MAX_STEP_PANELS
    steps = scatter_steps(geometry, x, kernel, max_steps=shown)
    accumulated = steps.accumulated
    n_steps = accumulated.shape[0]
    vmax = float(np.max(np.abs(steps.canvas))) or 1.0
    canvas_shape = steps.canvas.shape
    extent = tuple(line.extent for line in geometry.axes)
    panels: list[Panel | None] = [
        _style.value_panel(x, "input x (stamped row by row)"),
        _style.value_panel(kernel, "kernel w"),
    ]
    for step, element in zip(range(n_steps), np.ndindex(*geometry.in_shape), strict=False):
        panel = _style.value_panel(accumulated[step], "", vmax=vmax, show_zero=False, legend=False)
        top = tuple(line.on_canvas(i, 0) for line, i in zip(geometry.axes, element, strict=True))
        panel.outlines += _style.flat_outlines(top, extent, canvas_shape)
        panel.title = f"{step + 1}. + x{position(element)} = {_style.value_label(x[element])} · w"
        panel.bold_title = False
        panels.append(panel)
    skipped = int(np.prod(geometry.in_shape)) - n_steps
    title = "all stamps added; crop dashed"
    if skipped:
        title = f"… {skipped} more stamps: all added;\ncrop dashed"
    final = _style.value_panel(steps.canvas, title, vmax=vmax, show_zero=False)
    start, size = _window_start(steps.window)
    final.outlines += _style.flat_outlines(
        start, size, canvas_shape, color=_style.ACCENT, dashed=True
    )
    shape = "×".join(str(n) for n in geometry.out_shape)
    result = _style.value_panel(steps.result, f"result y ({shape})", vmax=vmax, legend=False)
    panels += [final, result]
    columns = 3 if flat_canvas.shape[1] > 2 * LARGE_CANVAS else 4
    rows = [panels[i : i + columns] for i in range(0, len(panels), columns)]
    return TconvFigure(
        Board(
            rows,
            title=(
                "Scatter: each input value stamps value·kernel at stride "
                f"{stride_text(geometry)};\noverlaps add; {_crop_note(geometry)}"
            ),
        )
    )


def plot_zero_insertion(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    output: tuple[int, ...] | None = None,
) -> TconvFigure:
    """The fractionally strided view: zeros inserted, border padded, flipped kernel sliding.

    Panels: the input; the zero-inserted and padded grid with the flipped
    kernel's window for output ``output`` outlined; the flipped (dilated)
    kernel; and the result, that output outlined; under them the sum that
    gives it. Same numbers as the scatter. Any number of dimensions.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _single(geometry, "plot_zero_insertion")
    view = zero_insertion(geometry, x, kernel)
    if output is None:
        output = tuple(min(1, n - 1) for n in geometry.out_shape)
    faces = _style.value_faces(view.padded, vmax=float(np.max(np.abs(x))) or 1.0)
    faces[~view.holds_input] = _style.INSERTED
    extent = view.dilated_kernel.shape
    window = view.padded[tuple(slice(o, o + e) for o, e in zip(output, extent, strict=True))]
    terms = " + ".join(
        f"{_style.value_label(a)}·{_style.value_label(b)}"
        for a, b in zip(window.reshape(-1), view.dilated_kernel.reshape(-1), strict=True)
    )
    sides = [f"{lo} before, {hi} after" for lo, hi in view.padding]
    pads = (
        sides[0]
        if len(set(sides)) == 1
        else "; ".join(f"axis {a}: {side}" for a, side in enumerate(sides))
    )
    padded = _style.value_panel(
        view.padded,
        f"zeros inserted (grey), stride {stride_text(geometry)};\nborder d·(k−1)−crop: {pads}",
        faces=faces,
    )
    padded.outlines += _style.flat_outlines(output, extent, view.padded.shape, color=_style.ACCENT)
    result = _style.value_panel(
        view.result, f"result y, y{position(output)} = {_style.value_label(view.result[output])}"
    )
    result.outlines += _style.flat_outlines(
        output, (1,) * geometry.ndim, view.result.shape, color=_style.ACCENT
    )
    value = _style.value_label(view.result[output])
    return TconvFigure(
        Board(
            [
                [
                    _style.value_panel(x, "input x"),
                    padded,
                    _style.value_panel(view.dilated_kernel, "flipped kernel", show_zero=False),
                    result,
                ]
            ],
            title=(
                "Zero insertion (fractionally strided convolution): the flipped kernel "
                "slides at stride 1\nand gives the same numbers"
            ),
            footer=f"y{position(output)} = {terms or '0'} = {value}",
            align_columns=False,
        )
    )


def _phase_faces(geometry: ConvTranspose, overview: PhaseOverview, colors: list[str]) -> np.ndarray:
    """y's cells coloured by the phase drawn below; white where no tap reaches the phase
    (zeros), grey for phases with taps that are not drawn."""
    reached = np.ones((), dtype=bool)
    for line in geometry.axes:  # a phase has taps when it has them along every axis
        firsts = [p.first for p in line.occupied_phases()]
        reached = np.logical_and.outer(
            reached, np.isin(np.arange(line.output_length) % line.stride, firsts)
        )
    faces = np.where(reached, _style.INSERTED, _style.EMPTY).astype(object)
    for color, part in zip(colors, overview.shown, strict=True):
        faces[
            tuple(slice(f, None, s) for f, s in zip(part.first, geometry.stride, strict=True))
        ] = color
    return faces


def _phase_note(overview: PhaseOverview) -> str:
    """How many phases are not drawn, and why (the numbers of the explanation's text)."""
    notes = []
    if overview.without_taps:
        notes.append(
            f"{overview.without_taps:,} of the {overview.total:,} phases receive no tap: "
            "their outputs stay 0 (white in y)"
        )
    if overview.left_out:
        notes.append(
            f"{overview.left_out:,} more phases receive taps and are not drawn one by one "
            "(grey in y)"
        )
    return "\n".join(notes)


def plot_polyphase(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The output split into its ``prod(stride)`` phases, each made by a sub-kernel.

    Top: y with each cell coloured by its phase (dark colours of their own, never
    a tap's). Then per phase: the kernel with the taps of its sub-kernel shown
    (others blank) and the phase's outputs, a stride-1 correlation of x with
    that sub-kernel. Any number of dimensions (3-D: slices side by side). Beyond
    16 phases only the phases some tap reaches are drawn (at most 16,
    :func:`tconvmat.anatomy.phase_overview`); the footer counts the others, and a
    long y is drawn elided (:mod:`tconvmat.plots.elide`).

    Examples
    --------
    >>> g = ConvTranspose((3,), (2,), stride=1000)
    >>> figure = plot_polyphase(g)
    >>> [p.title for p in figure.panels][1:]
    ['phase [0]\\nsub-kernel', 'phase [1]\\nsub-kernel', 'y[0::1000]', 'y[1::1000]']
    >>> figure.board.footer
    '998 of the 1,000 phases receive no tap: their outputs stay 0 (white in y)'
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    _single(geometry, "plot_polyphase")
    overview = phase_overview(geometry, x, kernel)
    parts = overview.shown
    colors = _style.phase_colors(len(parts))
    y = geometry.apply(x, kernel)
    landings = [line.landing().reshape(-1) for line in geometry.axes]
    main = _style.value_panel(
        y,
        "y, coloured by phase",
        faces=_phase_faces(geometry, overview, colors),
        cuts=cuts_of(y.shape, landings),
    )
    main.cell = 1.3
    subs: list[Panel | None] = []
    outs: list[Panel | None] = []
    for color, part in zip(colors, parts, strict=True):
        used = np.full(kernel.shape, _style.EMPTY, dtype=object)
        labels = np.full(kernel.shape, "", dtype=object)
        for tap in part.taps:
            used[tap], labels[tap] = color, _style.value_label(kernel[tap])
        cuts = cuts_of(kernel.shape, [[t[a] for t in part.taps] for a in range(kernel.ndim)])
        sub = _style.value_panel(
            kernel,
            f"phase {position(part.first)}\n{'sub-kernel' if part.taps else 'no tap'}",
            faces=used,
            index_labels=False,
            cuts=cuts,
        )
        sub.labels = _style.flat(_style.take(labels, cuts, "")).tolist()
        subs.append(sub)
        slices = ", ".join(f"{f}::{s}" for f, s in zip(part.first, geometry.stride, strict=True))
        outs.append(
            _style.value_panel(
                part.values,
                f"y[{slices}]",
                faces=np.full(part.values.shape, color, dtype=object),
                index_labels=False,
                cuts=cuts_of(part.values.shape, values=part.values),
            )
        )
    if overview.total == 1:
        title = "Polyphase at stride 1: one phase, the whole output is one convolution"
    elif not overview.without_taps:
        title = (
            f"Polyphase: stride {stride_text(geometry)} splits y into {overview.total:,} "
            "stride-1 convolutions with sub-kernels, interleaved"
        )
    else:
        title = (
            f"Polyphase: stride {stride_text(geometry)} splits y into {overview.total:,} phases; "
            f"the {overview.with_taps:,} that taps reach\nare stride-1 convolutions with "
            "sub-kernels, interleaved"
        )
    per_row = max(1, min(len(parts), 8))
    rows: list[list[Panel | None]] = [[main]]
    for start in range(0, len(parts), per_row):
        rows += [subs[start : start + per_row], outs[start : start + per_row]]
    return TconvFigure(Board(rows, title=title, footer=_phase_note(overview)))
