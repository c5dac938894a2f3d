"""LaTeX and Markdown renderings for papers, slides and Jupyter."""

from __future__ import annotations

from typing import Any

import sympy

from tconvmat.formulas import output_size
from tconvmat.general_term import GeneralTerm
from tconvmat.geometry import ConvTranspose

__all__ = ["geometry_markdown", "latex", "size_latex"]


def size_latex(geometry: ConvTranspose, axis: int) -> str:
    """The output-size formula of one axis with its numbers substituted, as LaTeX.

    Examples
    --------
    >>> print(size_latex(ConvTranspose((3,), (2,), stride=2, padding=1), 0))
    L_{out} = (3 - 1) \\cdot 2 - 1 - 1 + 1 \\cdot (2 - 1) + 0 + 1 = 4
    """
    i, k = geometry.in_shape[axis], geometry.kernel_shape[axis]
    s, d = geometry.stride[axis], geometry.dilation[axis]
    (lo, hi), op = geometry.padding[axis], geometry.output_padding[axis]
    return (
        rf"L_{{out}} = ({i} - 1) \cdot {s} - {lo} - {hi} + {d} \cdot ({k} - 1) + {op} + 1"
        f" = {geometry.out_shape[axis]}"
    )


def latex(obj: Any) -> str:
    """LaTeX for a geometry, a general term, or any SymPy object (matrix, array, expression).

    Examples
    --------
    >>> latex(output_size())
    'd \\\\left(k - 1\\\\right) + op - 2 p + s \\\\left(I - 1\\\\right) + 1'
    """
    if isinstance(obj, ConvTranspose):
        general = sympy.latex(sympy.Eq(sympy.Symbol("L_{out}"), output_size()))
        rows = [general] + [size_latex(obj, axis) for axis in range(obj.ndim)]
        return r"\begin{aligned}" + r" \\ ".join("&" + row for row in rows) + r"\end{aligned}"
    if isinstance(obj, GeneralTerm):
        return obj._repr_latex_().strip("$")
    return sympy.latex(obj)


def geometry_markdown(geometry: ConvTranspose) -> str:
    """A Markdown table of a geometry's parameters and sizes (Jupyter's rich display)."""
    rows = [
        ("in_shape → out_shape", f"{geometry.in_shape} → {geometry.out_shape}"),
        ("kernel_shape", str(geometry.kernel_shape)),
        ("stride", str(geometry.stride)),
        ("padding (low, high)", str(geometry.padding)),
        ("dilation", str(geometry.dilation)),
        ("output_padding", str(geometry.output_padding)),
        ("crops", str(geometry.crops)),
        (
            "channels (groups)",
            f"{geometry.in_channels} → {geometry.out_channels} ({geometry.groups})",
        ),
        ("C", f"{geometry.matrix_shape[0]} × {geometry.matrix_shape[1]} sparse, y = Cᵀx"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    sizes = "\n\n".join(f"$${size_latex(geometry, a)}$$" for a in range(geometry.ndim))
    return f"**ConvTranspose**\n\n| parameter | value |\n| --- | --- |\n{table}\n\n{sizes}\n"
