"""The convert line inspect suggests for a layer (issue 23) names the layer's own framework and
runs: each is run through ``tconvmat.cli.main.main`` and the code it prints computes what the
layer computes (PyTorch's module, ONNX Runtime's node)."""

from __future__ import annotations

import contextlib
import io
import shlex
import warnings

import numpy as np
import onnxruntime
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from onnx_runtime import model_of
from torch import nn

import tconvmat
from tconvmat.cli.main import main


def printed_code(line):
    """Run the suggested command; return the function its printed code defines."""
    words = shlex.split(line)
    assert words[:2] == ["tconvmat", "convert"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(words[1:]) == 0, err.getvalue()
    code = out.getvalue()
    scope: dict = {}
    exec(compile(code, "<convert>", "exec"), scope)
    return scope["conv_transpose"]


@st.composite
def pytorch_layers(draw):
    ndim = draw(st.integers(1, 3))
    k = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    s = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    d = tuple(draw(st.integers(1, 2)) for _ in range(ndim))
    p = tuple(draw(st.integers(0, 2)) for _ in range(ndim))
    op = tuple(draw(st.integers(0, max(a, b) - 1)) for a, b in zip(s, d, strict=True))
    size = tuple(draw(st.integers(2, 6 if ndim < 3 else 4)) for _ in range(ndim))
    layer = getattr(nn, f"ConvTranspose{ndim}d")(
        2, 3, k, stride=s, padding=p, output_padding=op, dilation=d
    ).double()
    sized = draw(st.booleans())  # called with output_size= instead
    return layer, (1, 2, *size), sized


class Called(nn.Module):
    def __init__(self, layer, size):
        super().__init__()
        self.layer, self.size = layer, size

    def forward(self, x):
        return self.layer(x, output_size=self.size)


@settings(max_examples=40, deadline=None)
@given(pytorch_layers(), st.integers(0, 2**32 - 1))
def test_pytorch_layers_convert_from_pytorch_and_the_code_runs(case, seed):
    layer, shape, sized = case
    x = torch.from_numpy(np.random.default_rng(seed).standard_normal(shape))
    try:
        with torch.no_grad():
            y = layer(x)
            model = Called(layer, y.shape[2:]) if sized else nn.Sequential(layer)
            y = model(x)  # output_size= is bounded by the stride alone
    except (RuntimeError, ValueError):
        return  # PyTorch refuses this layer (or this call) on this input
    (row,) = tconvmat.inspect(model, shape).layers
    assert row.convert.startswith("tconvmat convert --from pytorch ")
    assert row.convert.endswith(" --to jax")
    conv_transpose = printed_code(row.convert)
    ours = (
        conv_transpose(x.numpy(), layer.weight.detach().numpy())
        + layer.bias.detach().numpy()[(..., *(None,) * (len(shape) - 2))]
    )
    np.testing.assert_allclose(np.asarray(ours), y.numpy(), rtol=1e-5, atol=1e-5)


@st.composite
def onnx_nodes(draw):
    ndim = draw(st.integers(1, 2))
    size = [draw(st.integers(1, 5)) for _ in range(ndim)]
    kernel = [draw(st.integers(1, 4)) for _ in range(ndim)]
    strides = [draw(st.integers(1, 3)) for _ in range(ndim)]
    dilations = [draw(st.integers(1, 2)) for _ in range(ndim)]
    attrs = {"kernel_shape": kernel, "strides": strides, "dilations": dilations}
    mode = draw(st.sampled_from(["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID", "output_shape"]))
    if draw(st.booleans()):
        attrs["output_padding"] = [draw(st.integers(0, s - 1)) for s in strides]
    if mode == "NOTSET":
        attrs["pads"] = [draw(st.integers(0, 2)) for _ in range(2 * ndim)]
    elif mode == "output_shape":
        attrs["output_shape"] = [draw(st.integers(1, 12)) for _ in range(ndim)]
    else:
        attrs["auto_pad"] = mode
    return (1, 2, *size), attrs


@settings(max_examples=60, deadline=None)
@given(onnx_nodes(), st.integers(0, 2**32 - 1))
def test_onnx_nodes_convert_from_onnx_and_the_code_runs(case, seed):
    x_shape, attrs = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal((2, 3, *attrs["kernel_shape"])).astype(np.float32)
    model = model_of(
        [helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **attrs)],
        x_shape,
        [helper.make_tensor("W", TensorProto.FLOAT, list(w.shape), w.ravel())],
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            session = onnxruntime.InferenceSession(
                model.SerializeToString(), providers=["CPUExecutionProvider"]
            )
            (expected,) = session.run(None, {"X": x})
    except Exception:
        return  # the runtime refuses this node (tested in tests/inspection/test_inspect.py)
    (row,) = tconvmat.inspect(model).layers
    assert row.convert.startswith("tconvmat convert --from onnx ")
    conv_transpose = printed_code(row.convert)
    ours = conv_transpose(torch.from_numpy(x), torch.from_numpy(w))
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-4, atol=1e-4)


def test_grouped_layers_get_no_convert_line():
    layer = nn.ConvTranspose2d(4, 4, 3, stride=2, groups=2)
    (row,) = tconvmat.inspect(layer, (1, 4, 5, 5)).layers
    assert row.convert == ""
