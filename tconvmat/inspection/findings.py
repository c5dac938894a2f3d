"""Findings per layer, each with its fix: uneven overlap, a size the decoder does not restore,
and how to write the layer in another framework."""

from __future__ import annotations

import math
from collections.abc import Callable

from tconvmat.analysis.overlap import axis_overlap, taps_sentence
from tconvmat.inspection.mismatch import Fix, code_text, shape_text
from tconvmat.inspection.report import Layer


def overlap(layer: Layer) -> None:
    """Set ``uneven_overlap`` and ``tap_counts``; explain the checkerboard risk and its fix.

    Per axis only (the interior counts per phase): nothing the size of the output is built,
    so a layer of any size is inspected in constant memory.
    """
    g = layer.geometry
    if g is None or not layer.transposed:
        return
    # overlap_counts would build the output's grid: its per-axis parts and verdict instead
    axes = tuple(axis_overlap(a.kernel, a.stride, a.dilation) for a in g.axes)
    layer.tap_counts = [list(a.per_phase) for a in axes]
    layer.uneven_overlap = not all(a.even for a in axes)
    if not layer.uneven_overlap:
        return
    verdict = taps_sentence(axes, g.ndim) + ", the first cause of checkerboard artefacts"
    fixes = {
        a: f"kernel {math.ceil(k / s) * s} (a multiple of stride {s})"
        for a, (k, s, d) in enumerate(zip(g.kernel_shape, g.stride, g.dilation, strict=True))
        if k % s and d == 1
    }
    suggestion = _per_axis(fixes, g.ndim) or "a kernel the stride divides"
    layer.findings.append(
        f"{verdict}. Fix: {suggestion} (adjust padding to keep the size; "
        "`tconvmat solve` lists the options), or resize (nearest/bilinear) then a stride-1 "
        "convolution."
    )


Resize = Callable[[Layer, tuple[int, ...]], list[Fix]]
"""A framework's fixes that make a transposed layer give a size (``output_padding``, …)."""


def sizes(layer: Layer) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The spatial sizes the layer takes and gives, read from its geometry (any layout)."""
    g = layer.geometry
    assert g is not None
    return (g.in_shape, g.out_shape) if layer.transposed else (g.out_shape, g.in_shape)


def mirrors(layers: list[Layer], resize: Resize | None = None) -> None:
    """Pair each transposed layer with the strided convolution it undoes; check the size.

    Encoder convolutions with a stride above 1 are pushed on a stack; a transposed layer
    whose input size is the top's output size mirrors it, and should give back its input
    size (the skip connection's size in a U-Net). ``resize`` writes the framework's fix.
    """
    stack: list[Layer] = []
    for layer in layers:
        g = layer.geometry
        if g is None:
            continue
        if not layer.transposed and max(g.stride) > 1:
            stack.append(layer)
            continue
        if not layer.transposed:
            continue
        for n in range(len(stack) - 1, -1, -1):
            encoder = stack[n]
            if sizes(encoder)[1] == sizes(layer)[0]:
                del stack[n]
                _restores(layer, encoder, resize)
                break
        else:
            _multiplies(layer, resize)


def _fix_text(layer: Layer, wanted: tuple[int, ...], resize: Resize | None) -> str:
    """The framework's fix for giving ``wanted``, else where to look for another padding."""
    found = resize(layer, wanted) if resize is not None else []
    fixes = [f for f in found if f.code]
    if fixes:  # code ends the finding: no full stop after it
        return "; or ".join(f"{f.text}{code_text(f.code)}" for f in fixes)
    g = layer.geometry
    assert g is not None
    why = "".join(f"{f.text}; " for f in found)
    solve = dict.fromkeys(  # one command per distinct axis
        f"`tconvmat solve {i} {w}`"
        for i, o, w in zip(g.in_shape, g.out_shape, wanted, strict=True)
        if o != w
    )
    return why + f"other padding ({', '.join(solve)})."


def _multiplies(layer: Layer, resize: Resize | None) -> None:
    """With no encoder to mirror, a strided up-sampler is expected to multiply by its stride."""
    g = layer.geometry
    assert g is not None
    if max(g.stride) == 1:
        return
    wanted = tuple(i * s for i, s in zip(g.in_shape, g.stride, strict=True))
    if g.out_shape == wanted:
        return
    layer.findings.append(
        f"{shape_text(g.in_shape)} → {shape_text(g.out_shape)} is not stride × input "
        f"({shape_text(wanted)}), the size an up-sampling decoder usually needs; check the "
        f"layers after it. For ×stride: {_fix_text(layer, wanted, resize)}"
    )


def _restores(layer: Layer, encoder: Layer, resize: Resize | None) -> None:
    g = layer.geometry
    assert g is not None
    wanted = sizes(encoder)[0]
    if wanted == g.out_shape:
        return
    layer.findings.append(
        f"gives {shape_text(g.out_shape)} where the encoder layer {encoder.name} took "
        f"{shape_text(wanted)} (its mirror in a U-Net or autoencoder): the encoder's size "
        f"formula rounds ({shape_text(wanted)} → {shape_text(g.in_shape)}), so its output "
        f"does not tell its input size. Fix: {_fix_text(layer, wanted, resize)}"
    )


def _per_axis(fixes: dict[int, str], ndim: int) -> str:
    """One fix for every axis when they agree, else ``axis 0: …; axis 1: …``."""
    if len(fixes) == ndim and len(set(fixes.values())) == 1:
        return next(iter(fixes.values())) + (" on every axis" if ndim > 1 else "")
    return "; ".join(f"axis {a}: {text}" for a, text in fixes.items())


Convert = Callable[[Layer], "tuple[str, list[str]] | None"]
"""A framework's own parameters of a transposed layer as ``tconvmat convert`` options:
``(framework, ["--padding", "1,1", …])``, or None when ``convert`` cannot express them."""

TARGET = {"pytorch": "jax", "onnx": "pytorch", "keras": "pytorch"}
"""Which framework's code the suggested ``tconvmat convert`` line prints, per source."""


def conversion(layer: Layer, convert: Convert | None) -> None:
    """The ``tconvmat convert`` command that prints this layer in another framework.

    It names the layer's own framework and parameters (``--from pytorch --padding …``) and
    prints code that computes what the layer computes. ``convert`` has no channel options:
    grouped layers get none.
    """
    g = layer.geometry
    if g is None or not layer.transposed or convert is None or g.groups != 1:
        return
    found = convert(layer)
    if found is None:
        return
    source, options = found
    words = [
        "tconvmat convert --from",
        source,
        "--input-shape",
        "x".join(map(str, g.in_shape)),
        "--kernel-shape",
        "x".join(map(str, g.kernel_shape)),
        "--stride",
        ",".join(map(str, g.stride)),
        "--dilation",
        ",".join(map(str, g.dilation)),
        *options,
        "--to",
        TARGET.get(source, "pytorch"),
    ]
    layer.convert = " ".join(words)


def all_findings(
    layers: list[Layer], resize: Resize | None = None, convert: Convert | None = None
) -> None:
    """Every finding of every layer (``resize``: the framework's size fixes; ``convert``: its
    ``tconvmat convert`` options)."""
    for layer in layers:
        overlap(layer)
    mirrors(layers, resize)
    for layer in layers:
        conversion(layer, convert)
