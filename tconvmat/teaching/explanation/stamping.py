"""The scatter in text: every stamp of a small problem, a few representative stamps of a large one.

A small problem (at most :data:`MAX_PRINTED_STEPS` inputs, a canvas of at most
:data:`WHOLE_CANVAS` cells, or any 1-D problem, whose long runs of zeros are cut) prints
every step on the whole canvas. A larger one prints three stamps, the first, one in the
interior and the last, each with the canvas cropped around it (every stamp before it
added, so the overlap with its neighbours above and to the left shows), then the
canvas's top-left corner and the crop.
"""

from __future__ import annotations

import math

import numpy as np

from tconvmat.analysis import anatomy
from tconvmat.core import rules
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Section, Text
from tconvmat.teaching.explanation.stamps import stamp_phrase
from tconvmat.text import notation

__all__ = ["MAX_PRINTED_STEPS", "WHOLE_CANVAS", "scatter"]

MAX_PRINTED_STEPS = 12
"""Scatters with more input elements print a few representative steps."""
WHOLE_CANVAS = 144
"""Canvases with more cells than this (2-D, 3-D) print cropped around each stamp."""


def scatter(problem: Problem) -> Section:
    """Every stamp added onto the canvas (or three of them), the canvas, the crop, y."""
    g = problem.geometry
    origin = ", ".join(str(a.canvas().origin) for a in g.axes)
    parts: list = [
        Text(
            f"Each input value, {'in order' if g.ndim == 1 else 'in row-major order'}, adds "
            "value × kernel to the canvas at its "
            f"place: the origin (canvas position {origin}) plus i·stride. Overlapping stamps "
            "add up."
        )
    ]
    canvas_shape = tuple(a.canvas().length for a in g.axes)
    extended = _extension_words(g)
    if extended:
        parts.append(
            Text(
                f"Here the output reaches past the scatter, so the canvas below is "
                f"{words.sized('scatter', g.full_shape).replace('a ', 'the ', 1)} with "
                f"{extended}: {_size(canvas_shape)} in all."
            )
        )
    total = math.prod(g.in_shape)
    small = g.ndim == 1 or math.prod(canvas_shape) <= WHOLE_CANVAS
    if total <= MAX_PRINTED_STEPS and small:
        parts += _every_step(problem)
    else:
        parts += _three_steps(problem)
    parts += _canvas_and_crop(problem, small, extended)
    return Section("How it up-samples: stamp, add up, crop", tuple(parts), "scatter")


def _every_step(problem: Problem) -> list:
    g = problem.geometry
    steps = anatomy.scatter_steps(g, problem.x, problem.kernel)
    return [
        Code(
            words.grid(canvas),
            f"Step {step + 1}: {stamp_phrase(problem, element)}; the canvas is now:",
        )
        for step, (canvas, element) in enumerate(
            zip(steps.accumulated, np.ndindex(*g.in_shape), strict=True)
        )
    ]


def representative(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The first input, one in the interior and the last, without repeats.

    Examples
    --------
    >>> representative((16, 16)), representative((1,))
    ([(0, 0), (8, 8), (15, 15)], [(0,)])
    """
    found = [tuple(0 for _ in shape), tuple(n // 2 for n in shape), tuple(n - 1 for n in shape)]
    return list(dict.fromkeys(found))


def _three_steps(problem: Problem) -> list:
    """The chosen stamps, each on the canvas cropped around it (the stamps before it added)."""
    g = problem.geometry
    total = math.prod(g.in_shape)
    chosen = representative(g.in_shape)
    names = notation.joined([f"x{notation.position(e)}" for e in chosen])  # first, interior, last
    parts: list = [
        Text(
            f"The input has {total} values, so here are {len(chosen)} of the {total} steps "
            f"({names}: the first, one in the interior and the last), each with the canvas "
            f"({_size(tuple(a.canvas().length for a in g.axes))}) cropped around the stamp; "
            f"every stamp before it {'in order' if g.ndim == 1 else 'in row-major order'} is "
            "already added, so its overlap with the stamps before it shows."
        )
    ]
    flat = problem.x.reshape(-1)
    for element in chosen:
        step = int(np.ravel_multi_index(element, g.in_shape))
        before = np.zeros_like(flat)
        before[: step + 1] = flat[: step + 1]
        canvas = anatomy.scatter_steps(g, before.reshape(g.in_shape), problem.kernel, 0).canvas
        box = _around(problem, element)
        parts.append(
            Code(
                words.grid(canvas[box], origin=tuple(b.start for b in box)),
                f"Step {step + 1} of {total}: {stamp_phrase(problem, element)}; "
                f"{notation.region('canvas', box)} is now:",
            )
        )
    return parts


BOX_SIDE = 16
"""A 2-D or 3-D box around a stamp spans at most this many canvas cells per axis."""


def _around(problem: Problem, element: tuple[int, ...]) -> tuple[slice, ...]:
    """The canvas box around an element's stamp: its cells and as many again as a
    neighbouring stamp can reach (``d·(k − 1)``, at least 1) on each side; in 2-D and 3-D at
    most :data:`BOX_SIDE` cells per axis, the stamp's first cells kept (a stamp wider than
    that is shown from its start)."""
    g = problem.geometry
    box = []
    for line, i in zip(g.axes, element, strict=True):
        first, last = line.on_canvas(i, 0), line.on_canvas(i, line.kernel - 1)
        length = line.canvas().length
        reach = max(1, line.extent - 1)
        if g.ndim > 1:
            own = last - first + 1
            if own >= BOX_SIDE:
                box.append(slice(first, min(length, first + BOX_SIDE)))
                continue
            reach = min(reach, max(1, (BOX_SIDE - own) // 2))
        box.append(slice(max(0, first - reach), min(length, last + reach + 1)))
    return tuple(box)


def _canvas_and_crop(problem: Problem, small: bool, extended: str) -> list:
    g = problem.geometry
    steps = anatomy.scatter_steps(g, problem.x, problem.kernel, 0)
    window = steps.window
    size = _size(steps.canvas.shape)
    crop = f"Crop: keep {notation.region('canvas', window)}" + (
        f" of that canvas ({size})" if extended else ""
    )
    shown, box = words.corner(steps.canvas)
    if small or box is None:
        return [
            Code(words.grid(steps.canvas), "The whole canvas (every stamp added):"),
            Code(words.grid(steps.result), f"{crop}. The result y:"),
        ]
    corner = box
    y_corner = tuple(
        slice(0, max(0, min(c.stop, w.stop) - w.start)) for c, w in zip(corner, window, strict=True)
    )
    on_canvas = tuple(
        slice(w.start, w.start + c.stop) for c, w in zip(y_corner, window, strict=True)
    )
    return [
        Code(
            words.grid(shown),
            f"The whole canvas ({size}, every stamp added), its top-left corner "
            f"{notation.region('canvas', corner)}:",
        ),
        Code(
            words.grid(steps.result[y_corner]),
            f"{crop}: the output y ({_size(g.out_shape)}) printed in the summary. Its "
            f"top-left corner {notation.region('y', y_corner)} is "
            f"{notation.region('canvas', on_canvas)}:",
        ),
    ]


def _size(shape: tuple[int, ...]) -> str:
    return f"length {shape[0]}" if len(shape) == 1 else words.shape(shape)


def _extension_words(g) -> str:  # type: ignore[no-untyped-def]
    """``1 zero row and 1 zero column appended at the end`` where the output reaches past the
    scatter (output_padding beyond the canvas, a framework's negative crop); ``''`` elsewhere."""
    ends = [rules.crop_extension(c) for c in g.crops]
    nouns = notation.axis_items(g.ndim)
    found = []
    for side, at in ((0, "start"), (1, "end")):
        items = [
            notation.counted(end[side], f"zero {noun}")
            for end, noun in zip(ends, nouns, strict=True)
            if end[side]
        ]
        if items:
            found.append(f"{notation.joined(items)} appended at the {at}")
    return "; ".join(found)
