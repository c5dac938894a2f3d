"""tconvmat: transposed convolution written down as a matrix, y = Cᵀx.

The numeric core (NumPy) loads with the package and SciPy when C is first built;
the SymPy-backed names (``symbolic_apply``, ``latex``, ``output_size``, ...) and the
submodules that draw or convert (``plots``, ``conventions``, ``functional``) load on
first use, so ``import tconvmat`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from tconvmat import _aliases
from tconvmat.api import ConvTranspose, conv_matrix, conv_transpose
from tconvmat.linalg.dottest import dot_test
from tconvmat.linalg.operator import as_linear_operator
from tconvmat.routes import METHODS

if TYPE_CHECKING:
    from tconvmat import conventions, functional
    from tconvmat.analysis import overlap_counts, transpose_versus_inverse
    from tconvmat.analysis.solver import mirror, solve
    from tconvmat.inspection import inspect
    from tconvmat.plots.animation import animate
    from tconvmat.problem import Problem
    from tconvmat.symbolic import (
        adjoint_certificate,
        conv_output_size,
        general_term,
        input_symbols,
        kernel_symbols,
        latex,
        output_size,
        symbolic_apply,
        symbolic_matrix,
    )
    from tconvmat.teaching.explanation import Explanation, explain
    from tconvmat.teaching.explorer import explore
    from tconvmat.teaching.pages import page


_LAZY = {
    "adjoint_certificate": "tconvmat.symbolic",
    "conv_output_size": "tconvmat.symbolic",
    "general_term": "tconvmat.symbolic",
    "input_symbols": "tconvmat.symbolic",
    "kernel_symbols": "tconvmat.symbolic",
    "latex": "tconvmat.symbolic",
    "output_size": "tconvmat.symbolic",
    "symbolic_apply": "tconvmat.symbolic",
    "symbolic_matrix": "tconvmat.symbolic",
    "overlap_counts": "tconvmat.analysis",
    "transpose_versus_inverse": "tconvmat.analysis",
    "mirror": "tconvmat.analysis.solver",
    "solve": "tconvmat.analysis.solver",
    "explain": "tconvmat.teaching.explanation",
    "Explanation": "tconvmat.teaching.explanation",
    "explore": "tconvmat.teaching.explorer",
    "page": "tconvmat.teaching.pages",
    "inspect": "tconvmat.inspection",
    "animate": "tconvmat.plots.animation",
    "Problem": "tconvmat.problem",
}
"""Public name → the module that defines it, imported on first access."""

_LAZY_MODULES = ("anatomy", "conventions", "exercises", "functional", "plots", "symbolic")
# ``tconvmat.exercises(...)`` is callable: its module calls :func:`exercises.exercises`.
# ``tconvmat.explore`` and ``tconvmat.explain`` are functions; their modules are
# ``tconvmat.teaching.explorer`` and ``tconvmat.teaching.explanation``, so no submodule
# shadows them. ``anatomy``, ``exercises`` and the other paths of the flat layout
# (``tconvmat.kernels``, ``tconvmat.pages``, …) are served by :mod:`tconvmat._aliases`.

_aliases.install()

__all__ = [
    "METHODS",
    "ConvTranspose",
    "Explanation",
    "Problem",
    "adjoint_certificate",
    "animate",
    "as_linear_operator",
    "conv_matrix",
    "conv_output_size",
    "conv_transpose",
    "conventions",
    "dot_test",
    "exercises",
    "explain",
    "explore",
    "functional",
    "general_term",
    "input_symbols",
    "inspect",
    "kernel_symbols",
    "latex",
    "mirror",
    "output_size",
    "overlap_counts",
    "page",
    "solve",
    "symbolic_apply",
    "symbolic_matrix",
    "transpose_versus_inverse",
]


def _version() -> str:
    """One home for the version: pyproject.toml, read back from the installed metadata."""
    from importlib import metadata

    try:
        return metadata.version("tconvmat")
    except metadata.PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif (moved := _aliases.alias(name)) is not None:
        value = moved
    elif name in _LAZY_MODULES:
        value = importlib.import_module(f"tconvmat.{name}")
    else:
        raise AttributeError(f"module 'tconvmat' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_MODULES))
