"""One axis's facts for the explorable page, found once per distinct axis.

A slider grid holds about two thousand problems but far fewer distinct axes: both axes
of a square 2-D problem are the same :class:`~tconvmat.core.axis.Axis`, and so is the axis of
the 1-D problem with the same sliders. Every fact here comes from the axis's own
methods (:mod:`tconvmat.core.axis`); the N-D facts are their products, because every rule of
a transposed convolution holds axis by axis.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from tconvmat.core.axis import Axis, AxisPhase, CanvasAxis

__all__ = ["Line", "line_facts"]


@dataclass(frozen=True)
class Line:
    """What the page needs of one axis.

    Attributes
    ----------
    canvas : CanvasAxis
        The canvas layout (:meth:`~tconvmat.core.axis.Axis.canvas`).
    on_canvas : numpy.ndarray
        ``(size, kernel)``: the canvas cell where input ``i``'s tap ``j`` lands.
    output : numpy.ndarray
        ``(size, kernel)``: the output index it lands on (:meth:`~tconvmat.core.axis.Axis.landing`),
        -1 where the crop cuts it away.
    zero_length : int
        Length of the zero-inserted, padded input along this axis.
    held : numpy.ndarray
        Where each input sits on it, -1 where the border trims it away.
    windows : tuple of (int, int)
        The cells ``[start, stop)`` of the zero-inserted input that output ``t`` reads.
    phases : tuple of AxisPhase
        The output phases (:meth:`~tconvmat.core.axis.Axis.phases`).
    """

    canvas: CanvasAxis
    on_canvas: np.ndarray
    output: np.ndarray
    zero_length: int
    held: np.ndarray
    windows: tuple[tuple[int, int], ...]
    phases: tuple[AxisPhase, ...]


@functools.lru_cache(maxsize=2048)
def line_facts(line: Axis) -> Line:
    """The facts of one axis (cached: a grid's problems share their axes).

    Examples
    --------
    >>> facts = line_facts(Axis(size=3, kernel=2, stride=2, dilation=1, crop=(1, 1)))
    >>> facts.on_canvas.tolist(), facts.output.tolist()
    ([[0, 1], [2, 3], [4, 5]], [[-1, 0], [1, 2], [3, -1]])
    >>> facts.zero_length, facts.held.tolist(), facts.windows
    (5, [0, 2, 4], ((0, 2), (1, 3), (2, 4), (3, 5)))
    """
    inputs, taps = np.arange(line.size)[:, None], np.arange(line.kernel)[None, :]
    landing = line.landing()
    inside = (landing >= 0) & (landing < line.output_length)
    zero_length, held = line.zero_inserted()
    # output t of the stride-1 correlation reads padded[t : t + d·(k − 1) + 1]
    windows = tuple((t, t + line.extent) for t in range(line.output_length))
    return Line(
        canvas=line.canvas(),
        on_canvas=_frozen(line.on_canvas(inputs, taps)),
        output=_frozen(np.where(inside, landing, -1)),
        zero_length=zero_length,
        held=_frozen(held),
        windows=windows,
        phases=tuple(line.phases()),
    )


def _frozen(array: np.ndarray) -> np.ndarray:
    """A cached array nobody may change in place."""
    array = np.ascontiguousarray(array, dtype=np.int64)
    array.flags.writeable = False
    return array
