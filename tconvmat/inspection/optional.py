"""The optional frameworks inspect reads (torch, onnx, keras): see :mod:`tconvmat.core.optional`.

A missing one is one line with the install command: :class:`MissingDependency` is both an
``ImportError`` (what Python code expects) and a ``ValueError`` (what the command line
prints as ``tconvmat: error: ...`` with exit status 2).
"""

from __future__ import annotations

from tconvmat.core.optional import INSTALL, MissingDependency, require

__all__ = ["INSTALL", "MissingDependency", "require"]
