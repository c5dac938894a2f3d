"""The one notation of tconvmat: how a value, a shape, a position and the size formula are written.

The explanation, the figures, the tables, the JSON and the CLI all call these
functions, so a number reads the same everywhere: ``1234.57`` (never
``1.23e+03``) for a float, ``3×3`` for a shape, ``[0,1]`` for a position,
``(3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4`` for the size formula with its
numbers, ``− 2·(−1)`` (never ``− -1``) for a negative padding.

:func:`values` and :func:`positions` write many entries at once, for the page's states
(a slider grid writes about two hundred thousand numbers and positions): each array in one
pass, each distinct number once, each grid's positions once per shape.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from tconvmat.text.axis_words import (
    AXIS_DIRECTIONS,
    AXIS_NAMES,
    axis_items,
    axis_label,
    axis_names,
    counted,
    pads,
    per_axis,
    per_axis_short,
)
from tconvmat.text.size_formulas import (
    conv_size_formula_numbers,
    size_formula,
    size_formula_numbers,
)
from tconvmat.text.stretches import stretches

__all__ = [
    "AXIS_DIRECTIONS",
    "AXIS_NAMES",
    "CONVOLVED",
    "FIGURE_DIGITS",
    "INPUT",
    "KERNEL",
    "OUTPUT",
    "TEXT_DIGITS",
    "article",
    "axis_items",
    "axis_label",
    "axis_names",
    "conv_size_formula_numbers",
    "counted",
    "expression",
    "grid",
    "joined",
    "pad_pairs",
    "pads",
    "per_axis",
    "per_axis_short",
    "phase",
    "phase_condition",
    "position",
    "positions",
    "shape",
    "size_formula",
    "size_formula_numbers",
    "sized",
    "stretches",
    "table",
    "value",
    "values",
]

INPUT, KERNEL, OUTPUT, CONVOLVED = "x", "w", "y", "u"
"""The letters: y = Cᵀx with kernel w (its taps w[…], symbols w_{…}); the convolution it
transposes is x = C·u, u of y's shape. ``k`` is only ever the kernel's *size*."""

TEXT_DIGITS = 6
"""Significant digits of a float in text."""
FIGURE_DIGITS = 3
"""Significant digits of a float in a figure's cell (less room); the same rule otherwise."""


def value(v: object, digits: int = TEXT_DIGITS) -> str:
    """One entry: integers as integers, floats to ``digits`` significant digits, no exponent
    between 0.001 and 10¹⁵ (larger floats round to whole numbers), expressions by
    :func:`expression`.

    Examples
    --------
    >>> value(2.0), value(7), value("3x3"), value(1234.567), value(1234.567, digits=4)
    ('2', '7', '3x3', '1234.57', '1235')
    >>> value(-0.5), value(1 / 3, digits=4), value(2.5e-7), value(9999.7, digits=4)
    ('-0.5', '0.3333', '2.5e-07', '10000')
    """
    if isinstance(v, float | np.floating):
        f = float(v)
        if f == 0:
            return "0"
        text = f"{f:.{digits}g}"
        if np.isfinite(f) and 1 <= abs(f) < 1e15 and ("e" in text or f.is_integer()):
            return str(round(f))
        return text
    if isinstance(v, str | int | np.integer):
        return str(v)
    return expression(v)


def expression(expr: object) -> str:
    """A SymPy expression in the one notation: ``w[1,1]·x[0,0] + …``, ``^`` for powers.

    Examples
    --------
    >>> import sympy
    >>> a, b = sympy.symbols("a b")
    >>> expression(3 * a + b**2)
    '3·a + b^2'
    """
    return str(expr).replace("**", "^").replace("*", "·")


def shape(values: Sequence[int]) -> str:
    """``3×3`` (``5`` in 1-D).

    Examples
    --------
    >>> shape((3, 3)), shape((5,))
    ('3×3', '5')
    """
    return "×".join(str(int(v)) for v in values)


def article(first: int) -> str:
    """``a`` or ``an`` before a number as it is read aloud: an 8, an 11, an 18, a 16.

    Examples
    --------
    >>> [article(n) for n in (1, 8, 11, 16, 18, 80, 800, 11000)]
    ['a', 'an', 'an', 'a', 'an', 'an', 'an', 'an']
    """
    n = abs(int(first))
    while n >= 1000:
        if n // 1000 in (8, 11, 18) or str(n // 1000).startswith("8"):
            return "an"
        n //= 1000
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def sized(noun: str, values: Sequence[int]) -> str:
    """``a 4×4 feature map``, ``an 8×8 output``, ``a feature map of length 8``.

    Examples
    --------
    >>> sized("output", (8, 8)), sized("canvas", (6, 6)), sized("output", (8,))
    ('an 8×8 output', 'a 6×6 canvas', 'an output of length 8')
    """
    if len(values) == 1:
        return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun} of length {values[0]}"
    return f"{article(values[0])} {shape(values)} {noun}"


def joined(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    Examples
    --------
    >>> joined(["slices", "rows", "columns"]), joined(["rows", "columns"])
    ('slices, rows and columns', 'rows and columns')
    """
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def phase(first: Sequence[int], stride: Sequence[int], name: str = "y") -> str:
    """An output phase as a slice: ``y[0::2, 1::2]``; ``:`` along a stride-1 axis.

    Examples
    --------
    >>> phase((0, 1), (2, 2)), phase((1, 0), (2, 1))
    ('y[0::2, 1::2]', 'y[1::2, :]')
    """
    parts = (f"{f}::{s}" if s > 1 else ":" for f, s in zip(first, stride, strict=True))
    return f"{name}[{', '.join(parts)}]"


def phase_condition(m: str, first: int, stride: int, *, latex: bool = False) -> str:
    """Which outputs ``m`` a phase starting at ``first`` holds, in words: ``m_0 even``,
    ``m_0 odd``, ``m_0 ≡ 2 (mod 3)``; ``''`` for stride 1 (every output).

    Examples
    --------
    >>> phase_condition("m_0", 0, 2), phase_condition("m_0", 2, 3), phase_condition("m", 0, 1)
    ('m_0 even', 'm_0 ≡ 2 (mod 3)', '')
    >>> print(phase_condition("m_0", 1, 2, latex=True), phase_condition("m_1", 2, 3, latex=True))
    m_0 \\text{ odd} m_1 \\equiv 2 \\pmod{3}
    """
    if stride == 1:
        return ""
    if stride == 2:
        parity = "even" if first == 0 else "odd"
        return rf"{m} \text{{ {parity}}}" if latex else f"{m} {parity}"
    return rf"{m} \equiv {first} \pmod{{{stride}}}" if latex else f"{m} ≡ {first} (mod {stride})"


def region(name: str, box: Sequence[slice]) -> str:
    """A box of a grid as NumPy slices: ``x[7:10, 7:10]``.

    >>> region("x", (slice(7, 10), slice(0, 3)))
    'x[7:10, 0:3]'
    """
    return f"{name}[{', '.join(f'{b.start}:{b.stop}' for b in box)}]"


def pad_pairs(pads: Sequence[tuple[int, int]]) -> str:
    """Zeros added around a grid, ``(before, after)`` per axis (negative: cut), as the
    polyphase recipe writes them in the text and the figures.

    >>> pad_pairs(((0, 0), (0, -1)))
    '(0, 0), (0, -1)'
    """
    return ", ".join(f"({lo}, {hi})" for lo, hi in pads)


def position(index: tuple[int, ...]) -> str:
    """Grid position label in the one notation of tconvmat's text and figures: ``[0,1]``."""
    return "[" + ",".join(str(int(i)) for i in index) + "]"


def table(
    rows: Sequence[Sequence[object]],
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    blank_zero: bool = False,
) -> str:
    """Right-aligned table; with ``blank_zero`` zeros print as ``·`` so the pattern shows."""
    cells = [[("·" if blank_zero and v == 0 else value(v)) for v in row] for row in rows]
    if col_labels is not None:
        cells.insert(0, list(col_labels))
    if row_labels is not None:
        labels = ([""] if col_labels is not None else []) + list(row_labels)
        cells = [[label, *row] for label, row in zip(labels, cells, strict=True)]
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    return "\n".join(
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    )


def grid(array: Any, first_slice: int = 0, origin: tuple[int, ...] | None = None) -> str:
    """A 1-D, 2-D or 3-D array as rows of values (3-D: its slices, labelled ``slice i:``,
    counted from ``first_slice`` for a box cut from a larger grid).

    A 2-D or 3-D box cut from a larger grid at ``origin`` (its first index on each axis) is
    labelled with the larger grid's row and column numbers, so the box reads in place.

    Examples
    --------
    >>> print(grid(np.array([[1, 2], [3, 4]]), origin=(18, 5)))
         5  6
    18:  1  2
    19:  3  4
    """
    array = np.asarray(array)
    if array.ndim == 1:
        return table([array.tolist()])
    if array.ndim == 2:
        if origin is None:
            return table(array.tolist())
        rows, columns = origin[-2], origin[-1]
        return table(
            array.tolist(),
            row_labels=[f"{rows + r}:" for r in range(array.shape[0])],
            col_labels=[str(columns + c) for c in range(array.shape[1])],
        )
    if origin is not None:
        first_slice = origin[0]
    inner = None if origin is None else origin[1:]
    return "\n\n".join(
        f"slice {first_slice + i}:\n{grid(block, origin=inner)}" for i, block in enumerate(array)
    )


def values(array: Any, digits: int = TEXT_DIGITS) -> list[str]:
    """Every entry of an array, row-major, each written as :func:`value` writes it.

    The same text as ``[value(v) for v in array.flat]``, written once per distinct
    number (a canvas holds many zeros).

    Examples
    --------
    >>> values(np.array([[2.0, 0.5], [0.0, 2.0]])), values([3, -1])
    (['2', '0.5', '0', '2'], ['3', '-1'])
    """
    array = np.asarray(array)
    items = array.reshape(-1).tolist()
    if array.dtype.kind in "iub":
        return list(map(str, items))  # value() writes an integer as str() does
    written: dict[Any, str] = {}
    result = []
    for v in items:
        text = written.get(v) if isinstance(v, float) else None
        if text is None:
            text = value(v, digits)
            if isinstance(v, float):
                written[v] = text
        result.append(text)
    return result


@functools.lru_cache(maxsize=1024)
def positions(shape: tuple[int, ...]) -> tuple[str, ...]:
    """Every position of a grid, row-major, as :func:`position` writes it.

    Examples
    --------
    >>> positions((2, 2))
    ('[0,0]', '[0,1]', '[1,0]', '[1,1]')
    """
    labels = itertools.product(*(map(str, range(int(n))) for n in shape))
    return tuple("[" + ",".join(label) + "]" for label in labels)
