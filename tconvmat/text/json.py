"""Strict JSON: what every ``--json`` and ``to_json()`` writes.

JSON has no NaN or infinity (``json.dumps`` writes the bare words ``NaN`` and
``Infinity`` by default, which JavaScript's ``JSON.parse`` and most parsers
refuse). Here a non-finite number is written as the *string* ``"NaN"``,
``"Infinity"`` or ``"-Infinity"`` (JavaScript's ``Number()`` and Python's
``float()`` read each back), integers stay exact, complex numbers and SymPy
values become their text, and NumPy arrays become nested lists.

Examples
--------
>>> import numpy as np
>>> dumps({"y": np.array([1.5, np.nan, -np.inf]), "n": np.int64(3)}, indent=None)
'{"y": [1.5, "NaN", "-Infinity"], "n": 3}'
"""

from __future__ import annotations

import json
import math
import numbers
from typing import Any

__all__ = ["dumps", "plain"]

NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
"""How a non-finite float is written: JavaScript's names, as strings."""


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: dicts, lists, str, int, finite float, bool, None.

    Examples
    --------
    >>> plain([float("inf"), 2.0, (1, 2j)])
    ['Infinity', 2.0, [1, '2j']]
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0:  # NumPy arrays
        return plain(value.tolist())
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and not type(value).__module__.startswith("sympy"):
        number = float(value)
        return number if math.isfinite(number) else NON_FINITE[repr(number)]
    if hasattr(value, "item") and not isinstance(value, numbers.Number):  # 0-d arrays
        return plain(value.item())
    return str(value)


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """Strict JSON text of ``value`` (see :func:`plain`); non-ASCII kept as it is."""
    return json.dumps(plain(value), indent=indent, ensure_ascii=False, allow_nan=False)
