"""How each parameter changes this result (the overlap section is in ``checkerboard``)."""

from __future__ import annotations

import numpy as np

from tconvmat.explanation import words
from tconvmat.explanation.parts import Code, Figure, Section, Text
from tconvmat.overlap import overlap_counts
from tconvmat.problem import Problem
from tconvmat.variations import variants

MAX_GRID_CELLS = 64
"""Outputs with more cells are described by their size only in the comparisons."""


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
        parts.append(Code.side_by_side(blocks))
    if figure is not None:
        parts.append(figure)
    return Section("How each parameter changes the result", tuple(parts), "effects")
