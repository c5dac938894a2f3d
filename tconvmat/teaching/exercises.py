"""Exercise sheets with answer keys: transposed convolutions to work out by hand.

The same seed gives the same sheet. The kinds cycle so that a sheet mixes
cases without overlap, with overlap, with padding, with output_padding and
with dilation; every answer comes with its worked steps (the size formula with
the numbers, each output as a sum of products).
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tconvmat.analysis import anatomy
from tconvmat.api import ConvTranspose
from tconvmat.core import validation
from tconvmat.problem import Problem
from tconvmat.teaching.exercise_sheet import TASKS

__all__ = ["KINDS", "TASKS", "Exercise", "ExerciseSet", "exercises", "sheet"]

KINDS = ("no overlap", "overlap", "padding", "output_padding", "dilation")
MAX_COUNT = 200
TAP_VALUES = np.array([-2, -1, 1, 2, 3])
"""Kernel values: small, signed, never zero."""
MAX_REDRAWS = 50
"""Inputs drawn at most this many times for an exercise that needs overlapping products."""
MARKED_TASKS = TASKS[1:3]
"""The tasks that ask about one marked output."""


def _marked(rng: np.random.Generator, problem: Problem, task: str) -> tuple[int, ...]:
    """The output a task marks (``()`` for tasks that mark none): one where stamps overlap,
    reached by at least 2 taps with at least 2 non-zero products, so the student adds
    something up; where no output has that (no overlap), one with a non-zero product; a
    gap never ("which inputs and taps make y[2,1]" has no answer there)."""
    if task not in MARKED_TASKS:
        return ()
    for found in marked_candidates(problem):
        if found.size:
            return tuple(int(i) for i in found[int(rng.integers(0, len(found)))])
    raise AssertionError("every transposed convolution reaches some output")  # pragma: no cover


def marked_candidates(problem: Problem) -> tuple[np.ndarray, ...]:
    """The outputs a task may mark, best first: (at least 2 taps and 2 non-zero products),
    (a non-zero product), (a tap); each an array of positions.

    Examples
    --------
    >>> p = Problem.build(input="0,1,2", kernel="1,1,1", stride=2, padding=0)
    >>> [c.ravel().tolist() for c in marked_candidates(p)]
    [[4], [2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5, 6]]
    """
    g = problem.geometry
    taps = anatomy.overlap_grid(g)
    nonzero = g.apply((np.asarray(problem.x) != 0).astype(np.int64), np.ones(g.kernel_shape, int))
    return (
        np.argwhere((taps >= 2) & (nonzero >= 2)),
        np.argwhere(nonzero >= 1),
        np.argwhere(taps >= 1),
    )


@dataclass(frozen=True, eq=False)
class Exercise:
    """One exercise: the problem, what kind it is, what it asks, and its answer.

    Its repr and display leave the answer out (``.answer`` holds it).
    """

    number: int
    kind: str
    problem: Problem
    answer: np.ndarray = field(repr=False)
    task: str = TASKS[0]
    marked: tuple[int, ...] = ()
    """The output the task asks about (tasks 2 and 3 of :data:`TASKS`; else empty)."""

    @property
    def dimension(self) -> str:
        """``1-D``, ``2-D`` or ``3-D``."""
        return f"{self.problem.geometry.ndim}-D"

    def __repr__(self) -> str:
        return f"<Exercise {self.number} ({self.dimension}, {self.kind}): {self.task}>"

    def _repr_markdown_(self) -> str:
        from tconvmat.teaching.exercise_sheet import statement

        return statement(self)

    def to_json(self) -> dict[str, Any]:
        """The keys a grader needs: per-axis lists, symmetric padding, the answer as lists."""
        g = self.problem.geometry
        return {
            "number": self.number,
            "kind": self.kind,
            "dimension": self.dimension,
            "task": self.task,
            **({"marked": list(self.marked)} if self.marked else {}),
            "convention": "pytorch",
            "input": self.problem.x.tolist(),
            "kernel": self.problem.kernel.tolist(),
            "stride": list(g.stride),
            "padding": [lo for lo, _ in g.padding],
            "output_padding": list(g.output_padding),
            "dilation": list(g.dilation),
            "answer": self.answer.tolist(),
        }


def _draw(rng: np.random.Generator, kind: str, overlapping: bool = False) -> ConvTranspose:
    """Parameters of one kind, redrawn until they make a small valid problem (with
    ``overlapping``, one where some output is reached by at least 2 taps)."""
    while True:
        ndim = int(rng.choice([1, 2, 2]))
        size = int(rng.integers(2, 4))
        stride = int(rng.integers(1, 4)) if kind != "no overlap" else int(rng.integers(2, 4))
        # at least 2 taps per axis: a 1-tap kernel hides what a kernel does
        if kind == "no overlap":
            kernel = int(rng.integers(2, stride + 1))
        elif kind == "overlap":
            kernel = stride + int(rng.integers(1, 3))
        else:
            kernel = int(rng.integers(2, 4))
        dilation = 2 if kind == "dilation" else 1
        padding = int(rng.integers(1, kernel)) if kind in ("padding", "output_padding") else 0
        output_padding = 0
        if kind == "output_padding":
            stride = max(stride, 2)
            output_padding = int(rng.integers(1, stride))
        try:
            geometry = ConvTranspose(
                (size,) * ndim, (kernel,) * ndim, stride, padding, dilation, output_padding
            )
        except ValueError:
            continue
        if max(geometry.out_shape) > 7 or int(np.prod(geometry.out_shape)) > 25:
            continue
        if not overlapping or int(anatomy.overlap_grid(geometry).max()) >= 2:
            return geometry


class ExerciseSet(list):  # type: ignore[type-arg]
    """A list of :class:`Exercise` that shows itself as the sheet (never the answers):
    ``_repr_markdown_`` and ``_repr_html_`` in Jupyter; :meth:`answers` is the key."""

    def __init__(self, found: list[Exercise], seed: int) -> None:
        super().__init__(found)
        self.seed = seed

    def sheet(self) -> str:
        """The questions as Markdown (the convention, every exercise, the "why" questions)."""
        return sheet(list(self), self.seed)[0]

    def answers(self) -> str:
        """The answer key as Markdown: worked steps and the model answers."""
        return sheet(list(self), self.seed)[1]

    def __repr__(self) -> str:
        kinds = ", ".join(sorted({e.kind for e in self}))
        return (
            f"<ExerciseSet of {len(self)} exercises (seed {self.seed}; {kinds}); .sheet() for "
            "the questions, .answers() for the key>"
        )

    def _repr_markdown_(self) -> str:
        return self.sheet()

    def _repr_html_(self) -> str:
        from markdown_it import MarkdownIt

        return str(MarkdownIt("commonmark").enable("table").render(self.sheet()))


def sheet(found: list[Exercise], seed: int) -> tuple[str, str]:
    """The exercise sheet and its answer key, as Markdown (:mod:`.exercise_sheet`)."""
    from tconvmat.teaching import exercise_sheet

    return exercise_sheet.sheet(found, seed)


def exercises(count: int = 5, seed: int = 0) -> ExerciseSet:
    """``count`` exercises, reproducible from ``seed``; also ``tconvmat.exercises(...)``.

    Examples
    --------
    >>> first = exercises(5, seed=1)
    >>> [e.kind for e in first]
    ['no overlap', 'overlap', 'padding', 'output_padding', 'dilation']
    >>> first[0].to_json() == exercises(5, seed=1)[0].to_json()
    True
    >>> first[0]  # shows itself without its answer (.answer holds it)
    <Exercise 1 (1-D, no overlap): compute every output value>
    """
    count = validation.as_int("count", count)
    seed = validation.as_int("seed", seed)
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count ({count}) must be between 1 and {MAX_COUNT}")
    if seed < 0:
        raise ValueError(f"seed ({seed}) must be >= 0")
    rng = np.random.default_rng(seed)
    found = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        task = TASKS[n % len(TASKS)]
        # "which taps" asks for a sum of products: a problem where stamps overlap
        overlapping = kind == "overlap" or (task == TASKS[2] and kind != "no overlap")
        g = _draw(rng, kind, overlapping)
        for _ in range(MAX_REDRAWS):  # zeros in x must leave an output with 2 products
            x = rng.integers(0, 6, size=g.in_shape)
            # no zero tap: a zero hides the tap's place, its reach and its overlap
            w = rng.choice(TAP_VALUES, size=g.kernel_shape)
            problem = Problem(g, x, w)
            if not overlapping or marked_candidates(problem)[0].size:
                break
        y = g.apply(x, w)
        found.append(Exercise(n + 1, kind, problem, y, task, _marked(rng, problem, task)))
    return ExerciseSet(found, seed)


class _CallableModule(types.ModuleType):
    """``tconvmat.exercises(...)`` calls :func:`exercises`; ``tconvmat.teaching.exercises.Exercise``
    and ``from tconvmat.teaching.exercises import exercises`` keep working."""

    def __call__(self, count: int = 5, seed: int = 0) -> ExerciseSet:
        return exercises(count, seed)


sys.modules[__name__].__class__ = _CallableModule
