"""Whether compiled kernels (numba, ``tconvmat[fast]``) exist here and may run now.

The kernels live in :mod:`tconvmat.routes._fused_kernels` and
:mod:`tconvmat.routes._col2im`, imported only when used. numba compiles each kernel
once per machine and data type and keeps the result on disk (``cache=True``: in the
package's ``__pycache__``, or under ``NUMBA_CACHE_DIR``), so a later process loads it
instead of compiling. Inside :func:`interpreted` no compiled kernel runs at all (the
explanation, whose numbers must come without a compilation, works inside it).
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
from collections.abc import Iterator

__all__ = ["AVAILABLE", "MAX_DIMS", "MIN_OUTPUTS", "allowed", "interpreted", "worth_loading"]

AVAILABLE = importlib.util.find_spec("numba") is not None
"""Whether numba can be imported (checked without importing it)."""

MAX_DIMS = 3
"""The compiled kernels bring every problem to three spatial axes; more they cannot serve."""

MIN_OUTPUTS = 2**15
"""Below this many output elements no compiled kernel runs unless asked for by name:
importing numba and loading a kernel from its cache takes about 0.5 s the first time in
a process (compiling, once per machine, a few seconds), which NumPy needs for none of
these problems."""

_ALLOWED = contextvars.ContextVar("tconvmat_compiled_allowed", default=True)


def allowed() -> bool:
    """Whether a compiled kernel may run here and now (numba installed, not interpreted)."""
    return AVAILABLE and _ALLOWED.get()


def worth_loading(outputs: int) -> bool:
    """Whether a problem with ``outputs`` output elements may use a compiled kernel unasked."""
    return allowed() and outputs >= MIN_OUTPUTS


@contextlib.contextmanager
def interpreted() -> Iterator[None]:
    """Within this block no compiled kernel runs (and so nothing is compiled).

    ``method="auto"`` then takes a NumPy route, and the scatter places its stamps
    with NumPy; an explicit ``method="fused"`` is refused.

    Examples
    --------
    >>> with interpreted():
    ...     allowed()
    False
    """
    token = _ALLOWED.set(False)
    try:
        yield
    finally:
        _ALLOWED.reset(token)
