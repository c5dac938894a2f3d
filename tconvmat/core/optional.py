"""Optional dependencies, imported only where used; a missing one is one line with the install.

tconvmat's core needs NumPy, SciPy, SymPy, matplotlib, Pillow, rich and
markdown-it-py. The rest is optional, and every place that imports an optional
package does it through :func:`require`, so a missing one always reads the same:
``WHAT needs PACKAGE, which is not installed: INSTALL COMMAND``.
:class:`MissingDependency` is both an ``ImportError`` (what Python code
expects) and a ``ValueError`` (what the command line prints as ``tconvmat:
error: ...`` with exit status 2).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["INSTALL", "MissingDependency", "require"]

INSTALL = {
    "onnx": 'pip install onnx (in tconvmat\'s source folder: pip install -e ".[onnx]")',
    "onnxruntime": "pip install onnxruntime",
    "numba": 'pip install numba (in tconvmat\'s source folder: pip install -e ".[fast]")',
    "ipywidgets": "pip install ipywidgets",
    "torch": "pip install torch --index-url https://download.pytorch.org/whl/cpu",
    "jax": 'pip install "jax[cpu]"',
    "keras": 'pip install keras jax (and set KERAS_BACKEND="jax")',
    "tensorflow": "pip install tensorflow-cpu",
}
"""The install command of each optional package (``pip install PACKAGE`` for others)."""


class MissingDependency(ImportError, ValueError):
    """An optional package is not installed; the message says how to install it."""


def require(module: str, what: str) -> Any:
    """Import ``module`` or raise :class:`MissingDependency` naming ``what`` needs it.

    Examples
    --------
    >>> require("math", "counting").sqrt(4)
    2.0
    >>> require("no_such_framework", "reading it")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tconvmat.core.optional.MissingDependency: reading it needs no_such_framework, ...
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        top = module.split(".")[0]
        how = INSTALL.get(top, f"pip install {top}")
        raise MissingDependency(
            f"{what} needs {top}, which is not installed: {how}", name=top
        ) from None
