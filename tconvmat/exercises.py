"""Exercise sheets with answer keys: transposed convolutions to work out by hand.

The same seed gives the same sheet. The kinds cycle so that a sheet mixes
cases without overlap, with overlap, with padding, with output_padding and
with dilation; every answer comes with its worked steps (the size formula with
the numbers, each output as a sum of products).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import _validate
from tconvmat.api import ConvTranspose
from tconvmat.problem import Problem

__all__ = ["KINDS", "Exercise", "exercises"]

KINDS = ("no overlap", "overlap", "padding", "output_padding", "dilation")
MAX_COUNT = 200


@dataclass(frozen=True, eq=False)
class Exercise:
    """One exercise: the problem, what kind it is, and its answer."""

    number: int
    kind: str
    problem: Problem
    answer: np.ndarray

    def to_json(self) -> dict[str, Any]:
        """The keys a grader needs: per-axis lists, symmetric padding, the answer as lists."""
        g = self.problem.geometry
        return {
            "number": self.number,
            "kind": self.kind,
            "input": self.problem.x.tolist(),
            "kernel": self.problem.kernel.tolist(),
            "stride": list(g.stride),
            "padding": [lo for lo, _ in g.padding],
            "output_padding": list(g.output_padding),
            "dilation": list(g.dilation),
            "answer": self.answer.tolist(),
        }


def _draw(rng: np.random.Generator, kind: str) -> ConvTranspose:
    """Parameters of one kind, redrawn until they make a small valid problem."""
    while True:
        ndim = int(rng.choice([1, 2, 2]))
        size = int(rng.integers(2, 4))
        stride = int(rng.integers(1, 4)) if kind != "no overlap" else int(rng.integers(2, 4))
        kernel = {
            "no overlap": int(rng.integers(1, stride + 1)),
            "overlap": stride + int(rng.integers(1, 3)),
        }.get(kind, int(rng.integers(2, 4)))
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
        if max(geometry.out_shape) <= 7 and int(np.prod(geometry.out_shape)) <= 25:
            return geometry


def exercises(count: int = 5, seed: int = 0) -> list[Exercise]:
    """``count`` exercises, reproducible from ``seed``.

    Examples
    --------
    >>> first = exercises(5, seed=1)
    >>> [e.kind for e in first]
    ['no overlap', 'overlap', 'padding', 'output_padding', 'dilation']
    >>> first[0].to_json() == exercises(5, seed=1)[0].to_json()
    True
    """
    count = _validate.as_int("count", count)
    seed = _validate.as_int("seed", seed)
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count ({count}) must be between 1 and {MAX_COUNT}")
    if seed < 0:
        raise ValueError(f"seed ({seed}) must be >= 0")
    rng = np.random.default_rng(seed)
    found = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        g = _draw(rng, kind)
        x = rng.integers(0, 6, size=g.in_shape)
        w = rng.integers(-2, 4, size=g.kernel_shape)
        problem = Problem(g, x, w)
        found.append(Exercise(n + 1, kind, problem, g.apply(x, w)))
    return found


def _statement(exercise: Exercise) -> str:
    from tconvmat.explanation import words
    from tconvmat.explanation.basics import setting

    p = exercise.problem
    return (
        f"## Exercise {exercise.number} ({exercise.kind})\n\n"
        f"Transposed convolution with {setting(p.geometry)}.\n\n"
        f"```\ninput x\n{words.grid(p.x)}\n\nkernel w\n{words.grid(p.kernel)}\n```\n\n"
        "1. What is the output size? Show the formula with the numbers.\n"
        "2. Compute every output value.\n"
    )


def _answer(exercise: Exercise) -> str:
    from tconvmat.explanation import words
    from tconvmat.explanation.basics import size_math
    from tconvmat.explanation.steps import sums

    p = exercise.problem
    steps = sums(p, exercise.answer).parts[0].text  # type: ignore[union-attr]
    return (
        f"## Exercise {exercise.number} ({exercise.kind})\n\n"
        f"Output size:\n\n```\n{size_math(p.geometry).text}\n```\n\n"
        f"Each output as a sum of products:\n\n```\n{steps}\n```\n\n"
        f"Answer:\n\n```\n{words.grid(exercise.answer)}\n```\n"
    )


def sheet(found: list[Exercise], seed: int) -> tuple[str, str]:
    """The exercise sheet and its answer key, as Markdown."""
    head = f"(seed {seed}; regenerate with `tconvmat exercises --count {len(found)} --seed {seed}`)"
    questions = "\n".join(_statement(e) for e in found)
    answers = "\n".join(_answer(e) for e in found)
    return (
        f"# Transposed convolution: exercises\n\n{head}\n\n{questions}",
        f"# Transposed convolution: answers\n\n{head}\n\n{answers}",
    )
