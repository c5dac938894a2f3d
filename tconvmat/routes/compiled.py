"""Whether compiled kernels (numba, ``tconvmat[fast]``) exist here and may run now.

The kernels live in :mod:`tconvmat.routes._fused_kernels` (the fused route's row
kernel and the forward convolution), :mod:`tconvmat.routes._plane_kernels` (its channel
kernel), :mod:`tconvmat.routes._winograd_kernels` (its stride-1 3×3 kernel) and
:mod:`tconvmat.routes._col2im` (the scatter's placement), imported only when
used. When a compile happens: the first time a kernel meets a data type on a machine
(1-3 s each, measured); numba keeps the result on disk (``cache=True``: the package's
``__pycache__`` when it is writable, else numba's user-wide cache, or ``NUMBA_CACHE_DIR``),
and every later process loads it instead (the first load in a process, numba's import
included, about 0.4 s; then 0.01-0.1 s per kernel). A fresh clone or a new numba version
compiles again; :func:`tconvmat.routes.warm.warm` does it ahead of time. Inside
:func:`interpreted` no compiled kernel runs at all (the explanation, whose numbers must
come without a compilation, works inside it).
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib.util
from collections.abc import Iterator

__all__ = [
    "AVAILABLE",
    "MAX_DIMS",
    "MIN_OUTPUTS",
    "allowed",
    "interpreted",
    "worth_loading",
]

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
