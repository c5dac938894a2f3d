"""Where a figure's long axes are cut: around the engine's landings, never re-derived.

Each function gives one :class:`~tconvmat.plots.elide.Cut` per axis of a grid a
figure draws (the uncropped canvas, the output, the zero-inserted input), kept around
where the taps land (:meth:`tconvmat.core.axis.Axis.on_canvas`,
:meth:`~tconvmat.core.axis.Axis.landing`, :meth:`~tconvmat.core.axis.Axis.zero_inserted`), so
a break skips only zeros. ``region``
(one slice per axis) is the part of the grid drawn (a zoom window): the cut is then
of that part, in its own coordinates. 3-D grids (drawn as slices side by side) are
never cut.

Examples
--------
>>> from tconvmat.api import ConvTranspose
>>> g = ConvTranspose((3,), (2,), stride=1000)
>>> output_cuts(g)[0].labels()[:4]
['0', '1', '2', '']
>>> canvas_cuts(ConvTranspose((3, 3), (2, 2), stride=2))[0].elided
False
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.plots.elide import Cut

__all__ = ["canvas_cuts", "inserted_cuts", "output_cuts", "visited"]

Region = Sequence[slice] | None


def _cuts(
    lengths: Sequence[int],
    marks: Sequence[np.ndarray],
    occupied: Sequence[np.ndarray],
    region: Region,
) -> tuple[Cut, ...]:
    if region is not None:  # the drawn part, in its own coordinates
        lengths = [r.stop - r.start for r in region]
        marks = [m - r.start for m, r in zip(marks, region, strict=True)]
        occupied = [o - r.start for o, r in zip(occupied, region, strict=True)]
        occupied = [o[(o >= 0) & (o < n)] for o, n in zip(occupied, lengths, strict=True)]
    if len(lengths) > 2:
        return tuple(Cut.whole(n) for n in lengths)
    return tuple(
        Cut.around(n, m, occupied=o) for n, m, o in zip(lengths, marks, occupied, strict=True)
    )


def _inputs(size: int, box: slice | None) -> np.ndarray:
    return np.arange(size) if box is None else np.arange(*box.indices(size))


def canvas_cuts(
    geometry: ConvTranspose, inputs: Region = None, region: Region = None
) -> tuple[Cut, ...]:
    """The uncropped canvas, kept around the stamps of ``inputs`` (a box, all by default)
    and the crop window's edges."""
    lengths, marks, stamps = [], [], []
    for axis, line in enumerate(geometry.axes):
        canvas = line.canvas()
        chosen = _inputs(line.size, None if inputs is None else inputs[axis])
        landed = np.unique(line.on_canvas(chosen[:, None], np.arange(line.kernel)[None, :]))
        lengths.append(canvas.length)
        marks.append(np.concatenate([landed, [canvas.window.start, canvas.window.stop - 1]]))
        stamps.append(landed)
    return _cuts(lengths, marks, stamps, region)


def output_cuts(
    geometry: ConvTranspose, chosen: Sequence[int] = (), region: Region = None
) -> tuple[Cut, ...]:
    """The output, kept around every landing tap (and the ``chosen`` output, if any)."""
    lengths, marks, taps = [], [], []
    for axis, line in enumerate(geometry.axes):
        landed = line.landing()
        landed = np.unique(landed[(landed >= 0) & (landed < line.output_length)])
        lengths.append(line.output_length)
        taps.append(landed)
        marks.append(np.concatenate([landed, list(chosen[axis : axis + 1])]))
    return _cuts(lengths, marks, taps, region)


def inserted_cuts(
    geometry: ConvTranspose, windows: Sequence[Sequence[int]] = (), region: Region = None
) -> tuple[Cut, ...]:
    """The zero-inserted, padded input, kept around every input it holds and the kernel's
    taps in the window of each output of ``windows`` (its first cell per axis)."""
    lengths, marks, held = [], [], []
    for axis, line in enumerate(geometry.axes):
        length, where = line.zero_inserted()
        inputs = where[where >= 0]
        taps = np.arange(line.kernel, dtype=np.int64) * line.dilation
        starts = np.array([w[axis] for w in windows], dtype=np.int64)
        lengths.append(length)
        held.append(inputs)
        marks.append(np.concatenate([inputs, np.add.outer(starts, taps).reshape(-1)]))
    return _cuts(lengths, marks, held, region)


def visited(shape: Sequence[int], cuts: Sequence[Cut], most: int) -> list[tuple[int, ...]]:
    """The cells of a grid a sliding window visits one frame each: every cell when there are
    at most ``most``, else the first ``most − 1`` drawn (around the stamps, when elided).

    >>> visited((200_002,), output_cuts(ConvTranspose((3,), (2,), stride=10**5)), 30)[:4]
    [(0,), (1,), (2,), (99999,)]
    """
    drawn = [cut.index[cut.index >= 0].tolist() for cut in cuts]
    every = math.prod(shape) <= most
    return list(itertools.islice(itertools.product(*drawn), None if every else most - 1))
