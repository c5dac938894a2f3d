"""The fixes for a Keras merge that does not fit, each as a line of Keras code.

For the Conv*DTranspose layer that produced the wrong size: the ``output_padding`` that
restores it (which values Keras accepts and what they give is
:func:`tconvmat.conventions.from_keras`'s to say); for the merge itself: ``ZeroPadding*D``
(or ``Cropping*D``) on the up-sampled tensor, or ``Cropping*D`` on the skip.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from tconvmat.conventions.keras import from_keras
from tconvmat.inspection.mismatch import Fix, Mismatch, shape_text
from tconvmat.inspection.report import Layer


def _constructor(layer: Any, output_padding: tuple[int, ...]) -> str:
    words = [str(layer.filters), str(tuple(layer.kernel_size))]
    words.append(f"strides={tuple(layer.strides)}")
    words.append(f"padding={layer.padding!r}")
    words.append(f"output_padding={output_padding}")
    if max(layer.dilation_rate) > 1:
        words.append(f"dilation_rate={tuple(layer.dilation_rate)}")
    if layer.data_format != "channels_last":
        words.append(f"data_format={layer.data_format!r}")
    if not layer.use_bias:
        words.append("use_bias=False")
    words.append(f"name={layer.name!r}")
    return f"layers.{type(layer).__name__}({', '.join(words)})"


def resize(row: Layer, layer: Any, target: tuple[int, ...]) -> list[Fix]:
    """The ``output_padding`` that makes the Conv*DTranspose ``layer`` give ``target``."""
    g = row.geometry
    if g is None or not row.transposed:
        return []
    kernel, stride = tuple(layer.kernel_size), tuple(layer.strides)
    dilation = tuple(layer.dilation_rate)
    for need in itertools.product(*(range(s) for s in stride)):
        try:
            out = from_keras(g.in_shape, kernel, stride, layer.padding, need, dilation).out_shape
        except ValueError:
            continue
        if out == target:
            return [
                Fix(
                    "output_padding",
                    f"give {row.name} output_padding={need}: {shape_text(g.in_shape)} → "
                    f"{shape_text(target)} (for this input size)",
                    f"x = {_constructor(layer, need)}(x)",
                    need,
                    row.name,
                )
            ]
    why = (
        f"no output_padding below the strides {stride} makes {row.name} give "
        f"{shape_text(target)} (Keras's rule)"
    )
    return [Fix("none", why, "", (), row.name)]


def _widths(values: list[tuple[int, int]]) -> str:
    return str(values[0]) if len(values) == 1 else str(tuple(values))


def _layer_line(kind: str, pairs: list[tuple[int, int]], channels_last: bool) -> str:
    ndim = len(pairs)
    name = f"{kind}{ndim}D"
    argument = _widths(pairs)
    if not channels_last and ndim > 1:
        argument += ", data_format='channels_first'"
    return f"layers.{name}({argument})"


def fixes(
    mismatch: Mismatch,
    rows: dict[str, Layer],
    layers: dict[str, Any],
    spatial: Callable[[int], tuple[int, ...]],
) -> list[Fix]:
    """Every fix for a merge that does not fit: the layer's, then padding or cropping."""
    found: list[Fix] = []
    culprit = mismatch.culprit
    if culprit is not None and culprit.name in rows and rows[culprit.name].transposed:
        target = tuple(
            n + mismatch.other[a] - mismatch.changed[a] if a in mismatch.axes else n
            for a, n in enumerate(culprit.out_shape)
        )
        axes = spatial(len(target))
        found += resize(rows[culprit.name], layers[culprit.name], tuple(target[a] for a in axes))
    axes = spatial(len(mismatch.changed))
    channels_last = axes[0] == 1
    delta = [mismatch.other[a] - mismatch.changed[a] for a in axes]
    grow = [(0, max(d, 0)) for d in delta]
    shrink = [(0, max(-d, 0)) for d in delta]
    lines = []
    if any(d > 0 for d in delta):
        lines.append(f"x = {_layer_line('ZeroPadding', grow, channels_last)}(x)")
    if any(d < 0 for d in delta):
        lines.append(f"x = {_layer_line('Cropping', shrink, channels_last)}(x)")
    got, want = mismatch.sizes
    before = f"before {mismatch.name} (for inputs of this size)"
    found.append(
        Fix(
            "pad",
            f"pad (or crop) the up-sampled tensor x to the skip's size ({'×'.join(map(str, got))}"
            f" → {'×'.join(map(str, want))}) {before}",
            "\n".join(lines),
            tuple(delta),
        )
    )
    if all(d >= 0 for d in delta):
        found.append(
            Fix(
                "crop",
                f"crop the skip to x's size ({'×'.join(map(str, want))} → "
                f"{'×'.join(map(str, got))}) {before} (the following levels then need the same)",
                f"skip = {_layer_line('Cropping', grow, channels_last)}(skip)",
                tuple(-d for d in delta),
            )
        )
    return found
