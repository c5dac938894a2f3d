"""The one notation (:mod:`tconvmat._text`) for many entries at once, for the page's states.

A slider grid writes about two hundred thousand numbers and positions: here each array is
written in one pass, each distinct number once, and each grid's positions once per shape.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import numpy as np

from tconvmat import _text

__all__ = ["positions", "values"]


def values(array: Any, digits: int = _text.TEXT_DIGITS) -> list[str]:
    """Every entry of an array, row-major, each written as :func:`tconvmat._text.value` writes it.

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
        return list(map(str, items))  # _text.value writes an integer as str() does
    written: dict[Any, str] = {}
    result = []
    for v in items:
        text = written.get(v) if isinstance(v, float) else None
        if text is None:
            text = _text.value(v, digits)
            if isinstance(v, float):
                written[v] = text
        result.append(text)
    return result


@functools.lru_cache(maxsize=1024)
def positions(shape: tuple[int, ...]) -> tuple[str, ...]:
    """Every position of a grid, row-major, as :func:`tconvmat._text.position` writes it.

    Examples
    --------
    >>> positions((2, 2))
    ('[0,0]', '[0,1]', '[1,0]', '[1,1]')
    """
    labels = itertools.product(*(map(str, range(int(n))) for n in shape))
    return tuple("[" + ",".join(label) + "]" for label in labels)
