"""The general term: y[m] for a symbolic output index m, phase by phase (polyphase form).

Per axis, output ``m`` receives tap ``j`` of input ``i = (m + crop_lo − j·d) / s``
when that is an integer in ``[0, I)``. Whether it is an integer depends only on
the phase ``r = (m + crop_lo) mod s``: phase ``r`` uses the sub-kernel of the taps
with ``j·d ≡ r (mod s)``. So a strided transposed convolution is ``s^N``
stride-1 convolutions, interleaved (Shi et al., 2016).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from tconvmat.core import budget, kernels
from tconvmat.core.arrays import admit
from tconvmat.core.geometry import Geometry
from tconvmat.text import notation

__all__ = ["GeneralTerm", "PhaseTerm", "general_term"]


@dataclass(frozen=True)
class PhaseTerm:
    """One output phase: the taps that reach it and where they read the input.

    Attributes
    ----------
    residues : tuple of int
        ``(m + crop_lo) mod s`` per axis.
    first : tuple of int
        First output index of the phase per axis.
    taps : tuple of tuple of int
        The sub-kernel: every N-D tap that reaches this phase, indexed as the
        user's framework stores the kernel (see :func:`tconvmat.core.kernels.user_tap`).
    input_index : tuple of tuple of sympy.Expr
        For each tap, the input index per axis as an expression in ``m``.
    """

    residues: tuple[int, ...]
    first: tuple[int, ...]
    taps: tuple[tuple[int, ...], ...]
    input_index: tuple[tuple[sympy.Expr, ...], ...]


@dataclass(frozen=True)
class GeneralTerm:
    """``y[m]`` of a single-channel transposed convolution for symbolic ``m``.

    Attributes
    ----------
    geometry : Geometry
    m : tuple of sympy.Symbol
        The output index, one symbol per axis.
    phases : tuple of PhaseTerm
    """

    geometry: Geometry
    m: tuple[sympy.Symbol, ...]
    phases: tuple[PhaseTerm, ...]

    @property
    def kernel(self) -> sympy.IndexedBase:
        """The kernel ``w[j]`` as an indexed symbol (``w`` as in all of tconvmat's text)."""
        return sympy.IndexedBase(notation.KERNEL)

    @property
    def input(self) -> sympy.IndexedBase:
        """The input ``x[i]`` as an indexed symbol."""
        return sympy.IndexedBase(notation.INPUT)

    def _term(self, tap: tuple[int, ...], index: tuple[sympy.Expr, ...]) -> sympy.Expr:
        inside = sympy.And(
            *(
                sympy.And(i >= 0, i <= size - 1)
                for i, size in zip(index, self.geometry.in_shape, strict=True)
            )
        )
        product = self.kernel[tap] * self.input[index]
        return product if inside is sympy.true else sympy.Piecewise((product, inside), (0, True))

    def phase_sum(self, phase: PhaseTerm) -> sympy.Expr:
        """Sum over the phase's sub-kernel; each term is guarded by ``0 <= i < I``."""
        pairs = zip(phase.taps, phase.input_index, strict=True)
        return sympy.Add(*(self._term(tap, index) for tap, index in pairs))

    def congruences(self, phase: PhaseTerm) -> list[tuple[sympy.Symbol, int, int, int]]:
        """``(m, crop_lo, s, r)`` per axis: the phase is where ``m + crop_lo ≡ r (mod s)``."""
        return [
            (m, a.crop[0], a.stride, r)
            for m, a, r in zip(self.m, self.geometry.axes, phase.residues, strict=True)
        ]

    def equations(self) -> list[sympy.Eq]:
        """One equation ``y[m] = Σ w[j]·x[i(m)]`` per phase (guards omitted: x is 0 outside)."""
        y = sympy.IndexedBase(notation.OUTPUT)
        return [
            sympy.Eq(
                y[self.m],
                sympy.Add(
                    *(
                        self.kernel[tap] * self.input[index]
                        for tap, index in zip(phase.taps, phase.input_index, strict=True)
                    )
                ),
            )
            for phase in self.phases
        ]

    def expression(self) -> sympy.Expr:
        """``y[m]`` as one Piecewise over the phases, exact at every valid ``m``."""
        pieces = []
        for phase in self.phases:
            condition = sympy.And(
                *(
                    sympy.Eq(a.residue(m), r)
                    for m, a, r in zip(self.m, self.geometry.axes, phase.residues, strict=True)
                )
            )
            pieces.append((self.phase_sum(phase), condition))
        pieces.append((sympy.Integer(0), True))
        return sympy.Piecewise(*pieces)

    def evaluate(self, m: tuple[int, ...], x: Any, kernel: Any) -> sympy.Expr:
        """``y[m]`` at a concrete ``m`` with concrete (numbers or symbols) ``x`` and ``kernel``."""
        x = admit("x", x, exact=True).astype(object)
        kernel = admit("kernel", kernel, exact=True).astype(object)
        value = self.expression().subs(dict(zip(self.m, m, strict=True)))
        replacements = {self.input[i]: x[i] for i in np.ndindex(*x.shape)}
        replacements.update({self.kernel[j]: kernel[j] for j in np.ndindex(*kernel.shape)})
        return sympy.expand(value.xreplace(replacements))

    def latex(self) -> str:
        """One case per phase, its condition in words as the text writes it: ``m_0`` even."""
        lines = []
        for phase, equation in zip(self.phases, self.equations(), strict=True):
            conditions = [
                notation.phase_condition(sympy.latex(m), first, a.stride, latex=True)
                for m, first, a in zip(self.m, phase.first, self.geometry.axes, strict=True)
            ]
            condition = r",\ ".join(c for c in conditions if c)
            when = rf" & \text{{if }} {condition}" if condition else ""
            lines.append(rf"{sympy.latex(equation.rhs)}{when}")
        lhs = sympy.latex(sympy.IndexedBase(notation.OUTPUT)[self.m])
        if len(lines) == 1 and "&" not in lines[0]:
            return f"{lhs} = {lines[0]}"
        return rf"{lhs} = \begin{{cases}}" + r" \\ ".join(lines) + r"\end{cases}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"


def general_term(geometry: Geometry, m: Any = None, *, limit: int | None = None) -> GeneralTerm:
    """The general term of ``y = Cᵀx`` per output phase.

    Parameters
    ----------
    geometry : Geometry
        A single-channel geometry.
    m : sequence of sympy.Symbol, optional
        The output index symbols (default ``m_0, m_1, ...``).
    limit : int, optional
        Most SymPy terms (one per phase and one per tap) accepted, checked before any
        work (default ``budget.LIMITS['symbolic']``): there are ``prod(stride)`` phases.

    Returns
    -------
    GeneralTerm

    Notes
    -----
    ``y[m] = Σ_{j : (m + crop_lo − j·d) ≡ 0 (mod s)} w[j]·x[(m + crop_lo − j·d)/s]``,
    restricted to valid input indices; the taps of phase
    ``r = (m + crop_lo) mod s`` are those with ``j·d ≡ r (mod s)``.

    Examples
    --------
    >>> term = general_term(Geometry((3,), (3,), stride=2, padding=1))
    >>> for equation in term.equations():
    ...     print(equation)
    Eq(y[m_0], w[1]*x[m_0/2])
    Eq(y[m_0], w[0]*x[m_0/2 + 1/2] + w[2]*x[m_0/2 - 1/2])
    >>> "m_{0} \\\\text{ even}" in term.latex()  # the condition in words, as in the text
    True
    """
    if not geometry.single_channel:
        raise ValueError(
            f"general_term works on one channel; this geometry has in_channels "
            f"{geometry.in_channels} and out_channels {geometry.out_channels}"
        )
    if m is None:
        m = tuple(
            sympy.Symbol(f"m_{a}", integer=True, nonnegative=True) for a in range(geometry.ndim)
        )
    m = tuple(m)
    if len(m) != geometry.ndim:
        raise ValueError(f"m has {len(m)} symbols but the geometry has {geometry.ndim} axes")
    phases_count = math.prod(min(a.stride, a.output_length) for a in geometry.axes)
    budget.check_symbolic(
        "the general term",
        phases_count + math.prod(geometry.kernel_shape),
        "SymPy terms (one per output phase and per tap)",
        limit,
    )
    phases = []
    for combination in itertools.product(*(a.phases() for a in geometry.axes)):
        lines = zip(m, geometry.axes, combination, strict=True)
        index_per_axis = [[a.source(symbol, j) for j in p.taps.tolist()] for symbol, a, p in lines]
        phases.append(
            PhaseTerm(
                tuple(a.residue(p.first) for a, p in zip(geometry.axes, combination, strict=True)),
                tuple(p.first for p in combination),
                kernels.sub_kernel_taps(geometry, combination),
                tuple(itertools.product(*index_per_axis)),
            )
        )
    return GeneralTerm(geometry, m, tuple(phases))
