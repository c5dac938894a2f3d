"""The autoencoder story: the encoder convolution this layer mirrors, output_padding, and
why the transposed convolution restores the shape but is not the inverse."""

from __future__ import annotations

import numpy as np

from tconvmat import _text, axis, rules
from tconvmat.explanation import words
from tconvmat.explanation.parts import Section, Text
from tconvmat.inverse import transpose_versus_inverse
from tconvmat.problem import Problem

MAX_DENSE_ENTRIES = 400**2
"""The transposed-versus-inverse comparison forms C densely; larger problems skip it."""


def _encoder(problem: Problem) -> str:
    g = problem.geometry
    lines = []
    for name, line, (lo, hi) in zip(words.axis_names(g.ndim), g.axes, g.padding, strict=True):
        count = axis.forward_count(
            line.output_length, line.kernel, line.stride, line.dilation, (lo, hi)
        )
        formula = _text.conv_size_formula_numbers(
            line.output_length, line.kernel, line.stride, line.dilation, (lo, hi), count
        )
        lines.append(f"{name}: {formula}")
    return "\n".join(lines)


def _sizes_that_shrink_alike(problem: Problem) -> list[str]:
    g = problem.geometry
    found = []
    for name, line, (lo, hi), op in zip(
        words.axis_names(g.ndim), g.axes, g.padding, g.output_padding, strict=True
    ):
        smallest = line.output_length - op
        sizes = [
            size
            for size in range(
                smallest, smallest + rules.output_padding_limit(line.stride, line.dilation)
            )
            if axis.forward_length(size, line.kernel, line.stride, line.dilation, (lo, hi))[0]
            == line.size
        ]
        if len(sizes) > 1:
            choices = ", ".join(f"output_padding {size - smallest} gives {size}" for size in sizes)
            found.append(
                f"{name}: sizes {words.listing(sizes)} "
                f"{'both' if len(sizes) == 2 else 'all'} shrink to {line.size}; {choices}"
            )
    return found


def autoencoder(problem: Problem) -> Section:
    """Mirror, output_padding, and transposed versus inverse with a fair measure."""
    g = problem.geometry
    kernel = words.shape(g.kernel_shape)
    mirror = (
        f"In an autoencoder or U-Net this layer undoes the shape change of an encoder "
        f"convolution with the same kernel size ({kernel}), stride and padding: that "
        f"convolution takes {words.sized('feature map', g.out_shape)} to "
        f"{words.sized('map', g.in_shape)}: x = C·u for a map u of y's shape, with the floor "
        "of its size formula:"
    )
    parts: list = [Text(mirror), Text("```\n" + _encoder(problem) + "\n```")]
    parts.append(
        Text(
            f"The transposed convolution takes {words.shape(g.in_shape)} back to "
            f"{words.shape(g.out_shape)}. It restores the encoder's *shape*, not its values: "
            "the decoder learns its own kernel, and even with the encoder's kernel it would "
            "compute Cᵀ(C·u), which is not u."
        )
    )
    alike = _sizes_that_shrink_alike(problem)
    if alike:
        parts.append(
            Text(
                "Why output_padding exists: the encoder's floor maps several sizes onto one, "
                "so the decoder must be told which one to restore.\n\n"
                + "\n".join(f"- {line}." for line in alike)
            )
        )
    else:
        parts.append(
            Text(
                "Here no other size shrinks to the same input size, so output_padding has "
                "nothing to choose (it matters when the stride is above 1: the floor of the "
                "convolution's size formula then maps s sizes onto one)."
            )
        )
    finite = problem.numeric and bool(np.isfinite(problem.kernel).all())
    if finite and g.single_channel and np.prod(g.matrix_shape) <= MAX_DENSE_ENTRIES:
        report = transpose_versus_inverse(g, problem.kernel.astype(float).real)
        rows, columns = g.matrix_shape
        lost = columns - report.rank
        fair = (
            f"Transposed is not inverse. Take a random map u of y's shape, convolve it "
            f"(x = C·u), and try to get u back. Cᵀx misses by {report.transpose_error:.3g} "
            "(relative error), but much of "
            f"that is only scale: the best multiple of Cᵀx (α = {report.best_scale:.3g}) still "
            f"misses by {report.scaled_error:.3g}. The least-squares inverse, the best any "
            f"linear map can do, misses by {report.least_squares_error:.3g}"
        )
        if lost > 0:
            fair += (
                f", because C ({rows} × {columns}) has rank {report.rank}: the convolution "
                f"forgets {lost} direction(s) of y-shaped maps, and no linear map from x alone "
                "can bring them back (a decoder with more to go on can: a U-Net's skip "
                "connection, or what it has learned typical inputs look like)."
            )
        else:
            fair += "; C has full column rank here, so u is recoverable, just not by Cᵀ."
        parts.append(Text(fair))
    return Section("In an autoencoder: what this layer undoes", tuple(parts), "autoencoder")
