"""The gallery in ``figures/``: written deterministically by ``tconvmat figures``.

Figures of the problem (the worked example by default) and figures of
transposed convolution in general; the same bytes on every run in PNG, SVG and
PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tconvmat.plots import (
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
        "Zero insertion: stride − 1 zeros between inputs, border padding, the flipped "
        "kernel at one position: the same numbers.",
    ),
    "polyphase": (
        lambda p: plot_polyphase(p.geometry, p.x, p.kernel),
        "Polyphase: the output's stride² phases, each a stride-1 convolution with a sub-kernel.",
    ),
    "slices": (
        lambda p: plot_slices(p.geometry, p.x, p.kernel),
        "A 3-D problem slice by slice: input, kernel and output.",
    ),
    "overlap": (
        lambda p: plot_overlap(),
        "Overlap counts for kernel sizes 2–4 and strides 1–3: uneven (checkerboard) when "
        "the stride does not divide the kernel.",
    ),
    "parameter_effects": (
        lambda p: plot_parameter_effects(),
        "What stride, padding, kernel size, dilation and output_padding each do to C and "
        "the output size.",
    ),
    "structure_1d": (
        lambda p: plot_structure_1d(),
        "1-D C: a Toeplitz band at stride 1, a stepped band at stride 2, spread taps at "
        "dilation 2.",
    ),
    "channels_groups": (
        lambda p: plot_channels(),
        "Channel blocks of C: groups 1, 2 and 4 (depthwise) make it block-diagonal per group.",
    ),
    "transpose_vs_inverse": (
        lambda p: plot_transpose_vs_inverse(),
        "Transposed is not inverse: the singular values of C, and a signal against Cᵀ(C y) and "
        "the least-squares inverse.",
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
"""Figures that draw the problem (numbers, one channel), by the dimensions they can draw."""


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
"""GIF name → (animation mode, caption); drawn for single-channel numeric problems."""


def animation_names(problem: Problem) -> list[str]:
    """The animations of the gallery that this problem can be drawn in."""
    g = problem.geometry
    drawable = problem.numeric and g.single_channel
    return list(ANIMATIONS) if drawable else []


def gallery_names(problem: Problem) -> list[str]:
    """The gallery's figures for this problem: the general ones, and those it can be drawn in."""
    drawable = problem.numeric and problem.geometry.single_channel
    return [
        name
        for name in GALLERY
        if name not in OF_THE_PROBLEM
        or (drawable and problem.geometry.ndim in OF_THE_PROBLEM[name])
    ]


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
    with interpreted():  # a figure's numbers never wait for a compiled kernel to load
        for name in gallery_names(problem):
            draw, _ = GALLERY[name]
            figure = draw(problem)
            written.append(figure.save(folder / f"{name}.{format}", format=format, dpi=dpi))
        for name in animation_names(problem):
            mode, _ = ANIMATIONS[name]
            movie = animate(problem.geometry, problem.x, problem.kernel, mode=mode)
            written.append(movie.save(folder / f"{name}.gif"))
    return written
