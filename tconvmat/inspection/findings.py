"""Findings per layer, each with its fix: uneven overlap, a size the decoder does not restore,
and how to write the layer in another framework."""

from __future__ import annotations

import math

from tconvmat.api import ConvTranspose
from tconvmat.inspection.report import Layer
from tconvmat.overlap import overlap_counts


def overlap(layer: Layer) -> None:
    """Set ``uneven_overlap`` and ``tap_counts``; explain the checkerboard risk and its fix."""
    g = layer.geometry
    if g is None or not layer.transposed:
        return
    report = overlap_counts(g)
    layer.tap_counts = [list(a.per_phase) for a in report.axes]
    layer.uneven_overlap = not report.even
    if report.even:
        return
    fixes = {
        a: f"kernel {math.ceil(k / s) * s} (a multiple of stride {s})"
        for a, (k, s, d) in enumerate(zip(g.kernel_shape, g.stride, g.dilation, strict=True))
        if k % s and d == 1
    }
    suggestion = _per_axis(fixes, g.ndim) or "a kernel the stride divides"
    layer.findings.append(
        f"{report.verdict}: the checkerboard risk. "
        f"Fix: {suggestion} (adjust padding to keep the size; "
        "`tconvmat solve` lists the options), or resize (nearest/bilinear) then a stride-1 "
        "convolution."
    )


def mirrors(layers: list[Layer]) -> None:
    """Pair each transposed layer with the strided convolution it undoes; check the size.

    Encoder convolutions with a stride above 1 are pushed on a stack; a transposed layer
    whose input size is the top's output size mirrors it, and should give back its input
    size (the skip connection's size in a U-Net).
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
            if encoder.out_shape[2:] == layer.in_shape[2:]:
                del stack[n]
                _restores(layer, encoder)
                break
        else:
            _multiplies(layer)


def _multiplies(layer: Layer) -> None:
    """With no encoder to mirror, a strided up-sampler is expected to multiply by its stride."""
    g = layer.geometry
    assert g is not None
    if max(g.stride) == 1:
        return
    wanted = tuple(i * s for i, s in zip(layer.in_shape[2:], g.stride, strict=True))
    got = layer.out_shape[2:]
    if got == wanted:
        return
    fixes = {}
    for a, (w, o, s, d, op) in enumerate(
        zip(wanted, got, g.stride, g.dilation, g.output_padding, strict=True)
    ):
        if w != o:
            need = op + (w - o)
            fixes[a] = (
                f"output_padding {need}"
                if 0 <= need < max(s, d)
                else f"other padding (`tconvmat solve {g.in_shape[a]} {w}`)"
            )
    layer.findings.append(
        f"{'×'.join(map(str, layer.in_shape[2:]))} → {'×'.join(map(str, got))} is not "
        f"stride × input ({'×'.join(map(str, wanted))}), the size an up-sampling decoder "
        f"usually needs; check the layers after it. For ×stride: {_per_axis(fixes, g.ndim)}."
    )


def _restores(layer: Layer, encoder: Layer) -> None:
    g = layer.geometry
    assert g is not None
    wanted, got = encoder.in_shape[2:], layer.out_shape[2:]
    if wanted == got:
        return
    fixes = {}
    for a, (w, o, s, d, op) in enumerate(
        zip(wanted, got, g.stride, g.dilation, g.output_padding, strict=True)
    ):
        if w == o:
            continue
        need = op + (w - o)
        if 0 <= need < max(s, d):
            fixes[a] = f"output_padding {need}"
        else:
            fixes[a] = f"other padding for {o} → {w} (`tconvmat solve {g.in_shape[a]} {w}`)"
    layer.findings.append(
        f"gives {'×'.join(map(str, got))} where the encoder layer {encoder.name} took "
        f"{'×'.join(map(str, wanted))} (its mirror in a U-Net or autoencoder): the floor of "
        f"the encoder's size formula lost it. Fix: {_per_axis(fixes, g.ndim)}."
    )


def _per_axis(fixes: dict[int, str], ndim: int) -> str:
    """One fix for every axis when they agree, else ``axis 0: …; axis 1: …``."""
    if len(fixes) == ndim and len(set(fixes.values())) == 1:
        return next(iter(fixes.values())) + (" on every axis" if ndim > 1 else "")
    return "; ".join(f"axis {a}: {text}" for a, text in fixes.items())


def conversion(layer: Layer) -> None:
    """How to reproduce the transposed layer elsewhere (``tconvmat convert``)."""
    g = layer.geometry
    if g is None or not layer.transposed:
        return
    shape = "x".join(map(str, g.in_shape))
    kernel = "x".join(map(str, g.kernel_shape))
    stride = ",".join(map(str, g.stride))
    dilation = ",".join(map(str, g.dilation))
    layer.convert = (
        f"tconvmat convert --from jax --in-shape {shape} --kernel-shape {kernel} --stride "
        f"{stride} --dilation {dilation} --padding={_jax_pads(g)} --transpose-kernel"
        + " --to tensorflow"
    )


def _jax_pads(g: ConvTranspose) -> str:
    return ",".join("{}:{}".format(*a.zero_insertion_padding()) for a in g.axes)


def all_findings(layers: list[Layer]) -> None:
    for layer in layers:
        overlap(layer)
    mirrors(layers)
    for layer in layers:
        conversion(layer)
