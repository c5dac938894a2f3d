"""Inspecting real models (issue 12): PyTorch modules against real forward hooks and their
outputs, ONNX attributes against ONNX Runtime."""

from __future__ import annotations

import json
import warnings

import numpy as np
import onnx
import onnxruntime
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from onnx_runtime import model_of
from torch import nn
from torch_reference import real_conv_shapes

import tconvmat
from tconvmat.cli import main


@st.composite
def transposed_layers(draw):
    ndim = draw(st.integers(1, 3))
    k = draw(st.integers(1, 4))
    s = draw(st.integers(1, 3))
    d = draw(st.integers(1, 2))
    p = draw(st.integers(0, 2))
    op = draw(st.integers(0, max(s, d) - 1))
    g = draw(st.sampled_from([1, 2]))
    size = draw(st.integers(2, 6 if ndim < 3 else 3))
    layer = getattr(nn, f"ConvTranspose{ndim}d")(
        2 * g, 2 * g, k, stride=s, padding=p, output_padding=op, dilation=d, groups=g, bias=False
    ).double()
    return layer, (1, 2 * g, *(size,) * ndim)


@settings(max_examples=60, deadline=None)
@given(transposed_layers())
def test_module_rows_match_real_hooks_and_outputs(case):
    layer, shape = case
    model = nn.Sequential(layer)
    x = torch.randn(shape, dtype=torch.float64)
    try:
        seen, out = real_conv_shapes(model, x)
    except RuntimeError:
        return  # PyTorch refuses (no output left): so must we
    report = tconvmat.inspect(model, shape)
    (row,) = report.layers
    assert (row.in_shape, row.out_shape) == seen[0]
    assert row.name == "0" and row.op == type(layer).__name__ and row.transposed
    y = row.geometry.apply(x.numpy()[0], layer.weight.detach().numpy())
    np.testing.assert_allclose(y, out.numpy()[0], atol=1e-10)
    stride, kernel, dilation = layer.stride, layer.kernel_size, layer.dilation
    uneven = any(k % s for k, s in zip(kernel, stride, strict=True)) or any(
        np.gcd(s, d) > 1 and s > 1 for s, d in zip(stride, dilation, strict=True)
    )
    assert row.uneven_overlap == bool(uneven) or min(dilation) > 1


def test_a_decoder_with_every_kind_of_layer():
    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
            self.enc2 = nn.Conv2d(8, 16, 3, stride=2, padding="valid", dilation=1)
            self.mid = nn.Conv2d(16, 16, 3, padding="same", groups=4)
            self.dec2 = nn.ConvTranspose2d(16, 8, 3, stride=2)
            self.dec1 = nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1)
            self.norm = nn.BatchNorm2d(8)

        def forward(self, x):
            a = self.enc1(x)
            b = self.mid(self.enc2(a))
            c = self.norm(self.dec2(b, output_size=a.shape[-2:]))
            return self.dec1(c)

    model = Decoder()
    running = model.norm.running_mean.clone()
    x = torch.zeros(2, 3, 33, 32)
    seen, _ = real_conv_shapes(model, x)
    model.norm.running_mean.copy_(running)
    report = tconvmat.inspect(model, (2, 3, 33, 32))
    assert [(r.in_shape, r.out_shape) for r in report] == seen
    assert [r.name for r in report] == ["enc1", "enc2", "mid", "dec2", "dec1"]
    assert torch.equal(model.norm.running_mean, running)  # the model's state is untouched
    dec2 = report[3]
    # output_size= picked output_padding (0, 1): 8×7 → 17×16, enc1's output
    assert dec2.geometry.output_padding == (0, 1) and dec2.uneven_overlap
    dec1 = report[4]
    assert not dec1.uneven_overlap
    (finding,) = dec1.findings
    assert "gives 34×32 where the encoder layer enc1 took 33×32" in finding
    assert "the encoder's size formula rounds (33×32 → 17×16)" in finding
    assert "output_size[0] (33) must be between 34 and 35" in finding
    assert "other padding (`tconvmat solve 17 33`)" in finding
    assert report._repr_markdown_().startswith("**Decoder")


def test_modules_tconvmat_cannot_express_are_named():
    model = nn.Sequential(nn.Conv2d(1, 1, 3, padding=1, padding_mode="reflect"))
    (row,) = tconvmat.inspect(model, (1, 1, 8, 8)).layers
    assert row.geometry is None and "padding_mode 'reflect'" in row.findings[0]
    report = tconvmat.inspect(model, (1, 2, 8, 8))  # PyTorch refuses: the report says why
    assert "in_channels is 1 but the input 1×2×8×8 has 2 channels" in report.failure
    with pytest.raises(TypeError, match="give the full input shape"):
        tconvmat.inspect(model)


# --- ONNX, against ONNX Runtime --------------------------------------------------------------


def _model(node, x_shape, w):
    return model_of(
        [node], x_shape, [helper.make_tensor("W", TensorProto.FLOAT, list(w.shape), w.ravel())]
    )


@st.composite
def onnx_transposed(draw):
    ndim = draw(st.integers(1, 2))
    group = draw(st.sampled_from([1, 2]))
    size = [draw(st.integers(1, 5)) for _ in range(ndim)]
    kernel = [draw(st.integers(1, 4)) for _ in range(ndim)]
    strides = [draw(st.integers(1, 3)) for _ in range(ndim)]
    dilations = [draw(st.integers(1, 2)) for _ in range(ndim)]
    attrs = {"kernel_shape": kernel, "strides": strides, "dilations": dilations, "group": group}
    mode = draw(st.sampled_from(["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID", "output_shape"]))
    extra = [draw(st.integers(0, max(s, d) - 1)) for s, d in zip(strides, dilations, strict=True)]
    if draw(st.booleans()):
        attrs["output_padding"] = extra
    if mode == "NOTSET":
        attrs["pads"] = [draw(st.integers(0, 2)) for _ in range(2 * ndim)]
    elif mode == "output_shape":
        full = [
            (n - 1) * s + d * (k - 1) + 1 + attrs.get("output_padding", [0] * ndim)[a]
            for a, (n, s, d, k) in enumerate(zip(size, strides, dilations, kernel, strict=True))
        ]
        attrs["output_shape"] = [draw(st.integers(max(1, f - 3), f)) for f in full]
    else:
        attrs["auto_pad"] = mode
    return (1, 2 * group, *size), attrs


@settings(max_examples=120, deadline=None)
@given(onnx_transposed(), st.integers(0, 2**32 - 1))
def test_onnx_conv_transpose_rows_equal_onnx_runtime(case, seed):
    x_shape, attrs = case
    group = attrs["group"]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal((x_shape[1], 2, *attrs["kernel_shape"])).astype(np.float32)
    model = _model(helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **attrs), x_shape, w)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            session = onnxruntime.InferenceSession(
                model.SerializeToString(), providers=["CPUExecutionProvider"]
            )
            (expected,) = session.run(None, {"X": x})
    except Exception:  # the runtime refuses: tconvmat must refuse too, and say why
        row = tconvmat.inspect(model).layers[0]
        assert row.geometry is None and "cannot express this node" in row.findings[0], attrs
        return
    row = tconvmat.inspect(model).layers[0]
    assert row.out_shape == expected.shape, (attrs, row.findings)
    ours = row.geometry.apply(x[0], w)
    np.testing.assert_allclose(ours, expected[0], rtol=1e-4, atol=1e-4)
    assert row.geometry.groups == group


def test_onnx_shape_inference_disagreeing_with_the_runtime_is_a_finding(tmp_path, capsys):
    x = np.ones((1, 1, 4), np.float32)
    w = np.ones((1, 1, 3), np.float32)
    node = helper.make_node(
        "ConvTranspose", ["X", "W"], ["Y"], strides=[3], auto_pad="SAME_UPPER", output_padding=[1]
    )
    model = _model(node, x.shape, w)
    path = tmp_path / "same.onnx"
    onnx.save(model, path)
    assert main(["inspect", str(path), "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["out_shape"] == [1, 1, 12]  # what ONNX Runtime computes: in·stride
    assert "ONNX shape inference says 1×1×13" in row["findings"][0]
    for key in ("name", "op", "in_shape", "out_shape", "uneven_overlap"):
        assert key in row


def test_onnx_forward_conv_with_auto_pad(capsys, tmp_path):
    for mode in ("SAME_UPPER", "SAME_LOWER", "VALID"):
        x = np.arange(2 * 7 * 6, dtype=np.float32).reshape(1, 2, 7, 6)
        w = np.ones((3, 2, 3, 2), np.float32)
        node = helper.make_node("Conv", ["X", "W"], ["Y"], strides=[2, 2], auto_pad=mode)
        model = _model(node, x.shape, w)
        (expected,) = onnxruntime.InferenceSession(
            model.SerializeToString(), providers=["CPUExecutionProvider"]
        ).run(None, {"X": x})
        (row,) = tconvmat.inspect(model).layers
        assert row.out_shape == expected.shape, mode
        np.testing.assert_allclose(row.geometry.conv(x[0], w), expected[0], rtol=1e-5)


def test_unreadable_models_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a model")
    assert main(["inspect", str(bad)]) == 2
    assert "is not a readable ONNX model" in capsys.readouterr().err
    assert main(["inspect", str(tmp_path / "none.onnx")]) == 2
