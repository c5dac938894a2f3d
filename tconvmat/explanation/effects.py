"""How each parameter changes this result, and overlap: the checkerboard, its causes and fixes."""

from __future__ import annotations

import dataclasses

import numpy as np

from tconvmat.explanation import words
from tconvmat.explanation.parts import Code, Figure, Section, Text
from tconvmat.overlap import overlap_counts
from tconvmat.problem import Problem, counting
from tconvmat.variations import variants

MAX_GRID_CELLS = 64
"""Outputs with more cells are described by their size only in the comparisons."""


def side_by_side(blocks: list[tuple[str, str]], gap: int = 4) -> str:
    """Text blocks next to each other, each under its title."""
    columns = [[title, *text.split("\n")] for title, text in blocks]
    widths = [max(len(line) for line in column) for column in columns]
    height = max(len(column) for column in columns)
    lines = []
    for row in range(height):
        cells = [
            (column[row] if row < len(column) else "").ljust(width)
            for column, width in zip(columns, widths, strict=True)
        ]
        lines.append((" " * gap).join(cells).rstrip())
    return "\n".join(lines)


def parameter_effects(problem: Problem, y: np.ndarray, figure: Figure | None) -> Section:
    """A table of the variants, their outputs side by side, and the figure."""
    found = variants(problem)
    g = problem.geometry
    rows = [
        "| change | output size | overlap |",
        "| --- | --- | --- |",
        f"| (this problem) | {words.shape(g.out_shape)} | {overlap_counts(g).pattern} |",
    ]
    rows += [
        f"| {v.label} | {words.shape(v.geometry.out_shape)} | {v.overlap.pattern} |" for v in found
    ]
    parts: list = [
        Text(
            "The same input re-run with one parameter changed at a time (a changed kernel size "
            "uses the counting numbers 1, 2, 3, … as its kernel)."
        ),
        Text("\n".join(rows)),
    ]
    small = [v for v in found if v.output.size <= MAX_GRID_CELLS and g.ndim <= 2]
    if small and y.size <= MAX_GRID_CELLS:
        blocks = [("this problem", words.grid(y))] + [
            (v.label, words.grid(v.output)) for v in small
        ]
        for start in range(0, len(blocks), 3):
            parts.append(Code(side_by_side(blocks[start : start + 3])))
    if figure is not None:
        parts.append(figure)
    return Section("How each parameter changes the result", tuple(parts), "effects")


def companion(problem: Problem) -> Problem | None:
    """An overlapping companion: the same input and stride with kernel stride + 1 per axis."""
    g = problem.geometry
    shape = tuple(s + 1 for s in g.stride)
    try:
        geometry = dataclasses.replace(g, kernel_shape=shape, output_padding=(0,) * g.ndim)
    except ValueError:
        return None
    return Problem(geometry, problem.x, counting(shape))


def overlap(problem: Problem, figure: Figure | None) -> Section:
    """Taps per output, the verdict, an overlapping companion if nothing overlaps, the fixes."""
    g = problem.geometry
    report = overlap_counts(g)
    parts: list = [
        Code(words.grid(report.counts), "How many (input, tap) pairs reach each output:"),
        Text(f"Verdict: {report.verdict}."),
        Text(f"Why: {report.rule}"),
    ]
    if int(report.counts.max()) <= 1:
        other = companion(problem)
        if other is not None:
            second = overlap_counts(other.geometry)
            shape = words.shape(other.geometry.kernel_shape)
            parts += [
                Text(
                    f"Here the kernel is no larger than the stride, so no two stamps overlap and "
                    f"nothing is added up. The same input with a {shape} kernel (1, 2, 3, …) and "
                    "the same stride shows what overlap does:"
                ),
                Code(words.grid(second.counts), f"taps per output with a {shape} kernel:"),
                Code(words.grid(other.geometry.apply(other.x, other.kernel)), "its output:"),
                Text(f"Verdict: {second.verdict}."),
            ]
    fixes = (
        "Uneven overlap is the classic cause of checkerboard artefacts in decoders and GANs "
        "(Odena, Dumoulin and Olah, *Deconvolution and Checkerboard Artifacts*, Distill 2016): "
        "outputs of one phase add more products than their neighbours, so even a constant "
        "input comes out striped. The fixes:\n\n"
        "- **a kernel size the stride divides** (kernel 4 with stride 2): every output away "
        "from the borders receives k/s taps per axis;\n"
        "- **resize, then convolve**: nearest-neighbour or bilinear up-sampling by s followed "
        "by a stride-1 convolution treats every output alike;\n"
        "- **sub-pixel convolution** (pixel shuffle, Shi et al. 2016): a stride-1 convolution "
        "to s^N·C channels, rearranged; it is the polyphase form above, and initialising its "
        "sub-kernels equally (ICNR) removes the artefact at the start of training."
    )
    parts.append(Text(fixes))
    if figure is not None:
        parts.append(figure)
    return Section("Overlap and the checkerboard", tuple(parts), "overlap")
