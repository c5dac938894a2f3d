"""Which figures explain a problem, each drawn by :mod:`tconvmat.plots` only when shown."""

from __future__ import annotations

from tconvmat.problem import Problem
from tconvmat.teaching.explanation.parts import Figure

__all__ = ["GENERAL", "figures_for"]

GENERAL = ("checkerboard_demo",)
"""Figures the same for every problem (a fixed demonstration, titled as such)."""


def _plots():  # type: ignore[no-untyped-def]
    """The plots load only when a figure is drawn (not for text)."""
    from tconvmat import plots

    return plots


def _about(part: Figure, subject: str) -> Figure:
    """``part`` titled with ``subject`` (which channel pair it draws) on its first line."""
    draw = part.draw
    return Figure(part.name, f"{subject}: {part.caption}", lambda: draw().about(subject))


def figures_for(problem: Problem) -> dict[str, Figure]:
    """Figure parts by name, for numeric problems in any dimension.

    The matrix, the footprint, the scatter steps, zero insertion and polyphase
    (1-D grids drawn as one row, 3-D grids as their slices side by side), the
    slices of input, kernel and output for 3-D, parameter effects (along the first
    axis) and overlap. Problems with channels get the channel sums and the layer's C, then
    the figures of the pair input channel 0 → output channel 0, each titled as that pair;
    problems with symbols get none here.
    """
    g, x, kernel = problem.geometry, problem.x, problem.kernel
    if not problem.numeric:
        return {}
    if not g.single_channel:
        channel = Figure(
            "channels",
            "Each output channel: its group's input channels, each through its kernel, added",
            lambda: _plots().plot_channel_sums(g, x, kernel),
        )
        blocks = Figure(
            "channel_matrix",
            "C of this layer: one block per channel pair, block-diagonal per group",
            lambda: _plots().plot_channels(g, kernel),
        )
        subject = problem.pair_title()
        pair = {
            name: part if name in GENERAL else _about(part, subject)
            for name, part in figures_for(problem.pair(0, 0)).items()
        }
        return {"channels": channel, "channel_matrix": blocks, **pair}
    found = {
        "matrix": Figure(
            "matrix",
            "C and Cᵀ: every non-zero coloured by its kernel tap",
            lambda: _plots().plot_matrix(g, kernel),
        ),
        "footprint": Figure(
            "footprint",
            "One row of C on the output grid: the kernel at an input's place, cropped",
            lambda: _plots().plot_footprint(g, x, kernel),
        ),
        "scatter_steps": Figure(
            "scatter_steps",
            "The scatter: the canvas after each stamp, the crop, the result",
            lambda: _plots().plot_scatter_steps(g, x, kernel),
        ),
        "zero_insertion": Figure(
            "zero_insertion",
            "Zero insertion: the reversed kernel sliding over the zero-inserted input",
            lambda: _plots().plot_zero_insertion(g, x, kernel),
        ),
        "polyphase": Figure(
            "polyphase",
            "Polyphase: each phase of the output is a stride-1 correlation with its sub-kernel "
            "reversed",
            lambda: _plots().plot_polyphase(g, x, kernel),
        ),
    }
    if g.ndim == 3:
        found["slices"] = Figure(
            "slices",
            "Input, kernel and output, slice by slice",
            lambda: _plots().plot_slices(g, x, kernel),
        )
    found["parameter_effects"] = Figure(
        "parameter_effects",
        "What each parameter does to C and the output size, around this problem (first axis)",
        lambda: _plots().plot_parameter_effects(g, x, kernel),
    )
    found["constant_response"] = Figure(
        "constant_response",
        "This layer on an input of ones: each phase gives its sub-kernel's sum",
        lambda: _plots().plot_constant_response(g, kernel),
    )
    found["checkerboard_demo"] = Figure(
        "checkerboard_demo",
        "An image up-sampled four ways: kernel 3 or 4 with stride 2, resize then convolve, "
        "two stacked layers",
        lambda: _plots().plot_checkerboard_demo(),
    )
    found["overlap"] = Figure(
        "overlap",
        "Taps per output for this problem and for kernels the stride divides or not",
        lambda: _plots().plot_overlap_counts(g, kernel),
    )
    return found
