"""A disk cache of packed slider chunks, so a page or ``explore()`` built twice builds once.

A chunk is the engine's states for one (dimensions, input size, kernel size) of a slider
grid. Its key holds everything the states depend on: the input and kernel values, the
slider ranges, and a digest of tconvmat's own source files and NumPy's version, so any
change to the code that computes a state makes a new key (an old entry is never read
back). Entries are written atomically; a cache that cannot be written is skipped.

The folder is ``$TCONVMAT_CACHE`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/tconvmat/pages`` or ``~/.cache/tconvmat/pages``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["folder", "load", "source_digest", "store"]

PACKAGE = Path(__file__).resolve().parents[2]
"""The package's folder (``tconvmat/``): every source file in it keys the cache."""


def folder() -> Path | None:
    """Where the cache lives, or None when it is off."""
    chosen = os.environ.get("TCONVMAT_CACHE")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tconvmat" / "pages"


@functools.lru_cache(maxsize=1)
def source_digest() -> str:
    """SHA-256 of every source file of the package (and NumPy's version)."""
    digest = hashlib.sha256(np.__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".js", ".css") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _is_entry_folder(path: Path) -> bool:
    """A folder this cache made: a 20-digit hex name holding only its entries."""
    if not (path.is_dir() and re.fullmatch(r"[0-9a-f]{20}", path.name)):
        return False
    return all(p.suffix in (".txt", ".part") and p.is_file() for p in path.iterdir())


def _path(what: Any) -> Path | None:
    root = folder()
    if root is None:
        return None
    text = json.dumps(what, sort_keys=True, default=str)
    name = hashlib.sha256(text.encode()).hexdigest()[:40]
    return root / source_digest()[:20] / f"{name}.txt"


def load(what: Any) -> str | None:
    """The cached text for the key ``what`` (JSON-able), or None."""
    path = _path(what)
    try:
        return None if path is None else path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def store(what: Any, text: str) -> None:
    """Cache ``text`` under the key ``what``; older versions' folders are removed."""
    path = _path(what)
    if path is None:
        return
    try:
        if not path.parent.is_dir():
            for old in path.parent.parent.glob("*"):  # entries of other source versions
                if _is_entry_folder(old):
                    shutil.rmtree(old, ignore_errors=True)
            path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(text)
        os.replace(temporary, path)
    except OSError:
        return
