"""How a chunk of slider states travels inside the page: each value once, JSON, gzip, base64.

The states of one chunk (one number of dimensions, input size and kernel size) repeat
much of each other: the input and kernel, the colours, and, across padding and
output_padding, the stamps, the canvas and where the pairs land on it (:data:`SHARED`).
:func:`pack` writes such a field once: a later state that holds the same value holds
``{"same": key}``, the key of the first state with it (the page's script and
:func:`unpack` put the value back).
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["pack", "share", "unpack", "unshare"]

LEVEL = 5
"""gzip's level: with each value once, the default page is as small as level 6 made it
before, in two thirds of the time."""
SAME = "same"
"""The one key of a reference to an earlier state's field."""
SHORTEST = 4
"""Shorter lists are written out (a reference would not be shorter)."""
SHARED = (
    ("stamp_text",),
    ("value", "x"),
    ("value", "kernel"),
    ("value", "canvas"),
    ("pairs", "taps"),
    ("pairs", "canvas"),
    ("colors", "taps"),
    ("colors", "phases"),
)
"""The fields that repeat within a chunk (``value.canvas`` is ``state["value"]["canvas"]``):
the input and kernel everywhere, the stamps and the canvas across padding and
output_padding."""


def share(states: dict[str, Any]) -> dict[str, Any]:
    """``states`` with each :data:`SHARED` field that an earlier state holds as a reference.

    Examples
    --------
    >>> a = {"stamp_text": ["x[0] = 1 …"] * 4, "value": {"x": [1, 2, 3, 4]}}
    >>> b = {"stamp_text": ["x[0] = 1 …"] * 4, "value": {"x": [1, 2, 3, 5]}}
    >>> share({"a": a, "b": b})["b"]
    {'stamp_text': {'same': 'a'}, 'value': {'x': [1, 2, 3, 5]}}
    """
    first: dict[tuple[str, ...], dict[Any, str]] = {path: {} for path in SHARED}
    result: dict[str, Any] = {}
    for name, state in states.items():
        if "error" in state:
            result[name] = state
            continue
        copy: dict[str, Any] = {f: dict(v) if isinstance(v, dict) else v for f, v in state.items()}
        for path, seen in first.items():
            holder: dict[str, Any] = copy if len(path) == 1 else copy.get(path[0], {})
            value = holder.get(path[-1])
            if value is not None and len(value) >= SHORTEST:
                earlier = seen.setdefault(_identity(value), name)
                if earlier != name:
                    holder[path[-1]] = {SAME: earlier}
        result[name] = copy
    return result


def _identity(value: Sequence[Any]) -> tuple[Any, ...]:
    """A hashable stand-in for a list of numbers or strings, or of lists of them."""
    if isinstance(value[0], list):
        return tuple(map(tuple, value))
    return tuple(value)


def unshare(states: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`share`, in place: each reference becomes the value it names."""
    for state in states.values():
        for field, value in state.items():
            if isinstance(value, dict) and SAME in value:
                state[field] = states[value[SAME]][field]
            elif isinstance(value, dict):
                for inner, v in value.items():
                    if isinstance(v, dict) and SAME in v:
                        value[inner] = states[v[SAME]][field][inner]
    return states


def pack(states: dict[str, Any]) -> str:
    """:func:`share`, JSON, gzip (no timestamp, so the same page gives the same bytes), base64."""
    text = json.dumps(
        share(states), ensure_ascii=False, separators=(",", ":"), check_circular=False
    )
    packed = gzip.compress(text.encode("utf-8"), LEVEL, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def unpack(text: str) -> dict[str, Any]:
    """The inverse of :func:`pack` (for tests and scripts; the page's script does the same)."""
    return unshare(json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8")))
