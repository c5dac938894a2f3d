"""ONNX Runtime itself (CPU) against ``from_onnx``, for every attribute combination."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from onnx import helper, numpy_helper
from onnx_runtime import model_of

from tconvmat.conventions import from_onnx

ort.set_default_logger_severity(4)


def run_onnx_runtime(x: np.ndarray, weight: np.ndarray, **attributes) -> np.ndarray:
    """One ConvTranspose node with these attributes, computed by ONNX Runtime."""
    node = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **attributes)
    model = model_of([node], x.shape, [numpy_helper.from_array(weight.astype(np.float32), "W")])
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    return session.run(None, {"X": x.astype(np.float32)})[0]


@st.composite
def onnx_nodes(draw):
    """Attributes in every combination, including ones ONNX Runtime refuses."""
    ndim = draw(st.integers(1, 3))
    small = ndim == 3
    in_shape = tuple(draw(st.integers(1, 3 if small else 5)) for _ in range(ndim))
    kernel = tuple(draw(st.integers(1, 3 if small else 4)) for _ in range(ndim))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(ndim))
    group = draw(st.sampled_from([1, 1, 2]))
    channels = (group * draw(st.integers(1, 2)), group * draw(st.integers(1, 2)))
    attributes = {
        "kernel_shape": list(kernel),
        "strides": list(stride),
        "dilations": list(dilation),
        "group": group,
        "auto_pad": draw(
            st.sampled_from(["NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"])
        ),
    }
    if draw(st.booleans()):
        attributes["output_padding"] = [
            draw(st.integers(0, max(s, d))) for s, d in zip(stride, dilation, strict=True)
        ]
    if attributes["auto_pad"] == "NOTSET" and draw(st.booleans()):
        attributes["pads"] = [draw(st.integers(-1, 3)) for _ in range(2 * ndim)]
    if draw(st.integers(0, 2)) == 0:
        full = [
            (i - 1) * s + d * (k - 1) + 1
            for i, k, s, d in zip(in_shape, kernel, stride, dilation, strict=True)
        ]
        attributes["output_shape"] = [
            draw(st.integers(max(1, n - 3), n + s + 1)) for n, s in zip(full, stride, strict=True)
        ]
    return in_shape, channels, attributes


def _from_onnx(in_shape, channels, attributes):
    return from_onnx(
        in_shape,
        attributes["kernel_shape"],
        attributes["strides"],
        attributes.get("pads"),
        attributes.get("output_padding", 0),
        attributes["dilations"],
        attributes["auto_pad"],
        attributes.get("output_shape"),
        in_channels=channels[0],
        out_channels=channels[1],
        group=attributes["group"],
    )


@settings(max_examples=500, deadline=None)
@given(onnx_nodes(), st.integers(0, 2**32 - 1))
def test_onnx_runtime_agrees_with_from_onnx_or_both_refuse(node, seed):
    in_shape, (cin, cout), attributes = node
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, cin, *in_shape)).astype(np.float32)
    kernel = attributes["kernel_shape"]
    weight = rng.standard_normal((cin, cout // attributes["group"], *kernel)).astype(np.float32)
    try:
        found = run_onnx_runtime(x, weight, **attributes)
    except Exception as refusal:  # ONNX Runtime's InvalidArgument / Fail
        event("both refuse")
        with pytest.raises(ValueError):
            _from_onnx(in_shape, (cin, cout), attributes)
        assert "ONNXRuntimeError" in str(refusal)
        return
    g = _from_onnx(in_shape, (cin, cout), attributes)
    assert found.shape == (2, cout, *g.out_shape)
    np.testing.assert_allclose(
        found, g.apply(x.astype(float), weight.astype(float)), rtol=1e-4, atol=1e-4
    )


@pytest.mark.parametrize(
    ("attributes", "crops", "out"),
    [
        ({"strides": [3], "output_shape": [7]}, (0, -2), 7),  # issue 18: beyond the scatter
        ({"strides": [3], "output_shape": [2]}, (2, 1), 2),  # odd total: more at the start
        ({"strides": [3], "auto_pad": "SAME_UPPER"}, (0, 0), 5),  # SAME never pads < 0
        ({"strides": [3], "auto_pad": "SAME_UPPER", "output_shape": [7]}, (0, -2), 7),
        ({"strides": [3], "output_padding": [2], "output_shape": [6]}, (1, -2), 6),
        ({"strides": [3], "pads": [1, 0], "output_padding": [1]}, (1, -1), 5),
    ],
)
def test_onnx_runtime_table(attributes, crops, out):
    """x = [1, 10], w = [1, 2]: the crops and lengths ONNX Runtime 1.32 computes."""
    attributes = {"kernel_shape": [2], "dilations": [1], **attributes}
    x, w = np.array([[[1.0, 10.0]]]), np.array([[[1.0, 2.0]]])
    found = run_onnx_runtime(x, w, **attributes)
    g = from_onnx(
        (2,),
        (2,),
        attributes["strides"],
        attributes.get("pads"),
        attributes.get("output_padding", 0),
        1,
        attributes.get("auto_pad", "NOTSET"),
        attributes.get("output_shape"),
    )
    assert g.crops == (crops,) and g.out_shape == (out,)
    np.testing.assert_allclose(found.ravel(), g.apply(x[0, 0], w[0, 0]))


def test_onnx_runtime_refusals_are_refused_with_its_rule():
    x, w = np.ones((1, 1, 2), np.float32), np.ones((1, 1, 2), np.float32)
    cases = [
        ({"strides": [3], "output_shape": [8]}, "longer than the 5 positions"),
        ({"strides": [1], "dilations": [2], "output_padding": [1]}, "smaller than strides"),
        ({"strides": [2], "pads": [-1, 0]}, "must not be negative"),
    ]
    for attributes, message in cases:
        attributes = {"kernel_shape": [2], "dilations": [1], **attributes}
        with pytest.raises(Exception, match="ONNXRuntimeError"):
            run_onnx_runtime(x, w, **attributes)
        with pytest.raises(ValueError, match=message):
            from_onnx(
                (2,),
                (2,),
                attributes["strides"],
                attributes.get("pads"),
                attributes.get("output_padding", 0),
                attributes["dilations"],
                output_shape=attributes.get("output_shape"),
            )
