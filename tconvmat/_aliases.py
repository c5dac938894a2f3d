"""The import paths of the flat layout, kept: ``tconvmat.budget`` is ``tconvmat.core.budget``.

The modules live in folders that show the layers (``core/``, ``text/``, ``routes/``, …; see
README's "Architecture"). A path a user may have written before the move, such as ``import
tconvmat.budget``, ``from tconvmat.rules import pytorch`` or ``from tconvmat import
palette``, still works and gives the *same module object* as its new home, so a
``mock.patch`` or an ``isinstance`` check through either path sees one module.

Two hooks do it, both installed by ``tconvmat/__init__.py``:

- :class:`AliasFinder` on :data:`sys.meta_path` answers an import of an old dotted name
  (or anything under it, ``tconvmat.rules.onnx``) by importing the new one and registering
  that module under the old name too;
- :func:`alias` serves the package's ``__getattr__`` (``tconvmat.kernels`` after a bare
  ``import tconvmat``).

Nothing is imported until an old name is used, so ``import tconvmat`` costs nothing more.

Examples
--------
>>> import tconvmat.budget, tconvmat.core.budget
>>> tconvmat.budget is tconvmat.core.budget
True
>>> from tconvmat.rules import pytorch
>>> pytorch is tconvmat.core.rules.pytorch
True
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

__all__ = ["MOVED", "AliasFinder", "alias", "install"]

MOVED = {
    "tconvmat.axis": "tconvmat.core.axis",
    "tconvmat.rules": "tconvmat.core.rules",
    "tconvmat.geometry": "tconvmat.core.geometry",
    "tconvmat.structure": "tconvmat.core.structure",
    "tconvmat.sparse": "tconvmat.core.sparse",
    "tconvmat.kernels": "tconvmat.core.kernels",
    "tconvmat.budget": "tconvmat.core.budget",
    "tconvmat.display": "tconvmat.text.display",
    "tconvmat.reference": "tconvmat.routes.reference",
    "tconvmat.operator": "tconvmat.linalg.operator",
    "tconvmat.dottest": "tconvmat.linalg.dottest",
    "tconvmat.anatomy": "tconvmat.analysis.anatomy",
    "tconvmat.overlap": "tconvmat.analysis.overlap",
    "tconvmat.overlap_words": "tconvmat.analysis.overlap_words",
    "tconvmat.inverse": "tconvmat.analysis.inverse",
    "tconvmat.solver": "tconvmat.analysis.solver",
    "tconvmat.checkerboard": "tconvmat.analysis.checkerboard",
    "tconvmat.variations": "tconvmat.analysis.variations",
    "tconvmat.phase_overview": "tconvmat.analysis.phase_overview",
    "tconvmat.worked_example": "tconvmat.problem",
    "tconvmat.palette": "tconvmat.plots.palette",
    "tconvmat.formats": "tconvmat.text.display",
    "tconvmat.exercises": "tconvmat.teaching.exercises",
    "tconvmat.exercise_sheet": "tconvmat.teaching.exercise_sheet",
    "tconvmat.explanation": "tconvmat.teaching.explanation",
    "tconvmat.pages": "tconvmat.teaching.pages",
    "tconvmat.explorer": "tconvmat.teaching.explorer",
}
"""Old public module path → its home now (``worked_example`` and ``formats`` were folded
into ``problem`` and ``text.display``)."""


def _new_name(fullname: str) -> str | None:
    """The home of ``fullname`` if it is, or lies under, an old path; else None."""
    head, rest = fullname, ""
    while head:
        if head in MOVED:
            return MOVED[head] + rest
        head, _, last = head.rpartition(".")
        rest = f".{last}{rest}"
    return None


class _Loader:
    """Gives the import system the module already loaded under its new name.

    (A plain class, not an ``importlib.abc`` subclass: that module imports
    ``importlib.resources``, pathlib and tempfile, 20 ms that ``import tconvmat`` never needs.)
    """

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.spec = module.__spec__

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:
        # The import system stamped the alias's spec on the module: give it its own back.
        module.__spec__ = self.spec


class AliasFinder:
    """Finds an old dotted path by importing the new one (first on ``sys.meta_path``)."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = _new_name(fullname) if fullname.startswith("tconvmat.") else None
        if new is None:
            return None
        module = importlib.import_module(new)
        loader: Any = _Loader(module)  # the loader protocol, without importlib.abc
        spec = importlib.machinery.ModuleSpec(fullname, loader)
        spec.submodule_search_locations = getattr(module, "__path__", None)
        return spec


def alias(name: str) -> ModuleType | None:
    """The module an old attribute of the package names (``"kernels"``), or None."""
    if f"tconvmat.{name}" not in MOVED:
        return None
    return importlib.import_module(f"tconvmat.{name}")


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, AliasFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, AliasFinder())
