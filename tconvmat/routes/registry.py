"""The routes of ``y = Cᵀx`` in one registry: what each computes, where it serves, what it holds.

A :class:`Route` pairs a route's function with its domain (which geometries it can
serve, and why not the others) and its working memory (elements allocated, known before
any work). ``method="auto"`` (:func:`tconvmat.routes.choose.choose_method`) only takes
routes whose domain admits the geometry, and an explicit ``method=`` outside its domain
is refused with the rule. A new route is one module plus one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.routes import compiled, cost, dilate, fused, matrix, polyphase, scatter

__all__ = ["ROUTES", "Route", "refusal"]

RouteFunction = Callable[[Geometry, np.ndarray, np.ndarray], np.ndarray]


def everywhere(geometry: Geometry) -> str | None:
    """The domain of a route that serves every geometry."""
    return None


@dataclass(frozen=True)
class Route:
    """One route: its function, its domain and its working memory.

    Attributes
    ----------
    function : callable
        ``function(geometry, x, weight)``: batched x, a weight read by
        :func:`tconvmat.core.kernels.weight`, both already in the result's dtype.
    principle : str
        What the route computes, in one line.
    working : callable
        ``working(geometry, batch)``: elements the route allocates (the output included).
    domain : callable
        ``domain(geometry)``: ``None`` where the route serves, else the reason it cannot
        (the geometry's property and the rule).
    """

    function: RouteFunction
    principle: str
    working: Callable[[Geometry, int], int]
    domain: Callable[[Geometry], str | None] = everywhere


ROUTES: dict[str, Route] = {
    "matrix": Route(matrix.transpose, "Cᵀ @ x with the sparse matrix C", cost.matrix_elements),
    "scatter": Route(
        scatter.scatter,
        "every input stamps value·kernel at its strided, dilated place; overlaps add",
        cost.scatter_elements,
    ),
    "dilate": Route(
        dilate.dilate,
        "zeros inserted between inputs, padded, correlated with the flipped kernel",
        cost.dilate_elements,
    ),
    "polyphase": Route(
        polyphase.polyphase,
        "prod(stride) phases, each a stride-1 correlation with its sub-kernel reversed",
        cost.polyphase_elements,
    ),
}
"""Route name → :class:`Route`, each written from its own principle."""
if compiled.AVAILABLE:  # the compiled route exists where numba does (tconvmat[fast])
    ROUTES["fused"] = Route(
        fused.transpose,
        "the phases in compiled loops, each output row written once",
        cost.fused_elements,
        fused.domain,
    )


def refusal(method: str, geometry: Geometry) -> str | None:
    """The message refusing ``method`` for ``geometry``, or ``None`` where it serves.

    Examples
    --------
    >>> refusal("scatter", Geometry((3,), (2,))) is None
    True
    """
    reason = ROUTES[method].domain(geometry)
    if reason is None:
        return None
    serving = [name for name, route in ROUTES.items() if route.domain(geometry) is None]
    return (
        f"method={method!r} cannot serve this geometry: {reason}; "
        f"use one of {', '.join(map(repr, serving))} or method='auto'"
    )
