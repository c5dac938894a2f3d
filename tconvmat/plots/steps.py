"""Figures of the routes step by step: scatter and zero insertion (1-D, 2-D, 3-D).

1-D grids are drawn as one row, 3-D grids as their slices side by side (heavier
lines between slices), so every view has a figure in every dimension.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tconvmat.analysis.anatomy import scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.core import kernels
from tconvmat.plots import _style, zoom
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_around
from tconvmat.plots.places import canvas_cuts, inserted_cuts, output_cuts
from tconvmat.plots.stamped import stamped, write_zeros
from tconvmat.text import notation

__all__ = [
    "crop_note",
    "flipped_taps",
    "plot_scatter_steps",
    "plot_zero_insertion",
    "single",
    "window_sum",
]

MAX_TERMS = 12
"""A sum written under a figure shows its first products, then how many more."""
MAX_STEP_PANELS = 11
"""Scatters with more input elements draw the stamps of a zoom window, then the whole canvas."""


def single(geometry: ConvTranspose, name: str) -> None:
    if not geometry.single_channel:
        raise ValueError(
            f"{name} draws one input and one output channel; this problem has "
            f"{geometry.in_channels} → {geometry.out_channels} (see plot_channels)"
        )


def _window_start(window: tuple[slice, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    return tuple(w.start for w in window), tuple(w.stop - w.start for w in window)


BLANK_NOTE = "A blank canvas cell: no stamp has landed there; where stamps landed, 0 is written"


def crop_note(geometry: ConvTranspose) -> str:
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
    (cut,) = canvas_cuts(geometry)
    outside = np.ones(width, dtype=bool)
    outside[window] = False
    drawn, outside = cut.take(table, axis=1), cut.take(outside, fill=False)
    faces = _style.value_faces(drawn, vmax=float(np.max(np.abs(table))) or 1.0)
    faces[-1, outside] = _style.INSERTED
    reached = stamped(geometry, max_steps=2 * MAX_STEP_PANELS)
    landed = cut.take(np.array([*reached.each, reached.canvas, reached.canvas]), axis=1, fill=False)
    text = [
        [_style.value_label(v) if hit else "" for v, hit in zip(row, hits, strict=True)]
        for row, hits in zip(drawn.tolist(), landed.tolist(), strict=True)
    ]
    text[-1] = [
        _style.value_label(v) if not o else "" for v, o in zip(drawn[-1], outside, strict=True)
    ]
    for c in np.flatnonzero(cut.index < 0):  # a break is a gap, whatever the rows hold
        faces[:, c] = _style.EMPTY
        for row in text:
            row[c] = ""
    names = [f"x[{i}] = {_style.value_label(x[i])}" for i in range(n)]
    start, extent = cut.span(window.start, window.stop - window.start)
    main = Panel(
        faces,
        text,
        "stamps on the canvas, their sum, and y",
        row_labels=[*names, "canvas (sum)", "y (cropped)"],
        col_labels=cut.labels(),
        outlines=[_style.outline(len(table) - 1, start, 1, extent, _style.ACCENT, dashed=True)],
        xlabel="canvas position",
        bar=_style.colour_bar(table),
        breaks=cut.breaks(),
    )
    more = f" (first {n} of {total})" if n < total else ""
    return TconvFigure(
        Board(
            [[_style.kernel_panel(kernel)], [main]],
            title=(
                f"Scatter: each x[i] stamps x[i]·w at i·{geometry.stride[0]}{more};\n"
                f"their sum, cropped, is y ({geometry.out_shape[0]:,} values); "
                f"{crop_note(geometry)}"
            ),
            footer=BLANK_NOTE,
        )
    )


def plot_scatter_steps(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The uncropped canvas after each input element's stamp, then the crop and the result.

    2-D and 3-D (slices side by side): the input and the kernel (in its tap colours),
    one panel per stamp (row-major order) with the running sum and the new stamp
    outlined, then the full canvas with the crop window dashed, and y; every value
    grid on one colour scale. Beyond 11 input elements, the stamps of an interior
    zoom window (3 × 3 in 2-D) alone, so overlaps show on every side, on the part of
    the canvas they cover when the canvas is large (true indices); the whole canvas
    follows with that part outlined. 1-D: one row per stamp on the canvas, their sum
    and the cropped result.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    single(geometry, "plot_scatter_steps")
    if geometry.ndim == 1:
        return _scatter_1d(geometry, x, kernel)
    window, region = zoom.scatter_window(geometry, MAX_STEP_PANELS)
    steps = scatter_steps(geometry, x, kernel, elements=None if window is None else window.inputs)
    accumulated = steps.accumulated[(slice(None), *region)]
    reached = stamped(geometry, elements=None if window is None else window.inputs)
    canvas_shape = steps.canvas.shape
    origin = tuple(r.start for r in region)
    extent = tuple(line.extent for line in geometry.axes)
    top = _style.scale(x, steps.canvas, accumulated)
    cuts = canvas_cuts(geometry, None if window is None else window.inputs, region)
    if window is None:
        x_panel = _style.value_panel(x, "input x (stamped row by row)", vmax=top)
    else:
        x_panel = _style.value_panel(
            x[window.inputs],
            f"input x, zoomed: {window.text()}",
            vmax=top,
            origin=tuple(s.start for s in window.inputs),
        )
    panels: list[Panel | None] = [x_panel, _style.kernel_panel(kernel)]
    elements = (
        np.ndindex(*geometry.in_shape)
        if window is None
        else (
            tuple(s.start + i for s, i in zip(window.inputs, p, strict=True))
            for p in np.ndindex(*window.input_shape)
        )
    )
    for step, element in enumerate(elements):
        panel = _style.value_panel(
            accumulated[step],
            "",
            vmax=top,
            show_zero=False,
            legend=False,
            origin=origin,
            cuts=cuts,
        )
        corner = tuple(
            line.on_canvas(i, 0) - o
            for line, i, o in zip(geometry.axes, element, origin, strict=True)
        )
        panel.outlines += _style.flat_outlines(corner, extent, accumulated[step].shape, cuts)
        write_zeros(panel, reached.steps[step][region], cuts)
        panel.title = f"{step + 1}. + x{position(element)} = {_style.value_label(x[element])} · w"
        panel.bold_title = False
        panels.append(panel)
    n_in = int(np.prod(geometry.in_shape))
    title = "all stamps added; crop dashed"
    if window is not None:
        title = f"all {n_in} stamps added; crop dashed"
        if region != tuple(slice(0, n) for n in canvas_shape):
            title += ";\nthe zoomed part outlined"
    whole = canvas_cuts(geometry)
    final = _style.value_panel(steps.canvas, title, vmax=top, show_zero=False, cuts=whole)
    write_zeros(final, reached.canvas, whole)
    start, size = _window_start(steps.window)
    final.outlines += _style.flat_outlines(
        start, size, canvas_shape, whole, color=_style.ACCENT, dashed=True
    )
    if window is not None and region != tuple(slice(0, n) for n in canvas_shape):
        final.outlines += _style.flat_outlines(
            origin, accumulated.shape[1:], canvas_shape, whole, linewidth=1.5
        )
    shape = "×".join(str(n) for n in geometry.out_shape)
    result = _style.value_panel(
        steps.result, f"result y ({shape})", vmax=top, legend=False, cuts=output_cuts(geometry)
    )
    drawn = _style.flat(np.empty(tuple(c.size for c in cuts), dtype=bool)).shape
    if window is not None:  # the whole grids are the context of the zoom: drawn smaller
        for panel in (final, result):
            panel.cell = min(1.0, (max(drawn) + 2) / max(panel.shape))
    panels += [final, result]
    width = drawn[1]
    columns = max(2, min(4, 40 // width))  # at most about 40 cells across: legible on a slide
    rows = [panels[i : i + columns] for i in range(0, len(panels), columns)]
    heading = (
        "Scatter: each input value stamps value·kernel at stride "
        f"{stride_text(geometry)};\noverlaps add; {crop_note(geometry)}"
    )
    if window is not None:
        where = (
            "the whole canvas"
            if region == tuple(slice(0, n) for n in canvas_shape)
            else f"the part of the canvas they cover, {notation.region('canvas', region)}"
        )
        heading += (
            f"\nzoomed: the {int(np.prod(window.input_shape))} stamps of "
            f"{window.text()} alone, on {where}"
        )
    return TconvFigure(Board(rows, title=heading, footer=BLANK_NOTE))


def flipped_taps(geometry: ConvTranspose) -> np.ndarray:
    """The user's flat tap of every cell of the flipped kernel, dilated (-1: a gap).

    >>> flipped_taps(ConvTranspose((3,), (2,), dilation=2)).tolist()
    [1, -1, 0]
    """
    flipped = kernels.reversed_taps(geometry).reshape(geometry.kernel_shape)
    shape = tuple(line.extent for line in geometry.axes)
    taps = np.full(shape, -1, dtype=np.int64)
    taps[tuple(slice(None, None, d) for d in geometry.dilation)] = flipped
    return taps


def reversed_kernel_panel(geometry: ConvTranspose, dilated_kernel: np.ndarray, title: str) -> Panel:
    """The reversed (and dilated) kernel that slides over the zero-inserted input, each tap
    in its colour, the gaps between dilated taps cut out where long."""
    taps = flipped_taps(geometry)
    size = math.prod(geometry.kernel_shape)
    return _style.tap_panel(dilated_kernel, taps, size, title, cuts=cuts_around(taps >= 0))


def _busiest(line: Any, outputs: slice) -> int:
    """The output of ``outputs`` (one axis) that most taps reach, the middle one of a tie."""
    counts = line.tap_counts()[outputs]
    best = np.flatnonzero(counts == counts.max())
    return int(outputs.start + best[(len(best) - 1) // 2])


def window_sum(
    window: np.ndarray, dilated: np.ndarray, geometry: ConvTranspose, nonzero: bool = False
) -> str:
    """The products of one output's sum, ``a·b + …``: the window's cells under the kernel's
    taps (not the zeros dilation puts between them; with ``nonzero``, only the cells that
    hold a value), the first :data:`MAX_TERMS` of them.

    Examples
    --------
    >>> g = ConvTranspose((2,), (2,), stride=2, dilation=2)
    >>> window_sum(np.array([0, 0, 5]), np.array([2, 0, 1]), g)
    '0·2 + 5·1'
    >>> window_sum(np.array([0, 0, 5]), np.array([2, 0, 1]), g, nonzero=True)
    '5·1'
    """
    taps = np.zeros(dilated.shape, dtype=bool)
    taps[tuple(slice(None, None, d) for d in geometry.dilation)] = True
    if nonzero:
        taps &= window != 0
    pairs = list(zip(window[taps].tolist(), dilated[taps].tolist(), strict=True))
    terms = [f"{_style.value_label(a)}·{_style.value_label(b)}" for a, b in pairs[:MAX_TERMS]]
    if len(pairs) > MAX_TERMS:
        terms.append(f"… ({len(pairs) - MAX_TERMS:,} more products)")
    return " + ".join(terms) or "0"


def plot_zero_insertion(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    output: tuple[int, ...] | None = None,
) -> TconvFigure:
    """The fractionally strided view: zeros inserted, border padded, flipped kernel sliding.

    Panels: the input; the zero-inserted and padded grid with the flipped
    kernel's window for output ``output`` outlined; the flipped (dilated)
    kernel, each tap in its tap colour (so the reversal shows); and the result,
    that output outlined; under them the sum that gives it. Same numbers as the
    scatter, on one colour scale. Any number of dimensions. A large grid is drawn
    through a zoom window: the outputs an interior window of inputs reaches and the
    part of the grid they read, with true indices.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    single(geometry, "plot_zero_insertion")
    view = zero_insertion(geometry, x, kernel)
    extent = view.dilated_kernel.shape
    window = zoom.interior(geometry) if zoom.is_large(view.padded.shape) else None
    if window is None:
        outputs = tuple(slice(0, n) for n in view.result.shape)
        inputs = tuple(slice(0, n) for n in x.shape)
        default = tuple(min(1, n - 1) for n in geometry.out_shape)
    else:
        outputs = window.outputs
        default = tuple(_busiest(line, o) for line, o in zip(geometry.axes, outputs, strict=True))
    output = default if output is None else output
    grid = tuple(slice(o.start, o.stop + e - 1) for o, e in zip(outputs, extent, strict=True))
    if window is not None:  # the inputs that sit in the part of the grid drawn
        inputs = tuple(
            slice(int(np.argmax(seen)), len(seen) - int(np.argmax(seen[::-1])))
            for seen in (
                (where >= g.start) & (where < g.stop)
                for where, g in zip(
                    (line.zero_inserted()[1] for line in geometry.axes), grid, strict=True
                )
            )
        )
    top = _style.scale(x, view.result)
    faces = _style.value_faces(view.padded[grid], vmax=top)
    faces[~view.holds_input[grid]] = _style.INSERTED
    corner = tuple(o - g.start for o, g in zip(output, grid, strict=True))
    under = tuple(slice(o, o + e) for o, e in zip(output, extent, strict=True))
    terms = window_sum(view.padded[under], view.dilated_kernel, geometry)
    sides = [f"{lo} before, {hi} after" for lo, hi in view.padding]
    pads = (
        sides[0]
        if len(set(sides)) == 1
        else "; ".join(f"axis {a}: {side}" for a, side in enumerate(sides))
    )
    zoomed = zoom.zoom_line("grid", grid, view.padded.shape)
    padded = _style.value_panel(
        view.padded[grid],
        f"zeros inserted (grey), stride {stride_text(geometry)};\nborder d·(k−1)−crop: "
        f"{pads}{zoomed}",
        faces=faces,
        origin=tuple(g.start for g in grid),
        cuts=(on_grid := inserted_cuts(geometry, [output], grid)),
    )
    padded.outlines += _style.flat_outlines(
        corner, extent, view.padded[grid].shape, on_grid, color=_style.ACCENT
    )
    value = _style.value_label(view.result[output])
    result = _style.value_panel(
        view.result[outputs],
        f"result y, y{position(output)} = {value}"
        + zoom.zoom_line("y", outputs, view.result.shape),
        vmax=top,
        origin=tuple(o.start for o in outputs),
        cuts=(on_output := output_cuts(geometry, output, outputs)),
    )
    result.outlines += _style.flat_outlines(
        tuple(o - s.start for o, s in zip(output, outputs, strict=True)),
        (1,) * geometry.ndim,
        view.result[outputs].shape,
        on_output,
        color=_style.ACCENT,
    )
    flipped = reversed_kernel_panel(geometry, view.dilated_kernel, "reversed kernel")
    x_title = "input x" + zoom.zoom_line("x", inputs, geometry.in_shape)
    return TconvFigure(
        Board(
            [
                [
                    _style.value_panel(
                        x[inputs], x_title, vmax=top, origin=tuple(i.start for i in inputs)
                    ),
                    padded,
                    flipped,
                    result,
                ]
            ],
            title=(
                "Zero insertion (fractionally strided convolution): the reversed kernel "
                "slides at stride 1\nand gives the same numbers"
            ),
            legend=_style.tap_legend(kernel),
            legend_title="kernel tap (reversed: the colours move with the taps)",
            footer=f"y{position(output)} = {terms or '0'} = {value}",
            align_columns=False,
        )
    )
