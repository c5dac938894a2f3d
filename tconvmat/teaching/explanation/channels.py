"""Channels and groups: each output channel sums its group's input channels; the steps that
follow walk one (input channel → output channel) pair."""

from __future__ import annotations

import dataclasses

import numpy as np

from tconvmat.problem import Problem, counting
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Figure, Section, Text

MAX_SHOWN_CHANNELS = 4
"""Output channels printed in full; the rest are summarised."""


def kernel_name(problem: Problem, c: int, local: int) -> str:
    """``w[1, 0] (input channel 1 → output channel 2)``: the weight index and what it links."""
    g = problem.geometry
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    o = (c // per_in) * per_out + local
    return f"w[{c}, {local}] (input channel {c} → output channel {o})"


def _channel_blocks(geometry, x: np.ndarray, kernel: np.ndarray, o: int) -> str:  # type: ignore[no-untyped-def]
    """Output channel o as the sum of its group's contributions, each printed."""
    g = geometry
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    group, local = divmod(o, per_out)
    single = dataclasses.replace(g, in_channels=1, out_channels=1, groups=1)
    sources = range(group * per_in, (group + 1) * per_in)
    parts = [single.apply(x[c], kernel[c, local]) for c in sources]
    total = np.sum(parts, axis=0)
    blocks = [
        f"from input channel {c} (kernel w[{c}, {local}]):\n{words.grid(part)}"
        for c, part in zip(sources, parts, strict=True)
    ]
    terms = " + ".join(f"ConvT(x[{c}], w[{c}, {local}])" for c in sources)
    if len(parts) == 1:
        return (
            f"from input channel {sources[0]} (kernel w[{sources[0]}, {local}]), its group's "
            f"only input channel, so nothing to add: y[{o}] = {terms}:\n"
            f"{words.grid(total)}"
        )
    blocks.append(f"sum = y[{o}] = {terms}:\n{words.grid(total)}")
    return "\n\n".join(blocks)


def _groups_one(problem: Problem) -> list:
    """With one input channel per group no sum has two terms: show groups = 1 beside it."""
    g = problem.geometry
    try:
        dense = dataclasses.replace(g, groups=1)
    except ValueError:
        return []
    kernel = counting(dense.weight_shape)
    return [
        Text(
            f"Here every group has one input channel, so no output channel adds anything up. "
            f"With groups = 1 the same {g.in_channels} input channels all feed every output "
            f"channel (weight {words.shape(dense.weight_shape)}, filled with 1, 2, 3, …), and "
            "the channels visibly add:"
        ),
        Code(_channel_blocks(dense, problem.x, kernel, 0), "Output channel 0 with groups = 1:"),
    ]


def channels(problem: Problem, y: np.ndarray, figure: Figure | None = None) -> Section:
    """y[o] = Σ over the group's input channels c of ConvT(x[c], w[c, o − group·per_out])."""
    g = problem.geometry
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    rows, columns = g.matrix_shape
    n_in, n_out = int(np.prod(g.in_shape)), int(np.prod(g.out_shape))
    names = words.axis_names(g.ndim)
    text = (
        f"{g.in_channels} input channels, {g.out_channels} output channels, {g.groups} "
        f"group(s): each group has {per_in} input and {per_out} output channel(s). The weight "
        f"has shape {words.shape(g.weight_shape)}: (input channels, output channels per "
        f"group, kernel {' × '.join(names)}), PyTorch's layout. w[c, o] is the kernel from "
        "input channel c to output channel o of c's group, counted within the group: in "
        f"group k it reaches output channel k·{per_out} + o. Output channel o is the sum, over "
        "its group's input channels c, of the single-channel transposed convolutions of x[c] "
        "with w[c, o]: channels mix by addition, exactly like overlapping stamps."
    )
    matrix = (
        f"C of the whole layer has one row per input value ({g.in_channels} channels × {n_in} "
        f"= {rows}) and one column per output value ({g.out_channels} × {n_out} = {columns}). "
        f"It is made of {g.in_channels} × {g.out_channels} blocks of {n_in} × {n_out}: block "
        "(c, o) is the single-channel C of kernel w[c, o] when c and o share a group, and zero "
        "otherwise" + (" (block-diagonal by group)." if g.groups > 1 else " (every block filled).")
    )
    parts: list = [Text(text), Text(matrix)]
    for o in range(min(g.out_channels, MAX_SHOWN_CHANNELS)):
        group = o // per_out
        parts.append(
            Code(
                _channel_blocks(g, problem.x, problem.kernel, o),
                f"Output channel {o} (group {group}):",
            )
        )
    if g.out_channels > MAX_SHOWN_CHANNELS:
        parts.append(
            Text(f"({g.out_channels - MAX_SHOWN_CHANNELS} more output channels, the same way.)")
        )
    if figure is not None:
        parts.append(figure)
    if per_in == 1 and g.in_channels > 1 and problem.numeric:
        parts += _groups_one(problem)
    parts.append(
        Text(
            "The sections below follow one pair step by step: input channel 0 → output channel "
            f"0, kernel {kernel_name(problem, 0, 0)}. In them x is x[0], w is w[0, 0], and y "
            "is this pair's part of output channel 0"
            + (
                " (all of it: the group has one input channel)."
                if per_in == 1
                else f" (the group's other {per_in - 1} input channel(s) add theirs)."
            )
            + " Every pair works the same way."
        )
    )
    return Section("Channels and groups", tuple(parts), "channels")
