"""How an exercise set is written: the convention, each exercise's statement (its dimension, its
kind, what it asks), "why" questions with model answers, and the answer key."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tconvmat.text import notation

if TYPE_CHECKING:
    from tconvmat.teaching.exercises import Exercise

__all__ = ["CONVENTION", "TASKS", "WHY", "answer", "sheet", "statement", "why_questions"]

CONVENTION = (
    "Convention (PyTorch's `conv_transpose`, tconvmat's default): y = Cᵀx. Input value x[i] "
    "adds x[i]·w[j] to the output at position i·stride + j·dilation − padding; the kernel w "
    "is used as written (not reversed); padding p cuts p positions off each end of the "
    "output; output_padding gives that many back at the end. Positions count from 0; 2-D "
    "positions are [row,column]."
)

TASKS = (
    "compute every output value",
    "give the output size, then compute y at the marked position",
    "say which input values and kernel taps make y at the marked position, then its value",
    "give the sub-kernel of each output phase, then compute every output value",
)
"""What an exercise asks, cycling so that a sheet varies its type."""

WHY: tuple[tuple[str, str], ...] = (
    (
        "Padding makes a convolution's output larger, yet it makes a transposed "
        "convolution's output smaller. Why?",
        "The transposed convolution undoes the shape change of the convolution with the same "
        "parameters. That convolution adds p zeros around its input, so its input has p fewer "
        "real positions at each end than its padded frame; going back, the transposed "
        "convolution cuts those p positions off the canvas it scatters into.",
    ),
    (
        "Why does output_padding exist, and why should it be smaller than the stride?",
        "The convolution's size formula rounds down: s consecutive input sizes give the same "
        "output size, so the transposed convolution alone cannot know which one to restore. "
        "output_padding picks it: 0 to s − 1 extra positions at the end. From s on, no input "
        "size of the convolution corresponds: the convolution with the same parameters takes "
        "the longer output to (input size) + ⌊output_padding / s⌋ positions, not back to the "
        "input size. PyTorch still accepts output_padding up to max(stride, dilation) − 1, so "
        "with a dilation above the stride it allows values from s on; they only lengthen the "
        "output (with zeros, or with canvas values the padding would have cut). Keras and "
        "ONNX Runtime refuse output_padding ≥ stride.",
    ),
    (
        "A transposed convolution with kernel 4 and stride 2 has even overlap: every interior "
        "output receives the same number of taps. Why can it still draw a checkerboard?",
        "Each output phase is computed by its own sub-kernel (the taps j with j ≡ phase mod "
        "stride). A constant input comes out as each phase's sub-kernel sum, so unless those "
        "sums are equal the output alternates although the counts do not. Even overlap removes "
        "only the first cause (uneven counts), not unequal sums.",
    ),
    (
        "Why is the transposed convolution not the inverse of the convolution?",
        "It multiplies by Cᵀ, not by C⁻¹. C is usually not square (fewer outputs than inputs "
        "when the stride is above 1), so it forgets some directions of its input and no "
        "linear map can recover them; and even where it is invertible, CᵀC is not the "
        "identity unless C's rows are orthonormal.",
    ),
    (
        "In the zero-insertion view the kernel slides reversed over the input; in the scatter "
        "view it is stamped as written. Why both?",
        "In the scatter, input i sends tap j to output i·s + j·d. Seen from one output, tap j "
        "arrives from input (t − j·d)/s, further to the left as j grows, so a window read left "
        "to right meets the taps right to left: the same sum, read from the output's side, "
        "is a correlation with the reversed kernel.",
    ),
    (
        "Why is the gradient of a convolution with respect to its input a transposed convolution?",
        "The convolution is v = C·u, a linear map. For a loss L, ∂L/∂u = Cᵀ·∂L/∂v: the "
        "gradient flows back through the transposed matrix, which is exactly a transposed "
        "convolution of ∂L/∂v with the same kernel, stride, padding and dilation.",
    ),
)
"""Conceptual questions with model answers; a sheet draws about one for every three
exercises."""


def why_questions(count: int, seed: int) -> list[tuple[str, str]]:
    """About one "why" question per three exercises, drawn by the seed, in the bank's order."""
    rng = np.random.default_rng(seed + 1)
    n = min(len(WHY), max(1, -(-count // 3)))
    return [WHY[i] for i in sorted(rng.choice(len(WHY), n, replace=False).tolist())]


def _grids(exercise: Exercise) -> str:
    p = exercise.problem
    length = "length " if p.x.ndim == 1 else ""
    return (
        f"input x ({length}{notation.shape(p.x.shape)})\n{notation.grid(p.x)}\n\n"
        f"kernel w ({length}{notation.shape(p.kernel.shape)})\n{notation.grid(p.kernel)}"
    )


def _heading(exercise: Exercise) -> str:
    return f"## Exercise {exercise.number} ({exercise.dimension}, {exercise.kind})"


def statement(exercise: Exercise) -> str:
    """The question: dimension, kind, the parameters, the grids, what to find."""
    from tconvmat.teaching.explanation.basics import setting

    p = exercise.problem
    marked = ""
    if exercise.task != TASKS[0] and exercise.task != TASKS[3]:
        marked = f" The marked position is y{notation.position(exercise.marked)}."
    return (
        f"{_heading(exercise)}\n\n"
        f"A {exercise.dimension} transposed convolution with {setting(p.geometry)}.\n\n"
        f"```\n{_grids(exercise)}\n```\n\n"
        f"Task: {exercise.task}.{marked} Show the size formula with the numbers.\n"
    )


def answer(exercise: Exercise) -> str:
    """The answer with its worked steps: the size formula, each output as a sum, the grid."""
    from tconvmat.teaching.explanation import steps
    from tconvmat.teaching.explanation.basics import size_math
    from tconvmat.teaching.explanation.parts import Code

    p = exercise.problem
    sums = steps.sums(p, exercise.answer).parts[0].text  # type: ignore[union-attr]
    phases = "\n\n".join(
        part.text if isinstance(part, Code) else part.markdown  # type: ignore[attr-defined]
        for part in steps.phase_blocks(p)
    )
    extra = ""
    if exercise.task == TASKS[3]:
        extra = (
            "Each phase, its taps (its sub-kernel), and the kernel that slides over x to make "
            "it (x first padded with zeros: (before, after) per axis, negative = cut):\n\n"
            f"```\n{phases}\n```\n\n"
        )
    if exercise.task in (TASKS[1], TASKS[2]):
        flat = int(np.ravel_multi_index(exercise.marked, p.geometry.out_shape))
        line = steps.sum_lines(p, exercise.answer, limit=flat + 1)[flat]
        g = p.geometry
        reached = g.apply((np.asarray(p.x) != 0).astype(np.int64), np.ones(g.kernel_shape, int))
        why = (
            " (0 because every input value that reaches it is 0)"
            if reached[exercise.marked] == 0
            else ""
        )
        extra = (
            f"At the marked position: y{notation.position(exercise.marked)} = "
            f"{notation.value(exercise.answer[exercise.marked])}{why}.\n\n"
        )
        if exercise.task == TASKS[2]:
            extra += f"The inputs and taps that make it:\n\n```\n{line}\n```\n\n"
    return (
        f"{_heading(exercise)}\n\n"
        f"Output size:\n\n```\n{size_math(p.geometry).text}\n```\n\n{extra}"
        f"Each output as a sum of products:\n\n```\n{sums}\n```\n\n"
        f"Answer:\n\n```\n{notation.grid(exercise.answer)}\n```\n"
    )


def sheet(found: list[Exercise], seed: int) -> tuple[str, str]:
    """The exercise sheet and its answer key, as Markdown."""
    head = f"(seed {seed}; regenerate with `tconvmat exercises --count {len(found)} --seed {seed}`)"
    why = why_questions(len(found), seed)
    questions = "\n".join(statement(e) for e in found)
    answers = "\n".join(answer(e) for e in found)
    asked = "\n".join(f"{n}. {q}" for n, (q, _) in enumerate(why, 1))
    modelled = "\n".join(f"{n}. {q}\n\n   *Model answer.* {a}\n" for n, (q, a) in enumerate(why, 1))
    return (
        f"# Transposed convolution: exercises\n\n{head}\n\n{CONVENTION}\n\n{questions}\n"
        f"## Why?\n\nAnswer in two or three sentences.\n\n{asked}\n",
        f"# Transposed convolution: answers\n\n{head}\n\n{CONVENTION}\n\n{answers}\n"
        f"## Why? (model answers)\n\n{modelled}",
    )
