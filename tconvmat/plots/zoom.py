"""Zoom windows: what a figure of a large problem draws instead of everything.

Beyond about 8×8 a whole grid no longer fits its numbers on a slide. A figure then
draws a few interior input elements (3 × 3 in 2-D, 5 in 1-D, 2 × 2 × 2 in 3-D), the
canvas their stamps cover and the outputs they reach, with their true indices, and
shows the whole grid once, small, with the window outlined. Away from the border,
so stamps overlap on every side as they do everywhere inside.

Examples
--------
>>> from tconvmat.api import ConvTranspose
>>> w = interior(ConvTranspose((16, 16), (3, 3), stride=2, padding=1))
>>> w.inputs, w.outputs
((slice(7, 10, None), slice(7, 10, None)), (slice(13, 20, None), slice(13, 20, None)))
>>> w.canvas
(slice(14, 21, None), slice(14, 21, None))
"""

from __future__ import annotations

from dataclasses import dataclass

from tconvmat.api import ConvTranspose
from tconvmat.text import notation

__all__ = [
    "LARGE_SIDE",
    "WINDOW",
    "Window",
    "interior",
    "is_large",
    "scatter_window",
    "zoom_line",
    "zoomed",
]

WINDOW = {1: 5, 2: 3, 3: 2}
"""Input elements per axis in a zoom window, by the number of dimensions."""
LARGE_SIDE = 12
"""A grid drawn flat (3-D slices side by side) with a longer side is zoomed into."""


@dataclass(frozen=True)
class Window:
    """A box of input elements, the canvas their stamps cover and the outputs they reach."""

    inputs: tuple[slice, ...]
    canvas: tuple[slice, ...]
    outputs: tuple[slice, ...]

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(s.stop - s.start for s in self.inputs)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return tuple(s.stop - s.start for s in self.outputs)

    def text(self, name: str = "x") -> str:
        """The input box as NumPy slices, ``x[7:10, 7:10]``."""
        return notation.region(name, self.inputs)

    def output_text(self, name: str = "y") -> str:
        return notation.region(name, self.outputs)


def interior(
    geometry: ConvTranspose,
    centre: tuple[int, ...] | None = None,
    size: int | None = None,
) -> Window:
    """The zoom window of ``geometry``: ``size`` inputs per axis around ``centre``.

    By default the middle of the input, :data:`WINDOW` elements per axis (fewer
    where the input is smaller); a centre near the border gives a window that
    stops at the border (where the crop shows).
    """
    per_axis = size if size is not None else WINDOW.get(geometry.ndim, 2)
    inputs, canvas, outputs = [], [], []
    for axis, line in enumerate(geometry.axes):
        n = min(per_axis, line.size)
        middle = line.size // 2 if centre is None else centre[axis]
        low = min(max(0, middle - (n - 1) // 2), line.size - n)
        inputs.append(slice(low, low + n))
        canvas.append(
            slice(
                int(line.on_canvas(low, 0)), int(line.on_canvas(low + n - 1, line.kernel - 1)) + 1
            )
        )
        outputs.append(slice(*line.reach(low, low + n)))
    return Window(tuple(inputs), tuple(canvas), tuple(outputs))


def is_large(shape: tuple[int, ...]) -> bool:
    """Whether a grid of ``shape``, drawn flat, is longer than :data:`LARGE_SIDE` on a side.

    >>> is_large((8, 8)), is_large((16, 16)), is_large((3, 5, 5))
    (False, True, True)
    """
    if len(shape) <= 2:
        return max(shape) > LARGE_SIDE
    return max(shape[1], shape[0] * shape[2]) > LARGE_SIDE


def zoomed(name: str, box: tuple[slice, ...], shape: tuple[int, ...]) -> str:
    """``zoomed: y[13:20, 13:20]`` when ``box`` leaves rows or columns of a grid of
    ``shape`` out; ``""`` when it holds the whole grid (a long grid whose runs of zeros
    are cut out is not zoomed: its breaks say what they skip).

    >>> zoomed("y", (slice(13, 20),), (33,)), zoomed("y", (slice(0, 2000),), (2000,))
    ('zoomed: y[13:20]', '')
    """
    if all(b.start == 0 and b.stop == n for b, n in zip(box, shape, strict=True)):
        return ""
    return f"zoomed: {notation.region(name, box)}"


def zoom_line(name: str, box: tuple[slice, ...], shape: tuple[int, ...]) -> str:
    """:func:`zoomed` as a title's own line, in brackets (``""`` when not zoomed)."""
    words = zoomed(name, box, shape)
    return f"\n({words})" if words else ""


def scatter_window(geometry: ConvTranspose, most: int) -> tuple[Window | None, tuple[slice, ...]]:
    """Which stamps a scatter view draws one by one, and on which part of the canvas.

    Up to ``most`` input elements: all of them (no window), on the whole canvas. More:
    the elements of the interior window, on the whole canvas when it is small, else on
    the part their stamps cover.

    >>> from tconvmat.api import ConvTranspose
    >>> scatter_window(ConvTranspose((3, 3), (2, 2), stride=2, padding=1), 11)
    (None, (slice(0, 6, None), slice(0, 6, None)))
    >>> scatter_window(ConvTranspose((16, 16), (3, 3), stride=2, padding=1), 11)[1]
    (slice(14, 21, None), slice(14, 21, None))
    """
    canvas = tuple(line.canvas().length for line in geometry.axes)
    whole = tuple(slice(0, n) for n in canvas)
    count = 1
    for n in geometry.in_shape:
        count *= n
    if count <= most:
        return None, whole
    window = interior(geometry)
    return window, window.canvas if is_large(canvas) else whole
