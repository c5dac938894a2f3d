"""The explanation's last word: every route, and PyTorch where installed, gives the same numbers."""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from tconvmat import _arrays, kernels
from tconvmat.api import ConvTranspose
from tconvmat.explanation.sections import is_numeric
from tconvmat.reference import torch_available, torch_conv_transpose
from tconvmat.routes import METHODS

__all__ = ["checks", "route_agreement"]


def route_agreement(geometry: ConvTranspose, x: Any, kernel: Any) -> list[tuple[str, float | None]]:
    """Largest difference of every route (and PyTorch, if installed) from the matrix route.

    Returns ``(name, difference)`` pairs; the difference is ``None`` for a
    reference that is not available.

    Examples
    --------
    >>> g = ConvTranspose((3,), (2,), stride=2)
    >>> route_agreement(g, [1, 2, 3], [1, 1])[:2]
    [('matrix', 0.0), ('scatter', 0.0)]
    """
    reference = geometry.apply(x, kernel, method="matrix")
    results: list[tuple[str, float | None]] = []
    for method in METHODS:
        y = geometry.apply(x, kernel, method=method)
        results.append((method, float(np.max(np.abs(y - reference)))))
    if torch_available():
        weight = kernels.weight(geometry, kernel)
        batch, _ = _arrays.batched(
            geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
        )
        y = torch_conv_transpose(geometry, batch, weight).reshape(np.shape(reference))
        results.append(("PyTorch", float(np.max(np.abs(y - reference)))))
    else:
        results.append(("PyTorch", None))
    return results


def checks(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = ["## Check: every route agrees", ""]
    if not is_numeric(x, kernel):
        rng = np.random.default_rng(0)
        entries = np.concatenate([x.reshape(-1), kernel.reshape(-1)])
        free = set().union(*(sympy.sympify(v).free_symbols for v in entries))
        symbols = sorted(free, key=str)
        values = {
            s: int(v) for s, v in zip(symbols, rng.integers(1, 10, len(symbols)), strict=True)
        }
        lines += [f"(Symbols replaced by integers for the numeric routes: {values}.)", ""]
        substitute = np.vectorize(
            lambda v: int(sympy.sympify(v).xreplace(values)), otypes=[np.int64]
        )
        x, kernel = substitute(x), substitute(kernel)
    y = geometry.apply(x, kernel)
    scale = max(1.0, float(np.max(np.abs(y))))
    for name, difference in route_agreement(geometry, x, kernel):
        if difference is None:
            lines.append(f"- {name}: not installed, not compared")
        else:
            verdict = "agrees" if difference <= 1e-9 * scale else "DIFFERS"
            lines.append(f"- {name}: {verdict} (largest difference {difference:.3g})")
    return [*lines, ""]
