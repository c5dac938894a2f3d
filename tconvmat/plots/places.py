"""Where a figure's long axes are cut: around the engine's landings, never re-derived.

Each function gives one :class:`~tconvmat.plots.elide.Cut` per axis of a grid a
figure draws (the uncropped canvas, the output, the zero-inserted input), kept around
where the taps land (:meth:`tconvmat.axis.Axis.on_canvas`, :meth:`~tconvmat.axis.Axis.landing`,
:meth:`~tconvmat.axis.Axis.zero_inserted`). A break then skips only zeros. 3-D grids
(drawn as slices side by side) are never cut.

Examples
--------
>>> from tconvmat.api import ConvTranspose
>>> g = ConvTranspose((3,), (2,), stride=1000)
>>> [c.labels() for c in output_cuts(g)][0][:4]
['0', '1', '2', '']
>>> canvas_cuts(ConvTranspose((3, 3), (2, 2), stride=2))[0].elided
False
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.plots.elide import Cut

__all__ = ["canvas_cuts", "inserted_cuts", "output_cuts"]


def _cuts(
    lengths: Sequence[int], marks: Sequence[np.ndarray], occupied: Sequence[np.ndarray]
) -> tuple[Cut, ...]:
    if len(lengths) > 2:
        return tuple(Cut.whole(n) for n in lengths)
    return tuple(
        Cut.around(n, m, occupied=o) for n, m, o in zip(lengths, marks, occupied, strict=True)
    )


def canvas_cuts(geometry: ConvTranspose) -> tuple[Cut, ...]:
    """The uncropped canvas, kept around every stamp and the crop window's edges."""
    lengths, marks, stamps = [], [], []
    for line in geometry.axes:
        canvas = line.canvas()
        landed = line.on_canvas(np.arange(line.size)[:, None], np.arange(line.kernel)[None, :])
        edges = [canvas.window.start, canvas.window.stop - 1]
        lengths.append(canvas.length)
        marks.append(np.concatenate([landed.reshape(-1), edges]))
        stamps.append(np.unique(landed))
    return _cuts(lengths, marks, stamps)


def output_cuts(geometry: ConvTranspose, chosen: Sequence[int] = ()) -> tuple[Cut, ...]:
    """The output, kept around every landing tap (and the ``chosen`` output, if any)."""
    lengths, marks, taps = [], [], []
    for axis, line in enumerate(geometry.axes):
        landed = np.unique(line.landing())
        lengths.append(line.output_length)
        taps.append(landed)
        marks.append(np.concatenate([landed, list(chosen[axis : axis + 1])]))
    return _cuts(lengths, marks, taps)


def inserted_cuts(
    geometry: ConvTranspose, windows: Sequence[Sequence[int]] = ()
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
    return _cuts(lengths, marks, held)
