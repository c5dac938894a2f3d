"""How an axis and a per-axis value are written: ``rows``, ``axis 0 (vertical)``, ``1 row``,
``2 on axis 0 (vertical), 1 on axis 1 (horizontal)``, ``3,2 (axes 0,1)``.

Part of the one notation of :mod:`tconvmat.text.notation`, which re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AXIS_DIRECTIONS",
    "AXIS_NAMES",
    "axis_items",
    "axis_label",
    "axis_names",
    "counted",
    "pads",
    "per_axis",
    "per_axis_short",
]


AXIS_NAMES = {1: ("positions",), 2: ("rows", "columns"), 3: ("slices", "rows", "columns")}
"""What the axes are called, by number of spatial dimensions."""


def axis_names(ndim: int) -> tuple[str, ...]:
    """``('rows', 'columns')`` for 2-D; ``axis 0, axis 1, …`` beyond 3-D."""
    named = AXIS_NAMES.get(ndim)
    return named if named is not None else tuple(f"axis {a}" for a in range(ndim))


AXIS_DIRECTIONS = {2: ("vertical", "horizontal"), 3: ("depth", "vertical", "horizontal")}
"""Which way each axis runs on the page, so that a per-axis value cannot be misread."""


def axis_label(a: int, ndim: int) -> str:
    """``axis 0 (vertical)``: an axis by its number and the way it runs.

    Examples
    --------
    >>> axis_label(0, 2), axis_label(2, 3), axis_label(4, 5)
    ('axis 0 (vertical)', 'axis 2 (horizontal)', 'axis 4')
    """
    directions = AXIS_DIRECTIONS.get(ndim)
    return f"axis {a}" + (f" ({directions[a]})" if directions else "")


def axis_items(ndim: int) -> tuple[str, ...]:
    """What one step along each axis is: ``('row', 'column')`` in 2-D (so that "1 row cut"
    cannot be misread the way "1 cut along rows" can).

    Examples
    --------
    >>> axis_items(1), axis_items(3), axis_items(4)[0]
    (('position',), ('slice', 'row', 'column'), 'step on axis 0')
    """
    items = {1: ("position",), 2: ("row", "column"), 3: ("slice", "row", "column")}
    return items.get(ndim, tuple(f"step on axis {a}" for a in range(ndim)))


def counted(n: int, noun: str) -> str:
    """``1 row``, ``2 rows``, ``2 steps on axis 4``.

    Examples
    --------
    >>> counted(1, "row"), counted(2, "column"), counted(2, "step on axis 4")
    ('1 row', '2 columns', '2 steps on axis 4')
    """
    if n == 1:
        return f"1 {noun}"
    first, _, rest = noun.partition(" ")
    return f"{n} {first}s" + (f" {rest}" if rest else "")


def per_axis(values: Sequence[Any], ndim: int | None = None) -> str:
    """``2`` when every axis has the same value, else ``2 on axis 0 (vertical), 1 on axis 1
    (horizontal)``: "along rows" could mean either way.

    Examples
    --------
    >>> per_axis([2, 2]), per_axis([2, 1])
    ('2', '2 on axis 0 (vertical), 1 on axis 1 (horizontal)')
    """
    values = list(values)
    if len(set(map(str, values))) == 1:
        return str(values[0])
    n = ndim or len(values)
    return ", ".join(f"{v} on {axis_label(a, n)}" for a, v in enumerate(values))


def per_axis_short(values: Sequence[Any]) -> str:
    """``3`` when every axis agrees, else the command line's form with the axes named:
    ``3,2 (axes 0,1)`` (for labels, where :func:`per_axis` is too long).

    Examples
    --------
    >>> per_axis_short([3, 3]), per_axis_short([3, 2])
    ('3', '3,2 (axes 0,1)')
    """
    values = list(values)
    if len(set(map(str, values))) == 1:
        return str(values[0])
    axes = ",".join(str(a) for a in range(len(values)))
    return f"{','.join(map(str, values))} (axes {axes})"


def pads(geometry: Any) -> str:
    """Padding in short: ``1``, one value per axis as :func:`per_axis_short` writes it, or
    ``2:1,0:1 (low:high per axis)`` when the two sides differ."""
    if all(lo == hi for lo, hi in geometry.padding):
        return per_axis_short([lo for lo, _ in geometry.padding])
    return ",".join(f"{lo}:{hi}" for lo, hi in geometry.padding) + " (low:high per axis)"
