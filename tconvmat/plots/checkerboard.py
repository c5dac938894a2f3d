"""Figures of checkerboard artefacts: a layer's answer to a constant input, and an image
up-sampled four ways (the numbers come from :mod:`tconvmat.checkerboard`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.api import ConvTranspose
from tconvmat.checkerboard import constant_response, demo
from tconvmat.overlap import phase_sums
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["plot_checkerboard_demo", "plot_constant_response"]


def _phase_label(first: tuple[int, ...], stride: tuple[int, ...]) -> str:
    return "y[" + ", ".join(f"{f}::{s}" for f, s in zip(first, stride, strict=True)) + "]"


def plot_constant_response(
    geometry: ConvTranspose | None = None, kernel: Any = None
) -> TconvFigure:
    """What the layer makes of an input of ones: each phase's sub-kernel sum, away from the
    borders (1-D as one row, 3-D its middle slice); the worked example by default."""
    geometry, _, kernel = resolve(geometry, None, kernel)
    y = constant_response(geometry, kernel)
    sums = phase_sums(geometry, kernel)
    grid = y[y.shape[0] // 2] if y.ndim == 3 else np.atleast_2d(y)
    lines = [f"{_phase_label(p, geometry.stride)} = {_text.value(v)}" for p, v in sums.items()]
    rows = [", ".join(lines[n : n + 2]) for n in range(0, min(len(lines), 8), 2)]
    if len(lines) > 8:
        rows.append(f"… ({len(lines)} phases in all)")
    shown = "\n".join(rows)
    with _style.style():
        width = max(7.0, 0.6 * grid.shape[1] + 2.5)
        figure = new_figure(width, max(2.2, 0.6 * grid.shape[0] + 1.6) + 0.3 * (len(rows) + 1))
        ax = figure.subplots()
        size = _style.fit_fontsize(grid.shape[0], grid.shape[1], base=13)
        middle = " (middle slice)" if y.ndim == 3 else ""
        _style.draw_values(ax, grid, f"y for an input of ones{middle}", fontsize=size)
        figure.suptitle(
            "Input of ones: each phase gives its sub-kernel's sum\n"
            f"(away from the borders)\n{shown}",
            fontsize=12,
        )
    return figure


def plot_checkerboard_demo() -> TconvFigure:
    """A smooth image up-sampled four ways, with kernels of ones (top) and random kernels
    (bottom); each title gives a constant input's largest ÷ smallest output away from the
    borders (1.00 = no pattern)."""
    cases = demo()
    columns = len(cases) // 2
    with _style.style():
        figure = new_figure(4.2 * columns, 9.4)
        axes = figure.subplots(2, columns, squeeze=False)
        for ax, case in zip(axes.reshape(-1), cases, strict=True):
            ax.imshow(case.image, cmap="gray", interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{case.label}\nmax ÷ min on ones: {case.spread:.2f}", fontsize=12)
        for row, kind in enumerate(("kernels of ones", "random kernels")):
            axes[row, 0].set_ylabel(kind, fontsize=13)
        figure.suptitle(
            "The same smooth image up-sampled four ways (Odena, Dumoulin and Olah, Distill 2016)",
            fontsize=14,
        )
    return figure
