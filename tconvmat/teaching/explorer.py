"""``explore()``: the explorable page in Jupyter or Colab, sliders that need no kernel.

``explore()`` is :func:`tconvmat.page` for a notebook: it returns a
:class:`~tconvmat.teaching.pages.Page`, which displays itself (``_repr_html_``) with sliders for
input size, kernel size, stride, padding, dilation and output_padding in 1-D and 2-D.
Every slider position was computed by the engine when the page was built, so a slider
step redraws in the browser in milliseconds and works in a saved notebook or page too.

Until version 0.2 ``explore()`` was an ipywidgets panel that redrew matplotlib figures
in the kernel (3–9 s per step); its figures are still :mod:`tconvmat.plots`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tconvmat.teaching.pages import Page, page

__all__ = ["explore"]


def explore(
    input: Any = None,
    kernel: Any = None,
    *,
    sliders: bool | Mapping[str, Any] = True,
    dims: tuple[int, ...] | None = None,
    **problem: Any,
) -> Page:
    """Sliders for input size, kernel size, stride, padding, dilation and output_padding.

    Starts on the worked example, or on the problem given as for :func:`tconvmat.explain`
    (``input``, ``kernel``, ``input_shape``, ``stride``, …). Slider positions away from
    the problem's shapes use counting numbers 1, 2, 3, … as input and kernel. Pointing at
    any number frames where it comes from in x, the kernel, the canvas, y, C, Cᵀ, the
    zero-insertion grid and the phases; an output shows its sum. An invalid combination
    shows the library's message.

    Returns
    -------
    Page
        Shows itself in Jupyter and Colab; ``.geometry`` is the starting geometry,
        ``.save(path)`` writes the same view as one HTML file.

    Examples
    --------
    >>> explorer = explore()
    >>> explorer.geometry.out_shape, explorer.grid.ranges["stride"]
    ((4, 4), range(1, 4))
    >>> explore(input_shape=4, kernel_shape=3, dims=(1,)).geometry.out_shape
    (7,)
    """
    return page(input, kernel, sliders=sliders, dims=dims, **problem)
