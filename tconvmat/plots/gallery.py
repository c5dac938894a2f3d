"""The gallery in ``figures/``: written deterministically by ``tconvmat figures``.

Figures of the problem (the worked example by default), each titled with what it
draws, and figures of transposed convolution in general, each titled as an example
(never "this problem"); the same bytes on every run in PNG, SVG and PDF. A layer with
channels gets its own figures (its channel sums and its block-diagonal C) and the
figures of its first channel pair, titled "input ch 0 → output ch 0". What a problem
cannot be drawn in is listed with the reason (:func:`skipped`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tconvmat.plots import (
    plot_channel_sums,
    plot_channels,
    plot_footprint,
    plot_matrix,
    plot_overlap,
    plot_parameter_effects,
    plot_polyphase,
    plot_scatter_steps,
    plot_slices,
    plot_structure_1d,
    plot_transpose_vs_inverse,
    plot_zero_insertion,
)
from tconvmat.plots._figure import TconvFigure

if TYPE_CHECKING:
    from tconvmat.problem import Problem

Draw = Callable[["Problem"], TconvFigure]

GALLERY: dict[str, tuple[Draw, str]] = {
    "matrix_structure": (
        lambda p: plot_matrix(p.geometry, p.kernel),
        "C and Cᵀ of the worked example, non-zeros coloured by kernel tap; one input's "
        "row and the same column of Cᵀ outlined.",
    ),
    "footprint": (
        lambda p: plot_footprint(p.geometry, p.x, p.kernel),
        "One row of C on the output grid: the kernel at the input's strided place, "
        "cropped by the padding (interior and corner element).",
    ),
    "scatter_steps": (
        lambda p: plot_scatter_steps(p.geometry, p.x, p.kernel),
        "The scatter: the input and the kernel, the canvas after each of the nine stamps, the "
        "crop window, and the result.",
    ),
    "zero_insertion": (
        lambda p: plot_zero_insertion(p.geometry, p.x, p.kernel),
        "Zero insertion: stride − 1 zeros between inputs, border padding, the reversed "
        "kernel at one position: the same numbers.",
    ),
    "polyphase": (
        lambda p: plot_polyphase(p.geometry, p.x, p.kernel),
        "Polyphase: the output's stride² phases, each a stride-1 correlation with its "
        "sub-kernel reversed (a convolution with it as written).",
    ),
    "slices": (
        lambda p: plot_slices(p.geometry, p.x, p.kernel),
        "A 3-D problem slice by slice: input, kernel and output.",
    ),
    "parameter_effects": (
        lambda p: plot_parameter_effects(p.geometry),
        "What stride, padding, kernel size, dilation and output_padding each do to C and "
        "the output size, around the worked example (along its first axis).",
    ),
    "channel_sums": (
        lambda p: plot_channel_sums(p.geometry, p.x, p.kernel),
        "Each output channel of the layer from its group's input channels.",
    ),
    "channel_matrix": (
        lambda p: plot_channels(p.geometry, p.kernel),
        "C of the layer: block-diagonal per group.",
    ),
    "overlap": (
        lambda p: plot_overlap(),
        "Overlap counts in general, for kernel sizes 2–4 and strides 1–3 (each panel on its "
        "own colour scale): uneven (checkerboard) when the stride does not divide the kernel.",
    ),
    "structure_1d": (
        lambda p: plot_structure_1d(),
        "1-D C in general: a Toeplitz band at stride 1, a stepped band at stride 2, spread taps "
        "at dilation 2.",
    ),
    "channels_groups": (
        lambda p: plot_channels(),
        "Channel blocks of C in general: groups 1, 2 and 4 (depthwise) make it block-diagonal "
        "per group.",
    ),
    "transpose_vs_inverse": (
        lambda p: plot_transpose_vs_inverse(),
        "Transposed is not inverse (a 1-D example): the singular values of C, and a signal "
        "against Cᵀ(C u) and the least-squares inverse.",
    ),
}
"""Figure name → (function of the problem, caption)."""

OF_THE_PROBLEM = {
    "matrix_structure": (1, 2, 3),
    "footprint": (1, 2, 3),
    "scatter_steps": (1, 2, 3),
    "zero_insertion": (1, 2, 3),
    "polyphase": (1, 2, 3),
    "slices": (3,),
}
"""Figures that draw the problem's numbers (one channel pair), by the dimensions they draw."""

OF_THE_LAYER = ("channel_sums", "channel_matrix")
"""Figures drawn only for a layer with channels (its own)."""

GENERAL = ("overlap", "structure_1d", "channels_groups", "transpose_vs_inverse")
"""Figures of transposed convolution in general: the same for every problem."""


ANIMATIONS = {
    "scatter_animation": (
        "scatter",
        "The scatter in motion: each input value stamps its scaled kernel, then the crop.",
    ),
    "zero_insertion_animation": (
        "zero-insertion",
        "Zero insertion in motion: the reversed kernel slides over the zero-inserted input.",
    ),
}
"""GIF name → (animation mode, caption); drawn for numeric problems (a layer's first pair)."""


def _pair(problem: Problem) -> Problem:
    """The single-channel problem the step-by-step figures draw: the problem itself, or a
    layer's first channel pair."""
    return problem if problem.geometry.single_channel else problem.pair(0, 0)


def skipped(problem: Problem) -> dict[str, str]:
    """The gallery's figures this problem is not drawn in, each with the reason."""
    g = problem.geometry
    reasons = {}
    for name, dims in OF_THE_PROBLEM.items():
        if not problem.numeric:
            reasons[name] = "it draws numbers and this problem has symbols"
        elif g.ndim not in dims:
            reasons[name] = "only a 3-D problem has slices"
    if g.single_channel:
        for name in OF_THE_LAYER:
            reasons[name] = "this problem has one input and one output channel"
    elif not problem.numeric:
        reasons["channel_sums"] = "it draws numbers and this problem has symbols"
    return reasons


def gallery_names(problem: Problem) -> list[str]:
    """The gallery's figures for this problem: its own, and the general ones."""
    missing = skipped(problem)
    return [name for name in GALLERY if name not in missing]


def animation_names(problem: Problem) -> list[str]:
    """The animations of the gallery that this problem can be drawn in."""
    return list(ANIMATIONS) if problem.numeric else []


def draw(name: str, problem: Problem) -> TconvFigure:
    """Gallery figure ``name`` of ``problem`` (a layer's pair figures titled as its pair)."""
    function, _ = GALLERY[name]
    if name in OF_THE_LAYER or name in GENERAL:
        return function(problem)
    figure = function(_pair(problem))
    subject = problem.pair_title()
    return figure.about(subject) if subject else figure


def write_gallery(
    out: str | Path = "figures",
    problem: Problem | None = None,
    *,
    format: str = "png",
    dpi: float | None = None,
) -> list[Path]:
    """Draw every gallery figure of ``problem`` (the worked example) into ``out``."""
    from tconvmat.problem import Problem

    problem = Problem.build() if problem is None else problem
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    from tconvmat.plots.animation import animate
    from tconvmat.routes.compiled import interpreted

    written = []
    walk = _pair(problem)
    with interpreted():  # a figure's numbers never wait for a compiled kernel to load
        for name in gallery_names(problem):
            figure = draw(name, problem)
            written.append(figure.save(folder / f"{name}.{format}", format=format, dpi=dpi))
        for name in animation_names(problem):
            mode, _ = ANIMATIONS[name]
            movie = animate(
                walk.geometry, walk.x, walk.kernel, mode=mode, subject=problem.pair_title()
            )
            written.append(movie.save(folder / f"{name}.gif"))
    return written
