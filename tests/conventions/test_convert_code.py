"""Every snippet ``tconvmat convert --to ...`` prints, run as saved, computes tconvmat's y.

PyTorch, TensorFlow, JAX and ONNX Runtime run here; Keras runs in a child process
(tests/conventions/test_framework_keras.py). Geometries cover 1-D to 3-D, any crops
(negative ones too), both kernel orientations, channels and groups.
"""

from __future__ import annotations

import json
import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import jax
import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_crops

from tconvmat import ConvTranspose
from tconvmat.cli import main
from tconvmat.conventions import FRAMEWORKS, from_jax, from_onnx, from_tensorflow
from tconvmat.conventions.onnx import attributes, native

jax.config.update("jax_enable_x64", True)


def execute(code: str):
    """The printed code, as a user runs it: its ``conv_transpose``."""
    namespace: dict = {}
    exec(compile(code, "<tconvmat convert>", "exec"), namespace)
    return namespace["conv_transpose"]


def run(target: str, code: str, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The printed code run on x and weight in the layouts its comments state; y as (N, C, …)."""
    function = execute(code)
    if target == "pytorch":
        return function(torch.from_numpy(x), torch.from_numpy(weight)).numpy()
    if target == "tensorflow":
        return np.moveaxis(np.asarray(function(np.moveaxis(x, 1, -1), weight)), -1, 1)
    return np.asarray(function(x, weight))


def _data(g, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, g.in_channels, *g.in_shape))
    return x, rng.standard_normal(g.weight_shape)


@settings(max_examples=60, deadline=None)
@given(any_crops(), st.integers(0, 2**32 - 1))
def test_printed_pytorch_code_computes_the_geometry(g, seed):
    x, weight = _data(g, seed)
    y = execute(FRAMEWORKS["pytorch"].to_code(g))(torch.from_numpy(x), torch.from_numpy(weight))
    np.testing.assert_allclose(y.numpy(), g.apply(x, weight), atol=1e-10)


@settings(max_examples=60, deadline=None)
@given(any_crops(), st.integers(0, 2**32 - 1))
def test_printed_jax_code_computes_the_geometry(g, seed):
    x, weight = _data(g, seed)
    y = execute(FRAMEWORKS["jax"].to_code(g))(x, weight)
    np.testing.assert_allclose(np.asarray(y), g.apply(x, weight), atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(any_crops(), st.integers(0, 2**32 - 1))
def test_printed_tensorflow_code_computes_the_geometry(g, seed):
    x, weight = _data(g, seed)
    y = execute(FRAMEWORKS["tensorflow"].to_code(g))(np.moveaxis(x, 1, -1), weight)
    expected = np.moveaxis(g.apply(x, weight), 1, -1)
    np.testing.assert_allclose(np.asarray(y), expected, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(any_crops(), st.integers(0, 2**32 - 1))
def test_printed_onnx_code_computes_the_geometry(g, seed):
    x, weight = _data(g, seed)
    y = execute(FRAMEWORKS["onnx"].to_code(g))(x, weight)  # ONNX Runtime: float32
    np.testing.assert_allclose(y, g.apply(x, weight), rtol=1e-4, atol=1e-4)
    found, rest = native(g)
    try:
        assert attributes(g) == found and not any(lo or hi for lo, hi in rest)
    except ValueError as error:  # a zero-extension ONNX's attributes cannot say
        assert "add a Pad node" in str(error)
        assert any(lo < 0 or -hi >= s for (lo, hi), s in zip(g.crops, g.stride, strict=True))
        assert '"Pad"' in FRAMEWORKS["onnx"].to_code(g)


@pytest.mark.parametrize(
    "crops",
    [((9, -9),), ((-9, 9),), ((-1, 7),), ((12, -10),)],  # windows beyond the scatter's values
)
@pytest.mark.parametrize("target", ["pytorch", "tensorflow", "jax", "onnx"])
def test_windows_that_leave_nothing_of_the_scatter(crops, target):
    g = ConvTranspose.from_crops((3,), (2,), crops, stride=2, dilation=3)
    x, weight = _data(g, 1)
    y = run(target, FRAMEWORKS[target].to_code(g), x, weight)
    np.testing.assert_allclose(y, g.apply(x, weight), rtol=1e-4, atol=1e-4)


def test_the_onnx_snippet_carries_the_kernel_in_onnx_orientation():
    g = from_jax((3,), (2,), (2,), "VALID")  # JAX correlates with the kernel as given
    code = FRAMEWORKS["onnx"].to_code(g)
    assert "weight = np.flip(weight, axis=(2,))" in code
    x, w = np.array([[[1.0, 10.0, 100.0]]]), np.array([[[1.0, 2.0]]])
    np.testing.assert_allclose(execute(code)(x, w), g.apply(x, w))
    assert not np.allclose(
        execute(FRAMEWORKS["onnx"].to_code(g.__class__((3,), (2,), 2)))(x, w), g.apply(x, w)
    )


@pytest.mark.parametrize("ndim", [1, 2, 3])
@pytest.mark.parametrize("target", ["pytorch", "tensorflow", "jax", "onnx"])
def test_convert_output_saved_to_a_file_runs(tmp_path, capsys, ndim, target):
    shape = "x".join(["5"] * ndim)
    kernel = "x".join(["3"] * ndim)
    args = ["convert", "--from", "tensorflow", "--input-shape", shape, "--kernel-shape", kernel]
    assert (
        main([*args, "--stride", "2", "--padding", "SAME", "--dilation", "2", "--to", target]) == 0
    )
    printed = capsys.readouterr().out
    path = tmp_path / "layer.py"
    path.write_text(printed)
    g = from_tensorflow((5,) * ndim, (3,) * ndim, 2, "SAME", dilations=2)
    x, weight = _data(g, 0)
    y = run(target, path.read_text(), x, weight)
    np.testing.assert_allclose(y, g.apply(x, weight), rtol=1e-4, atol=1e-4)


def test_onnx_output_shape_beyond_the_scatter_converts(capsys):
    g = from_onnx((2,), (2,), strides=3, output_shape=[7])
    np.testing.assert_allclose(g.apply([1.0, 10.0], [1.0, 2.0]), [1, 2, 0, 10, 20, 0, 0])
    code = FRAMEWORKS["tensorflow"].to_code(g)
    y = execute(code)(np.array([1.0, 10.0]).reshape(1, 2, 1), np.array([1.0, 2.0]).reshape(1, 1, 2))
    np.testing.assert_allclose(np.asarray(y).ravel(), [1, 2, 0, 10, 20, 0, 0])
    assert tf.__version__


@pytest.mark.parametrize(
    ("source", "out_shape"),
    [("pytorch", [33]), ("keras", [33]), ("onnx", [33]), ("tensorflow", [32])],
)
def test_convert_defaults_to_each_frameworks_own_padding(capsys, source, out_shape):
    # PyTorch padding 0, Keras 'valid', ONNX NOTSET (pads 0), TensorFlow 'SAME' (as each
    # framework's own default gives, e.g. keras.layers.Conv1DTranspose(1, 3, strides=2): 33)
    args = ["convert", "--from", source, "--input-shape", "16", "--kernel-shape", "3"]
    assert main([*args, "--stride", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["out_shape"] == out_shape


@pytest.mark.parametrize(
    ("source", "extra", "message"),
    [
        ("jax", [], "--padding: jax has no default padding"),
        ("keras", ["--output-shape", "8"], "--output-shape: keras has no output_shape"),
        ("jax", ["--padding", "SAME", "--output-shape", "8"], "--output-shape: jax has no"),
        ("tensorflow", ["--output-padding", "1"], "--output-padding: tensorflow has no"),
        ("onnx", ["--transpose-kernel"], "--transpose-kernel: onnx has no transpose_kernel"),
        ("pytorch", ["--padding", "nan"], "--padding: 'nan' is not a padding of pytorch"),
        ("pytorch", ["--padding", "SAME"], "is not a padding of pytorch, which takes numbers"),
        ("onnx", ["--padding", "SAME"], "one of NOTSET, SAME_UPPER, SAME_LOWER, VALID"),
        ("pytorch", ["--stride", "٢"], "--stride: '٢' must be an integer"),
        ("pytorch", ["--input-shape", "4x4x4x4", "--kernel-shape", "3x3x3x3"], "1d-3d take 1 to 3"),
    ],
)
def test_convert_refuses_what_the_framework_does_not_have(capsys, source, extra, message):
    args = ["convert", "--from", source, "--input-shape", "16", "--kernel-shape", "3", *extra]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("tconvmat: error: ") and message in err and err.count("\n") == 1


def test_convert_takes_a_frameworks_mode_in_any_case(capsys):
    for padding in ("same", "SAME", "Same"):
        args = ["convert", "--from", "tensorflow", "--input-shape", "16", "--kernel-shape", "3"]
        assert main([*args, "--stride", "2", "--padding", padding, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["crops"] == [[0, 1]]
