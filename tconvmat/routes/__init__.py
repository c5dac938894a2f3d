"""The transposed convolution by any of its independent routes, and the forward convolution.

One registry, :data:`ROUTES` (:mod:`tconvmat.routes.registry`), maps each route's
name to its function, its domain and its working memory; a new route is one module
plus one entry. Every route takes a batched input ``(batch, in_channels, *in_shape)``
and a weight already read by :func:`tconvmat.core.kernels.weight` (PyTorch's layout, the
scatter's orientation), and returns ``(batch, out_channels, *out_shape)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from tconvmat.core import arrays, budget, kernels, structure, validation
from tconvmat.core.geometry import Geometry
from tconvmat.core.optional import require
from tconvmat.routes import compiled, forward, fused, matrix
from tconvmat.routes.choose import choose_method
from tconvmat.routes.compiled import interpreted
from tconvmat.routes.cost import working_elements
from tconvmat.routes.registry import ROUTES, Route, refusal

__all__ = [
    "CONV_METHODS",
    "METHODS",
    "ROUTES",
    "Route",
    "apply",
    "choose_method",
    "conv",
    "interpreted",
]

METHODS = tuple(ROUTES)
"""Names of the independent routes that compute ``y = Cᵀx``."""

ConvRoute = Callable[[Geometry, np.ndarray, np.ndarray], np.ndarray]

CONV_ROUTES: dict[str, ConvRoute] = {"direct": forward.correlate, "matrix": matrix.forward}
"""Route name → function computing the forward convolution ``x = C y``."""
if compiled.AVAILABLE:
    CONV_ROUTES["fused"] = fused.conv

CONV_METHODS = tuple(CONV_ROUTES)


INT64_MAX = arrays.INT64_MAX


def _exact_bound(geometry: Geometry, data: np.ndarray, weight: np.ndarray, terms: int) -> None:
    """Refuse integer data whose exact result might not fit int64 (known from magnitudes)."""
    bound = arrays.magnitude(data) * arrays.magnitude(weight) * max(terms, 1)
    if bound > INT64_MAX:
        raise ValueError(
            f"integer data: an output can reach max|x|·max|w|·(terms per output {terms}) = "
            f"{bound:,}, beyond int64's {INT64_MAX:,}, so the exact result may not fit; "
            "convert to float64 (rounded) or use symbolic_apply (exact integers of any size)"
        )


def _available(method: Any) -> Any:
    """``method``; a compiled route without numba is one line with the install command."""
    if method == "fused" and not compiled.AVAILABLE:
        require("numba", 'method="fused"')
    return method


def apply(
    geometry: Geometry, x: Any, kernel: Any, method: str = "auto", *, limit: int | None = None
) -> np.ndarray:
    """The transposed convolution ``y = Cᵀx``.

    Parameters
    ----------
    geometry : Geometry
        The geometry.
    x : array_like
        Input of shape ``(batch, in_channels, *in_shape)``, ``(in_channels,
        *in_shape)``, or ``in_shape`` with one input channel.
    kernel : array_like
        Weight ``(in_channels, out_channels // groups, *kernel_shape)``, or
        ``kernel_shape`` with one input and one output channel.
    method : {'auto', 'matrix', 'scatter', 'dilate', 'polyphase', 'fused'}
        The route, each written from its own principle (``'auto'``, the
        default, picks one by :func:`choose_method`):

        - ``'matrix'``: ``Cᵀ @ x`` with the sparse matrix C;
        - ``'scatter'``: every input value stamps ``value·kernel`` into the
          uncropped output at its strided, dilated place; overlaps add; the
          crops apply;
        - ``'dilate'``: insert ``s - 1`` zeros between input values, pad by
          ``d·(k - 1) - crop`` and correlate with the flipped kernel at stride 1;
        - ``'polyphase'``: the output splits into ``prod(stride)`` phases, each
          a stride-1 correlation of x with a sub-kernel;
        - ``'fused'`` (with numba, ``tconvmat[fast]``): the phases in compiled loops,
          each output row accumulated over contiguous input rows and written once.
    limit : int, optional
        Most elements the route may allocate (default ``budget.LIMITS['elements']``);
        larger problems raise :class:`tconvmat.core.budget.SizeError` before any work.

    Returns
    -------
    numpy.ndarray
        The output in the input's layout with ``out_channels``. Integer data
        (signed or unsigned, any width) give exact int64 results on every route;
        float32 stays float32; complex stays complex. NaN and infinity propagate as
        in PyTorch: only products of an input with a tap that lands inside the output
        are formed (``0·inf`` at a cropped or zero border gives no NaN).

    Raises
    ------
    ValueError
        ``method`` outside the route's domain (the rule is named), integer data whose
        exact result might not fit int64, or an unsigned value above int64's maximum.
    TypeError
        Object, boolean, float16 or masked arrays (for symbols, use the symbolic routes).
    tconvmat.core.budget.SizeError
        The route's working memory above the budget, known before any work.

    Examples
    --------
    >>> g = Geometry((2,), (2,), stride=2)
    >>> apply(g, [1, 10], [1, 2], method="scatter")
    array([ 1,  2, 10, 20])
    """
    method = validation.choice("method", _available(method), ("auto", *METHODS))
    weight = kernels.weight(geometry, kernel)
    batch, restore = arrays.batched(
        geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
    )
    if method == "auto":
        method = choose_method(geometry, batch.shape[0])
    refused = refusal(method, geometry)
    if refused is not None:
        raise ValueError(refused)
    if method == "matrix":
        budget.check_nnz("C", structure.nnz(geometry), limit)
    route = ROUTES[method]
    need = working_elements(geometry, batch.shape[0], method)
    budget.check_elements(f"the {method} route", need, limit)
    dtype = arrays.result_dtype(batch, weight)
    if dtype.kind == "i":
        taps = math.prod(int(a.tap_counts().max(initial=0)) for a in geometry.axes)
        _exact_bound(geometry, batch, weight, taps * (geometry.in_channels // geometry.groups))
    with np.errstate(invalid="ignore"):  # inf·0 = NaN propagates as in PyTorch, unannounced
        y = route.function(
            geometry, batch.astype(dtype, copy=False), weight.astype(dtype, copy=False)
        )
    return restore(y)


def conv(
    geometry: Geometry, y: Any, kernel: Any, method: str = "direct", *, limit: int | None = None
) -> np.ndarray:
    """The forward convolution ``x = C @ y`` whose transpose the geometry describes.

    Parameters
    ----------
    geometry : Geometry
        The geometry; ``y`` has its ``out_shape`` and the result its ``in_shape``.
    y : array_like
        ``(batch, out_channels, *out_shape)``, ``(out_channels, *out_shape)``, or
        ``out_shape`` with one channel.
    kernel : array_like
        The same weight as for :func:`apply`.
    method : {'direct', 'matrix', 'fused', 'auto'}
        ``'direct'`` slides the kernel over the padded ``y`` (PyTorch's
        cross-correlation); ``'matrix'`` computes ``C @ y``; ``'fused'`` (with numba)
        writes each input row once from compiled loops; ``'auto'`` takes ``'fused'``
        where the cost model of the transposed route says so, else ``'direct'``.
    limit : int, optional
        Most elements the route may allocate, as for :func:`apply`.

    Examples
    --------
    >>> g = Geometry((2,), (2,), stride=2)
    >>> conv(g, [1, 2, 3, 4], [1, 10])
    array([21, 43])
    """
    method = validation.choice("method", _available(method), ("auto", *CONV_METHODS))
    weight = kernels.weight(geometry, kernel)
    batch, restore = arrays.batched(
        geometry, "y", y, geometry.out_shape, geometry.out_channels, geometry.in_channels
    )
    if method == "auto":
        method = "fused" if fused.worth_it(geometry, batch.shape[0]) else "direct"
    if method == "fused" and fused.domain(geometry) is not None:
        raise ValueError(
            f"method='fused' cannot serve this geometry: {fused.domain(geometry)}; "
            "use 'direct' or 'matrix'"
        )
    n = batch.shape[0]
    if method == "matrix":
        budget.check_nnz("C", structure.nnz(geometry), limit)
    windows = n * geometry.in_channels * math.prod(geometry.in_shape)
    windows *= geometry.out_channels // geometry.groups * math.prod(geometry.kernel_shape)
    budget.check_elements("the forward convolution's windows", windows, limit)
    dtype = arrays.result_dtype(batch, weight)
    if dtype.kind == "i":
        terms = math.prod(geometry.kernel_shape) * (geometry.out_channels // geometry.groups)
        _exact_bound(geometry, batch, weight, terms)
    with np.errstate(invalid="ignore"):
        x = CONV_ROUTES[method](
            geometry, batch.astype(dtype, copy=False), weight.astype(dtype, copy=False)
        )
    return restore(x)
