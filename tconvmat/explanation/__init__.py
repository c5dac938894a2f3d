"""A step-by-step account of one transposed convolution, as Markdown text.

The text is detailed enough to reproduce the result by hand: the output-size
formula with the numbers substituted, every intermediate canvas of the scatter,
the crop, the matrix C, and each output as a sum of products.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.explanation import sections
from tconvmat.explanation.checks import checks, route_agreement
from tconvmat.explanation.figures import figures as draw_figures

__all__ = ["explain", "route_agreement"]


def explain(
    geometry: ConvTranspose,
    x: Any,
    kernel: Any,
    *,
    symbolic: bool = False,
    figures: str | Path | None = None,
) -> str:
    """Markdown that walks through ``y = Cᵀx`` for the given numbers (or symbols).

    Parameters
    ----------
    geometry : ConvTranspose
        A single-channel geometry.
    x, kernel : array_like
        Numbers, or SymPy symbols/expressions (then the closed form is symbolic
        and the numeric routes are checked with integers put in for the symbols).
    symbolic : bool
        Also print the closed form in symbols ``x_{i}``, ``k_{j}`` and the
        general term per output phase.
    figures : path, optional
        Folder to draw this problem's figures into; the text links them.

    Examples
    --------
    >>> from tconvmat.worked_example import WORKED_INPUT, WORKED_KERNEL, worked_geometry
    >>> text = explain(worked_geometry(), WORKED_INPUT, WORKED_KERNEL)
    >>> "axis 0: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    True
    >>> "y(0,0) = w(1,1)·x(0,0) = 4·3 = 12" in text
    True
    """
    x, kernel = np.asarray(x), np.asarray(kernel)
    if not geometry.single_channel:
        raise ValueError("explain works on one channel; use the Python API for channels")
    numeric = sections.is_numeric(x, kernel)
    lines = sections.introduction(geometry) + sections.parameters(geometry, x, kernel)
    lines += sections.sizes(geometry)
    if numeric:
        lines += sections.scatter(geometry, x, kernel)
    lines += sections.matrix(geometry, kernel) + sections.closed_form(geometry, x, kernel)
    if symbolic:
        lines += sections.symbolic(geometry)
    lines += sections.what_the_matrix_says(geometry, kernel)
    lines += checks(geometry, x, kernel)
    if figures is not None and numeric:
        lines += draw_figures(geometry, x, kernel, Path(figures))
    return "\n".join(lines).rstrip() + "\n"
