"""Figures of checkerboard artefacts: a layer's answer to a constant input, and an image
up-sampled four ways (the numbers come from :mod:`tconvmat.analysis.checkerboard`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.analysis.checkerboard import RANDOM_HIGH, RANDOM_LOW, constant_response, demo
from tconvmat.analysis.overlap import phase_sums
from tconvmat.analysis.phase_overview import phase_overview
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import CELL, Board, Panel
from tconvmat.plots.elide import cuts_of
from tconvmat.text import notation

__all__ = ["plot_checkerboard_demo", "plot_constant_response"]

PICTURE = 160.0
"""Side of each up-sampled image in the demo, in points, whatever its pixel count."""


def plot_constant_response(
    geometry: ConvTranspose | None = None, kernel: Any = None
) -> TconvFigure:
    """What the layer makes of an input of ones: each phase's sub-kernel sum, away from the
    borders (1-D as one row, 3-D as its slices side by side); the worked example by default."""
    geometry, _, kernel = resolve(geometry, None, kernel)
    y = constant_response(geometry, kernel)
    sums = phase_sums(geometry, kernel)
    overview = phase_overview(geometry, np.ones(geometry.in_shape), kernel)
    lines = [
        f"{notation.phase(p.first, geometry.stride)} = {notation.value(sums[p.first])}"
        for p in overview.shown
    ]
    rows = [", ".join(lines[n : n + 2]) for n in range(0, len(lines), 2)]
    rows += [note for note in (overview.left_out_note, overview.no_tap_note) if note]
    return TconvFigure(
        Board(
            [[_style.value_panel(y, "y for an input of ones", cuts=cuts_of(y.shape, values=y))]],
            title="Input of ones: each phase gives its sub-kernel's sum\n(away from the borders)",
            footer="\n".join(rows),
        )
    )


def _grey(image: np.ndarray) -> np.ndarray:
    """An image as grey cells, darkest to brightest (its own range, as an image viewer)."""
    low, high = float(image.min()), float(image.max())
    levels = np.rint(255 * (image - low) / ((high - low) or 1.0)).astype(int)
    names = np.array([f"#{v:02X}{v:02X}{v:02X}" for v in range(256)], dtype=object)
    return names[levels]


def plot_checkerboard_demo() -> TconvFigure:
    """A smooth image up-sampled four ways, with kernels of ones (top) and random kernels
    (bottom); each title gives a constant input's largest ÷ smallest output away from the
    borders (1.00 = no pattern)."""
    cases = demo()
    columns = len(cases) // 2
    rows: list[list[Panel | None]] = []
    span = f"{notation.value(RANDOM_LOW)}–{notation.value(RANDOM_HIGH)}"
    for start, kind in ((0, "kernels of ones"), (columns, f"random kernels ({span})")):
        row: list[Panel | None] = []
        for n, case in enumerate(cases[start : start + columns]):
            side = max(case.image.shape)
            row.append(
                Panel(
                    _grey(case.image),
                    title=f"{case.label}\nmax ÷ min on ones: {case.spread:.2f}",
                    cell=PICTURE / side / CELL,
                    borders=False,
                    bold_title=False,
                    ylabel=kind if n == 0 else "",
                )
            )
        rows.append(row)
    return TconvFigure(
        Board(
            rows,
            title=(
                "A fixed 2-D demonstration (not your layer): the same smooth image up-sampled "
                f"four ways\n(Odena, Dumoulin and Olah, Distill 2016); random kernels: uniform "
                f"{span}, positive so the ratio is defined"
            ),
        )
    )
