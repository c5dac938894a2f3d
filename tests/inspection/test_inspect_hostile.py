"""inspect trusts nothing in a file (issue 20): hostile ONNX files get a report or a one-line
refusal naming the problem, never a traceback; what ONNX Runtime refuses, inspect refuses
or reports as failing; weights are never loaded to be inspected."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper
from onnx_runtime import model_of

import tconvmat
from tconvmat.cli import main


def _model(attrs=None, w_shape=(2, 3, 3, 3), x_shape=(1, 2, 5, 5), w_dims=None, nodes=None):
    w = numpy_helper.from_array(np.ones(w_shape, np.float32), "W")
    if w_dims is not None:
        del w.dims[:]
        w.dims.extend(w_dims)
    nodes = nodes or [helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **(attrs or {}))]
    return model_of(nodes, x_shape, [w])


def _runtime_refuses(model, x_shape=(1, 2, 5, 5)):
    """ONNX Runtime's verdict: the message of its refusal, '' when it runs the model."""
    try:
        session = onnxruntime.InferenceSession(
            model.SerializeToString(), providers=["CPUExecutionProvider"]
        )
        session.run(None, {"X": np.ones(x_shape, np.float32)})
    except Exception as error:
        return str(error)
    return ""


def _cli(path, capsys, *extra):
    status = main(["inspect", str(path), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_empty_and_truncated_files_are_refused_in_one_line(tmp_path, capsys):
    empty = tmp_path / "empty.onnx"
    empty.write_bytes(b"")
    assert "No graph was found" in _runtime_refuses_bytes(b"")
    status, out, err = _cli(empty, capsys)
    assert status == 2 and out == ""
    assert err == f"tconvmat: error: {str(empty)!r} is empty: not an ONNX model\n"
    whole = _model().SerializeToString()
    for cut in (1, len(whole) // 3, len(whole) // 2, len(whole) - 1):
        path = tmp_path / f"cut{cut}.onnx"
        path.write_bytes(whole[:cut])
        assert _runtime_refuses_bytes(whole[:cut])
        status, out, err = _cli(path, capsys)
        assert status == 2 and err.startswith("tconvmat: error: ") and err.count("\n") == 1
        assert "truncated" in err or "not a readable ONNX model" in err or "no graph" in err
    no_graph = onnx.ModelProto(ir_version=8)  # parses, but there is nothing to run
    with pytest.raises(ValueError, match="has no graph"):
        tconvmat.inspect(no_graph)


def _runtime_refuses_bytes(data):
    try:
        onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    except Exception as error:
        return str(error)
    return ""


def test_a_kernel_shape_that_contradicts_w_is_reported_as_onnx_runtime_fails():
    model = _model({"strides": [2, 2], "kernel_shape": [2, 2]})
    assert "kernel_shape is not compatible with W shape" in _runtime_refuses(model)
    report = tconvmat.inspect(model)
    (row,) = report.layers
    assert row.geometry is None and not report.runs
    assert "kernel_shape [2, 2] is not compatible with W's shape 2×3×3×3" in report.failure
    # an agreeing kernel_shape is analysed with W's kernel, as the runtime runs it
    (row,) = tconvmat.inspect(_model({"strides": [2, 2], "kernel_shape": [3, 3]})).layers
    assert row.geometry.kernel_shape == (3, 3) and row.out_shape == (1, 3, 11, 11)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"pads": [-1, 0, 0, 0]}, "pads must not contain negative values"),
        ({"strides": [0, 2]}, "strides must only contain positive values"),
        ({"dilations": [0, 1]}, "dilations must only contain positive values"),
        ({"pads": [1, 1]}, "pads has 2 entries; a 2-D convolution needs 4"),
        ({"strides": [2]}, "strides has 1 entries; a 2-D convolution needs 2"),
        ({"auto_pad": "FOO"}, "auto_pad 'FOO' is none of NOTSET"),
        ({"group": 0}, "group must be a positive integer"),
    ],
)
def test_attributes_onnx_runtime_refuses_are_refused(attrs, message, tmp_path, capsys):
    model = _model(attrs)
    assert _runtime_refuses(model)  # the runtime refuses the model
    with pytest.raises(ValueError, match=message):
        tconvmat.inspect(model)
    onnx.save(model, tmp_path / "bad.onnx")
    status, _, err = _cli(tmp_path / "bad.onnx", capsys)
    assert status == 2 and message in err and err.count("\n") == 1
    assert "node ConvTranspose_0 (ConvTranspose)" in err and "ONNX Runtime refuses it" in err


def test_channels_that_do_not_match_the_weight_are_a_failure():
    model = _model(x_shape=(1, 3, 5, 5))
    assert "filter number not equal to input channel number" in _runtime_refuses(
        model, (1, 3, 5, 5)
    )
    report = tconvmat.inspect(model)
    assert "W has 2 input channels (its first axis), the input 3" in report.failure
    conv = helper.make_node("Conv", ["X", "W"], ["Y"], group=2)
    report = tconvmat.inspect(_model(nodes=[conv], w_shape=(4, 2, 3, 3), x_shape=(1, 2, 5, 5)))
    assert "W takes 2 × group 2 input channels, the input has 2" in report.failure


def test_initializers_that_hold_less_than_they_declare_are_refused(tmp_path, capsys):
    model = _model(w_dims=[2, 3, 3000, 3000])
    assert "does not match expected size" in _runtime_refuses(model)
    message = r"initializer 'W' declares 2×3×3000×3000 \(54,000,000 elements\) but holds 54 "
    with pytest.raises(ValueError, match=message):
        tconvmat.inspect(model)
    onnx.save(model, tmp_path / "w.onnx")
    status, _, err = _cli(tmp_path / "w.onnx", capsys)
    assert status == 2 and "declares 2×3×3000×3000 (54,000,000 elements) but holds 54" in err
    huge = _model(w_dims=[2, 3, 10**9, 10**9])  # declares 6·10¹⁸ elements, holds 54
    with pytest.raises(ValueError, match="declares 2×3×1000000000×1000000000"):
        tconvmat.inspect(huge)


def test_huge_declared_input_dims_cost_nothing():
    tracemalloc.start()
    report = tconvmat.inspect(_model({"strides": [2, 2]}, x_shape=(1, 2, 10**6, 10**6)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 2**20  # nothing the size of the output (10¹² elements)
    (row,) = report.layers
    assert row.out_shape == (1, 3, 2 * 10**6 + 1, 2 * 10**6 + 1) and row.uneven_overlap
    beyond = tconvmat.inspect(_model(x_shape=(1, 2, 10**10, 10**10)))
    assert "tconvmat cannot express this node" in beyond[0].findings[0]


def test_conv_transposes_inside_if_and_loop_bodies_are_found():
    def body(name, stride):
        node = helper.make_node(
            "ConvTranspose", ["X", "W"], [f"{name}_y"], strides=[stride, stride], name=name
        )
        out = helper.make_tensor_value_info(f"{name}_y", TensorProto.FLOAT, None)
        return helper.make_graph([node], name, [], [out])

    choose = helper.make_node(
        "If", ["C"], ["Y"], then_branch=body("up", 2), else_branch=body("same", 1), name="if"
    )
    model = _model(nodes=[choose])
    model.graph.input.append(helper.make_tensor_value_info("C", TensorProto.BOOL, []))
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    x = np.ones((1, 2, 5, 5), np.float32)
    shapes = {
        flag: session.run(None, {"X": x, "C": np.array(flag)})[0].shape for flag in (True, False)
    }
    report = tconvmat.inspect(model)
    rows = {row.name: row.out_shape for row in report}
    assert rows == {"if/then_branch/up": shapes[True], "if/else_branch/same": shapes[False]}


def test_external_data_is_checked_never_loaded(tmp_path, capsys):
    model = _model(w_shape=(2, 3, 64, 64))
    onnx.save(
        model, tmp_path / "m.onnx", save_as_external_data=True, location="w.bin", size_threshold=0
    )
    (row,) = tconvmat.inspect(tmp_path / "m.onnx").layers
    assert row.out_shape == (1, 3, 68, 68)
    (tmp_path / "w.bin").write_bytes(b"\0" * 100)  # shorter than the 98,304 bytes it needs
    with pytest.raises(ValueError, match=r"needs 98,304 bytes from offset 0 of 'w.bin'"):
        tconvmat.inspect(tmp_path / "m.onnx")
    (tmp_path / "w.bin").unlink()
    status, _, err = _cli(tmp_path / "m.onnx", capsys)
    assert status == 2 and "keeps its data in 'w.bin', which is missing" in err
    outside = onnx.load(tmp_path / "m.onnx", load_external_data=False)
    for entry in outside.graph.initializer[0].external_data:
        if entry.key == "location":
            entry.value = "../../etc/passwd"
    onnx.save(outside, tmp_path / "outside.onnx")
    with pytest.raises(ValueError, match="outside the model's folder"):
        tconvmat.inspect(tmp_path / "outside.onnx")


def test_weights_are_not_copied_to_be_inspected(tmp_path):
    weight = (64, 64, 32, 32)  # 16 MiB of float32
    model = _model(w_shape=weight, x_shape=(1, 64, 4, 4))
    onnx.save(model, tmp_path / "m.onnx")
    size = 4 * np.prod(weight)
    # a file: its weights are skipped, never read; a ModelProto in memory: protobuf lends a
    # tensor's bytes only as a copy, so one tensor at a time is measured (not six copies)
    for source, most in ((tmp_path / "m.onnx", size / 4), (model, 1.25 * size)):
        tracemalloc.start()
        tconvmat.inspect(source)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < most, source


def test_json_is_strict(tmp_path, capsys):
    onnx.save(_model({"strides": [2, 2]}), tmp_path / "m.onnx")
    status, out, _ = _cli(tmp_path / "m.onnx", capsys, "--json")
    assert status == 0
    json.loads(out, parse_constant=lambda name: pytest.fail(f"bare {name} in JSON"))


def test_a_missing_onnx_is_one_line_with_the_install_command(monkeypatch, tmp_path, capsys):
    onnx.save(_model(), tmp_path / "m.onnx")
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now fails
    with pytest.raises(ImportError, match=r"needs onnx, which is not installed: pip install onnx"):
        tconvmat.inspect(tmp_path / "m.onnx")
    status, _, err = _cli(tmp_path / "m.onnx", capsys)
    assert status == 2 and err.count("\n") == 1 and "pip install onnx" in err


@settings(deadline=None)
@given(st.data())
def test_any_corruption_of_a_file_gets_a_report_or_a_refusal(data):
    whole = bytearray(_model({"strides": [2, 2], "pads": [1, 1, 0, 0]}).SerializeToString())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(whole) - 1))
        whole[at] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(whole)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.onnx"
        path.write_bytes(bytes(whole[:cut]))
        sources: list = [path]  # read by inspect's own scanner
        with contextlib.suppress(Exception):  # unless it is not even protobuf
            sources.append(onnx.ModelProto.FromString(bytes(whole[:cut])))
        for source in sources:
            try:
                report = tconvmat.inspect(source)
            except (ValueError, TypeError) as error:
                assert "\n" not in str(error)
                continue
            report.table()
            json.dumps(report.to_json(), allow_nan=False)


def test_where_shape_inference_stops_is_the_failure():
    matrix = helper.make_tensor("M", TensorProto.FLOAT, [5, 4], [0.0] * 20)
    nodes = [
        helper.make_node("ConvTranspose", ["X", "W"], ["T"], strides=[2, 2]),
        helper.make_node("Flatten", ["T"], ["F"]),
        helper.make_node("MatMul", ["F", "M"], ["P"], name="head"),
        helper.make_node("Unsqueeze", ["P", "axes"], ["Q"]),
    ]
    model = _model(nodes=nodes)
    model.graph.initializer.extend(
        [matrix, helper.make_tensor("axes", TensorProto.INT64, [2], [2, 3])]
    )
    assert _runtime_refuses(model)  # 1×363 @ 5×4
    report = tconvmat.inspect(model)
    assert report.failure.startswith("ONNX shape inference stops at head (MatMul) on inputs")
    assert "1×363, 5×4" in report.failure
    assert report[0].out_shape == (1, 3, 11, 11)
