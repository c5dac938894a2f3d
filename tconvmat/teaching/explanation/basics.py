"""The answer first, then what a transposed convolution is, the problem and its output size."""

from __future__ import annotations

import numpy as np

from tconvmat.analysis.overlap import FLAT_WORDS, TAPS_WORDS, OverlapReport, gap_reason
from tconvmat.core.geometry import Geometry
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Math, Section, Text
from tconvmat.text import notation


def setting(geometry: Geometry) -> str:
    """The parameters in words: ``stride 2, padding 1 on every side`` (+ those not default)."""
    g = geometry
    parts = [f"stride {words.per_axis(g.stride)}", f"padding {words.padding(g)}"]
    if any(d != 1 for d in g.dilation):
        parts.append(f"dilation {words.per_axis(g.dilation)}")
    if any(g.output_padding):
        parts.append(f"output_padding {words.per_axis(g.output_padding)}")
    if not g.single_channel:
        parts.append(f"{g.in_channels} → {g.out_channels} channels in {g.groups} group(s)")
    return ", ".join(parts)


def _axis_groups(geometry: Geometry) -> list[tuple[str, int]]:
    """Axes with identical parameters share one line: ``[('rows and columns', 0)]``."""
    names = words.axis_names(geometry.ndim)
    seen: dict[tuple, list[int]] = {}
    for a in range(geometry.ndim):
        key = (
            geometry.in_shape[a],
            geometry.kernel_shape[a],
            geometry.stride[a],
            geometry.padding[a],
            geometry.dilation[a],
            geometry.output_padding[a],
        )
        seen.setdefault(key, []).append(a)
    return [(notation.joined([names[a] for a in axes]), axes[0]) for axes in seen.values()]


def _symmetric(geometry: Geometry) -> bool:
    """Whether every axis pads both sides alike (the formula then reads ``− 2p``)."""
    return all(lo == hi for lo, hi in geometry.padding)


def _size_numbers(geometry: Geometry, a: int, symmetric: bool, *, latex: bool = False) -> str:
    g = geometry
    numbers = (
        g.in_shape[a],
        g.kernel_shape[a],
        g.stride[a],
        g.dilation[a],
        g.padding[a],
        g.output_padding[a],
        g.out_shape[a],
    )
    return notation.size_formula_numbers(*numbers, symmetric=symmetric, latex=latex)


def size_terms(geometry: Geometry, a: int) -> tuple[str, str]:
    """One axis's size formula with its numbers, as (text, LaTeX), in the one notation
    (:mod:`tconvmat.text.notation`; the same form as the formula line above it)."""
    symmetric = _symmetric(geometry)
    return (
        _size_numbers(geometry, a, symmetric),
        _size_numbers(geometry, a, symmetric, latex=True),
    )


def size_math(geometry: Geometry) -> Math:
    """The output-size formula, then one line per group of identical axes."""
    groups = _axis_groups(geometry)
    symmetric = _symmetric(geometry)
    latex = [notation.size_formula(symmetric, latex=True)]
    for name, a in groups:
        tex = _size_numbers(geometry, a, symmetric, latex=True)
        latex.append(rf"\text{{{name}: }}\; {tex}")
    return Math(tuple(latex), size_text(geometry, groups))


def size_text(geometry: Geometry, groups: list[tuple[str, int]] | None = None) -> str:
    """:func:`size_math`'s text alone: the formula, then each group of axes with its numbers.

    Examples
    --------
    >>> print(size_text(Geometry((3,), (2,), stride=2, padding=1)))
    L_out = (L_in − 1)·s − 2p + d·(k − 1) + output_padding + 1
    positions: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4
    """
    groups = _axis_groups(geometry) if groups is None else groups
    width = max(len(name) for name, _ in groups) + 1
    symmetric = _symmetric(geometry)
    lines = [notation.size_formula(symmetric)]
    for name, a in groups:
        lines.append(f"{name + ':':<{width}} {_size_numbers(geometry, a, symmetric)}")
    return "\n".join(lines)


def _overlap_phrase(report: OverlapReport) -> str:
    """``the stamps do not overlap`` or ``… add up (up to 4 per output)``, then how many
    outputs no tap reaches and why (the summary's surprise for gcd(stride, dilation) > 1)."""
    counts = report.counts
    top = int(np.max(counts, initial=0))
    phrase = (
        "the stamps do not overlap"
        if top <= 1
        else f"where stamps overlap their values add up (up to {top} per output)"
    )
    empty = int(np.count_nonzero(counts == 0))
    if empty:
        reasons = sorted({gap_reason(line) for line in report.axes if line.untouched})
        one = empty == 1
        why = (
            notation.joined(reasons)
            if reasons
            else f"{'it lies' if one else 'they lie'} past the canvas, where only zeros are added"
        )
        phrase += (
            f"; {empty} of the {counts.size} outputs receive{'s' if one else ''} no tap at all "
            f"({why})"
        )
    return phrase


def summary(problem: Problem, y: np.ndarray, report: OverlapReport) -> Section:
    """The answer first: the sizes, the formula with the numbers, the output, one sentence."""
    g = problem.geometry
    n_in = int(np.prod(g.in_shape))
    lengths = "length " if g.ndim == 1 else ""
    lead = (
        f"**Input {lengths}{words.shape(g.in_shape)}, kernel {words.shape(g.kernel_shape)}, "
        f"{setting(g)} → output {lengths}{words.shape(g.out_shape)}.**"
    )
    overlap = _overlap_phrase(report)
    cut = _crop_phrase(g)
    if g.single_channel:
        sentence = (
            f"Each of the {n_in} input values stamps value × kernel onto "
            f"{words.sized('canvas', g.full_shape)}, {words.apart(g.stride)}; {overlap}; "
            f"{cut}, leaving {words.sized('output', g.out_shape)}."
        )
        grid = Code(words.grid(y), "The output y:")
    else:
        per_out = g.out_channels // g.groups
        sentence = (
            f"Each of the {g.in_channels * n_in} input values ({g.in_channels} channels of "
            f"{n_in}) stamps value × kernel onto the canvas of each of the {per_out} output "
            f"channel(s) of its group: {words.sized('canvas', g.full_shape)}, "
            f"{words.apart(g.stride)}; {overlap}; an output channel adds up the stamps of its "
            f"group's input channels; {cut}, leaving {g.out_channels} output channels of "
            f"{words.shape(g.out_shape)}."
        )
        grid = Code(words.channel_grid(y, "output channel"), "The output y, channel by channel:")
    return Section("Summary", (Text(lead), size_math(g), grid, Text(sentence)), "summary")


def _crop_phrase(g: Geometry) -> str:
    """``1 is cut off each end of every axis``, ``1 row cut at the start; 1 column cut at
    the start and 1 column cut at the end``, ``1 row of zeros added at the end``."""
    if all(c == (0, 0) for c in g.crops):
        return "nothing is cut off"
    if len(set(g.crops)) == 1 and g.crops[0][0] == g.crops[0][1] > 0:
        axes = " of every axis" if g.ndim > 1 else ""
        return f"{g.crops[0][0]} is cut off each end{axes}"
    every = len(set(g.crops)) == 1 and g.ndim > 1  # the same on every axis: say it once
    nouns = notation.axis_items(g.ndim)
    parts = []
    for a, (lo, hi) in enumerate(g.crops[:1] if every else g.crops):
        bits = []
        for amount, where in ((lo, "start"), (hi, "end")):
            if amount:
                noun = (
                    notation.joined([notation.counted(abs(amount), n) for n in nouns])
                    if every
                    else notation.counted(abs(amount), nouns[a])
                )
                done = "cut" if amount > 0 else "of zeros added"
                bits.append(f"{noun} {done} at the {where}")
        if bits:
            parts.append(" and ".join(bits))
    return "; ".join(parts)


def introduction(geometry: Geometry) -> Section:
    """What a transposed convolution is, against a convolution, and the words used below."""
    text = (
        "A convolution slides a kernel over its input and turns each window into one output "
        "value: many values in, one value out. Written as a matrix it is v = C·u, with u its "
        "input and v its output, each flattened row by row. A transposed "
        "convolution runs the same wiring backwards: each input value multiplies the whole "
        f"kernel and the product is added into the output at the input's place, "
        f"{words.apart(geometry.stride)}. With a stride above 1 the output is larger "
        "than the input: this is how decoders, GANs and U-Nets up-sample. Its matrix is the "
        "transpose of the convolution's: y = Cᵀx. Its input x has the shape of the "
        "convolution's output v, and its output y the shape of the convolution's input u (the "
        "letters below: x in, w the kernel, y out, as in y = Cᵀx)."
    )
    table = (
        "| | convolution | transposed convolution |\n"
        "| --- | --- | --- |\n"
        "| one step | a window → one output | one input → a kernel-sized patch |\n"
        "| matrix | v = C·u | y = Cᵀx |\n"
        "| stride s | down-samples by s | up-samples by s |\n"
        "| padding p | adds p zeros around its input | cuts p off each end of its output |\n"
        "| size | ⌊(L + 2p − d(k−1) − 1)/s⌋ + 1 | (L − 1)s − 2p + d(k−1) + op + 1 |\n"
        "| gradient | of its input: the transposed conv. | of its input: the convolution |"
    )
    terms = (
        "Words used below:\n\n"
        "- **stamp**: one input value times the whole kernel.\n"
        "- **canvas**: the uncropped output every stamp is added into; its position 0, the "
        "**origin**, is where input 0's first kernel tap lands.\n"
        "- **crop**: what padding cuts off the canvas's ends (output_padding gives some back).\n"
        "- **phase**: outputs whose index leaves the same remainder when divided by the "
        "stride; away from the borders, all outputs of a phase are made by the same taps of "
        "the kernel (at the borders some of those taps would need an input beyond the edge, "
        f"so fewer arrive).\n- {TAPS_WORDS}.\n- {FLAT_WORDS}."
    )
    return Section(
        "What a transposed convolution is", (Text(text), Text(table), Text(terms)), "intro"
    )


def problem_section(problem: Problem) -> Section:
    """The numbers: input, kernel, parameters in words."""
    g = problem.geometry
    length = "length " if g.ndim == 1 and g.single_channel else ""
    shapes = (
        f"Input x ({length}{words.shape(problem.x.shape)}), kernel w "
        f"({length}{words.shape(problem.kernel.shape)}); {setting(g)}."
    )
    if problem.inherited:
        kept = " and ".join(
            f"{name} {words.per_axis(g.stride) if name == 'stride' else words.padding(g)}"
            for name in problem.inherited
        )
        shapes += (
            f" ({kept.capitalize()}: the worked example's, kept because "
            f"{'it was' if len(problem.inherited) == 1 else 'they were'} not given; PyTorch's "
            "defaults are stride 1 and padding 0.)"
        )
    if g.flip_kernel:
        shapes += (
            f" The kernel comes from {g.framework}, which correlates with it as given: "
            "every step below uses it reversed on each axis (w[0] is used last)."
        )
    if g.single_channel:
        grids = Code(f"input x\n{words.grid(problem.x)}\n\nkernel w\n{words.grid(problem.kernel)}")
    else:
        blocks = [f"input channel x[{c}]\n{words.grid(x)}" for c, x in enumerate(problem.x)]
        per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
        blocks += [
            f"kernel w[{c}, {o}] (input channel {c} → output channel "
            f"{(c // per_in) * per_out + o})\n{words.grid(w)}"
            for c, row in enumerate(problem.kernel)
            for o, w in enumerate(row)
        ]
        grids = Code("\n\n".join(blocks))
    return Section("The problem", (Text(shapes), grids), "problem")
