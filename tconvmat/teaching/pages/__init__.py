"""The explorable page: linked views of one transposed convolution, with sliders.

:func:`page` builds a :class:`Page`: the input x, the kernel, the scatter canvas with its
crop, the output y, C and Cᵀ, the zero-insertion grid and the phases, where pointing at
any number frames everything it is made of or makes. Every state is computed by the
engine when the page is written (:mod:`tconvmat.teaching.pages.state`); the page's script only
draws and highlights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tconvmat.problem import WORKED_PADDING, WORKED_STRIDE, Problem
from tconvmat.teaching.pages.document import MAX_BYTES, Page, check_size
from tconvmat.teaching.pages.sliders import DEFAULT_RANGES, SLIDERS, Grid, slider_values
from tconvmat.teaching.pages.state import VIEWS, check_showable

if TYPE_CHECKING:
    from tconvmat.api import ConvTranspose

__all__ = ["DEFAULT_RANGES", "MAX_BYTES", "SLIDERS", "VIEWS", "Page", "page", "page_of"]


def page(
    input: Any = None,
    kernel: Any = None,
    *,
    input_shape: Any = None,
    kernel_shape: Any = None,
    stride: Any = WORKED_STRIDE,
    padding: Any = WORKED_PADDING,
    dilation: Any = 1,
    output_padding: Any = 0,
    geometry: ConvTranspose | None = None,
    sliders: bool | Mapping[str, Any] = True,
    dims: tuple[int, ...] | None = None,
    limit: int | None = None,
) -> Page:
    """The explorable page of one problem (the worked example by default).

    Parameters
    ----------
    input, kernel, input_shape, kernel_shape, stride, padding, dilation, output_padding, geometry
        The problem, as for :func:`tconvmat.explain` (one channel, 1-D or 2-D).
    sliders : bool or dict
        True: sliders over :data:`DEFAULT_RANGES` (each widened to hold the problem's
        value); a dict such as ``{"input size": range(1, 9)}`` changes some ranges;
        False: the problem alone.
    dims : tuple of int, optional
        Which numbers of dimensions the sliders offer: ``(1, 2)``, ``(1,)`` or ``(2,)``;
        by default both when the problem sits inside :data:`DEFAULT_RANGES`, else its own.
    limit : int, optional
        Largest page in bytes (:data:`MAX_BYTES` by default).

    Returns
    -------
    Page
        ``.save(path)`` writes one self-contained HTML file; Jupyter shows it inline.

    Raises
    ------
    ValueError
        Invalid parameters (the library's message), 3-D problems, channels, symbols,
        or a slider grid above the page budget.

    Examples
    --------
    >>> p = page(sliders=False)
    >>> p.geometry.out_shape
    (4, 4)
    >>> p.data["states"]["given"]["sums"][5]
    'y[1,1] = w[0,0]·x[1,1] = 1·5 = 5'
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
        geometry=geometry,
    )
    return page_of(problem, sliders=sliders, dims=dims, limit=limit)


def page_of(
    problem: Problem,
    *,
    sliders: bool | Mapping[str, Any] = True,
    dims: tuple[int, ...] | None = None,
    limit: int | None = None,
) -> Page:
    """The page of a ready :class:`~tconvmat.problem.Problem` (see :func:`page`)."""
    check_showable(problem)
    check_size(problem, limit)  # before any slider position is weighed
    if sliders is False or sliders is None:
        return Page(problem, limit=limit)
    if slider_values(problem) is None:
        note = (
            "No sliders: they describe square problems with one value per parameter and the "
            "same padding on both sides; this one differs, so the page shows it alone."
        )
        return Page(problem, note=note, limit=limit)
    ranges = None if sliders is True else sliders
    return Page(problem, Grid.around(problem, ranges, dims), limit=limit)
