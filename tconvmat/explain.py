"""A step-by-step account of one transposed convolution, as Markdown text."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import _arrays, _text
from tconvmat.geometry import METHODS, ConvTranspose
from tconvmat.reference import torch_available, torch_conv_transpose

__all__ = ["WORKED_INPUT", "WORKED_KERNEL", "explain", "route_agreement"]

WORKED_INPUT = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
WORKED_KERNEL = np.array([[1, 2], [3, 4]])
_MAX_DENSE_COLUMNS = 36
"""Larger matrices print as a summary, not as a table."""


def _size_formula(geometry: ConvTranspose, axis: int) -> str:
    i, k = geometry.in_shape[axis], geometry.kernel_shape[axis]
    s, d = geometry.stride[axis], geometry.dilation[axis]
    (lo, hi), op = geometry.padding[axis], geometry.output_padding[axis]
    pad = f"2·{lo}" if lo == hi else f"{lo} − {hi}"
    return (
        f"axis {axis}: ({i} − 1)·{s} − {pad} + {d}·({k} − 1) + {op} + 1 = "
        f"{geometry.out_shape[axis]}"
    )


def route_agreement(geometry: ConvTranspose, x: Any, kernel: Any) -> list[tuple[str, float | None]]:
    """Largest difference of every route (and PyTorch, if installed) from the matrix route.

    Returns ``(name, difference)`` pairs; the difference is ``None`` for a
    reference that is not available.
    """
    reference = geometry.apply(x, kernel, method="matrix")
    results: list[tuple[str, float | None]] = []
    for method in METHODS:
        y = geometry.apply(x, kernel, method=method)
        results.append((method, float(np.max(np.abs(y - reference)))))
    if torch_available():
        weight = _arrays.weight(geometry, kernel)
        batch, _ = _arrays.batched(
            geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
        )
        y = torch_conv_transpose(geometry, batch, weight).reshape(np.shape(reference))
        results.append(("PyTorch", float(np.max(np.abs(y - reference)))))
    else:
        results.append(("PyTorch", None))
    return results


def _matrix_section(geometry: ConvTranspose, kernel: Any) -> list[str]:
    matrix = geometry.matrix(kernel)
    rows, columns = matrix.shape
    lines = [
        "## The matrix view",
        "",
        f"C has one row per input element and one column per output element "
        f"({rows} × {columns}, row-major flattening, {matrix.nnz} non-zeros). "
        "Row i is input element i's footprint: the kernel placed where that element "
        "stamps it. The transposed convolution is y = Cᵀx; the convolution is C·y, "
        "which is why the transposed convolution is the gradient of the convolution "
        "with respect to its input.",
        "",
    ]
    if columns > _MAX_DENSE_COLUMNS or geometry.in_channels * geometry.out_channels > 1:
        per_row = np.diff(matrix.indptr)
        lines.append(
            f"(C is too large to print: {per_row.min()}–{per_row.max()} non-zeros per row; "
            "use `tconvmat matrix` or a smaller input.)"
        )
        return lines
    in_labels = [_text.position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = [_text.position(p) for p in np.ndindex(*geometry.out_shape)]
    lines += ["```", "C (rows: input positions, columns: output positions, · = 0)"]
    lines += [_text.table(matrix.toarray().tolist(), in_labels, out_labels, blank_zero=True)]
    lines += ["```"]
    return lines


def explain(geometry: ConvTranspose, x: Any, kernel: Any) -> str:
    """Markdown text that walks through ``y = Cᵀx`` for the given numbers.

    Examples
    --------
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> text = explain(g, WORKED_INPUT, WORKED_KERNEL)
    >>> "axis 0: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    True
    """
    y = geometry.apply(x, kernel)
    lines = [
        "# Transposed convolution as a matrix: y = Cᵀx",
        "",
        "## Parameters",
        "",
        f"- input shape {geometry.in_shape}, kernel shape {geometry.kernel_shape}, "
        f"channels {geometry.in_channels} → {geometry.out_channels}, groups {geometry.groups}",
        f"- stride {geometry.stride}, padding {geometry.padding} (low, high per axis), "
        f"dilation {geometry.dilation}, output_padding {geometry.output_padding}",
        f"- crops of the uncropped output {geometry.crops} (negative: zero-extension)",
        "",
        "```",
        "input x",
        _text.grid(np.asarray(x)),
        "",
        "kernel w",
        _text.grid(np.asarray(kernel)),
        "```",
        "",
        "## Output size",
        "",
        "L_out = (L_in − 1)·stride − padding_low − padding_high + dilation·(kernel − 1)"
        " + output_padding + 1",
        "",
        "```",
        *(_size_formula(geometry, axis) for axis in range(geometry.ndim)),
        "```",
        "",
        *_matrix_section(geometry, kernel),
        "",
        "## The result y = Cᵀx",
        "",
        "```",
        _text.grid(y),
        "```",
        "",
        "## Check: every route agrees",
        "",
    ]
    for name, difference in route_agreement(geometry, x, kernel):
        if difference is None:
            lines.append(f"- {name}: not installed, not compared")
        else:
            verdict = (
                "agrees" if difference <= 1e-9 * max(1.0, float(np.max(np.abs(y)))) else "DIFFERS"
            )
            lines.append(f"- {name}: {verdict} (largest difference {difference:.3g})")
    return "\n".join(lines) + "\n"
