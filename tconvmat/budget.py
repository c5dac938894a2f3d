"""How large a problem may be, checked before anything is allocated.

One budget for every route and view: the stored entries of C (``nnz``), the
elements of any array a computation allocates (``elements``), and the cells a
table prints (``cells``). Each check names the size, the limit and the way
out; in Python every entry point that allocates takes ``limit=`` to raise (or
lower) its limit for one call, and :data:`LIMITS` holds the defaults.

Examples
--------
>>> check_elements("the output", 10, limit=100)
10
>>> check_elements("the output", 1000, limit=100)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
tconvmat.budget.SizeError: the output would hold 1,000 elements, above the limit of 100; ...
"""

from __future__ import annotations

from typing import Any

__all__ = ["LIMITS", "SizeError", "check", "check_elements", "check_nnz", "limit_of"]

LIMITS = {
    "nnz": 100_000_000,
    "elements": 200_000_000,
    "cells": 2_400,
}
"""Default limits: 10⁸ non-zeros of C (about 1.2 GB as CSR with int32 indices), 2·10⁸
elements per allocated array (1.6 GB of float64), 2400 printed cells (40 × 60)."""

WAY_OUT = {
    "nnz": "use tconvmat.as_linear_operator(geometry, kernel) (matrix-free), pass limit=... to "
    "raise the limit, or on the command line write C with tconvmat matrix --save FILE",
    "elements": "split the batch, use a smaller problem, or pass limit=... to raise the limit",
    "cells": "write it to a file instead (tconvmat matrix --save FILE)",
}


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
    """Raise :class:`SizeError` when ``size`` exceeds the limit of ``kind``; return the size."""
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
