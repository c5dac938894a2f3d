"""Every snippet ``tconvmat convert --to ...`` prints, run as saved, computes tconvmat's y.

PyTorch, TensorFlow, JAX and ONNX Runtime run here; Keras runs in a child process
(tests/test_framework_keras.py). Geometries cover 1-D to 3-D, any crops (negative ones
too), both kernel orientations, channels and groups.
"""

from __future__ import annotations

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

from tconvmat.cli import main
from tconvmat.conventions import FRAMEWORKS, from_jax, from_onnx, from_tensorflow
from tconvmat.conventions.onnx import attributes, native

jax.config.update("jax_enable_x64", True)


def execute(code: str):
    """The printed code, as a user runs it: its ``conv_transpose``."""
    namespace: dict = {}
    exec(compile(code, "<tconvmat convert>", "exec"), namespace)
    return namespace["conv_transpose"]


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
    function = execute(path.read_text())
    if target == "pytorch":
        y = function(torch.from_numpy(x), torch.from_numpy(weight)).numpy()
    elif target == "tensorflow":
        y = np.moveaxis(np.asarray(function(np.moveaxis(x, 1, -1), weight)), -1, 1)
    else:
        y = np.asarray(function(x, weight))
    np.testing.assert_allclose(y, g.apply(x, weight), rtol=1e-4, atol=1e-4)


def test_onnx_output_shape_beyond_the_scatter_converts(capsys):
    g = from_onnx((2,), (2,), strides=3, output_shape=[7])
    np.testing.assert_allclose(g.apply([1.0, 10.0], [1.0, 2.0]), [1, 2, 0, 10, 20, 0, 0])
    code = FRAMEWORKS["tensorflow"].to_code(g)
    y = execute(code)(np.array([1.0, 10.0]).reshape(1, 2, 1), np.array([1.0, 2.0]).reshape(1, 1, 2))
    np.testing.assert_allclose(np.asarray(y).ravel(), [1, 2, 0, 10, 20, 0, 0])
    assert tf.__version__
