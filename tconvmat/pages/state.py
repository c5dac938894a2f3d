"""One problem's facts for the explorable page, as JSON-ready data.

The page's JavaScript only draws and highlights; every number, index and sentence it
shows is computed here by the engine:

- where each (input, tap) pair lands on the canvas and in the output:
  :meth:`tconvmat.axis.Axis.on_canvas` and :meth:`~tconvmat.axis.Axis.landing`, the
  crop window :meth:`~tconvmat.axis.Axis.canvas` (the stored entries of C are exactly
  the pairs that land inside the output, :mod:`tconvmat.structure`);
- the canvas and its crop (:func:`tconvmat.anatomy.scatter_steps`), the zero-inserted
  grid (:func:`tconvmat.routes.dilate.zero_inserted`), the phases
  (:meth:`~tconvmat.axis.Axis.phases`, :func:`tconvmat.kernels.sub_kernel_taps`);
- values and positions in the one notation (:mod:`tconvmat._text`), each output's sum
  and each stamp in the explanation's own words
  (:func:`tconvmat.explanation.steps.sum_lines`, :func:`~tconvmat.explanation.steps.stamp_phrase`).

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

from tconvmat import _text, anatomy, kernels, palette, structure
from tconvmat.explanation import steps, words
from tconvmat.explanation.basics import setting, size_math
from tconvmat.problem import Problem
from tconvmat.routes.dilate import zero_inserted

__all__ = ["VIEWS", "check_showable", "names", "stamp_table", "state"]

VIEWS = ("x", "kernel", "canvas", "y", "C", "CT", "zero-insertion", "phase")
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
    ndim = g.ndim
    full = g.in_shape + g.kernel_shape
    canvas_shape, out_shape = [], g.out_shape
    on_canvas, landing = [], []
    for a, line in enumerate(g.axes):
        view = [1] * (2 * ndim)
        view[a], view[ndim + a] = line.size, line.kernel
        inputs, taps = np.arange(line.size)[:, None], np.arange(line.kernel)[None, :]
        on_canvas.append(np.broadcast_to(line.on_canvas(inputs, taps).reshape(view), full))
        landing.append(np.broadcast_to(line.landing().reshape(view), full))
        canvas_shape.append(line.canvas().length)
    inside = np.ones(full, dtype=bool)
    for t, length in zip(landing, out_shape, strict=True):
        inside &= (t >= 0) & (t < length)
    clipped = [np.clip(t, 0, length - 1) for t, length in zip(landing, out_shape, strict=True)]
    t_flat = np.where(inside, np.ravel_multi_index(clipped, out_shape), -1)
    c_flat = np.ravel_multi_index(on_canvas, canvas_shape)
    i_flat = np.arange(math.prod(g.in_shape)).reshape(g.in_shape + (1,) * ndim)
    j_flat = kernels.tap_order(g).reshape((1,) * ndim + g.kernel_shape)
    columns = [np.broadcast_to(a, full).reshape(-1) for a in (i_flat, j_flat, c_flat, t_flat)]
    return np.stack(columns, axis=1).astype(np.int64)


def _colors(taps: int, phases: int) -> dict[str, list[list[str]]]:
    """Background and text colour of each tap and phase: the static figures' palette."""
    return {
        "taps": [[c, palette.text_color(c)] for c in palette.tap_colors(taps)],
        "phases": [[c, palette.text_color(c)] for c in palette.phase_colors(phases)],
    }


def _texts(array: Any) -> list[str]:
    return [_text.value(v) for v in np.asarray(array).reshape(-1).tolist()]


@functools.lru_cache(maxsize=4096)
def names(shape: tuple[int, ...]) -> tuple[str, ...]:
    """The position of every element of a grid, row-major, in the one notation: ``[0,1]``.

    A page holds them once per shape, not once per state.

    Examples
    --------
    >>> names((2, 2))
    ('[0,0]', '[0,1]', '[1,0]', '[1,1]')
    """
    return tuple(words.index(p) for p in np.ndindex(*shape))


def _phases(problem: Problem) -> list[dict[str, Any]]:
    """Each output phase: its label in the explanation's notation and its outputs."""
    g = problem.geometry
    outputs = np.arange(math.prod(g.out_shape)).reshape(g.out_shape)
    result = []
    for combination in itertools.product(*(a.phases() for a in g.axes)):
        first = tuple(p.first for p in combination)
        taps = kernels.sub_kernel_taps(g, combination)
        window = tuple(slice(f, None, s) for f, s in zip(first, g.stride, strict=True))
        members = outputs[window]
        result.append(
            {
                "label": steps.phase_line(problem, first, taps),
                "first": ",".join(map(str, first)),
                "shape": list(members.shape),
                "outputs": members.reshape(-1).tolist(),
            }
        )
    return result


def _zero_insertion(problem: Problem) -> dict[str, Any]:
    """The zero-inserted, padded input; where each input sits on it; each output's window."""
    g = problem.geometry
    padded = zero_inserted(g, problem.x)
    # the same insertion and border applied to 1, 2, 3, …: which input each cell holds
    held = zero_inserted(g, np.arange(1, math.prod(g.in_shape) + 1).reshape(g.in_shape))
    where = np.full(math.prod(g.in_shape), -1, dtype=np.int64)
    cells = np.flatnonzero(held)
    where[held.reshape(-1)[cells] - 1] = cells
    # output t of the stride-1 correlation reads padded[t : t + d·(k − 1) + 1] on each axis
    windows = [[[t, t + line.extent] for t in range(line.output_length)] for line in g.axes]
    return {
        "shape": list(padded.shape),
        "values": _texts(padded),
        "inputs": where.tolist(),
        "windows": windows,
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
    scatter = anatomy.scatter_steps(g, problem.x, problem.kernel, max_steps=0)
    y = scatter.result  # the canvas cropped: y = Cᵀx (the routes agree, tests check it)
    canvas_cells = np.arange(scatter.canvas.size).reshape(scatter.canvas.shape)
    zero = _zero_insertion(problem)
    phases = _phases(problem)
    pairs = stamp_table(problem)
    rows, columns = g.matrix_shape
    lead = f"Input {words.shape(g.in_shape)}, kernel {words.shape(g.kernel_shape)}, {setting(g)}"
    window = ", ".join(f"{w.start}:{w.stop}" for w in scatter.window)
    return {
        "title": f"{lead} → output {words.shape(g.out_shape)}",
        "facts": [
            *size_math(g).text.splitlines(),
            f"C is {rows} × {columns} with {structure.nnz(g)} non-zeros; y = Cᵀx",
        ],
        "crop": f"crop: y is canvas[{window}]",
        "shape": {
            "x": list(g.in_shape),
            "kernel": list(g.kernel_shape),
            "canvas": list(scatter.canvas.shape),
            "y": list(g.out_shape),
            "zero-insertion": zero.pop("shape"),
        },
        "value": {
            "x": _texts(problem.x),
            "kernel": _texts(problem.kernel),
            "canvas": _texts(scatter.canvas),
            "y": _texts(y),
            "zero-insertion": zero.pop("values"),
        },
        "window": [[w.start, w.stop] for w in scatter.window],
        "colors": _colors(math.prod(g.kernel_shape), len(phases)),
        "pairs": {
            "taps": kernels.tap_order(g).tolist(),
            "canvas": pairs[:, 2].tolist(),
            "output": pairs[:, 3].tolist(),
        },
        "output_canvas": canvas_cells[scatter.window].reshape(-1).tolist(),
        "zero_insertion": zero,
        "phases": phases,
        "sums": steps.sum_lines(problem, y),
        "stamp_text": [steps.stamp_phrase(problem, e) for e in np.ndindex(*g.in_shape)],
    }
