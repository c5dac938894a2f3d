"""Parsing of command-line values: numbers and shapes, never evaluated as code.

Grids are written row by row: ``,`` separates values, ``;`` separates rows
and ``|`` separates the 2-D slices of a 3-D grid, e.g. ``"1,2;3,4"`` or
``"1,2;3,4|5,6;7,8"``. A 1-D grid is ``"1,2,3"``.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_SPECIAL = {"nan": float("nan"), "inf": float("inf"), "+inf": float("inf"), "-inf": float("-inf")}
INT64 = 2**63 - 1
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
_FRACTION = re.compile(r"[+-]?[0-9]+/[0-9]+\Z")
_SYMBOL = re.compile(r"([+-]?)([A-Za-z][A-Za-z0-9_]*)\Z")


def number(text: str, name: str) -> int | float:
    """Parse one number: ``3``, ``-0.5``, ``1e-3``, ``2/3``, ``nan``, ``inf``, ``-inf``.

    Integers must fit int64 and decimals float64; a zero denominator is refused.
    """
    token = text.strip()
    if token.lower() in _SPECIAL:
        return _SPECIAL[token.lower()]
    if _INTEGER.match(token):
        value = int(token)
        if abs(value) > INT64:
            raise ValueError(f"{name}: {token} is beyond int64 (±{INT64}); write it as a decimal")
        return value
    if _DECIMAL.match(token):
        decimal = float(token)
        if decimal in (float("inf"), float("-inf")):
            raise ValueError(f"{name}: {token} is beyond float64's range (about ±1.8e308)")
        return decimal
    if _FRACTION.match(token):
        if int(token.split("/")[1]) == 0:
            raise ValueError(f"{name}: {token} divides by zero")
        return float(Fraction(token))
    raise ValueError(
        f"{name}: {token!r} is not a number or a symbol name (write e.g. 3, -0.5, 1e-3, a, w1)"
    )


def _split(text: str, separators: str) -> list | str:
    if not separators:
        return text
    head, rest = separators[0], separators[1:]
    return [_split(part, rest) for part in text.split(head)]


def grid_tokens(text: str, name: str) -> np.ndarray:
    """Split a grid into a rectangular array of string tokens."""
    if not text.strip():
        raise ValueError(f"{name} is empty; write values like '1,2;3,4'")
    separators = "|;,"
    depth = 3 if "|" in text else 2 if ";" in text else 1
    nested = _split(text, separators[3 - depth :])
    try:
        tokens = np.array(nested, dtype=object)
    except ValueError:
        tokens = None
    if tokens is None or tokens.ndim != depth:
        raise ValueError(
            f"{name} {text!r} is not rectangular: every row needs the same number of values"
        )
    return np.vectorize(str.strip, otypes=[object])(tokens)


def numeric_grid(text: str, name: str) -> np.ndarray:
    """Parse a grid of numbers; integers stay integers (exact results)."""
    tokens = grid_tokens(text, name)
    values = [number(token, name) for token in tokens.reshape(-1)]
    dtype = np.int64 if all(isinstance(v, int) for v in values) else np.float64
    return np.array(values, dtype=dtype).reshape(tokens.shape)


def value_grid(text: str, name: str) -> np.ndarray:
    """Parse a grid of numbers and symbol names (``a``, ``-w1``): numeric or SymPy objects.

    Symbol names become ``sympy.Symbol`` by name; nothing is evaluated.
    Without any symbol the result is the numeric grid of :func:`numeric_grid`.
    """
    tokens = grid_tokens(text, name)
    symbols = [t for t in tokens.reshape(-1) if _SYMBOL.match(t) and t.lower() not in _SPECIAL]
    if not symbols:
        return numeric_grid(text, name)
    import sympy

    values = []
    for token in tokens.reshape(-1):
        match = _SYMBOL.match(token) if token.lower() not in _SPECIAL else None
        if match:
            symbol = sympy.Symbol(match.group(2))
            values.append(-symbol if match.group(1) == "-" else symbol)
        elif _FRACTION.match(token.strip()):
            number(token, name)  # refuses a zero denominator
            values.append(sympy.Rational(token.strip()))
        else:
            values.append(sympy.sympify(number(token, name)))
    return np.array(values, dtype=object).reshape(tokens.shape)


def shape(text: str, name: str) -> tuple[int, ...]:
    """Parse ``3x3`` (or ``3x3x3``, ``5``) into a shape of positive integers."""
    parts = text.lower().split("x")
    if not all(_INTEGER.match(p.strip()) for p in parts):
        raise ValueError(f"{name}: {text!r} is not a shape; write e.g. 3x3")
    dims = tuple(int(p) for p in parts)
    if any(d < 1 for d in dims):
        raise ValueError(f"{name}: every size in {text!r} must be >= 1")
    return dims


def per_axis(text: str, name: str) -> int | tuple[int, ...]:
    """Parse an integer parameter given once (``2``) or per axis (``2,1``)."""
    parts = text.split(",")
    if not all(_INTEGER.match(p.strip()) for p in parts):
        raise ValueError(f"{name}: {text!r} must be an integer or comma-separated integers")
    values = tuple(int(p) for p in parts)
    return values[0] if len(values) == 1 else values


def padding(text: str, name: str = "--padding") -> int | tuple:
    """Parse padding: ``1``, per axis ``1,2``, or per side ``0:1,1:0`` (low:high)."""
    entries = []
    for part in text.split(","):
        sides = part.split(":")
        if len(sides) > 2 or not all(_INTEGER.match(side.strip()) for side in sides):
            raise ValueError(
                f"{name}: {text!r} must be integers per axis (1,2) or low:high pairs (0:1,1:0)"
            )
        values = tuple(int(side) for side in sides)
        entries.append(values if len(values) == 2 else values[0])
    return entries[0] if len(entries) == 1 and not isinstance(entries[0], tuple) else tuple(entries)
