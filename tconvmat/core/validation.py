"""Parsing and checking of user parameters, done once at the boundary.

Every message names the parameter, the value received and the rule, so that a
user can fix the call without reading the source.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

Pair = tuple[int, int]


def as_int(name: str, value: Any) -> int:
    """Return ``value`` as a Python int, refusing bools, floats and strings.

    Anything that is an integer exactly is taken: Python and NumPy integers, and
    0-d integer arrays and tensors (NumPy, PyTorch), which index like one.

    Examples
    --------
    >>> as_int("stride", np.array(2)), as_int("stride", np.int8(3))
    (2, 3)
    >>> as_int("in_shape[0]", 3.0)
    Traceback (most recent call last):
    ...
    TypeError: in_shape[0] must be an integer, got 3.0 of type float
    """
    if type(value) is int:  # the common case, first (bool is a subclass, not this type)
        return value
    if not isinstance(value, bool | np.bool_):
        if isinstance(value, numbers.Integral):
            return int(value)
        if getattr(value, "ndim", None) == 0:
            try:
                return operator.index(value)
            except TypeError:
                pass
    shown = value.item() if getattr(value, "ndim", None) == 0 else value
    kind = type(value).__name__
    if getattr(value, "ndim", None) == 0:
        kind += f" of dtype {value.dtype}"
    raise TypeError(f"{name} must be an integer, got {shown!r} of type {kind}")


def _is_sequence(value: Any) -> bool:
    """Lists, tuples, and arrays or tensors of one or more dimensions (sizes, pairs)."""
    kind = type(value)
    if kind is int:
        return False
    if kind is tuple or kind is list:
        return True
    if (getattr(value, "ndim", 0) or 0) >= 1 and hasattr(value, "tolist"):
        return True
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


is_sequence = _is_sequence
"""Whether a value is a sequence of sizes or pairs (not a string, not a number)."""


def _entries(value: Any) -> list[Any]:
    """The entries of a sequence, arrays and tensors as plain Python numbers and lists."""
    if hasattr(value, "tolist") and not isinstance(value, Sequence):
        entries = value.tolist()
        return entries if isinstance(entries, list) else [entries]
    return list(value)


def per_axis(name: str, value: Any, ndim: int, *, minimum: int) -> tuple[int, ...]:
    """Expand an int or a per-axis sequence to ``ndim`` checked integers.

    Parameters
    ----------
    name : str
        Parameter name used in error messages.
    value : int or sequence of int
        One value for every axis, or one value per axis.
    ndim : int
        Number of spatial axes.
    minimum : int
        Smallest allowed value.
    """
    if _is_sequence(value):
        value = _entries(value)
        if len(value) != ndim:
            raise ValueError(
                f"{name} {tuple(value)!r} has {len(value)} entries but the "
                f"convolution has {ndim} spatial dimension(s); give one int or "
                f"{ndim} ints"
            )
        values = tuple(as_int(f"{name}[{axis}]", v) for axis, v in enumerate(value))
    else:
        values = (as_int(name, value),) * ndim
    for axis, v in enumerate(values):
        if v < minimum:
            where = f"{name}[{axis}]" if _is_sequence(value) else name
            raise ValueError(f"{where} ({v}) must be >= {minimum}")
    return values


def per_side(name: str, value: Any, ndim: int, *, minimum: int | None) -> tuple[Pair, ...]:
    """Expand a padding specification to ``ndim`` (low, high) pairs.

    Accepts an int (every side), a per-axis sequence of ints (both sides of
    that axis), or a per-axis sequence whose entries are ints or (low, high)
    pairs.
    """
    entries = _entries(value) if _is_sequence(value) else [value] * ndim
    if len(entries) != ndim:
        raise ValueError(
            f"{name} {tuple(entries)!r} has {len(entries)} entries but the "
            f"convolution has {ndim} spatial dimension(s); give one int, {ndim} "
            f"ints, or {ndim} (low, high) pairs"
        )
    pairs = []
    for axis, entry in enumerate(entries):
        if _is_sequence(entry):
            if len(entry) != 2:
                raise ValueError(
                    f"{name}[{axis}] {tuple(entry)!r} must be an int or a (low, high) pair"
                )
            pair = (as_int(f"{name}[{axis}][0]", entry[0]), as_int(f"{name}[{axis}][1]", entry[1]))
        else:
            number = as_int(f"{name}[{axis}]" if _is_sequence(value) else name, entry)
            pair = (number, number)
        if minimum is not None and min(pair) < minimum:
            if not _is_sequence(value):
                raise ValueError(f"{name} ({value}) must be >= {minimum}")
            raise ValueError(f"{name}[{axis}] {pair} must be >= {minimum} on both sides")
        pairs.append(pair)
    return tuple(pairs)


def shape(name: str, value: Any, *, minimum: int = 1) -> tuple[int, ...]:
    """Return a shape as a tuple of checked positive ints."""
    value = _entries(value) if _is_sequence(value) else [value]
    if len(value) == 0:
        raise ValueError(f"{name} must have at least one spatial dimension, got ()")
    dims = tuple(as_int(f"{name}[{axis}]", v) for axis, v in enumerate(value))
    for axis, v in enumerate(dims):
        if v < minimum:
            raise ValueError(f"{name}[{axis}] ({v}) must be >= {minimum}")
    return dims


def shapes(in_shape: Any, kernel_shape: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The input and kernel shapes, checked, with the same number of spatial dimensions."""
    in_dims = shape("in_shape", in_shape)
    kernel_dims = shape("kernel_shape", kernel_shape)
    if len(kernel_dims) != len(in_dims):
        raise ValueError(
            f"kernel_shape {kernel_dims} has {len(kernel_dims)} dimension(s) but "
            f"in_shape {in_dims} has {len(in_dims)}; they must have the same number of "
            "spatial dimensions"
        )
    return in_dims, kernel_dims


def choice(name: str, value: Any, allowed: Sequence[str]) -> str:
    """Check that ``value`` is one of ``allowed`` strings."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        spelled = [a for a in allowed if isinstance(value, str) and a.lower() == value.lower()]
        hint = f" (spelled {spelled[0]!r})" if spelled else ""
        raise ValueError(f"{name} must be one of {options}; got {value!r}{hint}")
    return value


def name(parameter: str, value: Any) -> str:
    """Check that ``value`` is a non-empty string (a label such as a framework's name)."""
    if not isinstance(value, str) or not value:
        raise TypeError(f"{parameter} must be a non-empty string, got {value!r}")
    return value
