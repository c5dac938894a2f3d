"""LaTeX for papers and slides: geometries, general terms and any SymPy object."""

from __future__ import annotations

from typing import Any

import sympy

from tconvmat.core.geometry import Geometry
from tconvmat.symbolic.general_term import GeneralTerm
from tconvmat.text import notation
from tconvmat.text.display import size_latex

__all__ = ["Latex", "latex"]


class Latex(str):
    """A LaTeX string that Jupyter shows typeset (``str`` in every other respect)."""

    def _repr_latex_(self) -> str:
        return f"$$ {self} $$"


def latex(obj: Any) -> Latex:
    """LaTeX for a geometry, a general term, or any SymPy object (matrix, array, expression).

    Examples
    --------
    >>> from tconvmat.symbolic.formulas import output_size
    >>> latex(output_size())
    'd \\\\left(k - 1\\\\right) + op - 2 p + s \\\\left(I - 1\\\\right) + 1'
    """
    if isinstance(obj, Geometry):
        symmetric = all(lo == hi for lo, hi in obj.padding)
        general = notation.size_formula(symmetric, latex=True)
        rows = [general] + [size_latex(obj, axis) for axis in range(obj.ndim)]
        return Latex(
            r"\begin{aligned}" + r" \\ ".join("&" + row for row in rows) + r"\end{aligned}"
        )
    if isinstance(obj, GeneralTerm):
        return Latex(obj.latex())
    return Latex(sympy.latex(obj))
