"""Every Conv/ConvTranspose node of an ONNX model, with the shapes it sees, checked.

The file is read without its weights (:mod:`tconvmat.inspection.onnx_file`); ONNX's shape
inference gives the shapes of every other op's outputs (:mod:`onnx_graph`), subgraphs of
If/Loop/Scan included; each convolution node's attributes are checked as ONNX Runtime checks
them and its geometry comes from tconvmat's converter
(:func:`tconvmat.conventions.from_onnx`, every attribute). A join (Concat, Add, …) whose
inputs do not fit is reported with the layer that made the wrong size and the fixes
(:mod:`onnx_joins`), and inference goes on past it as if fixed.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.core import rules, validation
from tconvmat.inspection import onnx_file, onnx_graph, onnx_joins
from tconvmat.inspection.findings import all_findings
from tconvmat.inspection.mismatch import shape_text
from tconvmat.inspection.onnx_joins import geometry_of
from tconvmat.inspection.report import Layer, Report

CONVOLUTIONS = ("Conv", "ConvTranspose")
AUTO_PADS = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


def _conv_pads(
    attributes: dict[str, Any],
    spatial: tuple[int, ...],
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> list[tuple[int, int]]:
    """The forward Conv's padding per side, from ``pads`` or ``auto_pad``."""
    ndim = len(spatial)
    mode = attributes.get("auto_pad", "NOTSET")
    if mode in ("SAME_UPPER", "SAME_LOWER"):
        return [
            rules.onnx_same_conv_padding(n, k, s, d, mode)
            for n, k, s, d in zip(spatial, kernel, stride, dilation, strict=True)
        ]
    if mode == "VALID":
        return [(0, 0)] * ndim
    return rules.onnx_pairs(list(attributes.get("pads", [0] * (2 * ndim))), ndim)


def refusal(attributes: dict[str, Any], ndim: int) -> str:
    """What ONNX Runtime refuses when it loads the model (its shape inference), or ''.

    Examples
    --------
    >>> refusal({"pads": [-1, 0]}, 1)
    'pads must not contain negative values (got [-1, 0])'
    >>> refusal({"strides": [2, 2]}, 1)
    'strides has 2 entries; a 1-D convolution needs 1'
    """
    sizes = {"kernel_shape": ndim, "strides": ndim, "dilations": ndim, "pads": 2 * ndim}
    sizes.update({"output_padding": ndim, "output_shape": ndim})
    for name, size in sizes.items():
        value = attributes.get(name)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
            return f"{name} must be a list of integers (got {value!r})"
        if len(value) != size:
            return f"{name} has {len(value)} entries; a {ndim}-D convolution needs {size}"
        if name in ("kernel_shape", "strides", "dilations") and min(value, default=1) < 1:
            return f"{name} must only contain positive values (got {value})"
        if min(value, default=0) < 0:
            return f"{name} must not contain negative values (got {value})"
    group = attributes.get("group", 1)
    if not isinstance(group, int) or group < 1:
        return f"group must be a positive integer (got {group!r})"
    if attributes.get("auto_pad", "NOTSET") not in AUTO_PADS:
        return f"auto_pad {attributes['auto_pad']!r} is none of {', '.join(AUTO_PADS)}"
    return ""


def _runtime_problem(
    op: str, in_shape: tuple[int, ...], weight: tuple[int, ...], attributes: dict[str, Any]
) -> str:
    """What ONNX Runtime refuses when it runs the node (shapes against the weight), or ''."""
    if len(weight) != len(in_shape):
        return f"W has shape {shape_text(weight)}, not rank {len(in_shape)} like the input"
    kernel = attributes.get("kernel_shape")
    if kernel is not None and tuple(kernel) != tuple(weight[2:]):
        return (
            f"kernel_shape {kernel} is not compatible with W's shape {shape_text(weight)} "
            f"(kernel {shape_text(weight[2:])})"
        )
    group = attributes.get("group", 1)
    channels = in_shape[1]
    if channels % group:
        return f"the input's {channels} channels are not divisible by group {group}"
    if op == "ConvTranspose" and weight[0] != channels:
        return f"W has {weight[0]} input channels (its first axis), the input {channels}"
    if op == "Conv" and weight[1] * group != channels:
        return f"W takes {weight[1]} × group {group} input channels, the input has {channels}"
    if op == "Conv" and weight[0] % group:
        return f"W's {weight[0]} output channels are not divisible by group {group}"
    return ""


def _known(shape: Any) -> bool:
    return shape is not None and all(isinstance(n, int) and n > 0 for n in shape)


def _layer(name: str, node: Any, shapes: dict[str, tuple[Any, ...]]) -> Layer:
    attributes = onnx_graph.attributes(node)
    found_in = shapes.get(node.input[0]) if node.input else None
    found_weight = shapes.get(node.input[1]) if len(node.input) > 1 else None
    out_shape = shapes.get(node.output[0]) if node.output else None
    transposed = node.op_type == "ConvTranspose"

    def row(in_shape: Any, out: Any, geometry: Any, findings: list[str]) -> Layer:
        return Layer(
            name,
            node.op_type,
            tuple(in_shape or ()),
            tuple(out or ()),
            geometry,
            transposed,
            findings=findings,
            attributes=attributes,
        )

    if not _known(found_in) or not _known(found_weight):
        return row(
            found_in,
            out_shape,
            None,
            [
                f"the shapes of its input ({found_in}) or weight ({found_weight}) are not "
                "known; give the input's shape (--model-input NAME=1x3x64x64)"
            ],
        )
    in_shape: tuple[int, ...] = tuple(found_in)  # type: ignore[arg-type]
    weight: tuple[int, ...] = tuple(found_weight)  # type: ignore[arg-type]
    ndim = len(in_shape) - 2
    problem = refusal(attributes, ndim) if ndim >= 1 else "the input has no spatial axis"
    if problem:
        raise ValueError(f"node {name} ({node.op_type}): {problem}; ONNX Runtime refuses it")
    problem = _runtime_problem(node.op_type, in_shape, weight, attributes)
    if problem:
        return row(in_shape, (), None, [f"ONNX Runtime fails on this node: {problem}"])
    try:
        geometry, ours = _geometry(node.op_type, attributes, in_shape, weight)
    except ValueError as error:
        return row(in_shape, out_shape, None, [f"tconvmat cannot express this node: {error}"])
    findings = []
    if _known(out_shape) and tuple(out_shape or ()) != ours:
        findings.append(
            f"ONNX shape inference says {shape_text(tuple(out_shape or ()))}, the attributes "
            f"give {shape_text(ours)}; runtimes follow the attributes"
        )
    return row(in_shape, ours, geometry, findings)


def _geometry(
    op: str, attributes: dict[str, Any], in_shape: tuple[int, ...], weight: tuple[int, ...]
) -> tuple[ConvTranspose, tuple[int, ...]]:
    """The node's geometry (from the weight's kernel size, never the attribute alone)."""
    ndim = len(in_shape) - 2
    spatial, kernel = tuple(in_shape[2:]), tuple(weight[2:])
    stride = tuple(attributes.get("strides", [1] * ndim))
    dilation = tuple(attributes.get("dilations", [1] * ndim))
    group = int(attributes.get("group", 1))
    if op == "ConvTranspose":
        geometry = geometry_of(attributes, spatial, kernel, in_shape[1], weight[1] * group)
        return geometry, (in_shape[0], geometry.out_channels, *geometry.out_shape)
    pads = _conv_pads(attributes, spatial, kernel, stride, dilation)
    geometry = ConvTranspose.from_conv(
        spatial, kernel, stride, pads, dilation, weight[0], in_shape[1], group
    )
    return geometry, (in_shape[0], geometry.in_channels, *geometry.in_shape)


def _convert_options(layer: Layer) -> tuple[str, list[str]] | None:
    """The node's own attributes as ``tconvmat convert --from onnx`` options."""
    g = layer.geometry
    if g is None:
        return None
    found = layer.attributes
    mode = found.get("auto_pad", "NOTSET")
    if mode != "NOTSET":
        options = ["--padding", mode]
    else:
        pads = rules.onnx_pairs(list(found.get("pads", [0] * (2 * g.ndim))), g.ndim)
        options = ["--padding", ",".join(f"{lo}:{hi}" for lo, hi in pads)]
    if "output_padding" in found:
        options += ["--output-padding", ",".join(map(str, found["output_padding"]))]
    if "output_shape" in found:
        options += ["--output-shape", "x".join(map(str, found["output_shape"]))]
    return "onnx", options


def inspect_onnx(model: Any, input_shapes: dict[str, tuple[int, ...]] | None = None) -> Report:
    """Every Conv/ConvTranspose node of an ONNX model (a file name or ``onnx.ModelProto``).

    ``input_shapes`` fixes graph inputs with symbolic dimensions, e.g. ``{"x": (1, 3, 64, 64)}``.
    Joins that do not fit come as rows where they are, with their fixes
    (``Layer.mismatch``); a node ONNX Runtime would fail on ends ``Report.failure``.
    """
    light, source = onnx_file.load(model)
    overrides = {
        name: tuple(validation.as_int(f"input shape of {name!r}", n) for n in shape)
        for name, shape in (input_shapes or {}).items()
    }
    for name, shape in overrides.items():
        if not shape or min(shape) < 1:
            raise ValueError(f"the input shape of {name!r} must be positive sizes, got {shape}")
    names = {i.name for i in light.graph.input}
    unknown = set(overrides) - names
    if unknown:
        raise ValueError(
            f"the model has no input named {sorted(unknown)[0]!r}; its inputs are {sorted(names)}"
        )
    shapes, joins = onnx_joins.follow(light, overrides)
    layers: list[Layer] = []
    nodes: dict[str, tuple[int, Any]] = {}
    for name, node, index in onnx_graph.walk(light.graph):
        if node.op_type in CONVOLUTIONS:
            layers.append(_layer(name, node, shapes))
            nodes[name] = (index, node)
        if name in joins:
            mismatch = joins[name][2]
            layers.append(
                Layer(
                    name,
                    node.op_type,
                    mismatch.changed,
                    mismatch.other,
                    None,
                    False,
                    mismatch=mismatch,
                )
            )
    by_name = {layer.name: layer for layer in layers if layer.mismatch is None}

    def resize(layer: Layer, target: tuple[int, ...]) -> list[Any]:
        return onnx_joins.resize(layer, *nodes[layer.name], target)

    all_findings(layers, resize, _convert_options)
    for layer in layers:
        if layer.mismatch is not None:
            layer.mismatch.fixes = onnx_joins.fixes(joins[layer.name], light, by_name, nodes)
            layer.findings = layer.mismatch.findings()
    failures = [
        f"{layer.name}: {f}"
        for layer in layers
        for f in layer.findings
        if f.startswith("ONNX Runtime fails")
    ]
    return Report(source, layers, failures[0] if failures else onnx_graph.stops(light, shapes))
