"""One problem's facts for the explorable page, as JSON-ready data.

The page's JavaScript only draws and highlights; every number, index and sentence it
shows is computed here by the engine:

- where each (input, tap) pair lands on the canvas and in the output:
  :meth:`tconvmat.core.axis.Axis.on_canvas` and :meth:`~tconvmat.core.axis.Axis.landing`, the
  crop window :meth:`~tconvmat.core.axis.Axis.canvas` (the stored entries of C are exactly
  the pairs that land inside the output, :mod:`tconvmat.core.structure`); the canvas is every
  stamp ``x[i]·w[j]`` added at its cell, and y its crop (``y = Cᵀx``, the scatter route);
- the zero-inserted grid (:meth:`~tconvmat.core.axis.Axis.zero_inserted`), the reversed kernel
  that slides over it (:func:`tconvmat.core.kernels.reversed_taps`), the phases
  (:meth:`~tconvmat.core.axis.Axis.phases`, :func:`tconvmat.core.kernels.sub_kernel_taps`);
- values and positions in the one notation (:mod:`tconvmat.text.notation`, in bulk:
  :func:`~tconvmat.text.notation.values`, :func:`~tconvmat.text.notation.positions`), each
  output's sum and each stamp in the explanation's own words
  (:func:`tconvmat.teaching.explanation.steps.sum_lines`,
  :func:`tconvmat.teaching.explanation.stamps.stamp_phrases`).

Every rule holds axis by axis, so the facts of one axis are found once for every state
that has that axis (:mod:`tconvmat.teaching.pages.lines`) and an N-D fact is their product.

Flat indices are row-major (C order) throughout, as for C itself. The scatter's pairs
are listed input by input and, within an input, scatter tap by scatter tap: pair ``n`` is
input ``n // n_taps`` with scatter tap ``n % n_taps``, which is the user's tap
``pairs["taps"][n % n_taps]``; it lands on canvas cell ``pairs["canvas"][n]`` and output
``pairs["output"][n]`` (-1: cropped away). Positions are written by :func:`names`, once
per shape for a whole page.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np

from tconvmat.core import arrays, kernels
from tconvmat.core.geometry import Geometry
from tconvmat.plots import palette
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import stamps, steps, words
from tconvmat.teaching.explanation.basics import setting, size_text
from tconvmat.teaching.pages.lines import Line, line_facts
from tconvmat.text import notation

__all__ = ["VIEWS", "check_showable", "names", "stamp_table", "state"]

VIEWS = ("x", "kernel", "canvas", "y", "C", "CT", "zero-insertion", "reversed-kernel", "phase")
"""The ``data-view`` names of the page's linked views (the contract for scripts and tests)."""


def check_showable(problem: Problem) -> None:
    """Refuse what the page cannot draw: more than two spatial axes, channels, symbols."""
    g = problem.geometry
    if g.ndim > 2:
        raise ValueError(
            f"the page shows 1-D and 2-D problems; this one has {g.ndim} spatial dimensions "
            f"(input shape {g.in_shape}); tconvmat explain and tconvmat figures show 3-D"
        )
    if not g.single_channel:
        raise ValueError(
            f"the page shows one input and one output channel; this problem has in_channels "
            f"{g.in_channels} and out_channels {g.out_channels} (tconvmat explain shows channels)"
        )
    if not problem.numeric:
        raise ValueError(
            "the page shows numbers; the input or kernel holds symbols "
            "(tconvmat explain --symbolic shows them)"
        )


def stamp_table(problem: Problem) -> np.ndarray:
    """Every (input, tap) pair of the scatter: ``(n_pairs, 4)`` rows ``(i, j, c, t)``.

    ``i`` is the flat input element, ``j`` the flat kernel tap as the user stores the
    kernel, ``c`` the flat canvas cell where the pair lands and ``t`` the flat output
    element, or -1 where the crop cuts the pair away. Pairs with ``t >= 0`` are the
    stored entries ``C[i, t] = w[j]`` of the matrix.

    Examples
    --------
    >>> stamp_table(Problem.build(input="1,10", kernel="1,2", stride=2, padding=1)).tolist()
    [[0, 0, 0, -1], [0, 1, 1, 0], [1, 0, 2, 1], [1, 1, 3, -1]]
    """
    g = problem.geometry
    c_flat, t_flat = _pairs([line_facts(line) for line in g.axes], g.out_shape)
    i_flat, j_flat = _pair_elements(g.in_shape, g.kernel_shape, g.flip_kernel)
    return np.stack([i_flat, j_flat, c_flat, t_flat], axis=1)


@functools.lru_cache(maxsize=256)
def _pair_elements(
    in_shape: tuple[int, ...], kernel_shape: tuple[int, ...], flip_kernel: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Flat input and flat user tap of every pair (inputs, then the scatter's taps)."""
    taps = kernels.tap_order(Geometry(in_shape, kernel_shape, flip_kernel=flip_kernel))
    n_in = math.prod(in_shape)
    elements = np.repeat(np.arange(n_in, dtype=np.int64), taps.size), np.tile(taps, n_in)
    for array in elements:
        array.flags.writeable = False
    return elements


def _pairs(facts: list[Line], out_shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Flat canvas cell and flat output (-1: cropped) of every pair, inputs then taps.

    Every axis's landing holds on its own, so a pair lands at the product of where its
    per-axis parts land, and inside the output exactly when every part does.
    """
    if len(facts) == 1:
        return facts[0].on_canvas.reshape(-1), facts[0].output.reshape(-1)
    ndim = len(facts)
    cell = output = np.zeros((1,) * (2 * ndim), dtype=np.int64)
    inside = np.ones((1,) * (2 * ndim), dtype=bool)
    for a, line in enumerate(facts):
        view = [1] * (2 * ndim)
        view[a], view[ndim + a] = line.on_canvas.shape
        cell = cell * line.canvas.length + line.on_canvas.reshape(view)
        output = output * out_shape[a] + line.output.reshape(view)
        inside = inside & (line.output.reshape(view) >= 0)
    return cell.reshape(-1), np.where(inside, output, -1).reshape(-1)


def _colors(taps: int, phases: int) -> dict[str, list[list[str]]]:
    """Background and text colour of each tap and phase: the static figures' palette."""
    kept = _palette(taps, phases)
    return {kind: [list(pair) for pair in pairs] for kind, pairs in kept.items()}


@functools.lru_cache(maxsize=256)
def _palette(taps: int, phases: int) -> dict[str, tuple[tuple[str, str], ...]]:
    return {
        "taps": tuple((c, palette.text_color(c)) for c in palette.tap_colors(taps)),
        "phases": tuple((c, palette.text_color(c)) for c in palette.phase_colors(phases)),
    }


def names(shape: tuple[int, ...]) -> tuple[str, ...]:
    """The position of every element of a grid, row-major, in the one notation: ``[0,1]``.

    A page holds them once per shape, not once per state.

    Examples
    --------
    >>> names((2, 2))
    ('[0,0]', '[0,1]', '[1,0]', '[1,1]')
    """
    return notation.positions(tuple(shape))


def _grid_cells(ranges: list[range], lengths: list[int]) -> list[int]:
    """Flat indices (row-major on ``lengths``) of the block ``ranges``, row-major."""
    if len(ranges) == 1:
        return list(ranges[0])
    flat = [0]
    for cells, length in zip(ranges, lengths, strict=True):
        flat = [f * length + c for f in flat for c in cells]
    return flat


def _phases(problem: Problem, facts: list[Line]) -> list[dict[str, Any]]:
    """Each output phase: its label in the explanation's notation and its outputs."""
    g = problem.geometry
    lengths = list(g.out_shape)
    result = []
    for combination in itertools.product(*(line.phases for line in facts)):
        first = tuple(p.first for p in combination)
        members = [range(f, n, s) for f, n, s in zip(first, lengths, g.stride, strict=True)]
        result.append(
            {
                "label": steps.phase_line(problem, first, kernels.sub_kernel_taps(g, combination)),
                "first": ",".join(map(str, first)),
                "shape": [len(m) for m in members],
                "outputs": _grid_cells(members, lengths),
            }
        )
    return result


def _zero_insertion(facts: list[Line], x_texts: list[str], zero: str) -> dict[str, Any]:
    """The zero-inserted, padded input; where each input sits on it; each output's window.

    Insertion and border act on each axis alone (:meth:`tconvmat.core.axis.Axis.zero_inserted`),
    so input ``(i, j)`` sits where input ``i`` sits on the first axis and ``j`` on the second.
    """
    shape = [line.zero_length for line in facts]
    if len(facts) == 1:
        inputs = facts[0].held.tolist()
    else:
        where = np.zeros((1,) * len(facts), dtype=np.int64)
        held = np.ones((1,) * len(facts), dtype=bool)
        for a, line in enumerate(facts):
            view = [1] * len(facts)
            view[a] = line.held.size
            where = where * line.zero_length + line.held.reshape(view)
            held = held & (line.held.reshape(view) >= 0)
        inputs = np.where(held, where, -1).reshape(-1).tolist()
    values = [zero] * math.prod(shape)
    for cell, text in zip(inputs, x_texts, strict=True):
        if cell >= 0:
            values[cell] = text
    return {
        "shape": shape,
        "values": values,
        "inputs": inputs,
        "windows": [[list(w) for w in line.windows] for line in facts],
    }


def state(problem: Problem) -> dict[str, Any]:
    """Everything the page shows of one problem, JSON-ready (see the module docstring).

    Examples
    --------
    >>> s = state(Problem.build())
    >>> s["title"]
    'Input 3×3, kernel 2×2, stride 2, padding 1 on every side → output 4×4'
    >>> s["shape"]["y"], s["value"]["y"][:4]
    ([4, 4], ['12', '6', '8', '3'])
    >>> s["sums"][0]
    'y[0,0] = w[1,1]·x[0,0] = 4·3 = 12'
    """
    check_showable(problem)
    g = problem.geometry
    facts = [line_facts(line) for line in g.axes]
    cells, outputs = _pairs(facts, g.out_shape)
    inputs, taps = _pair_elements(g.in_shape, g.kernel_shape, g.flip_kernel)
    # the scatter: every stamp x[i]·w[j] added at its canvas cell; y is the crop, Cᵀx
    canvas_shape = [line.canvas.length for line in facts]
    x, kernel = problem.x.reshape(-1), problem.kernel.reshape(-1)
    with np.errstate(invalid="ignore", over="ignore"):  # 0 · inf is nan, as in every route
        products = x[inputs] * kernel[taps]
    canvas = np.zeros(math.prod(canvas_shape), dtype=arrays.result_dtype(x, kernel))
    np.add.at(canvas, cells, products)
    window = [line.canvas.window for line in facts]
    output_canvas = _grid_cells([range(w.start, w.stop) for w in window], canvas_shape)
    y = canvas[output_canvas]
    # who reaches each output, in row order: the stored entries of C, column by column
    order = np.argsort(outputs, kind="stable")[np.count_nonzero(outputs < 0) :]
    landed = outputs[order]
    bounds = np.zeros(math.prod(g.out_shape) + 1, dtype=np.int64)
    np.cumsum(np.bincount(landed, minlength=bounds.size - 1), out=bounds[1:])
    reaching = (inputs[order], taps[order], bounds)
    phases = _phases(problem, facts)
    rows, columns = g.matrix_shape
    lead = f"Input {words.shape(g.in_shape)}, kernel {words.shape(g.kernel_shape)}, {setting(g)}"
    x_texts = notation.values(x)
    zero = _zero_insertion(facts, x_texts, notation.values(np.zeros(1, dtype=x.dtype))[0])
    zero["kernel"] = kernels.reversed_taps(g).tolist()  # the kernel that slides, reversed
    zero["dilation"] = list(g.dilation)
    return {
        "title": f"{lead} → output {words.shape(g.out_shape)}",
        "facts": [
            *size_text(g).splitlines(),
            f"C is {rows} × {columns} with {order.size} non-zeros; y = Cᵀx",
        ],
        "crop": "crop: y is canvas[" + ", ".join(f"{w.start}:{w.stop}" for w in window) + "]",
        "shape": {
            "x": list(g.in_shape),
            "kernel": list(g.kernel_shape),
            "canvas": canvas_shape,
            "y": list(g.out_shape),
            "zero-insertion": zero.pop("shape"),
        },
        "value": {
            "x": x_texts,
            "kernel": notation.values(kernel),
            "canvas": notation.values(canvas),
            "y": notation.values(y),
            "zero-insertion": zero.pop("values"),
        },
        "window": [[w.start, w.stop] for w in window],
        "colors": _colors(math.prod(g.kernel_shape), len(phases)),
        "pairs": {
            "taps": taps[: math.prod(g.kernel_shape)].tolist(),
            "canvas": cells.tolist(),
            "output": outputs.tolist(),
        },
        "output_canvas": output_canvas,
        "zero_insertion": zero,
        "phases": phases,
        "sums": steps.sum_lines(problem, y, reaching=reaching),
        "stamp_text": stamps.stamp_phrases(problem),
    }
