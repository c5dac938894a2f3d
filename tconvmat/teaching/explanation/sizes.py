"""The output size, and what each parameter does, with this problem's numbers on every axis."""

from __future__ import annotations

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.autoencoder import beyond_stride, beyond_stride_words
from tconvmat.teaching.explanation.basics import size_math
from tconvmat.teaching.explanation.parts import Section, Text
from tconvmat.text import notation


def _by_axis(geometry: Geometry, describe) -> str:  # type: ignore[no-untyped-def]
    """``describe(axis)`` for every axis, shared where axes are identical (one sentence)."""
    names = [notation.axis_label(a, geometry.ndim) for a in range(geometry.ndim)]
    found: dict[str, list[str]] = {}
    for a, line in enumerate(geometry.axes):
        found.setdefault(describe(a, line), []).append(names[a])
    if len(found) == 1:
        return next(iter(found))
    return "; ".join(f"{' and '.join(axes)}: {text}" for text, axes in found.items())


def _indices(values: list[int]) -> str:
    """``index 6``, ``indices 6, 7``: canvas places named so they cannot be read as a count."""
    return f"{'index' if len(values) == 1 else 'indices'} {words.listing(values)}"


def _output_padding(geometry: Geometry, a: int) -> str:
    """``1: the output gains 1 position past the canvas's end (canvas index 6): a zero``."""
    op = geometry.output_padding[a]
    hi = geometry.padding[a][1]
    line = geometry.axes[a]
    if op == 0:
        return "0, nothing is given back"
    end = line.canvas().window.stop
    restored = list(range(end - op, end))
    origin = line.canvas().origin
    real = [p for p in restored if origin <= p < origin + line.full_length]
    past = [p for p in restored if p not in real]
    item = notation.axis_items(1)[0]
    kept = (
        f"{notation.counted(len(real), item)} the padding {hi} would have cut (canvas "
        f"{_indices(real)}): "
        + ("a real canvas value, not a zero" if len(real) == 1 else "real canvas values, not zeros")
    )
    beyond = (
        f"{notation.counted(len(past), item)} past the canvas's end (canvas {_indices(past)}): "
        + ("a zero" if len(past) == 1 else "zeros")
    )
    what = kept if not past else beyond if not real else f"{kept}, and {beyond}"
    return f"{op}: the output gains {what}"


def sizes(geometry: Geometry) -> Section:
    """The formula, then one bullet per parameter, in this problem's numbers."""
    g = geometry
    stride = _by_axis(
        g,
        lambda a, line: (
            f"{line.stride}, stamps start at canvas positions "
            f"{words.listing(line.on_canvas(np.arange(line.size), 0).tolist())}"
        ),
    )
    kernel = _by_axis(
        g,
        lambda a, line: (
            f"{line.kernel}, each stamp spans {notation.counted(line.extent, 'position')}"
            + (f" (taps {line.dilation} apart)" if line.dilation > 1 else "")
        ),
    )
    dilation = _by_axis(
        g,
        lambda a, line: (
            f"{line.dilation}, tap j of input i lands at i·{line.stride} + j·{line.dilation} "
            f"(j = 0 … {line.kernel - 1})"
        ),
    )
    canvas = _by_axis(
        g,
        lambda a, line: (
            f"({line.size} − 1)·{line.stride} + {line.dilation}·({line.kernel} − 1) + 1 = "
            f"{line.full_length}"
        ),
    )
    padding = _by_axis(
        g,
        lambda a, line: (
            f"{g.padding[a][0]} cut at the start and {g.padding[a][1]} at the end"
            if g.padding[a][0] >= 0 and g.padding[a][1] >= 0
            else f"crops {g.crops[a][0]} and {g.crops[a][1]} (negative: zeros added)"
        ),
    )
    output_padding = _by_axis(g, lambda a, line: _output_padding(g, a))
    bullets = "\n".join(
        [
            f"- **stride** {stride}. The input's L_in − 1 gaps become (L_in − 1)·s positions.",
            f"- **kernel size** {kernel}.",
            f"- **dilation** {dilation}.",
            f"- Together the canvas has length (L_in − 1)·s + d·(k − 1) + 1: {canvas}; "
            f"{words.shape(g.full_shape)} in all.",
            f"- **padding** {padding}. A convolution's padding adds zeros around its input; "
            "its transpose cuts the same amount off the canvas.",
            f"- **output_padding** {output_padding}. It exists because the forward "
            "convolution rounds down: several sizes shrink to the same one, and "
            "output_padding picks which of them to give back (see the autoencoder section)."
            + (f" Here {beyond_stride_words(g)}." if beyond_stride(g) else ""),
            f"- Output: {words.shape(g.out_shape)}.",
        ]
    )
    return Section(
        "The output size, and what each parameter does", (size_math(g), Text(bullets)), "sizes"
    )
