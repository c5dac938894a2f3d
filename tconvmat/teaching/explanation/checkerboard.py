"""Overlap and the checkerboard: both causes, this layer's answer to a constant input, an image
up-sampled four ways, and the fixes with the condition under which each works."""

from __future__ import annotations

import dataclasses

import numpy as np

from tconvmat.analysis import checkerboard
from tconvmat.analysis.overlap import overlap_counts, sum_pattern
from tconvmat.analysis.phase_overview import phase_overview
from tconvmat.problem import Problem, counting
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Figure, Section, Text
from tconvmat.text import notation

MAX_PRINTED_CELLS = 256
"""A constant-input response with more cells is summarised by its phase sums only."""

CAUSES = (
    "A transposed convolution makes checkerboard artefacts for two reasons (Odena, Dumoulin "
    "and Olah, *Deconvolution and Checkerboard Artifacts*, Distill 2016):\n\n"
    "1. **Uneven overlap.** When the stride does not divide the kernel size, outputs of "
    "different phases add up different numbers of products (the counts above).\n"
    "2. **Unequal sub-kernel sums.** Each output phase is made by its own sub-kernel (the "
    "polyphase view). Away from the borders an input of constant value c comes out as c × "
    "that sub-kernel's sum, so unless every phase's taps sum to the same value even a "
    "constant input comes out patterned, *with even overlap too*.\n\n"
    "With a kernel of ones the sums are just the counts, so uneven overlap always shows; a "
    "learned kernel can in principle balance its sums, but nothing in training asks it to."
)


MAX_COMPANION_KERNEL = 32
"""An overlapping companion's kernel (stride + 1) is at most this long on an axis: beyond,
the text says why nothing overlaps without computing a companion as large as the stride."""


def _companion(problem: Problem) -> Problem | None:
    """An overlapping companion: the same input and stride with kernel stride + 1 per axis."""
    g = problem.geometry
    shape = tuple(s + 1 for s in g.stride)
    if max(shape) > MAX_COMPANION_KERNEL:
        return None
    try:
        geometry = dataclasses.replace(g, kernel_shape=shape, output_padding=(0,) * g.ndim)
    except ValueError:
        return None
    return Problem(geometry, problem.x, counting(shape))


def _constant_input(problem: Problem, report, figure: Figure | None) -> list:  # type: ignore[no-untyped-def]
    """This layer's answer to an input of ones: the grid, the phase sums, the figure."""
    g = problem.geometry
    response = checkerboard.constant_response(g, problem.kernel)
    sums = report.phase_sums
    overview = phase_overview(g, np.ones(g.in_shape), problem.kernel)
    lines = [
        f"{notation.phase(p.first, g.stride)}: {words.value(sums[p.first])}" for p in overview.shown
    ]
    lines += [f"({note})" for note in (overview.left_out_note, overview.no_tap_note) if note]
    verdict = (
        "All phases sum alike, so the ones come out constant away from the borders."
        if report.sums_equal
        else "The phases sum differently, so the ones come out patterned: this layer alone "
        f"draws {sum_pattern(sums)} on a flat input."
    )
    parts: list = [
        Text("This layer on an input of ones (every x = 1), the cleanest test for a checkerboard:")
    ]
    if response.size <= MAX_PRINTED_CELLS:
        parts.append(_grid_code(response, "y for an input of ones"))
    parts += [
        Code("\n".join(lines), "Each phase's sub-kernel sum (its value away from the borders):"),
        Text(verdict),
    ]
    if figure is not None:
        parts.append(figure)
    return parts


def _demo(figure: Figure | None) -> list:
    cases = checkerboard.demo()
    by = {(c.label, c.kernel): c.spread for c in cases}
    rows = [
        "| method | kernel of ones | random kernel |",
        "| --- | --- | --- |",
        *(
            f"| {label} | {by[(label, 'ones')]:.2f} | {by[(label, 'random')]:.2f} |"
            for label, _, _ in checkerboard.METHODS
        ),
    ]
    parts: list = [
        Text(
            f"A fixed 2-D demonstration, not this layer: four ways to up-sample a "
            f"{checkerboard.DEMO_SIZE}×{checkerboard.DEMO_SIZE} input by 2 (two stacked "
            "layers: by 4), each with kernels of ones and with random positive kernels "
            f"(uniform between {notation.value(checkerboard.RANDOM_LOW)} and "
            f"{notation.value(checkerboard.RANDOM_HIGH)}, so "
            "the ratio is defined). Each number is the largest ÷ smallest output for an input "
            "of ones, away from the borders (1.00: no pattern):"
        ),
        Text("\n".join(rows)),
    ]
    if figure is not None:
        parts.append(figure)
    return parts


FIXES = (
    "The fixes, and when each works:\n\n"
    "- **a kernel size the stride divides** (kernel 4 with stride 2) removes the first cause: "
    "every output away from the borders receives (k/s) taps per axis. It does not remove the "
    "second: with a random kernel the phases still sum differently (the table's kernel 4 "
    "row). It works when the sub-kernel sums are also equal.\n"
    "- **resize, then convolve**: nearest-neighbour (or bilinear) up-sampling by s, then a "
    "stride-1 convolution. Every output sees the whole kernel, so an input of ones comes out "
    "constant away from the borders *whatever the kernel*: both causes are gone (1.00 in "
    "both columns). This is Distill's recommendation.\n"
    "- **sub-pixel convolution** (pixel shuffle, Shi et al. 2016): a stride-1 convolution to "
    "s^N·C channels, rearranged. It is the polyphase form above, so it can make the same "
    "artefacts; initialising its sub-kernels equal (ICNR, Aitken et al. 2017) makes it a "
    "resize-then-convolve at the start of training, and training can bring the pattern back.\n"
    "- **stacking** does not average the pattern away: two kernel-3, stride-2 layers "
    "compound it (the last row of the table)."
)


def _grid_code(array: np.ndarray, caption: str, repeats: bool = True) -> Code:
    """A grid under its caption; a large 2-D or 3-D grid as its top-left corner, said so
    (``repeats``: away from the borders it repeats with the stride, as counts do)."""
    shown, box = words.corner(array)
    if box is not None:
        caption += (
            f" (its top-left corner {notation.region('y', box)} of {words.shape(array.shape)}"
            + ("; away from the borders it repeats with the stride)" if repeats else ")")
        )
    return Code(words.grid(shown), caption + ":")


def section(problem: Problem, figures: dict[str, Figure]) -> Section:
    """Taps per output, the verdict with this kernel, both causes, the constant input, the
    demo, an overlapping companion if nothing overlaps, the fixes."""
    g = problem.geometry
    report = overlap_counts(g, problem.kernel)
    parts: list = [
        _grid_code(report.counts, "Taps per output: how many (input, tap) pairs reach each"),
        Text(f"Verdict: {report.verdict}."),
        Text(f"Why the counts: {report.rule}"),
        Text(CAUSES),
        *_constant_input(problem, report, figures.get("constant_response")),
    ]
    if int(report.counts.max()) <= 1:
        other = _companion(problem)
        if other is not None:
            second = overlap_counts(other.geometry, other.kernel)
            shape = words.shape(other.geometry.kernel_shape)
            parts += [
                Text(
                    f"Here the kernel is no larger than the stride, so no two stamps overlap and "
                    f"nothing is added up. The same input with a {shape} kernel (1, 2, 3, …) and "
                    "the same stride shows what overlap does:"
                ),
                _grid_code(second.counts, f"taps per output with a {shape} kernel"),
                _grid_code(
                    other.geometry.apply(other.x, other.kernel), "its output", repeats=False
                ),
                Text(f"Verdict: {second.verdict}."),
            ]
    parts += [*_demo(figures.get("checkerboard_demo")), Text(FIXES)]
    if figures.get("overlap") is not None:
        parts.append(figures["overlap"])
    return Section("Overlap and the checkerboard", tuple(parts), "overlap")
