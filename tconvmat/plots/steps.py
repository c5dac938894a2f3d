"""Figures of the routes step by step: scatter and zero insertion (1-D, 2-D, 3-D).

1-D grids are drawn as one row, 3-D grids as their slices side by side (heavier
lines between slices), so every view has a figure in every dimension.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.anatomy import scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_of
from tconvmat.plots.places import canvas_cuts, inserted_cuts, output_cuts

__all__ = ["plot_scatter_steps", "plot_zero_insertion", "window_sum"]

MAX_STEP_PANELS = 11
"""Scatters with more input elements draw their first stamps, then the whole canvas."""
LARGE_CANVAS = 12
"""Canvases longer than this on a side show only the first few stamps (the first row's)."""
MAX_TERMS = 12
"""A sum written under a figure shows its first products, then how many more."""


def single(geometry: ConvTranspose, name: str) -> None:
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
    (cut,) = canvas_cuts(geometry)
    outside = np.ones(width, dtype=bool)
    outside[window] = False
    drawn, outside = cut.take(table, axis=1), cut.take(outside, fill=False)
    faces = _style.value_faces(drawn, vmax=float(np.max(np.abs(table))) or 1.0)
    faces[-1, outside] = _style.INSERTED
    text = [[_style.value_label(v) if v != 0 else "" for v in row] for row in drawn.tolist()]
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
            [[_style.value_panel(kernel, "kernel w")], [main]],
            title=(
                f"Scatter: each x[i] stamps x[i]·w at i·{geometry.stride[0]}{more};\n"
                f"their sum, cropped, is y ({geometry.out_shape[0]:,} values); "
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
    single(geometry, "plot_scatter_steps")
    if geometry.ndim == 1:
        return _scatter_1d(geometry, x, kernel)
    cuts = canvas_cuts(geometry)
    drawn_shape = tuple(cut.size for cut in cuts)
    flat_canvas = _style.flat(np.empty(drawn_shape, dtype=bool))
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
        panel = _style.value_panel(
            accumulated[step], "", vmax=vmax, show_zero=False, legend=False, cuts=cuts
        )
        top = tuple(line.on_canvas(i, 0) for line, i in zip(geometry.axes, element, strict=True))
        panel.outlines += _style.flat_outlines(top, extent, canvas_shape, cuts)
        panel.title = f"{step + 1}. + x{position(element)} = {_style.value_label(x[element])} · w"
        panel.bold_title = False
        panels.append(panel)
    skipped = int(np.prod(geometry.in_shape)) - n_steps
    title = "all stamps added; crop dashed"
    if skipped:
        title = f"… {skipped} more stamps: all added;\ncrop dashed"
    final = _style.value_panel(steps.canvas, title, vmax=vmax, show_zero=False, cuts=cuts)
    start, size = _window_start(steps.window)
    final.outlines += _style.flat_outlines(
        start, size, canvas_shape, cuts, color=_style.ACCENT, dashed=True
    )
    shape = "×".join(str(n) for n in geometry.out_shape)
    result = _style.value_panel(
        steps.result, f"result y ({shape})", vmax=vmax, legend=False, cuts=output_cuts(geometry)
    )
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
    kernel; and the result, that output outlined; under them the sum that
    gives it. Same numbers as the scatter. Any number of dimensions.
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    single(geometry, "plot_zero_insertion")
    view = zero_insertion(geometry, x, kernel)
    if output is None:
        output = tuple(min(1, n - 1) for n in geometry.out_shape)
    faces = _style.value_faces(view.padded, vmax=float(np.max(np.abs(x))) or 1.0)
    faces[~view.holds_input] = _style.INSERTED
    extent = view.dilated_kernel.shape
    window = view.padded[tuple(slice(o, o + e) for o, e in zip(output, extent, strict=True))]
    value = _style.value_label(view.result[output])
    sum_text = (
        f"y{position(output)} = {window_sum(window, view.dilated_kernel, geometry)} = {value}"
    )
    sides = [f"{lo} before, {hi} after" for lo, hi in view.padding]
    pads = (
        sides[0]
        if len(set(sides)) == 1
        else "; ".join(f"axis {a}: {side}" for a, side in enumerate(sides))
    )
    grid_cuts = inserted_cuts(geometry, [output])
    padded = _style.value_panel(
        view.padded,
        f"zeros inserted (grey), stride {stride_text(geometry)};\nborder d·(k−1)−crop: {pads}",
        faces=faces,
        cuts=grid_cuts,
    )
    padded.outlines += _style.flat_outlines(
        output, extent, view.padded.shape, grid_cuts, color=_style.ACCENT
    )
    result_cuts = output_cuts(geometry, output)
    result = _style.value_panel(
        view.result, f"result y, y{position(output)} = {value}", cuts=result_cuts
    )
    result.outlines += _style.flat_outlines(
        output, (1,) * geometry.ndim, view.result.shape, result_cuts, color=_style.ACCENT
    )
    taps = [np.arange(k) * d for k, d in zip(geometry.kernel_shape, geometry.dilation, strict=True)]
    return TconvFigure(
        Board(
            [
                [
                    _style.value_panel(x, "input x"),
                    padded,
                    _style.value_panel(
                        view.dilated_kernel,
                        "flipped kernel",
                        show_zero=False,
                        cuts=cuts_of(extent, taps),
                    ),
                    result,
                ]
            ],
            title=(
                "Zero insertion (fractionally strided convolution): the flipped kernel "
                "slides at stride 1\nand gives the same numbers"
            ),
            footer=sum_text,
            align_columns=False,
        )
    )
