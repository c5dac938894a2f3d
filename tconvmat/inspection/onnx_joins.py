"""ONNX joins (Concat, Add, …) whose inputs do not fit: found, followed past, and fixed.

:func:`follow` runs ONNX's shape inference, walks the main graph in order tagging each tensor
with the last node that changed its spatial size, and stops at the first join whose inputs
disagree. It cuts that input off (a new graph input of the size a fix would give) and runs
inference again, until every join fits. :func:`fixes` writes each fix as Python code on the
loaded ``model`` (``onnx.ModelProto``): ``output_padding`` (or ``output_shape``) on the
ConvTranspose that made the size, a Pad before the join, or a Slice of the skip.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions.onnx import from_onnx
from tconvmat.inspection import onnx_graph
from tconvmat.inspection.mismatch import Fix, Mismatch, Step, chain_to, join_shapes, shape_text
from tconvmat.inspection.report import Layer

JOINS = {"Concat", "Add", "Sub", "Mul", "Div", "Sum", "Mean", "Max", "Min"}
LIMIT = 256
"""At most this many joins are followed (each costs one shape inference)."""


def geometry_of(
    attributes: dict[str, Any],
    spatial: tuple[int, ...],
    kernel: tuple[int, ...],
    in_channels: int = 1,
    out_channels: int = 1,
) -> ConvTranspose:
    """A ConvTranspose node's geometry from its attributes (the one call of ``from_onnx``)."""
    ndim = len(spatial)
    return from_onnx(
        spatial,
        kernel,
        attributes.get("strides", [1] * ndim),
        attributes.get("pads"),
        attributes.get("output_padding", [0] * ndim),
        attributes.get("dilations", [1] * ndim),
        attributes.get("auto_pad", "NOTSET"),
        attributes.get("output_shape"),
        in_channels=in_channels,
        out_channels=out_channels,
        group=int(attributes.get("group", 1)),
    )


def _int_shape(shape: Any) -> tuple[int, ...] | None:
    if shape is None or not all(isinstance(n, int) and n > 0 for n in shape):
        return None
    return tuple(shape)


def _first(
    model: Any, shapes: dict[str, Any], cuts: onnx_graph.Cuts, done: set[str]
) -> tuple[int, int, str, Mismatch] | None:
    """The first join (in graph order) whose inputs disagree: (index, slot, path, mismatch)."""
    steps: list[Step] = []
    tags: dict[str, int] = {}
    for path, node, index in onnx_graph.walk(model.graph):
        if index < 0:
            continue
        inputs = list(node.input)
        for (at, slot), (new, shape, _) in cuts.items():
            if at == index:  # the cut input: fitted, as a fix would
                before = _int_shape(shapes.get(inputs[slot]))
                if before is not None:
                    spatial = tuple(range(2, len(shape)))
                    steps.append(
                        Step(
                            f"fitted at {path}",
                            "fit",
                            before,
                            shape,
                            spatial,
                            tags.get(inputs[slot], -1),
                        )
                    )
                    tags[new] = len(steps) - 1
                inputs[slot] = new
        if node.op_type in JOINS and path not in done:
            found = _join(path, node, inputs, shapes, tags, steps)
            if found is not None:
                return index, found[0], path, found[1]
        _tag(path, node, inputs, shapes, tags, steps)
    return None


def _tag(
    path: str,
    node: Any,
    inputs: list[str],
    shapes: dict[str, Any],
    tags: dict[str, int],
    steps: list[Step],
) -> None:
    """Tag the node's outputs with the last resizing step (a new one if this node resizes)."""
    if not inputs or not node.output:
        return
    parent = tags.get(inputs[0], -1)
    before, after = _int_shape(shapes.get(inputs[0])), _int_shape(shapes.get(node.output[0]))
    resizes = (
        before is not None
        and after is not None
        and len(before) == len(after) >= 3
        and (before[2:] != after[2:] or node.op_type == "ConvTranspose")
    )
    if resizes:
        assert before is not None and after is not None
        steps.append(Step(path, node.op_type, before, after, tuple(range(2, len(before))), parent))
        parent = len(steps) - 1
    for output in node.output:
        tags[output] = parent


def _join(
    path: str,
    node: Any,
    inputs: list[str],
    shapes: dict[str, Any],
    tags: dict[str, int],
    steps: list[Step],
) -> tuple[int, Mismatch] | None:
    found = [_int_shape(shapes.get(name)) for name in inputs]
    if len(found) < 2 or any(shape is None for shape in found):
        return None
    known: list[tuple[int, ...]] = [s for s in found if s is not None]
    axis = None
    if node.op_type == "Concat":
        value = onnx_graph.attributes(node).get("axis", 0)
        axis = int(value) % len(known[0]) if isinstance(value, int) and known[0] else None
    if join_shapes(known, axis) is None:
        return None
    order = sorted(range(len(inputs)), key=lambda n: tags.get(inputs[n], -1))
    keep = order[0]
    for slot in order[1:]:
        axes = join_shapes([known[keep], known[slot]], axis)
        if axes is None or any(a < 2 for a in axes[0]):
            continue
        mismatch = Mismatch(
            node.op_type,
            path,
            "",
            known[slot],
            known[keep],
            axes[0],
            chain_to(steps, tags.get(inputs[slot], -1)),
        )
        return slot, mismatch
    return None


Joins = dict[str, tuple[int, int, Mismatch]]
"""Node path → (index in the main graph, the input slot to change, the mismatch)."""


def follow(model: Any, overrides: dict[str, tuple[int, ...]]) -> tuple[dict[str, Any], Joins]:
    """Every tensor's shape with each join that does not fit cut and fitted; those joins."""
    cuts: onnx_graph.Cuts = {}
    joins: Joins = {}
    for _ in range(LIMIT):
        shapes = onnx_graph.infer(model, overrides, cuts)
        found = _first(model, shapes, cuts, set(joins))
        if found is None:
            return shapes, joins
        index, slot, path, mismatch = found
        node = model.graph.node[index]
        fitted = tuple(
            mismatch.other[a] if a in mismatch.axes else n for a, n in enumerate(mismatch.changed)
        )
        elem = onnx_graph.elem_type(model, node.input[slot])
        cuts[(index, slot)] = (f"{node.input[slot]}:tconvmat_fitted", fitted, elem)
        joins[path] = (index, slot, mismatch)
    return onnx_graph.infer(model, overrides, cuts), joins


def _opset(model: Any) -> int:
    return next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 1)


def _set_attribute(output: str, name: str, value: list[int]) -> str:
    return (
        f"node = next(n for n in model.graph.node if n.output[0] == {output!r})\n"
        f"for a in [a for a in node.attribute if a.name == {name!r}]:\n"
        "    node.attribute.remove(a)\n"
        f"node.attribute.append(onnx.helper.make_attribute({name!r}, {value}))"
    )


def resize(layer: Layer, index: int, node: Any, target: tuple[int, ...]) -> list[Fix]:
    """Make a ConvTranspose node give spatial size ``target``: output_padding or output_shape.

    ONNX's converter (``from_onnx``) decides what ONNX Runtime accepts.
    """
    g = layer.geometry
    if g is None or not layer.transposed or not node.output:
        return []
    attributes = dict(layer.attributes)
    output = node.output[0]
    found: list[Fix] = []

    def setting(name: str, value: list[int]) -> str:
        if index < 0:  # inside an If/Loop body: no one-line path to it
            return ""
        return "import onnx\n" + _set_attribute(output, name, value)

    if "output_shape" not in attributes:
        current = attributes.get("output_padding", [0] * g.ndim)
        need = [p + t - o for p, t, o in zip(current, target, g.out_shape, strict=True)]
        try:
            ok = geometry_of({**attributes, "output_padding": need}, g.in_shape, g.kernel_shape)
        except ValueError:
            ok = None
        if ok is not None and ok.out_shape == target:
            found.append(
                Fix(
                    "output_padding",
                    f"give {layer.name} output_padding {need}: {shape_text(g.in_shape)} → "
                    f"{shape_text(target)} (then onnx.save(model, path))",
                    setting("output_padding", need),
                    tuple(need),
                    layer.name,
                )
            )
            return found
    try:
        ok = geometry_of({**attributes, "output_shape": list(target)}, g.in_shape, g.kernel_shape)
    except ValueError as error:
        why = f"no attribute makes {layer.name} give {shape_text(target)}: {error}"
        return [Fix("none", why, "", (), layer.name)]
    found.append(
        Fix(
            "output_shape",
            f"give {layer.name} output_shape {list(target)} (then onnx.save(model, path))",
            setting("output_shape", list(target)),
            tuple(target),
            layer.name,
        )
    )
    return found


def _insert(
    model: Any,
    join_output: str,
    slot: int,
    op: str,
    tensor: str,
    rank: int,
    numbers: dict[str, list[int]],
) -> str:
    """Code that inserts ``op`` on the join's input ``slot`` (constants as initializers)."""
    fitted = f"{tensor}_fitted"
    lines = ["import numpy as np", "import onnx", "from onnx import helper, numpy_helper"]
    if _opset(model) >= 11 or (op == "Slice" and _opset(model) >= 10):
        names = []
        for key, value in numbers.items():
            name = f"{fitted}_{key}"
            names.append(name)
            lines.append(
                "model.graph.initializer.append(numpy_helper.from_array("
                f"np.array({value}, np.int64), {name!r}))"
            )
        make = f"helper.make_node({op!r}, {[tensor, *names]!r}, [{fitted!r}])"
    else:
        keywords = ", ".join(f"{k}={v}" for k, v in numbers.items())
        make = f"helper.make_node({op!r}, [{tensor!r}], [{fitted!r}], {keywords})"
    lines += [
        f"at = [n.output[0] for n in model.graph.node].index({join_output!r})",
        f"model.graph.node.insert(at, {make})",
        f"model.graph.node[at + 1].input[{slot}] = {fitted!r}",
    ]
    return "\n".join(lines)


def fixes(
    join_at: tuple[int, int, Mismatch],
    model: Any,
    layers: dict[str, Layer],
    nodes: dict[str, tuple[int, Any]],
) -> list[Fix]:
    """Every fix for a join that does not fit, as code on ``model`` (main graph only)."""
    index, slot, mismatch = join_at
    join = model.graph.node[index]
    found: list[Fix] = []
    culprit = mismatch.culprit
    if culprit is not None and culprit.name in layers and layers[culprit.name].geometry:
        layer = layers[culprit.name]
        target = tuple(
            n + mismatch.other[a] - mismatch.changed[a] if a in mismatch.axes else n
            for a, n in enumerate(culprit.out_shape)
        )[2:]
        found += resize(layer, *nodes[culprit.name], target)
    rank = len(mismatch.changed)
    delta = {a: mismatch.other[a] - mismatch.changed[a] for a in mismatch.axes}
    got, want = mismatch.sizes
    before = f"before {mismatch.name} (for inputs of this size; then onnx.save(model, path))"
    skip = join.input[1 - slot] if len(join.input) == 2 else join.input[0]
    if all(d > 0 for d in delta.values()):
        pads = [0] * rank + [delta.get(a, 0) for a in range(rank)]
        found.append(
            Fix(
                "pad",
                f"pad the up-sampled tensor to the skip's size ({'×'.join(map(str, got))} → "
                f"{'×'.join(map(str, want))}) with a Pad node {before}",
                _insert(model, join.output[0], slot, "Pad", join.input[slot], rank, {"pads": pads}),
                tuple(delta.values()),
            )
        )
        axes = sorted(delta)
        found.append(
            Fix(
                "crop",
                f"crop the skip to the up-sampled size ({'×'.join(map(str, want))} → "
                f"{'×'.join(map(str, got))}) with a Slice node {before}",
                _insert(
                    model,
                    join.output[0],
                    1 - slot if len(join.input) == 2 else 0,
                    "Slice",
                    skip,
                    rank,
                    {
                        "starts": [0] * len(axes),
                        "ends": [mismatch.changed[a] for a in axes],
                        "axes": axes,
                    },
                ),
                tuple(-d for d in delta.values()),
            )
        )
    else:
        axes = sorted(delta)
        found.append(
            Fix(
                "crop",
                f"crop the up-sampled tensor to the skip's size with a Slice node {before}",
                _insert(
                    model,
                    join.output[0],
                    slot,
                    "Slice",
                    join.input[slot],
                    rank,
                    {
                        "starts": [0] * len(axes),
                        "ends": [mismatch.other[a] for a in axes],
                        "axes": axes,
                    },
                ),
                tuple(delta.values()),
            )
        )
    return found
