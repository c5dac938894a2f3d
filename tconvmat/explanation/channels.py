"""Channels and groups: each output channel sums its group's input channels."""

from __future__ import annotations

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.explanation import words
from tconvmat.explanation.parts import Code, Section, Text
from tconvmat.problem import Problem

MAX_SHOWN_CHANNELS = 4
"""Output channels printed in full; the rest are summarised."""


def channels(problem: Problem, y: np.ndarray) -> Section:
    """y[o] = Σ over the group's input channels c of ConvT(x[c], w[c, o − g·opg])."""
    g = problem.geometry
    per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
    single = ConvTranspose(
        g.in_shape,
        g.kernel_shape,
        g.stride,
        g.padding,
        g.dilation,
        g.output_padding,
        flip_kernel=g.flip_kernel,
        framework=g.framework,
    )
    text = (
        f"{g.in_channels} input channels, {g.out_channels} output channels, {g.groups} "
        f"group(s): each group has {per_in} input and {per_out} output channel(s). The weight "
        f"has shape {words.shape(g.weight_shape)} (in, out per group, kernel): w[c, o] is the "
        "kernel from input channel c to output channel o of c's group. Output channel o "
        "is the sum, over its group's input channels c, of the single-channel transposed "
        "convolutions of x[c] with w[c, o]: channels mix by addition, exactly like overlapping "
        "stamps. C is block-diagonal per group."
    )
    parts: list = [Text(text)]
    for o in range(min(g.out_channels, MAX_SHOWN_CHANNELS)):
        group, local = divmod(o, per_out)
        blocks = []
        for c in range(group * per_in, (group + 1) * per_in):
            contribution = single.apply(problem.x[c], problem.kernel[c, local])
            blocks.append(
                f"from input channel {c} (kernel w[{c}, {local}]):\n{words.grid(contribution)}"
            )
        parts.append(
            Code(
                "\n\n".join(blocks) + f"\n\nsum = y[{o}]:\n{words.grid(y[o])}",
                f"Output channel {o} (group {group}):",
            )
        )
    if g.out_channels > MAX_SHOWN_CHANNELS:
        parts.append(
            Text(f"({g.out_channels - MAX_SHOWN_CHANNELS} more output channels, the same way.)")
        )
    return Section("Channels and groups", tuple(parts), "channels")
