"""ONNX Runtime as the reference for inspect's ONNX rows: sessions, and every conv node's
input and output shapes as the runtime computes them."""

from __future__ import annotations

import warnings

import onnx
import onnxruntime
import torch
from onnx import TensorProto, helper


def model_of(nodes, x_shape, initializers):
    """A model of ``nodes`` reading the float input X of ``x_shape`` and ``initializers``,
    writing Y (opset 17, IR version 8)."""
    graph = helper.make_graph(
        list(nodes),
        "g",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(x_shape))],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
        list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def session(model):
    return onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )


def export(model, example, path, dynamic_axes=None):
    """The module exported with PyTorch's TorchScript exporter (no onnxscript needed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            example,
            str(path),
            dynamo=False,
            input_names=["x"],
            output_names=["y"],
            dynamic_axes=dynamic_axes,
        )
    return onnx.load(str(path))


def conv_shapes(model, x):
    """Each Conv/ConvTranspose node's input and output shapes, as ONNX Runtime computes them."""
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    names = [
        (node.input[0], node.output[0])
        for node in probe.graph.node
        if node.op_type in ("Conv", "ConvTranspose")
    ]
    for name in {n for pair in names for n in pair}:
        probe.graph.output.add().name = name
    outputs = [o.name for o in probe.graph.output]
    values = dict(zip(outputs, session(probe).run(None, {"x": x}), strict=True))
    return [(values[i].shape, values[o].shape) for i, o in names]
