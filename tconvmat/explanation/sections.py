"""The sections of the explanation, each a list of Markdown lines for one problem."""

from __future__ import annotations

import numpy as np
import sympy

from tconvmat import _text, anatomy, kernels, structure
from tconvmat.api import ConvTranspose

MAX_PRINTED_COLUMNS = 36
"""Matrices wider than this print as a summary, not as a table."""
MAX_PRINTED_STEPS = 16
"""Scatters with more input elements print their first steps only."""
MAX_PRINTED_OUTPUTS = 64
"""Closed forms with more outputs print their first terms only."""


def is_numeric(*arrays: np.ndarray) -> bool:
    """Whether every array holds numbers (not SymPy objects)."""
    return all(a.dtype.kind in "iuf" for a in arrays)


def code(*blocks: str) -> list[str]:
    return ["```", *blocks, "```", ""]


def introduction(geometry: ConvTranspose) -> list[str]:
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


def parameters(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = [
        "## The problem",
        "",
        f"- input shape {geometry.in_shape}, kernel shape {geometry.kernel_shape}",
        f"- stride {geometry.stride}, padding {geometry.padding} (low, high per axis), "
        f"dilation {geometry.dilation}, output_padding {geometry.output_padding}",
        "",
    ]
    return lines + code("input x", _text.grid(x), "", "kernel w", _text.grid(kernel))


def sizes(geometry: ConvTranspose) -> list[str]:
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
    lines += code(*formulas)
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


def _stamp_region(geometry: ConvTranspose, element: tuple[int, ...]) -> str:
    """Where an element's stamp lands on the canvas: ``rows 2–3, columns 0–1``."""
    names = ("rows", "columns") if geometry.ndim == 2 else ("positions",)
    parts = []
    for line, i, name in zip(geometry.axes, element, names, strict=False):
        start, stop = line.on_canvas(i, 0), line.on_canvas(i, line.kernel - 1)
        step = f" every {line.dilation}" if line.dilation > 1 else ""
        parts.append(f"{name} {start}–{stop}{step}")
    return ", ".join(parts) + " (start = origin + i·stride)"


def scatter(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
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
            f"Step {step + 1}: x{_text.position(element)} = {value} adds {value}·w at canvas "
            f"{_stamp_region(geometry, element)}; the canvas is now:",
            "",
        ]
        lines += code(_text.grid(accumulated[step]))
    if shown < len(accumulated):
        lines += [f"({len(accumulated) - shown} more steps, the same way.)", ""]
    window = ", ".join(f"{w.start}:{w.stop}" for w in steps.window)
    lines += ["The full canvas (all stamps added):", "", *code(_text.grid(steps.canvas))]
    lines += [f"Crop: keep canvas[{window}] (the crops {geometry.crops}). The result:", ""]
    return lines + code(_text.grid(steps.result))


def matrix(geometry: ConvTranspose, kernel: np.ndarray) -> list[str]:
    if is_numeric(kernel):
        matrix = geometry.matrix(kernel)
        dense = matrix.toarray() if matrix.shape[1] <= MAX_PRINTED_COLUMNS else None
        nnz = matrix.nnz
    else:
        symbolic = geometry.symbolic_matrix(kernel)
        dense = np.array(symbolic.tolist(), dtype=object)
        nnz = structure.nnz(geometry)
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
    in_labels = [_text.position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = [_text.position(p) for p in np.ndindex(*geometry.out_shape)]
    table = _text.table(dense.tolist(), in_labels, out_labels, blank_zero=True)
    return lines + code("C (rows: input positions, columns: output positions, · = 0)", table)


def closed_form(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[str]:
    lines = ["## Each output as a sum of products", ""]
    rows, scatter_taps, bounds = structure.by_output(structure.single_channel_structure(geometry))
    weights = kernels.tap_order(geometry)[scatter_taps]  # taps as the user stores the kernel
    flat_x, flat_w = x.reshape(-1), kernel.reshape(-1)
    outputs = list(np.ndindex(*geometry.out_shape))
    shown = min(len(outputs), MAX_PRINTED_OUTPUTS)
    y = geometry.apply(x, kernel) if is_numeric(x, kernel) else geometry.symbolic_apply(x, kernel)
    terms_text = []
    for t in range(shown):
        pairs = list(
            zip(rows[bounds[t] : bounds[t + 1]], weights[bounds[t] : bounds[t + 1]], strict=True)
        )
        names = " + ".join(
            f"w{_text.position(np.unravel_index(j, geometry.kernel_shape))}·"
            f"x{_text.position(np.unravel_index(i, geometry.in_shape))}"
            for i, j in pairs
        )
        values = " + ".join(f"{_text.value(flat_w[j])}·{_text.value(flat_x[i])}" for i, j in pairs)
        result = _text.value(y[outputs[t]])
        terms_text.append(
            f"y{_text.position(outputs[t])} = {names} = {values} = {result}"
            if pairs
            else f"y{_text.position(outputs[t])} = 0 (no stamp reaches it)"
        )
    lines += code(*terms_text)
    if shown < len(outputs):
        lines += [f"({len(outputs) - shown} more outputs.)", ""]
    return lines


def symbolic(geometry: ConvTranspose) -> list[str]:
    closed = geometry.symbolic_apply()
    lines = ["## The closed form in symbols", ""]
    lines += ["With x_{i} the input and k_{j} the kernel, y = Cᵀx reads (SymPy):", ""]
    flat = list(sympy.flatten(closed.tolist()))
    positions = list(np.ndindex(*geometry.out_shape))[:MAX_PRINTED_OUTPUTS]
    lines += code(*(f"y{_text.position(p)} = {v}" for p, v in zip(positions, flat, strict=False)))
    lines += ["The general term, one equation per output phase (x is 0 outside its range):", ""]
    term = geometry.general_term()
    equations = []
    for phase, equation in zip(term.phases, term.equations(), strict=True):
        rule = ", ".join(f"{m} + {lo} ≡ {r} (mod {s})" for m, lo, s, r in term.congruences(phase))
        equations.append(f"{equation.lhs} = {equation.rhs}    where {rule}")
    return lines + code(*equations)


def what_the_matrix_says(geometry: ConvTranspose, kernel: np.ndarray) -> list[str]:
    from tconvmat.analysis import overlap_counts, transpose_versus_inverse

    report = overlap_counts(geometry)
    lines = ["## What the matrix says", "", "Taps reaching each output (the row counts of Cᵀ):", ""]
    lines += code(_text.grid(report.counts))
    lines += [f"Verdict: {report.verdict}.", "", f"Rule: {report.rule}", ""]
    if not is_numeric(kernel) or np.prod(geometry.matrix_shape) > 400**2:
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
