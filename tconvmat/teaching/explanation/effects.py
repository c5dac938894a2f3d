"""How each parameter changes this result (the overlap section is in ``checkerboard``)."""

from __future__ import annotations

import numpy as np

from tconvmat.analysis.overlap import OverlapReport, flat_word, overlap_counts
from tconvmat.analysis.variations import Refused, Variant, tried
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Figure, Section, Text

MAX_GRID_CELLS = 64
"""Outputs with more cells are described by their size only in the comparisons."""

HEADER = "| change | output size | taps per output | ones → flat? |\n| --- | --- | --- | --- |"
"""The table's columns: the two overlap questions (:mod:`tconvmat.analysis.overlap`) apart."""


def _row(label: str, shape: tuple[int, ...], report: OverlapReport) -> str:
    return f"| {label} | {words.shape(shape)} | {report.taps} | {flat_word(report.flat)} |"


def parameter_effects(
    problem: Problem, y: np.ndarray, figure: Figure | None, pair: str = ""
) -> Section:
    """A table of the variants (those PyTorch refuses too, with its reason), their outputs side
    by side, and the figure. ``pair`` names the channel pair the problem is, if it is one."""
    found = tried(problem)
    g = problem.geometry
    rows = [HEADER, _row("(this problem)", g.out_shape, overlap_counts(g, problem.kernel))]
    refused = []
    for v in found:
        if isinstance(v, Refused):
            rows.append(f"| {v.label} | not allowed (below) | | |")
            refused.append(f"- {v.label}: {v.reason}.")
        else:
            rows.append(_row(v.label, v.geometry.out_shape, v.overlap))
    whose = f" (the pair {pair})" if pair else ""
    parts: list = [
        Text(
            f"The same input{whose} re-run with one parameter changed at a time (a changed "
            "kernel size uses the counting numbers 1, 2, 3, … as its kernel). *Taps per "
            "output* and *ones → flat?* are the two questions of the overlap section below."
        ),
        Text("\n".join(rows)),
    ]
    if refused:
        parts.append(Text("Not allowed, as PyTorch would refuse them:\n\n" + "\n".join(refused)))
    valid = [v for v in found if isinstance(v, Variant)]
    small = [v for v in valid if v.output.size <= MAX_GRID_CELLS and g.ndim <= 2]
    if small and y.size <= MAX_GRID_CELLS:
        blocks = [("this problem", words.grid(y))] + [
            (v.label, words.grid(v.output)) for v in small
        ]
        caption = f"The outputs{whose} side by side"
        left = [v.label for v in valid if v not in small]
        if left:
            caption += (
                f" (left out for width, more than {MAX_GRID_CELLS} values: {', '.join(left)})"
            )
        parts.append(Code.side_by_side(blocks, caption + ":"))
    if figure is not None:
        parts.append(figure)
    return Section("How each parameter changes the result", tuple(parts), "effects")
