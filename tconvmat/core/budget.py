"""How large a problem may be, checked before anything is allocated.

The one budget of tconvmat: every entry point whose work grows with a size
(the routes, C, the symbolic forms, the reports, the explanation, the figures,
the animation, the dot test) computes that size from the geometry first and
passes it here. A size above its limit raises :class:`SizeError` with one
wording everywhere, ``WHAT would hold SIZE UNIT, above the limit of LIMIT;
WAY OUT``, where the way out is something that exists both in Python and on
the command line. In Python, every such entry point takes ``limit=`` to raise
(or lower) its limit for one call; :data:`LIMITS` holds the defaults.

Examples
--------
>>> check_elements("the output", 10, limit=100)
10
>>> check_elements("the output", 1000, limit=100)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tconvmat.core.budget.SizeError: the output would hold 1,000 elements, above the limit of 100; ...
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tconvmat.core.geometry import Geometry

__all__ = [
    "LIMITS",
    "WAY_OUT",
    "SizeError",
    "check",
    "check_dense",
    "check_elements",
    "check_items",
    "check_nnz",
    "check_symbolic",
    "check_view",
    "limit_of",
    "view_size",
]

LIMITS = {
    "nnz": 100_000_000,
    "elements": 200_000_000,
    "cells": 2_400,
    "view": 1_000_000,
    "items": 1_000_000,
    "symbolic": 1_000_000,
    "dense": 1_000_000,
}
"""Default limits, one per kind of size.

- ``nnz``: 10⁸ stored entries of C (about 1.2 GB as CSR with int32 indices);
- ``elements``: 2·10⁸ elements in one array a computation allocates (1.6 GB of float64);
- ``cells``: 2400 printed cells (40 × 60);
- ``view``: 10⁶ elements in the largest array an explanation, a figure or an animation
  shows (a 1000 × 1000 output): these compute y by every route and draw it;
- ``items``: 10⁶ Python values a report holds (per-axis counts, phases);
- ``symbolic``: 10⁶ SymPy terms (entries of C, phases of the general term);
- ``dense``: 10⁶ entries of a dense C whose singular values are computed (1000 × 1000).
"""

WAY_OUT = {
    "nnz": "use tconvmat.as_linear_operator(geometry, kernel) (matrix-free, nothing of this "
    "size stored), a smaller problem, or in Python pass limit=N to raise the limit",
    "elements": "split the batch or use a smaller problem, or in Python pass limit=N to raise "
    "the limit",
    "cells": "write it to a file instead (tconvmat matrix --out FILE, or in Python "
    "scipy.sparse.save_npz)",
    "view": "that is the limit for explanations, figures and animations: explain or draw a "
    "smaller input with the same kernel, stride, padding and dilation (every step is the same "
    "at any size), compute y alone with tconvmat.conv_transpose, or in Python pass limit=N "
    "to raise the limit",
    "items": "use a smaller problem, or in Python pass limit=N to raise the limit",
    "symbolic": "use the numeric routes (matrix, apply), a smaller problem, or in Python "
    "pass limit=N to raise the limit",
    "dense": "use a smaller problem (the singular values need C as a dense array), or in "
    "Python pass limit=N to raise the limit",
}
"""What to do instead, per kind: every way out named here exists."""


class SizeError(ValueError):
    """A problem larger than the budget (a ``ValueError``, so callers that catch those do)."""


def limit_of(kind: str, limit: Any = None) -> int:
    """The limit to apply: ``limit`` when given (a non-negative integer), else the default."""
    if limit is None:
        return LIMITS[kind]
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise TypeError(f"limit must be an integer or None, got {limit!r}")
    if limit < 0:
        raise ValueError(f"limit ({limit}) must be >= 0")
    return limit


def check(what: str, size: int, kind: str, unit: str, limit: Any = None, way_out: str = "") -> int:
    """Raise :class:`SizeError` when ``size`` exceeds the limit of ``kind``; return the size.

    Examples
    --------
    >>> check("the report", 5, "items", "values", limit=4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tconvmat.core.budget.SizeError: the report would hold 5 values, above the limit of 4; use ...
    """
    bound = limit_of(kind, limit)
    if size > bound:
        raise SizeError(
            f"{what} would hold {size:,} {unit}, above the limit of {bound:,}; "
            f"{way_out or WAY_OUT[kind]}"
        )
    return size


def check_elements(what: str, size: int, limit: Any = None) -> int:
    """The array budget: ``size`` elements allocated for ``what``."""
    return check(what, size, "elements", "elements", limit)


def check_nnz(what: str, size: int, limit: Any = None) -> int:
    """The sparse budget: ``size`` stored entries of C."""
    return check(what, size, "nnz", "non-zeros", limit)


def check_items(what: str, size: int, limit: Any = None, way_out: str = "") -> int:
    """The report budget: ``size`` Python values held by ``what``."""
    return check(what, size, "items", "values", limit, way_out)


def check_symbolic(what: str, size: int, unit: str, limit: Any = None) -> int:
    """The SymPy budget: ``size`` symbolic terms built for ``what``."""
    return check(what, size, "symbolic", unit, limit)


def check_dense(what: str, rows: int, columns: int, limit: Any = None) -> int:
    """The dense budget: a ``rows × columns`` dense matrix (and its singular values)."""
    return check(f"{what} ({rows:,} × {columns:,})", rows * columns, "dense", "entries", limit)


def view_size(geometry: Geometry) -> tuple[str, int]:
    """The largest array a view of ``geometry`` shows (input, output or kernel) and its size.

    Counted from the shapes alone, channels included.

    Examples
    --------
    >>> from tconvmat.core.geometry import Geometry
    >>> view_size(Geometry((3, 3), (2, 2), stride=2, padding=1))
    ('output', 16)
    """
    sizes = {
        "output": geometry.out_channels * math.prod(geometry.out_shape),
        "input": geometry.in_channels * math.prod(geometry.in_shape),
        "kernel": math.prod(geometry.weight_shape),
    }
    name = max(sizes, key=lambda n: sizes[n])
    return name, sizes[name]


def check_view(geometry: Geometry, limit: Any = None) -> int:
    """The view budget: an explanation, a figure or an animation of ``geometry``.

    Examples
    --------
    >>> from tconvmat.core.geometry import Geometry
    >>> check_view(Geometry((3,), (3,), stride=10**6))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tconvmat.core.budget.SizeError: the output would hold 2,000,003 elements, above the limit of ...
    """
    name, size = view_size(geometry)
    return check(f"the {name}", size, "view", "elements", limit)
