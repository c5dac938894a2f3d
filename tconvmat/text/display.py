"""How a geometry shows itself: Markdown for Jupyter, its size formula as LaTeX text; and the
file formats a figure is saved in (:data:`FORMATS`).

Pure string formatting in :mod:`tconvmat.text.notation`'s notation: no SymPy, so displaying a
geometry costs no import, and the command line offers the formats without loading the plots.
"""

from __future__ import annotations

from tconvmat.core.geometry import Geometry
from tconvmat.text import notation

__all__ = ["FORMATS", "geometry_markdown", "size_latex"]

FORMATS = ("png", "svg", "pdf")
"""Figure formats whose bytes are identical on every run."""


def size_latex(geometry: Geometry, axis: int) -> str:
    """The output-size formula of one axis with its numbers substituted, as LaTeX.

    Examples
    --------
    >>> print(size_latex(Geometry((3,), (2,), stride=2, padding=1), 0))
    L_{\\mathrm{out}} = (3 - 1) \\cdot 2 - 2 \\cdot 1 + 1 \\cdot (2 - 1) + 0 + 1 = 4
    """
    g = geometry
    symmetric = all(lo == hi for lo, hi in g.padding)
    numbers = notation.size_formula_numbers(
        g.in_shape[axis],
        g.kernel_shape[axis],
        g.stride[axis],
        g.dilation[axis],
        g.padding[axis],
        g.output_padding[axis],
        g.out_shape[axis],
        symmetric=symmetric,
        latex=True,
    )
    return rf"L_{{\mathrm{{out}}}} = {numbers}"


def geometry_markdown(geometry: Geometry) -> str:
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
        (
            "kernel orientation",
            "flipped (correlated as given)" if geometry.flip_kernel else "as in PyTorch",
        ),
        ("framework", geometry.framework),
        ("C", f"{geometry.matrix_shape[0]} × {geometry.matrix_shape[1]} sparse, y = Cᵀx"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    sizes = "\n\n".join(f"$${size_latex(geometry, a)}$$" for a in range(geometry.ndim))
    title = f"**{type(geometry).__name__}**"
    return f"{title}\n\n| parameter | value |\n| --- | --- |\n{table}\n\n{sizes}\n"
