"""The optional frameworks inspect reads (torch, onnx, keras), imported only when needed.

A missing one is one line with the install command: :class:`MissingDependency` is both an
``ImportError`` (what Python code expects) and a ``ValueError`` (what the command line
prints as ``tconvmat: error: ...`` with exit status 2).
"""

from __future__ import annotations

import importlib
from typing import Any

INSTALL = {
    "onnx": 'pip install "tconvmat[onnx]"',
    "torch": "pip install torch --index-url https://download.pytorch.org/whl/cpu",
    "keras": 'pip install keras jax (and set KERAS_BACKEND="jax")',
}


class MissingDependency(ImportError, ValueError):
    """An optional framework is not installed; the message says how to install it."""


def require(module: str, what: str) -> Any:
    """Import ``module`` or raise :class:`MissingDependency` naming ``what`` needs it.

    Examples
    --------
    >>> require("math", "counting").sqrt(4)
    2.0
    >>> require("no_such_framework", "reading it")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tconvmat.inspection.optional.MissingDependency: reading it needs no_such_framework, ...
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        how = INSTALL.get(top, f"pip install {top}")
        raise MissingDependency(
            f"{what} needs {top}, which is not installed: {how}", name=top
        ) from None
