"""The closed form in symbols and the general term, in the explanation's one notation."""

from __future__ import annotations

import numpy as np
import sympy

from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Math, Section, Text
from tconvmat.text import notation

MAX_PRINTED_OUTPUTS = 64


def named(prefix: str, shape: tuple[int, ...]) -> np.ndarray:
    """Symbols ``x[0,0]``, ``w[1,1]``, … named in the one notation."""
    grid = np.empty(shape, dtype=object)
    for position in np.ndindex(*shape):
        grid[position] = sympy.Symbol(f"{prefix}{words.index(position)}")
    return grid


def _index(expressions: tuple) -> str:
    return "[" + ", ".join(str(sympy.together(e)).replace("*", "·") for e in expressions) + "]"


def general_term_lines(problem: Problem) -> list[str]:
    """One line per output phase: ``y[m_0] = w[1]·x[m_0/2] + …   (m_0 even)``."""
    term = problem.geometry.general_term()
    lines = []
    m = ", ".join(str(s) for s in term.m)
    for phase in term.phases:
        products = [
            f"w{words.index(tap)}·x{_index(index)}"
            for tap, index in zip(phase.taps, phase.input_index, strict=True)
        ]
        rhs = " + ".join(products) or "0"
        conditions = [
            c
            for c in (
                notation.phase_condition(str(symbol), first, s)
                for symbol, first, s in zip(
                    term.m, phase.first, problem.geometry.stride, strict=True
                )
            )
            if c
        ]
        where = f"    when {', '.join(conditions)}" if conditions else ""
        lines.append(f"y[{m}] = {rhs}{where}")
    return lines


def symbols(problem: Problem) -> Section:
    """The closed form with symbolic x and w, then the general term per phase."""
    g = problem.geometry
    x, w = named("x", g.in_shape), named("w", g.kernel_shape)
    closed = np.array(g.symbolic_apply(x, w).tolist(), dtype=object).reshape(g.out_shape)
    outputs = list(np.ndindex(*g.out_shape))[:MAX_PRINTED_OUTPUTS]
    lines = [f"y{words.index(p)} = {words.expression(closed[p])}" for p in outputs]
    parts: list = [
        Text("With x[…] the input and w[…] the kernel as symbols, y = Cᵀx reads:"),
        Code("\n".join(lines)),
        Text("The general term, one equation per output phase (x is 0 outside its range):"),
        Code("\n".join(general_term_lines(problem))),
    ]
    if g.ndim == 1:
        latex = g.general_term().latex()
        parts.append(Math((latex,), ""))  # typeset where formulas are (Jupyter, HTML)
    return Section("The closed form in symbols", tuple(parts), "symbols")
