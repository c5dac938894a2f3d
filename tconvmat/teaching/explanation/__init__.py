"""A step-by-step account of one transposed convolution: :func:`explain`.

The explanation is data (sections of prose, grids, formulas and figures,
:mod:`tconvmat.teaching.explanation.document`) built once for a problem
(:mod:`tconvmat.teaching.explanation.build`) and shown by separate renderers: Markdown,
the terminal, one HTML page, and Jupyter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tconvmat.api import ConvTranspose
from tconvmat.problem import Problem

if TYPE_CHECKING:
    from tconvmat.teaching.explanation.checks import route_agreement
    from tconvmat.teaching.explanation.document import Explanation

_LAZY = {
    "Explanation": "tconvmat.teaching.explanation.document",
    "route_agreement": "tconvmat.teaching.explanation.checks",
}
"""Names imported on first use: the page (:mod:`tconvmat.teaching.pages`) reads a few of this
package's modules (the sums' and stamps' wording) and needs none of the sections' builders."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Explanation", "explain", "route_agreement"]


def explain(
    input: Any = None,
    kernel: Any = None,
    *,
    input_shape: Any = None,
    kernel_shape: Any = None,
    stride: Any = None,
    padding: Any = None,
    dilation: Any = 1,
    output_padding: Any = 0,
    in_channels: int = 1,
    out_channels: int = 1,
    groups: int = 1,
    geometry: ConvTranspose | None = None,
    symbolic: bool = False,
    compare_pytorch: bool = False,
    limit: int | None = None,
) -> Explanation:
    """Explain ``y = Cᵀx`` step by step; the worked example by default.

    Parameters
    ----------
    input, kernel : array_like or str, optional
        Values, numbers or SymPy symbols, or text in the command line's grid
        syntax (``"3,2,1;0,5,2;1,4,7"``); by default the worked example's.
    input_shape, kernel_shape : tuple of int, optional
        Shapes filled with 1, 2, 3, … instead of values.
    stride, padding, dilation, output_padding, in_channels, out_channels, groups
        As for :class:`tconvmat.ConvTranspose`; stride 2 and padding 1 by default (the worked
        example's: the explanation says so when the input or kernel is your own).
    geometry : ConvTranspose, optional
        A ready geometry instead of those parameters (e.g. from ``conventions.from_jax``).
    symbolic : bool
        Add the closed form in symbols and the general term.
    compare_pytorch : bool
        Also compare with PyTorch (imported only then).
    limit : int, optional
        Most elements of the largest of x, y and the kernel (default
        ``tconvmat.core.budget.LIMITS['view']``, a 1000 × 1000 output), checked before any work.

    Returns
    -------
    Explanation
        ``str()`` gives Markdown; Jupyter shows it formatted with its figures;
        ``.to_html()`` is one self-contained page; ``.save(folder)`` writes files.

    Examples
    --------
    >>> text = str(explain())
    >>> "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    True
    >>> "y[0,0] = w[1,1]·x[0,0] = 4·3 = 12" in text
    True
    >>> explain(input="1,10", kernel="1,2,3", stride=2, padding=0).output.tolist()
    [1, 2, 13, 20, 30]
    """
    problem = Problem.build(
        input,
        kernel,
        input_shape=input_shape,
        kernel_shape=kernel_shape,
        stride=stride,
        padding=padding,
        dilation=dilation,
        output_padding=output_padding,
        in_channels=in_channels,
        out_channels=out_channels,
        groups=groups,
        geometry=geometry,
        limit=limit,
    )
    from tconvmat.teaching.explanation.build import build

    return build(problem, symbolic=symbolic, pytorch=compare_pytorch, limit=limit)
