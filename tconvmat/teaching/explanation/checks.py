"""The explanation's last word: every route gives the same numbers, and PyTorch on request."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.core import arrays, kernels
from tconvmat.core.geometry import Geometry
from tconvmat.problem import Problem
from tconvmat.routes import METHODS, apply
from tconvmat.routes.reference import torch_available, torch_conv_transpose
from tconvmat.teaching.explanation.parts import Section, Text

__all__ = ["checks", "integer_stand_ins", "route_agreement"]

PYTORCH_DIMENSIONS = (1, 2, 3)
"""PyTorch has conv_transpose1d, 2d and 3d; nothing beyond."""

CHECKED = tuple(method for method in METHODS if method != "fused")
"""The routes an explanation compares: the compiled one is left to the test suite, so that
explaining never triggers a compilation."""


def difference(a: np.ndarray, b: np.ndarray) -> float:
    """Largest difference where both are finite; infinite if NaN or inf sit in other places."""
    a, b = np.asarray(a), np.asarray(b)
    same = (np.isnan(a) == np.isnan(b)) & ((a == b) | ~np.isinf(a) | ~np.isinf(b))
    if not same.all():
        return float("inf")
    finite = np.isfinite(a) & np.isfinite(b)
    return float(np.max(np.abs(a[finite] - b[finite]), initial=0))


def route_agreement(
    geometry: Geometry, x: Any, kernel: Any, *, pytorch: bool = False
) -> list[tuple[str, float | None]]:
    """Largest difference of every route (and PyTorch, when asked) from the matrix route.

    Returns ``(name, difference)`` pairs; ``None`` for PyTorch when it is not installed
    or has no operator for this many dimensions.

    Examples
    --------
    >>> g = Geometry((3,), (2,), stride=2)
    >>> route_agreement(g, [1, 2, 3], [1, 1])[:2]
    [('matrix', 0.0), ('scatter', 0.0)]
    """
    reference = apply(geometry, x, kernel, method="matrix")
    results: list[tuple[str, float | None]] = [
        (m, difference(apply(geometry, x, kernel, method=m), reference)) for m in CHECKED
    ]
    if pytorch:
        if torch_available() and geometry.ndim in PYTORCH_DIMENSIONS:
            weight = kernels.weight(geometry, kernel)
            batch, _ = arrays.batched(
                geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
            )
            y = torch_conv_transpose(geometry, batch, weight).reshape(np.shape(reference))
            results.append(("PyTorch", difference(y, reference)))
        else:
            results.append(("PyTorch", None))
    return results


def integer_stand_ins(problem: Problem) -> tuple[np.ndarray, np.ndarray, dict]:
    """x and kernel with every symbol replaced by a small integer (numbers kept exactly)."""
    import sympy

    entries = np.concatenate([problem.x.reshape(-1), problem.kernel.reshape(-1)])
    free = set().union(*(sympy.sympify(v).free_symbols for v in entries))
    rng = np.random.default_rng(0)
    symbols = sorted(free, key=str)
    values = {s: int(v) for s, v in zip(symbols, rng.integers(1, 10, len(symbols)), strict=True)}

    def substitute(array: np.ndarray) -> np.ndarray:
        exact = [sympy.sympify(sympy.sympify(v).xreplace(values)) for v in array.reshape(-1)]
        if all(e.is_Integer for e in exact):
            return np.array([int(e) for e in exact], dtype=np.int64).reshape(array.shape)
        return np.array([float(e) for e in exact]).reshape(array.shape)

    return substitute(problem.x), substitute(problem.kernel), values


def checks(problem: Problem, *, pytorch: bool = False) -> Section:
    """Every route against the matrix route; PyTorch when asked."""
    parts = []
    x, kernel = problem.x, problem.kernel
    if not problem.numeric:
        x, kernel, values = integer_stand_ins(problem)
        shown = ", ".join(f"{k} = {v}" for k, v in values.items())
        parts.append(Text(f"(Symbols replaced by integers for the numeric routes: {shown}.)"))
    y = apply(problem.geometry, x, kernel)
    scale = max(1.0, float(np.max(np.abs(y[np.isfinite(y)]), initial=0)))
    lines = []
    for name, difference in route_agreement(problem.geometry, x, kernel, pytorch=pytorch):
        if difference is None:
            why = (
                "not installed"
                if not torch_available()
                else f"has no {problem.geometry.ndim}-D transposed convolution"
            )
            lines.append(f"- {name}: {why}, not compared")
        else:
            verdict = "agrees" if difference <= 1e-9 * scale else "DIFFERS"
            lines.append(f"- {name}: {verdict} (largest difference {difference:.3g})")
    if not pytorch:
        lines.append("- PyTorch: not compared (ask with --compare-pytorch)")
    parts.append(Text("\n".join(lines)))
    return Section("Check: every route agrees", tuple(parts), "checks")
