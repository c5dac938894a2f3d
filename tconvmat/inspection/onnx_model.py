"""Every Conv/ConvTranspose node of an ONNX model, with the shapes it sees.

The ``onnx`` package reads the model; ONNX's shape inference gives the shapes of
every other op's outputs; each convolution node's geometry comes from tconvmat's own
converter (:func:`tconvmat.conventions.from_onnx`, every attribute), and its output
shape is checked against the inferred one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tconvmat import rules
from tconvmat.api import ConvTranspose
from tconvmat.conventions.onnx import from_onnx
from tconvmat.inspection.findings import all_findings
from tconvmat.inspection.report import Layer, Report


def _load(model: Any) -> Any:
    try:
        import onnx
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            'reading ONNX files needs the onnx package: pip install "tconvmat[onnx]"'
        ) from None
    if isinstance(model, str | Path):
        path = Path(model)
        if not path.is_file():
            raise ValueError(f"{str(path)!r} is not a file")
        try:
            return onnx.load(str(path))
        except Exception as error:
            raise ValueError(f"{str(path)!r} is not a readable ONNX model: {error}") from None
    if isinstance(model, onnx.ModelProto):
        return model
    raise TypeError(f"expected an ONNX file name or onnx.ModelProto, got {type(model).__name__}")


def _dims(value_info: Any) -> tuple[Any, ...] | None:
    tensor = value_info.type.tensor_type
    if not tensor.HasField("shape"):
        return None
    return tuple(
        d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in tensor.shape.dim
    )


def _shapes(model: Any, overrides: dict[str, tuple[int, ...]]) -> dict[str, tuple[Any, ...]]:
    """Shape of every tensor: graph inputs (with the user's overrides), inferred, initializers."""
    import onnx
    from onnx import shape_inference

    model = onnx.ModelProto.FromString(model.SerializeToString())
    for graph_input in model.graph.input:
        if graph_input.name in overrides:
            dims = graph_input.type.tensor_type.shape.dim
            wanted = overrides[graph_input.name]
            del dims[:]
            for n in wanted:
                dims.add().dim_value = n
    try:
        inferred = shape_inference.infer_shapes(model, strict_mode=False)
    except Exception as error:
        raise ValueError(f"ONNX shape inference failed on this model: {error}") from None
    shapes: dict[str, tuple[Any, ...]] = {}
    graph = inferred.graph
    for info in [*graph.input, *graph.value_info, *graph.output]:
        dims = _dims(info)
        if dims is not None:
            shapes[info.name] = dims
    for initializer in graph.initializer:
        shapes[initializer.name] = tuple(initializer.dims)
    return shapes


def _attributes(node: Any) -> dict[str, Any]:
    from onnx import helper

    found = {}
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        found[attribute.name] = (
            value.decode()
            if isinstance(value, bytes)
            else (list(value) if isinstance(value, list | tuple) else value)
        )
    return found


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


def _layer(node: Any, shapes: dict[str, tuple[Any, ...]], index: int) -> Layer:
    name = node.name or f"{node.op_type}_{index}"
    attributes = _attributes(node)
    found_in = shapes.get(node.input[0])
    found_weight = shapes.get(node.input[1]) if len(node.input) > 1 else None
    out_shape = shapes.get(node.output[0])
    transposed = node.op_type == "ConvTranspose"
    if (
        found_in is None
        or found_weight is None
        or not all(isinstance(n, int) and n > 0 for n in (*found_in, *found_weight))
    ):
        return Layer(
            name,
            node.op_type,
            tuple(found_in or ()),
            tuple(out_shape or ()),
            None,
            transposed,
            findings=[
                f"the shapes of its input ({found_in}) or weight ({found_weight}) are not "
                "known; give the input's shape (--input-shape NAME=1x3x64x64)"
            ],
            attributes=attributes,
        )
    in_shape: tuple[int, ...] = tuple(found_in)
    weight: tuple[int, ...] = tuple(found_weight)
    ndim = len(in_shape) - 2
    spatial = tuple(in_shape[2:])
    kernel = tuple(attributes.get("kernel_shape", weight[2:]))
    stride = tuple(attributes.get("strides", [1] * ndim))
    dilation = tuple(attributes.get("dilations", [1] * ndim))
    group = int(attributes.get("group", 1))
    findings: list[str] = []
    try:
        if transposed:
            geometry = from_onnx(
                spatial,
                kernel,
                stride,
                attributes.get("pads"),
                attributes.get("output_padding", [0] * ndim),
                dilation,
                attributes.get("auto_pad", "NOTSET"),
                attributes.get("output_shape"),
                in_channels=in_shape[1],
                out_channels=weight[1] * group,
                group=group,
            )
            ours = (in_shape[0], geometry.out_channels, *geometry.out_shape)
        else:
            pads = _conv_pads(attributes, spatial, kernel, stride, dilation)
            geometry = ConvTranspose.from_conv(
                spatial, kernel, stride, pads, dilation, weight[0], in_shape[1], group
            )
            ours = (in_shape[0], geometry.in_channels, *geometry.in_shape)
    except ValueError as error:
        return Layer(
            name,
            node.op_type,
            tuple(in_shape),
            tuple(out_shape or ()),
            None,
            transposed,
            findings=[f"tconvmat cannot express this node: {error}"],
            attributes=attributes,
        )
    inferred = out_shape is not None and all(isinstance(n, int) and n > 0 for n in out_shape)
    if inferred and tuple(out_shape or ()) != ours:
        findings.append(
            f"ONNX shape inference says {'×'.join(map(str, out_shape or ()))}, the attributes give "
            f"{'×'.join(map(str, ours))}; runtimes follow the attributes"
        )
    return Layer(
        name,
        node.op_type,
        tuple(in_shape),
        ours,
        geometry,
        transposed,
        findings=findings,
        attributes=attributes,
    )


def inspect_onnx(model: Any, input_shapes: dict[str, tuple[int, ...]] | None = None) -> Report:
    """Every Conv/ConvTranspose node of an ONNX model (a file name or ``onnx.ModelProto``).

    ``input_shapes`` fixes graph inputs with symbolic dimensions, e.g. ``{"x": (1, 3, 64, 64)}``.
    """
    loaded = _load(model)
    overrides = {k: tuple(int(n) for n in v) for k, v in (input_shapes or {}).items()}
    names = {i.name for i in loaded.graph.input}
    unknown = set(overrides) - names
    if unknown:
        raise ValueError(
            f"the model has no input named {sorted(unknown)[0]!r}; its inputs are {sorted(names)}"
        )
    shapes = _shapes(loaded, overrides)
    layers = [
        _layer(node, shapes, n)
        for n, node in enumerate(loaded.graph.node)
        if node.op_type in ("Conv", "ConvTranspose")
    ]
    all_findings(layers)
    source = str(model) if isinstance(model, str | Path) else (loaded.graph.name or "ONNX model")
    return Report(source, layers)
