"""A step-by-step account of one transposed convolution, as Markdown text.

The text is detailed enough to reproduce the result by hand: the output-size
formula with the numbers substituted, every intermediate canvas of the scatter,
the crop, the matrix C, and each output as a sum of products.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import sympy

from tconvmat import _arrays, _text, anatomy, taps
from tconvmat.geometry import METHODS, ConvTranspose
from tconvmat.reference import torch_available, torch_conv_transpose

__all__ = ["explain", "route_agreement"]
MAX_PRINTED_COLUMNS = 36
"""Matrices wider than this print as a summary, not as a table."""
MAX_PRINTED_STEPS = 16
"""Scatters with more input elements print their first steps only."""
MAX_PRINTED_OUTPUTS = 64
"""Closed forms with more outputs print their first terms only."""


def _position(index: tuple[int, ...]) -> str:
    return "(" + ",".join(str(i) for i in index) + ")"


def _is_numeric(*arrays: np.ndarray) -> bool:
    return all(a.dtype.kind in "iuf" for a in arrays)


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
        weight = _arrays.weight(geometry, kernel)
        batch, _ = _arrays.batched(
            geometry, "x", x, geometry.in_shape, geometry.in_channels, geometry.out_channels
        )
        y = torch_conv_transpose(geometry, batch, weight).reshape(np.shape(reference))
        results.append(("PyTorch", float(np.max(np.abs(y - reference)))))
    else:
        results.append(("PyTorch", None))
    return results


def _code(*blocks: str) -> list[str]:
    return ["```", *blocks, "```", ""]


def _introduction(geometry: ConvTranspose) -> list[str]:
    return [
        "# Transposed convolution, step by step",
        "",
        "## What a transposed convolution is",
        "",
        "A convolution slides a kernel over its input and turns each window into one "
        "output value: many values in, one value out. Written as a matrix, it is x = C·y. "
        "A transposed convolution runs the same wiring backwards: each input value is "
        "multiplied by the whole kernel and the product is added into the output at the "
        f"input's place, spaced by the stride ({geometry.stride}). With a stride above 1 "
        "the output is larger than the input: this is how decoders and U-Nets up-sample. "
        "Its matrix is the transpose of the convolution's: y = Cᵀx.",
        "",
        "| | convolution | transposed convolution |",
        "| --- | --- | --- |",
        "| one step | input window → one output | one input value → a kernel-sized patch |",
        "| formula | x[i] = Σ_j w[j]·y[i·s + j·d − p] | y[i·s + j·d − p] += x[i]·w[j] |",
        "| matrix | x = C·y | y = Cᵀ·x |",
        "| stride s | down-samples by s | up-samples by s |",
        "| padding p | adds p zeros around the input | crops p from each end of the output |",
        "| output size | ⌊(L + 2p − d·(k − 1) − 1)/s⌋ + 1 | (L − 1)·s − 2p + d·(k − 1) + op + 1 |",
        "| gradient | its input-gradient is the transposed convolution | and vice versa |",
        "",
    ]


def _parameters(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = [
        "## The problem",
        "",
        f"- input shape {geometry.in_shape}, kernel shape {geometry.kernel_shape}",
        f"- stride {geometry.stride}, padding {geometry.padding} (low, high per axis), "
        f"dilation {geometry.dilation}, output_padding {geometry.output_padding}",
        "",
    ]
    return lines + _code("input x", _text.grid(x), "", "kernel w", _text.grid(kernel))


def _sizes(geometry: ConvTranspose) -> list[str]:
    lines = [
        "## The output size, and what each parameter does",
        "",
        "L_out = (L_in − 1)·stride − padding_low − padding_high + dilation·(kernel − 1)"
        " + output_padding + 1",
        "",
    ]
    formulas = []
    for axis in range(geometry.ndim):
        i, k = geometry.in_shape[axis], geometry.kernel_shape[axis]
        s, d = geometry.stride[axis], geometry.dilation[axis]
        (lo, hi), op = geometry.padding[axis], geometry.output_padding[axis]
        padding = f"2·{lo}" if lo == hi else f"{lo} − {hi}"
        formulas.append(
            f"axis {axis}: ({i} − 1)·{s} − {padding} + {d}·({k} − 1) + {op} + 1 = "
            f"{geometry.out_shape[axis]}"
        )
    lines += _code(*formulas)
    s, d, k = geometry.stride[0], geometry.dilation[0], geometry.kernel_shape[0]
    full = geometry.full_shape
    lines += [
        f"- **stride** {geometry.stride}: input element i stamps its patch starting at i·s, "
        f"so neighbouring stamps start {s} apart; the input's (L_in − 1) gaps become "
        "(L_in − 1)·s.",
        f"- **kernel size** {geometry.kernel_shape}: each stamp covers k positions "
        "(d·(k − 1) + 1 with dilation).",
        f"- **dilation** {geometry.dilation}: the taps of a stamp sit d apart, at i·s + j·d "
        f"(here j·{d} for j = 0 … {k - 1}).",
        f"- Together the uncropped scatter has shape {full}: (L_in − 1)·s + d·(k − 1) + 1.",
        f"- **padding** {geometry.padding}: cut padding_low from the start and padding_high "
        "from the end of every axis (padding of a convolution becomes a crop of its transpose).",
        f"- **output_padding** {geometry.output_padding}: give back that many positions at "
        "the high end (zeros where no stamp reaches), to pick one of the stride's possible sizes.",
        f"- So the crops are {geometry.crops} per axis (low, high; negative = zero-extension).",
        "",
    ]
    return lines


def _stamp_region(
    geometry: ConvTranspose, origin: tuple[int, ...], element: tuple[int, ...]
) -> str:
    """Where an element's stamp lands on the canvas: ``rows 2–3, columns 0–1``."""
    names = ("rows", "columns") if geometry.ndim == 2 else ("positions",)
    parts = []
    for axis, name in enumerate(names):
        start = origin[axis] + element[axis] * geometry.stride[axis]
        stop = start + geometry.dilation[axis] * (geometry.kernel_shape[axis] - 1)
        step = f" every {geometry.dilation[axis]}" if geometry.dilation[axis] > 1 else ""
        parts.append(f"{name} {start}–{stop}{step}")
    return ", ".join(parts) + " (start = origin + i·stride)"


def _scatter(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = [
        "## How it up-samples: stamp, accumulate, crop",
        "",
        "Each input element, in row-major order, adds value·kernel to the uncropped canvas "
        "at its strided place; overlapping stamps add up.",
        "",
    ]
    if geometry.ndim > 2:
        return [*lines, "(The step-by-step canvases are printed for 1-D and 2-D inputs.)", ""]
    steps = anatomy.scatter_steps(geometry, x, kernel)
    accumulated = steps.accumulated
    shown = min(len(accumulated), MAX_PRINTED_STEPS)
    for step, element in zip(range(shown), np.ndindex(*geometry.in_shape), strict=False):
        value = _text.value(x[element])
        lines += [
            f"Step {step + 1}: x{_position(element)} = {value} adds {value}·w at canvas "
            f"{_stamp_region(geometry, steps.origin, element)}; the canvas is now:",
            "",
        ]
        lines += _code(_text.grid(accumulated[step]))
    if shown < len(accumulated):
        lines += [f"({len(accumulated) - shown} more steps, the same way.)", ""]
    window = ", ".join(f"{w.start}:{w.stop}" for w in steps.window)
    lines += ["The full canvas (all stamps added):", "", *_code(_text.grid(steps.canvas))]
    lines += [f"Crop: keep canvas[{window}] (the crops {geometry.crops}). The result:", ""]
    return lines + _code(_text.grid(steps.result))


def _matrix(geometry: ConvTranspose, kernel: np.ndarray) -> list[str]:
    if _is_numeric(kernel):
        matrix = geometry.matrix(kernel)
        dense = matrix.toarray() if matrix.shape[1] <= MAX_PRINTED_COLUMNS else None
        nnz = matrix.nnz
    else:
        symbolic = geometry.symbolic_matrix(kernel)
        dense = np.array(symbolic.tolist(), dtype=object)
        nnz = taps.nnz(geometry)
    rows, columns = geometry.matrix_shape
    lines = [
        "## The matrix view",
        "",
        f"C has one row per input element and one column per output element ({rows} × "
        f"{columns}, {nnz} non-zeros, row-major flattening). Row i holds the kernel where "
        "input i stamps it: C[i, t] = w[j] exactly when t + crop_low = i·s + j·d. The "
        "transposed convolution is y = Cᵀx and the convolution is x = C·y, so the gradient "
        "of the convolution with respect to its input, Cᵀ·(gradient of its output), is "
        "the transposed convolution: that is where the name comes from.",
        "",
    ]
    if dense is None or dense.shape[1] > MAX_PRINTED_COLUMNS:
        return [*lines, f"(C is {rows} × {columns}: too wide to print; try `tconvmat matrix`.)", ""]
    in_labels = [_position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = [_position(p) for p in np.ndindex(*geometry.out_shape)]
    table = _text.table(dense.tolist(), in_labels, out_labels, blank_zero=True)
    return lines + _code("C (rows: input positions, columns: output positions, · = 0)", table)


def _closed_form(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = ["## Each output as a sum of products", ""]
    rows, weights, bounds = taps.by_output(taps.single_channel_structure(geometry))
    flat_x, flat_w = x.reshape(-1), kernel.reshape(-1)
    outputs = list(np.ndindex(*geometry.out_shape))
    shown = min(len(outputs), MAX_PRINTED_OUTPUTS)
    y = geometry.apply(x, kernel) if _is_numeric(x, kernel) else geometry.symbolic_apply(x, kernel)
    terms_text = []
    for t in range(shown):
        pairs = list(
            zip(rows[bounds[t] : bounds[t + 1]], weights[bounds[t] : bounds[t + 1]], strict=True)
        )
        names = " + ".join(
            f"w{_position(np.unravel_index(j, geometry.kernel_shape))}·"
            f"x{_position(np.unravel_index(i, geometry.in_shape))}"
            for i, j in pairs
        )
        values = " + ".join(f"{_text.value(flat_w[j])}·{_text.value(flat_x[i])}" for i, j in pairs)
        result = _text.value(y[outputs[t]])
        terms_text.append(
            f"y{_position(outputs[t])} = {names} = {values} = {result}"
            if pairs
            else f"y{_position(outputs[t])} = 0 (no stamp reaches it)"
        )
    lines += _code(*terms_text)
    if shown < len(outputs):
        lines += [f"({len(outputs) - shown} more outputs.)", ""]
    return lines


def _symbolic(geometry: ConvTranspose) -> list[str]:
    closed = geometry.symbolic_apply()
    lines = ["## The closed form in symbols", ""]
    lines += ["With x_{i} the input and k_{j} the kernel, y = Cᵀx reads (SymPy):", ""]
    flat = list(sympy.flatten(closed.tolist()))
    positions = list(np.ndindex(*geometry.out_shape))[:MAX_PRINTED_OUTPUTS]
    lines += _code(*(f"y{_position(p)} = {v}" for p, v in zip(positions, flat, strict=False)))
    lines += ["The general term, one equation per output phase (x is 0 outside its range):", ""]
    term = geometry.general_term()
    equations = []
    for phase, equation in zip(term.phases, term.equations(), strict=True):
        rule = ", ".join(
            f"m_{a} + {lo} ≡ {r} (mod {s})"
            for a, (lo, s, r) in enumerate(
                zip((c[0] for c in geometry.crops), geometry.stride, phase.residues, strict=True)
            )
        )
        equations.append(f"{equation.lhs} = {equation.rhs}    where {rule}")
    return lines + _code(*equations)


def _what_the_matrix_says(geometry: ConvTranspose, kernel: np.ndarray) -> list[str]:
    from tconvmat.analysis import overlap_counts, transpose_versus_inverse

    report = overlap_counts(geometry)
    lines = ["## What the matrix says", "", "Taps reaching each output (the row counts of Cᵀ):", ""]
    lines += _code(_text.grid(report.counts))
    lines += [f"Verdict: {report.verdict}.", "", f"Rule: {report.rule}", ""]
    if not _is_numeric(kernel) or np.prod(geometry.matrix_shape) > 400**2:
        return lines
    inverse = transpose_versus_inverse(geometry, kernel.astype(float))
    rows, columns = geometry.matrix_shape
    lines += [
        "Transposed is not inverse. For the convolution x = C·y of a random y: "
        f"‖CᵀC − I‖₂ = {inverse.gram_error:.3g}; C has rank {inverse.rank} of {columns} "
        f"(its {rows} × {columns} shape allows at most {min(rows, columns)}), singular values "
        f"{inverse.singular_values.max():.3g} … {inverse.singular_values.min():.3g}. "
        f"The transposed convolution gives back Cᵀx with relative error "
        f"{inverse.transpose_error:.3g}; the best linear deconvolution (least squares, lsqr) "
        f"{inverse.least_squares_error:.3g}"
        + (", because the convolution forgets part of y." if inverse.rank < columns else "."),
        "",
    ]
    return lines


def _checks(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = ["## Check: every route agrees", ""]
    if not _is_numeric(x, kernel):
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


def _figures(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray, folder: Path) -> list[str]:
    from tconvmat.plots import (
        plot_footprint,
        plot_matrix,
        plot_polyphase,
        plot_scatter_steps,
        plot_zero_insertion,
    )
    from tconvmat.plots.gallery import save

    wanted = [("matrix_structure.png", "C and Cᵀ", lambda: plot_matrix(geometry, kernel))]
    if geometry.ndim == 2:
        wanted += [
            (
                "footprint.png",
                "one row of C on the output grid",
                lambda: plot_footprint(geometry, x, kernel),
            ),
            (
                "scatter_steps.png",
                "the scatter, step by step",
                lambda: plot_scatter_steps(geometry, x, kernel),
            ),
            (
                "zero_insertion.png",
                "the zero-insertion view",
                lambda: plot_zero_insertion(geometry, x, kernel),
            ),
            ("polyphase.png", "the polyphase view", lambda: plot_polyphase(geometry, x, kernel)),
        ]
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["## Figures", ""]
    for name, caption, draw in wanted:
        save(draw(), folder / name)
        lines += [f"![{caption}]({name})", ""]
    return lines


def explain(
    geometry: ConvTranspose,
    x: Any,
    kernel: Any,
    *,
    symbolic: bool = False,
    figures: str | Path | None = None,
) -> str:
    """Markdown that walks through ``y = Cᵀx`` for the given numbers (or symbols).

    Parameters
    ----------
    geometry : ConvTranspose
        A single-channel geometry.
    x, kernel : array_like
        Numbers, or SymPy symbols/expressions (then the closed form is symbolic
        and the numeric routes are checked with integers put in for the symbols).
    symbolic : bool
        Also print the closed form in symbols ``x_{i}``, ``k_{j}`` and the
        general term per output phase.
    figures : path, optional
        Folder to draw this problem's figures into; the text links them.

    Examples
    --------
    >>> from tconvmat.worked_example import WORKED_INPUT, WORKED_KERNEL, worked_geometry
    >>> text = explain(worked_geometry(), WORKED_INPUT, WORKED_KERNEL)
    >>> "axis 0: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    True
    >>> "y(0,0) = w(1,1)·x(0,0) = 4·3 = 12" in text
    True
    """
    x, kernel = np.asarray(x), np.asarray(kernel)
    if geometry.in_channels != 1 or geometry.out_channels != 1:
        raise ValueError("explain works on one channel; use the Python API for channels")
    numeric = _is_numeric(x, kernel)
    lines = _introduction(geometry) + _parameters(geometry, x, kernel) + _sizes(geometry)
    if numeric:
        lines += _scatter(geometry, x, kernel)
    lines += _matrix(geometry, kernel) + _closed_form(geometry, x, kernel)
    if symbolic:
        lines += _symbolic(geometry)
    lines += _what_the_matrix_says(geometry, kernel)
    lines += _checks(geometry, x, kernel)
    if figures is not None and numeric:
        lines += _figures(geometry, x, kernel, Path(figures))
    return "\n".join(lines).rstrip() + "\n"
