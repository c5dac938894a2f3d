"""The polyphase figure: y split into its phases, each a stride-1 correlation of x with the
phase's sub-kernel reversed (the kernel that slides over x, as the explanation's recipe).

Only the phases some tap reaches are drawn one by one (at most 16,
:func:`tconvmat.analysis.phase_overview.phase_overview`); the footer counts the others with the
numbers of the explanation's text, and a long y is drawn elided.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.analysis.phase_overview import PhaseOverview, phase_overview
from tconvmat.api import ConvTranspose
from tconvmat.core import kernels
from tconvmat.plots import _style, zoom
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.elide import cuts_around, cuts_of
from tconvmat.plots.places import output_cuts
from tconvmat.plots.steps import single
from tconvmat.text import notation

__all__ = ["plot_polyphase"]


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


_CORRELATIONS = "stride-1 correlations with the reversed sub-kernels"
"""What each phase is, in the explanation's words."""

_RECIPE = (
    "Each phase: pad x with zeros ((before, after) per axis; negative: cut), then slide the "
    "reversed sub-kernel over it at stride 1 (what F.conv{n}d computes)"
)


def _sliding_panel(
    geometry: ConvTranspose, kernel: np.ndarray, combination: Any, color: str
) -> Panel:
    """The kernel that slides over x to make one phase (:func:`tconvmat.core.kernels.
    sliding_kernel`: the sub-kernel reversed, zeros between its taps when the dilation
    spreads them), each tap in its colour, framed in the phase's colour; its padding above."""
    sliding = kernels.sliding_kernel(geometry, combination)
    held = np.vectorize(lambda tap: tap is not None, otypes=[bool])(sliding.cells)
    taps = np.full(held.shape, -1, dtype=np.int64)
    values = np.zeros(held.shape, dtype=kernel.dtype)
    for index in zip(*np.nonzero(held), strict=True):
        tap = sliding.cells[index]
        taps[index] = np.ravel_multi_index(tap, kernel.shape)
        values[index] = kernel[tap]
    panel = _style.tap_panel(
        values,
        taps,
        kernel.size,
        f"slides over x\npad {notation.pad_pairs(sliding.pads)}",
        index_labels=False,
        cuts=cuts_around(held),
    )
    if not panel.breaks and panel.labels is not None:  # a zero between taps slides too
        panel.labels = [[text or "0" for text in row] for row in panel.labels]
    panel.outlines.append(_style.outline(0, 0, *panel.shape, color=color, linewidth=4))
    return panel


def _phase_note(overview: PhaseOverview) -> str:
    """How many phases are not drawn, and why (the words of the explanation's text)."""
    notes = []
    if overview.no_tap_note:
        notes.append(f"{overview.no_tap_note} (white in y)")
    if overview.left_out_note:
        notes.append(f"{overview.left_out_note} (grey in y)")
    return "\n".join(notes)


def plot_polyphase(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """The output split into its ``prod(stride)`` phases, each a stride-1 correlation.

    Top: y with each cell coloured by its phase (dark colours of their own, never
    a tap's). Then per phase: which taps of w make it (in their places in w, their
    tap colours as in every figure), the kernel that slides over x to make it
    (:func:`tconvmat.core.kernels.sliding_kernel`: those taps reversed, as the
    explanation's recipe writes it, with the padding of x in its title; framed in the
    phase's colour) and the phase's outputs. Any number of dimensions (3-D: slices side
    by side). A large y is drawn through a zoom window (the outputs an interior window
    of inputs reaches), each phase with its outputs inside it. Beyond 16 phases only
    the phases some tap reaches are drawn (at most 16,
    :func:`tconvmat.analysis.phase_overview.phase_overview`); the footer counts the others, and
    long stretches of zeros in y are cut out (:mod:`tconvmat.plots.elide`).

    Examples
    --------
    >>> g = ConvTranspose((3,), (2,), stride=1000)
    >>> figure = plot_polyphase(g, [1, 2, 3], [1, 2])
    >>> [p.title for p in figure.panels][1:]  # doctest: +NORMALIZE_WHITESPACE
    ['phase [0]\\nwhich taps of w', 'phase [1]\\nwhich taps of w',
     'slides over x\\npad (0, 0)', 'slides over x\\npad (0, 0)', 'y[0::1000]', 'y[1::1000]']
    >>> figure.board.footer.splitlines()[-1]
    '998 of the 1,000 phases receive no tap: their outputs stay 0 (white in y)'
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    single(geometry, "plot_polyphase")
    overview = phase_overview(geometry, x, kernel)
    parts = overview.shown
    colors = _style.phase_colors(len(parts))
    y = geometry.apply(x, kernel)
    box = (
        zoom.interior(geometry).outputs
        if zoom.is_large(y.shape)
        else tuple(slice(0, n) for n in y.shape)
    )
    zoomed = box != tuple(slice(0, n) for n in y.shape)
    main = _style.value_panel(
        y[box],
        "y, coloured by phase" + (f" (zoomed: {notation.region('y', box)})" if zoomed else ""),
        faces=_phase_faces(geometry, overview, colors)[box],
        origin=tuple(b.start for b in box),
        cuts=output_cuts(geometry, region=box),
    )
    main.cell = 1.3
    which: list[Panel | None] = []
    slides: list[Panel | None] = []
    outs: list[Panel | None] = []
    for color, part, combination in zip(colors, parts, overview.combinations, strict=True):
        taps = np.full(kernel.shape, -1, dtype=np.int64)
        for tap in part.taps:
            taps[tap] = np.ravel_multi_index(tap, kernel.shape)
        where = _style.tap_panel(
            kernel,
            taps,
            kernel.size,
            f"phase {position(part.first)}\n{'which taps of w' if part.taps else 'no tap'}",
            index_labels=False,
            cuts=cuts_around(taps >= 0),
        )
        which.append(where)
        slides.append(_sliding_panel(geometry, kernel, combination, color) if part.taps else None)
        slices = ", ".join(f"{f}::{s}" for f, s in zip(part.first, geometry.stride, strict=True))
        inside = tuple(
            slice(-(-(b.start - f) // s), -(-(b.stop - f) // s))
            for b, f, s in zip(box, part.first, geometry.stride, strict=True)
        )
        values = part.values[inside]
        outs.append(
            _style.value_panel(
                values,
                f"y[{slices}]" + (" in the zoom" if zoomed else ""),
                faces=np.full(values.shape, color, dtype=object),
                index_labels=False,
                cuts=cuts_of(values.shape, values=values),
            )
        )
    if overview.total == 1:
        title = "Polyphase at stride 1: one phase, the whole output is one convolution"
    elif not overview.without_taps:
        title = (
            f"Polyphase: stride {stride_text(geometry)} splits y into {overview.total:,} "
            f"interleaved phases,\n{_CORRELATIONS}"
        )
    else:
        title = (
            f"Polyphase: stride {stride_text(geometry)} splits y into {overview.total:,} phases; "
            f"the {overview.with_taps:,} that taps reach\nare {_CORRELATIONS}"
        )
    per_row = max(1, min(len(parts), 8))
    rows: list[list[Panel | None]] = [[main]]
    for start in range(0, len(parts), per_row):
        rows += [
            which[start : start + per_row],
            slides[start : start + per_row],
            outs[start : start + per_row],
        ]
    footer = "\n".join(
        filter(
            None,
            [_RECIPE.format(n=geometry.ndim) if overview.total > 1 else "", _phase_note(overview)],
        )
    )
    return TconvFigure(Board(rows, title=title, footer=footer))
