"""The output size, and what each parameter does, with this problem's numbers on every axis."""

from __future__ import annotations

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


def _output_padding(geometry: Geometry, a: int) -> str:
    op = geometry.output_padding[a]
    hi = geometry.padding[a][1]
    line = geometry.axes[a]
    if op == 0:
        return "0, nothing is given back"
    end = line.canvas().window.stop
    restored = list(range(end - op, end))
    real = [
        p for p in restored if line.canvas().origin <= p < line.canvas().origin + line.full_length
    ]
    if len(real) == op:
        what = (
            f"canvas position(s) {words.listing(restored)}, which the padding {hi} would have "
            "cut: real canvas values, not zeros"
        )
    elif not real:
        what = f"position(s) {words.listing(restored)} past the canvas's end: zeros"
    else:
        what = (
            f"canvas position(s) {words.listing(real)} (real values) and "
            f"{op - len(real)} zero(s) past the canvas's end"
        )
    return f"{op}: the output keeps {what}"


def sizes(geometry: Geometry) -> Section:
    """The formula, then one bullet per parameter, in this problem's numbers."""
    g = geometry
    stride = _by_axis(
        g,
        lambda a, line: (
            f"{line.stride}, stamps start at canvas positions "
            f"{words.listing([line.on_canvas(i, 0) for i in range(line.size)])}"
        ),
    )
    kernel = _by_axis(
        g,
        lambda a, line: (
            f"{line.kernel}, each stamp spans {line.extent} position(s)"
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
