"""The wording of a stamp: what one input element adds to the canvas, and where.

``x[0,1] = 2 adds 2·w at canvas rows 0–1, columns 2–3``: the explanation's scatter steps
print it for the first inputs (:func:`stamp_phrase`), the explorable page shows it for every
input of every slider state (:func:`stamp_phrases`, each axis's places found once).
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

from tconvmat.core.axis import Axis
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.text import notation

__all__ = ["stamp_phrase", "stamp_phrases"]


def _span(name: str, start: int, stop: int, dilation: int) -> str:
    """Where a stamp lands along one axis: ``rows 2–3``, ``columns 0–4 every 2``."""
    return f"{name} {start}–{stop}" + (f" every {dilation}" if dilation > 1 else "")


@functools.lru_cache(maxsize=8192)
def _axis_regions(line: Axis, name: str) -> tuple[str, ...]:
    """:func:`_span` of every input along one axis (kept: the axes of a page repeat)."""
    ends = line.on_canvas(np.arange(line.size)[:, None], np.array([0, line.kernel - 1]))
    return tuple(_span(name, a, b, line.dilation) for a, b in ends.tolist())


def _region(problem: Problem, element: tuple[int, ...]) -> str:
    """Where an element's stamp lands on the canvas: ``rows 2–3, columns 0–1``."""
    names = words.axis_names(problem.geometry.ndim)
    return ", ".join(
        _span(name, line.on_canvas(i, 0), line.on_canvas(i, line.kernel - 1), line.dilation)
        for line, i, name in zip(problem.geometry.axes, element, names, strict=True)
    )


def _stamp(name: str, value: str, region: str) -> str:
    return f"x{name} = {value} adds {value}·w at canvas {region}"


def stamp_phrase(problem: Problem, element: tuple[int, ...]) -> str:
    """What one input element does in the scatter: ``x[0,1] = 2 adds 2·w at canvas rows 0–1, …``.

    The one wording of a stamp: the explanation's steps and the explorable page use it.

    Examples
    --------
    >>> stamp_phrase(Problem.build(), (0, 1))
    'x[0,1] = 2 adds 2·w at canvas rows 0–1, columns 2–3'
    """
    value = words.value(problem.x[element])
    return _stamp(words.index(element), value, _region(problem, element))


def stamp_phrases(problem: Problem) -> tuple[str, ...]:
    """:func:`stamp_phrase` of every input element, row-major (each axis's places found once).

    Examples
    --------
    >>> stamp_phrases(Problem.build(input="1,10", kernel="1,2,3"))
    ('x[0] = 1 adds 1·w at canvas positions 0–2', 'x[1] = 10 adds 10·w at canvas positions 2–4')
    """
    g = problem.geometry
    names = words.axis_names(g.ndim)
    regions = tuple(_axis_regions(line, name) for line, name in zip(g.axes, names, strict=True))
    return _stamps(notation.positions(g.in_shape), tuple(notation.values(problem.x)), regions)


@functools.lru_cache(maxsize=1024)
def _stamps(
    names: tuple[str, ...], values: tuple[str, ...], regions: tuple[tuple[str, ...], ...]
) -> tuple[str, ...]:
    """The stamps of inputs with these names and values, whose stamps land in these places
    along each axis (kept: problems that differ in their crops only share them)."""
    places = (", ".join(parts) for parts in itertools.product(*regions))
    return tuple(
        _stamp(name, value, place) for name, value, place in zip(names, values, places, strict=True)
    )
