"""The nodes of an ONNX graph (subgraphs of If/Loop/Scan included) and every tensor's shape.

Shapes come from ONNX's own shape inference (``onnx.shape_inference``) on the model's
structure, with the user's input shapes and any tensors inspect has cut off (a join that
does not fit is cut and its input given the size a fix would give, so inference goes on).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["Cuts", "attributes", "elem_type", "infer", "stops", "walk"]


def walk(graph: Any, prefix: str = "") -> Iterator[tuple[str, Any, int]]:
    """Every node with its path and its index in the main graph (-1 inside a subgraph), in
    graph order; a subgraph's nodes follow their If/Loop/Scan.

    Examples
    --------
    >>> from onnx import helper
    >>> body = helper.make_graph([helper.make_node("Relu", ["a"], ["b"], name="r")], "b", [], [])
    >>> node = helper.make_node("If", ["c"], ["d"], name="if", then_branch=body, else_branch=body)
    >>> [(path, n) for path, _, n in walk(helper.make_graph([node], "g", [], []))]
    [('if', 0), ('if/else_branch/r', -1), ('if/then_branch/r', -1)]
    """
    for index, node in enumerate(graph.node):
        name = prefix + (node.name or f"{node.op_type}_{index}")
        yield name, node, -1 if prefix else index
        for attribute in node.attribute:
            bodies = [attribute.g] if attribute.HasField("g") else list(attribute.graphs)
            for n, body in enumerate(bodies):
                label = attribute.name + (f"[{n}]" if len(bodies) > 1 else "")
                yield from walk(body, f"{name}/{label}/")


def _graphs(graph: Any) -> Iterator[Any]:
    yield graph
    for node in graph.node:
        for attribute in node.attribute:
            for body in [attribute.g] if attribute.HasField("g") else attribute.graphs:
                yield from _graphs(body)


def _dims(value_info: Any) -> tuple[Any, ...] | None:
    tensor = value_info.type.tensor_type
    if not tensor.HasField("shape"):
        return None
    return tuple(
        d.dim_value if d.HasField("dim_value") else (d.dim_param or None) for d in tensor.shape.dim
    )


def _set_dims(value_info: Any, shape: tuple[int, ...]) -> None:
    dims = value_info.type.tensor_type.shape.dim
    del dims[:]
    for n in shape:
        dims.add().dim_value = n


Cuts = dict[tuple[int, int], tuple[str, tuple[int, ...], int]]
"""(node index in the main graph, input slot) → (new graph input, its shape, element type)."""


def infer(
    model: Any, overrides: dict[str, tuple[int, ...]], cuts: Cuts | None = None
) -> dict[str, tuple[Any, ...]]:
    """Shape of every tensor: graph inputs (with ``overrides``), inferred, initializers.

    ``cuts``: those node inputs are read from new graph inputs of the given shapes instead
    (on a copy of the model; ``model`` is left as it is).
    """
    import onnx
    from onnx import shape_inference

    work = onnx.ModelProto()
    work.CopyFrom(model)  # the structure only: weights were left out when it was read
    for graph_input in work.graph.input:
        if graph_input.name in overrides:
            _set_dims(graph_input, overrides[graph_input.name])
    for (node_index, slot), (new, shape, elem) in (cuts or {}).items():
        node = work.graph.node[node_index]
        node.input[slot] = new
        if not any(i.name == new for i in work.graph.input):
            info = work.graph.input.add()
            info.name = new
            info.type.tensor_type.elem_type = elem
            _set_dims(info, shape)
    try:
        inferred = shape_inference.infer_shapes(work, strict_mode=False, data_prop=True)
    except Exception as error:
        raise ValueError(f"ONNX shape inference failed on this model: {error}") from None
    shapes: dict[str, tuple[Any, ...]] = {}
    for graph in _graphs(inferred.graph):
        for info in [*graph.input, *graph.value_info, *graph.output]:
            dims = _dims(info)
            if dims is not None:
                shapes.setdefault(info.name, dims)
        for initializer in graph.initializer:
            shapes[initializer.name] = tuple(initializer.dims)
    return shapes


def stops(model: Any, shapes: dict[str, tuple[Any, ...]]) -> str:
    """Where ONNX's shape inference stops in the main graph ('' when it does not): the first
    standard node whose inputs all have sizes and whose output has no shape at all."""
    for path, node, index in walk(model.graph):
        if index < 0 or node.domain not in ("", "ai.onnx"):
            continue
        inputs = [shapes.get(name) for name in node.input if name]
        known = all(
            shape is not None and all(isinstance(n, int) for n in shape) for shape in inputs
        )
        if inputs and known and node.output and node.output[0] not in shapes:
            given = ", ".join("×".join(map(str, shape or ())) or "scalar" for shape in inputs)
            return (
                f"ONNX shape inference stops at {path} ({node.op_type}) on inputs {given}: "
                "the nodes after it have no shapes (ONNX Runtime would fail there)"
            )
    return ""


def elem_type(model: Any, name: str) -> int:
    """The element type of a tensor (1, float, when not declared)."""
    for info in [*model.graph.input, *model.graph.value_info, *model.graph.output]:
        if info.name == name:
            return int(info.type.tensor_type.elem_type) or 1
    return 1


def attributes(node: Any) -> dict[str, Any]:
    """The node's attributes as Python values (strings decoded, lists as lists)."""
    from onnx import helper

    found = {}
    for attribute in node.attribute:
        value = helper.get_attribute_value(attribute)
        found[attribute.name] = (
            value.decode("utf-8", "replace")
            if isinstance(value, bytes)
            else (list(value) if isinstance(value, list | tuple) else value)
        )
    return found
