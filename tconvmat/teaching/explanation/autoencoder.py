"""The autoencoder story: the encoder convolution this layer mirrors, output_padding, and
why the transposed convolution restores the shape but is not the inverse."""

from __future__ import annotations

import bisect

import numpy as np

from tconvmat.analysis.inverse import transpose_versus_inverse
from tconvmat.core import axis
from tconvmat.core.axis import Axis
from tconvmat.core.geometry import Geometry
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Section, Text
from tconvmat.text import notation

MAX_DENSE_ENTRIES = 400**2
"""The transposed-versus-inverse comparison forms C densely; larger problems skip it."""


def _encoder(problem: Problem) -> str:
    g = problem.geometry
    lines = []
    for name, line, (lo, hi) in zip(words.axis_names(g.ndim), g.axes, g.padding, strict=True):
        count = axis.forward_count(
            line.output_length, line.kernel, line.stride, line.dilation, (lo, hi)
        )
        formula = notation.conv_size_formula_numbers(
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
        candidates = range(smallest, smallest + line.stride)  # the floor maps s sizes to one

        def shrunk(size: int, line: Axis = line, pads: tuple[int, int] = (lo, hi)) -> int:
            return axis.forward_length(size, line.kernel, line.stride, line.dilation, pads)[0]

        # the shrunk size never falls as the size grows: those giving the input are one run
        sizes = candidates[
            bisect.bisect_left(candidates, line.size, key=shrunk) : bisect.bisect_right(
                candidates, line.size, key=shrunk
            )
        ]
        if len(sizes) > 1:
            choices = (  # a large stride: the run in one phrase
                f"output_padding {sizes[0] - smallest} to {sizes[-1] - smallest} give "
                f"{sizes[0]} to {sizes[-1]}"
                if len(sizes) > 4
                else ", ".join(f"output_padding {size - smallest} gives {size}" for size in sizes)
            )
            found.append(
                f"{name}: sizes {words.listing(sizes)} "
                f"{'both' if len(sizes) == 2 else 'all'} shrink to {line.size}; {choices}"
            )
    return found


def beyond_stride(geometry: Geometry) -> list[int]:
    """The axes whose output_padding is not smaller than the stride: PyTorch allows it when the
    dilation is larger (``op < max(s, d)``), but the convolution with the same parameters then
    takes the output to ``in + ⌊op/s⌋``, not back to the input size, so no encoder size
    corresponds to it.

    Examples
    --------
    >>> beyond_stride(Geometry((3,), (2,), stride=1, dilation=2, output_padding=1))
    [0]
    >>> beyond_stride(Geometry((3, 3), (3, 3), stride=2, output_padding=1))
    []
    """
    pairs = zip(geometry.output_padding, geometry.stride, strict=True)
    return [a for a, (op, s) in enumerate(pairs) if op >= s]


def beyond_stride_words(geometry: Geometry) -> str:
    """``output_padding 1 is not smaller than the stride 1 (on axis …): PyTorch allows it …``,
    the one wording of :func:`beyond_stride` (the size bullet and the autoencoder section)."""
    axes = beyond_stride(geometry)
    if not axes:
        return ""
    where = (
        ""
        if len(axes) == geometry.ndim
        else " on " + notation.joined([notation.axis_label(a, geometry.ndim) for a in axes])
    )
    a = axes[0]
    op, s, d = geometry.output_padding[a], geometry.stride[a], geometry.dilation[a]
    return (
        f"output_padding {op} is not smaller than the stride {s}{where}: PyTorch allows it "
        f"(it refuses only output_padding ≥ max(stride, dilation), and the dilation is {d}), "
        "but no encoder size corresponds to it, so it only lengthens the output"
    )


def _extra_positions(geometry: Geometry, a: int) -> str:
    """What the positions beyond every encoder size hold along axis ``a``: zeros, or canvas
    values the padding would have cut."""
    line = geometry.axes[a]
    extra = geometry.output_padding[a] - line.stride + 1
    real = sum(
        0 <= t + line.crop[0] < line.full_length
        for t in range(line.output_length - extra, line.output_length)
    )
    parts = []
    if real:
        parts.append(f"{real} canvas value(s) the padding would have cut")
    if extra - real:
        parts.append(f"{extra - real} zero(s) past the canvas")
    return " and ".join(parts)


def measures_inverse(problem: Problem) -> str:
    """``''`` when the explanation measures transposed against inverse (the paragraph
    "Transposed is not inverse" is printed), else why not."""
    g = problem.geometry
    if not problem.numeric or not bool(np.isfinite(problem.kernel).all()):
        return "it needs numbers"
    if np.prod(g.matrix_shape) > MAX_DENSE_ENTRIES:
        return f"C has more than {MAX_DENSE_ENTRIES:,} entries, too many to compare densely"
    return ""


def _mirror(problem: Problem) -> list:
    g = problem.geometry
    kernel = words.shape(g.kernel_shape)
    counts = [
        axis.forward_count(line.output_length, line.kernel, line.stride, line.dilation, pads)
        for line, pads in zip(g.axes, g.padding, strict=True)
    ]
    formula = Text("```\n" + _encoder(problem) + "\n```")
    if not beyond_stride(g):
        mirror = (
            f"In an autoencoder or U-Net this layer undoes the shape change of an encoder "
            f"convolution with the same kernel size ({kernel}), stride and padding: that "
            f"convolution takes {words.sized('feature map', g.out_shape)} to "
            f"{words.sized('map', g.in_shape)}: x = C·u for a map u of y's shape, with the "
            "floor of its size formula:"
        )
        return [Text(mirror), formula]

    def size(shape: tuple[int, ...]) -> str:
        return f"length {shape[0]}" if g.ndim == 1 else words.shape(shape)

    extra = "; ".join(
        f"{_extra_positions(g, a)}" + ("" if g.ndim == 1 else f" on {words.axis_names(g.ndim)[a]}")
        for a in beyond_stride(g)
    )
    restored = "; ".join(
        f"{'' if g.ndim == 1 else name + ': '}{words.listing(sizes)}"
        for name, sizes in zip(words.axis_names(g.ndim), _encoder_sizes(g), strict=True)
    )
    return [
        Text(
            "In an autoencoder or U-Net a transposed convolution undoes the shape change of an "
            f"encoder convolution with the same kernel size ({kernel}), stride and padding. "
            f"This one cannot. Here {beyond_stride_words(g)}. The convolution with the same "
            f"parameters takes this layer's output ({size(g.out_shape)}) to "
            f"{size(tuple(counts))}, not back to {size(g.in_shape)}:"
        ),
        formula,
        Text(
            f"The sizes that do shrink to {size(g.in_shape)} are {restored} (each with an "
            "output_padding below the stride). The output_padding beyond the stride adds "
            f"{extra}, which no encoder's floor could have dropped."
        ),
    ]


def _encoder_sizes(g: Geometry) -> list[list[int]]:
    """Per axis, the sizes an encoder with the same parameters takes to the input size."""
    return [
        [
            size
            for size in range(line.output_length - op, line.output_length - op + line.stride)
            if axis.forward_length(size, line.kernel, line.stride, line.dilation, pads)[0]
            == line.size
        ]
        for line, pads, op in zip(g.axes, g.padding, g.output_padding, strict=True)
    ]


def autoencoder(problem: Problem) -> Section:
    """Mirror, output_padding, and transposed versus inverse with a fair measure."""
    g = problem.geometry
    parts: list = _mirror(problem)
    if beyond_stride(g):
        restores = "Where a transposed convolution does restore an encoder's shape, it"
    else:
        restores = (
            f"The transposed convolution takes {words.shape(g.in_shape)} back to "
            f"{words.shape(g.out_shape)}. It"
        )
    parts.append(
        Text(
            f"{restores} restores the *shape*, not the values: the decoder learns its own "
            "kernel, and even with the encoder's kernel it would compute Cᵀ(C·u), which is "
            "not u."
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
    elif not beyond_stride(g):
        parts.append(
            Text(
                "Here no other size shrinks to the same input size, so output_padding has "
                "nothing to choose (it matters when the stride is above 1: the floor of the "
                "convolution's size formula then maps s sizes onto one)."
            )
        )
    if not measures_inverse(problem):
        report = transpose_versus_inverse(g, problem.kernel.astype(float).real)
        rows, columns = g.matrix_shape
        lost = columns - report.rank
        fair = (
            f"Transposed is not inverse. Take a random map u of y's shape, convolve it "
            f"(x = C·u), and try to get u back. Cᵀx misses by {report.transpose_error:.3g} "
            "(relative error), but much of "
            f"that is only scale: the best multiple of Cᵀx (α = {report.best_scale:.3g}) still "
            f"misses by {report.scaled_error:.3g}. The least-squares inverse, the best a "
            "single linear map can do for all inputs at once, misses by "
            f"{report.least_squares_error:.3g}"
        )
        if lost > 0:
            fair += (
                f", because C ({rows} × {columns}) has rank {report.rank}: the convolution "
                f"forgets {lost} direction(s) of y-shaped maps, and no linear map from x alone "
                "can bring them back for every u (a decoder with more to go on can: a U-Net's "
                "skip connection, or what it has learned typical inputs look like)."
            )
        else:
            fair += "; C has full column rank here, so u is recoverable, just not by Cᵀ."
        parts.append(Text(fair))
    return Section("In an autoencoder: what this layer undoes", tuple(parts), "autoencoder")
