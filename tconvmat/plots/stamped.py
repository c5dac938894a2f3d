"""Where the scatter's stamps landed on the canvas, so a stamped zero is written "0".

A canvas cell no stamp reaches is blank; a cell a stamp reached holds a sum, written
even when it is 0 (an input 0, or products that cancel), as y writes it. The cells
come from :func:`tconvmat.analysis.anatomy.scatter_steps` itself, run on ones (every
product 1, so a cell is non-zero exactly where a tap landed): where a tap lands is
never re-derived here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tconvmat.analysis.anatomy import scatter_steps
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots.board import Panel
from tconvmat.plots.elide import Cut

__all__ = ["Stamped", "stamped", "write_zeros"]


@dataclass(frozen=True)
class Stamped:
    """The canvas cells stamps reached: ``each[k]`` by kept stamp ``k`` alone, ``steps[k]``
    by the first ``k + 1`` (as :attr:`~tconvmat.analysis.anatomy.ScatterSteps.accumulated`),
    ``canvas`` by all of them."""

    each: np.ndarray
    steps: np.ndarray
    canvas: np.ndarray


def stamped(
    geometry: ConvTranspose,
    elements: tuple[slice, ...] | None = None,
    max_steps: int | None = None,
) -> Stamped:
    """Where the stamps of :func:`~tconvmat.analysis.anatomy.scatter_steps` (the same
    ``elements`` or ``max_steps``) landed on the uncropped canvas.

    Examples
    --------
    >>> reached = stamped(ConvTranspose((2,), (2,), stride=3))
    >>> reached.canvas.astype(int).tolist(), reached.steps.astype(int).tolist()
    ([1, 1, 0, 1, 1], [[1, 1, 0, 0, 0], [1, 1, 0, 1, 1]])
    """
    ones = scatter_steps(
        geometry,
        np.ones(geometry.in_shape, dtype=np.int64),
        np.ones(geometry.kernel_shape, dtype=np.int64),
        max_steps=max_steps,
        elements=elements,
    )
    each = ones.contributions != 0
    return Stamped(each, np.logical_or.accumulate(each, axis=0), ones.canvas != 0)


def write_zeros(panel: Panel, reached: np.ndarray, cuts: tuple[Cut, ...] | None = None) -> Panel:
    """Write "0" in the blank cells of ``panel`` (a canvas drawn with ``show_zero=False``)
    that a stamp ``reached``; a break of an elided panel stays blank.

    Examples
    --------
    >>> panel = _style.value_panel([0, 3, 0], "canvas", show_zero=False)
    >>> write_zeros(panel, np.array([True, True, False])).labels
    [['0', '3', '']]
    """
    if panel.labels is None:
        return panel
    if panel.breaks and cuts is not None:
        reached = _style.take(reached, cuts, False)
    where = _style.flat(reached).tolist()
    panel.labels = [
        [text or ("0" if hit else "") for text, hit in zip(row, hits, strict=True)]
        for row, hits in zip(panel.labels, where, strict=True)
    ]
    return panel
