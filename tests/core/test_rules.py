"""Every framework rule as a table: (framework parameters → crops and output length).

The expected values were read off the frameworks themselves (PyTorch 2.13, TensorFlow 2.21,
Keras 3.15 on JAX, JAX 0.10, ONNX Runtime 1.32); tests/conventions/test_framework_*.py run them
on random layers.
"""

from __future__ import annotations

import pytest
import torch

from tconvmat.core import axis, rules


@pytest.mark.parametrize(
    ("stride", "dilation", "framework", "limit"),
    [
        (2, 1, "pytorch", 2),
        (1, 2, "pytorch", 2),  # PyTorch: below stride OR dilation
        (1, 2, "keras", 1),  # Keras: below strides whatever the dilation
        (1, 2, "onnx", 1),  # ONNX Runtime: the output must convolve back to the input
        (3, 1, "onnx", 3),
    ],
)
def test_output_padding_limit(stride, dilation, framework, limit):
    assert rules.output_padding_limit(stride, dilation, framework) == limit
    rules.check_output_padding(limit - 1, stride, dilation, framework)
    with pytest.raises(ValueError, match=rf"output_padding \({limit}\) must be smaller than"):
        rules.check_output_padding(limit, stride, dilation, framework)
    if framework == "pytorch":  # PyTorch itself: limit − 1 runs, limit is refused
        x = torch.ones(1, 1, 3)
        torch.nn.ConvTranspose1d(1, 1, 2, stride, output_padding=limit - 1, dilation=dilation)(x)
        with pytest.raises(RuntimeError, match="output padding must be smaller"):
            torch.nn.ConvTranspose1d(1, 1, 2, stride, output_padding=limit, dilation=dilation)(x)


@pytest.mark.parametrize(
    ("crop", "cut", "extension"),
    [((1, 1), (1, 1), (0, 0)), ((0, -2), (0, 0), (0, 2)), ((-1, 3), (0, 3), (1, 0))],
)
def test_a_crop_is_a_cut_and_a_zero_extension(crop, cut, extension):
    assert rules.crop_cut(crop) == cut and rules.crop_extension(crop) == extension
    assert tuple(c - e for c, e in zip(cut, extension, strict=True)) == crop


@pytest.mark.parametrize(
    ("padding", "output_padding", "crops"),
    [((1, 1), 0, (1, 1)), ((1, 1), 1, (1, 0)), ((0, 0), 1, (0, -1)), ((2, 0), 1, (2, -1))],
)
def test_pytorch_crops(padding, output_padding, crops):
    assert rules.pytorch_crops(padding, output_padding) == crops


@pytest.mark.parametrize(
    ("in_len", "kernel", "stride", "dilation", "padding", "sizes"),
    [
        (16, 3, 2, 1, 1, range(31, 33)),
        (5, 3, 1, 2, 0, range(9, 10)),  # PyTorch bounds output_size by the stride alone
        (4, 2, 3, 1, 0, range(11, 14)),
    ],
)
def test_pytorch_output_sizes(in_len, kernel, stride, dilation, padding, sizes):
    assert rules.pytorch_output_sizes(in_len, kernel, stride, dilation, padding) == sizes
    layer = torch.nn.ConvTranspose1d(1, 1, kernel, stride, padding, dilation=dilation)
    for size in range(sizes.start - 1, sizes.stop + dilation + 1):  # what PyTorch accepts
        try:
            layer(torch.ones(1, 1, in_len), output_size=[size])
            accepted = True
        except ValueError:
            accepted = False
        assert accepted == (size in sizes), size


@pytest.mark.parametrize(
    ("crop", "stride", "dilation", "call"),
    [
        ((1, 0), 2, 1, (1, 1, (0, 0))),  # padding 1, output_padding 1: exact
        ((0, 1), 2, 1, (0, 0, (0, 1))),  # TensorFlow's SAME cuts more at the end
        ((-1, -1), 2, 1, (0, 0, (-1, -1))),  # zeros at both ends
        ((3, 0), 2, 1, (0, 0, (3, 0))),  # would need output_padding 3 >= 2
    ],
)
def test_pytorch_call(crop, stride, dilation, call):
    assert rules.pytorch_call(crop, stride, dilation) == call


@pytest.mark.parametrize(
    ("size", "kernel", "stride", "dilation", "pads"),
    [
        (16, 3, 2, 1, (0, 1)),
        (15, 3, 2, 1, (1, 1)),
        (8, 4, 1, 1, (1, 2)),  # the odd element at the end
        (8, 1, 4, 1, (0, 0)),  # stride beyond the kernel's reach
        (3, 3, 1, 2, (2, 2)),
    ],
)
def test_same_padding(size, kernel, stride, dilation, pads):
    assert rules.same_padding(size, kernel, stride, dilation) == pads


@pytest.mark.parametrize(
    ("in_len", "kernel", "stride", "dilation", "padding", "out", "crops"),
    [  # tf.nn.conv1d_transpose(x, w, [1, out, 1], stride, padding)
        (2, 2, 3, 1, "SAME", 4, (0, 1)),
        (2, 2, 3, 1, "SAME", 6, (0, -1)),
        (2, 2, 3, 1, "VALID", 7, (0, -2)),
        (3, 3, 2, 1, "SAME", 5, (1, 1)),
        (3, 3, 2, 1, "SAME", 6, (0, 1)),
        (4, 4, 2, 1, "SAME", 7, (1, 2)),
        (3, 4, 1, 1, "SAME", 3, (1, 2)),
        (3, 3, 1, 2, "SAME", 3, (2, 2)),
        (3, 3, 2, 2, "SAME", 6, (1, 2)),
        (3, 3, 2, 2, "VALID", 10, (0, -1)),
        (3, 3, 2, 1, (1, 0), 6, (1, 0)),  # tf.nn.conv2d_transpose's explicit padding
    ],
)
def test_tensorflow_crops(in_len, kernel, stride, dilation, padding, out, crops):
    assert rules.tensorflow_crops(in_len, kernel, stride, dilation, padding, out) == crops
    assert axis.output_length(in_len, kernel, stride, dilation, crops) == out


@pytest.mark.parametrize(
    ("in_len", "kernel", "stride", "padding", "out"),
    [(3, 3, 2, "SAME", 7), (3, 3, 2, "VALID", 6), (3, 4, 1, "VALID", 3)],
)
def test_tensorflow_refuses_sizes_that_do_not_convolve_back(in_len, kernel, stride, padding, out):
    with pytest.raises(ValueError, match="not consistent with input"):
        rules.tensorflow_crops(in_len, kernel, stride, 1, padding, out)


@pytest.mark.parametrize(
    ("in_len", "kernel", "stride", "dilation", "padding", "output_padding", "out", "crops"),
    [  # keras.layers.Conv1DTranspose(1, kernel, stride, padding, output_padding, dilation)
        (2, 2, 3, 1, "same", None, 6, (0, -1)),
        (2, 2, 3, 1, "same", 0, 3, (1, 1)),  # TensorFlow's SAME refuses 3
        (2, 2, 3, 1, "same", 2, 5, (0, 0)),
        (2, 2, 3, 1, "valid", None, 6, (0, -1)),
        (3, 3, 2, 1, "same", 0, 5, (1, 1)),
        (4, 4, 2, 1, "same", 0, 6, (2, 2)),
        (4, 4, 2, 1, "same", 1, 7, (1, 2)),
        (3, 4, 1, 1, "same", None, 3, (1, 2)),
        (3, 4, 1, 1, "same", 0, 2, (2, 2)),  # issue 18: from_keras refused it
        (3, 3, 1, 2, "same", 0, 3, (2, 2)),
        (3, 5, 2, 1, "same", 0, 5, (2, 2)),
        (3, 3, 3, 1, "same", 2, 9, (0, 0)),
        (3, 5, 2, 1, "valid", 1, 10, (0, -1)),
    ],
)
def test_keras(in_len, kernel, stride, dilation, padding, output_padding, out, crops):
    assert rules.keras_crops(kernel, stride, dilation, padding, output_padding) == crops
    length = rules.keras_output_length(in_len, kernel, stride, padding, output_padding, dilation)
    assert length == out


@pytest.mark.parametrize(
    ("extent", "stride", "mode", "pads", "crops"),
    [
        (3, 2, "SAME", (2, 1), (0, 1)),
        (3, 2, "VALID", (2, 2), (0, 0)),
        (1, 2, "VALID", (0, 1), (0, -1)),
        (4, 2, "SAME", (2, 2), (1, 1)),
    ],
)
def test_jax(extent, stride, mode, pads, crops):
    assert rules.jax_padding(extent, stride, mode) == pads
    assert rules.jax_crops(extent, pads) == crops
    assert rules.jax_crops(extent, crops) == pads  # its own inverse
    assert rules.jax_flips_kernel(False) and not rules.jax_flips_kernel(True)


@pytest.mark.parametrize(
    ("in_len", "kernel", "stride", "dilation", "attributes", "crops"),
    [  # ONNX Runtime 1.32, one ConvTranspose node
        (2, 2, 3, 1, {"output_len": 7}, (0, -2)),  # beyond the scatter: zeros at the end
        (2, 2, 3, 1, {"output_len": 2}, (2, 1)),  # NOTSET: the odd one at the start
        (2, 2, 3, 1, {"output_len": 6, "output_padding": 2}, (1, -2)),
        (2, 2, 3, 1, {"auto_pad": "SAME_UPPER"}, (0, 0)),  # SAME never pads below 0
        (2, 2, 3, 1, {"auto_pad": "SAME_UPPER", "output_padding": 1}, (0, -1)),
        (3, 3, 2, 1, {"auto_pad": "SAME_UPPER"}, (0, 1)),
        (3, 3, 2, 1, {"auto_pad": "SAME_LOWER"}, (1, 0)),
        (3, 3, 2, 1, {"auto_pad": "SAME_UPPER", "output_padding": 1}, (1, 0)),
        (3, 3, 2, 2, {"auto_pad": "SAME_UPPER", "output_padding": 1}, (2, 1)),
        (3, 3, 2, 1, {"auto_pad": "VALID", "pads": (1, 1)}, (0, 0)),
        (5, 3, 3, 1, {"pads": (1, 0), "output_padding": 2}, (1, -2)),
    ],
)
def test_onnx(in_len, kernel, stride, dilation, attributes, crops):
    assert rules.onnx_crops(in_len, kernel, stride, dilation, **attributes) == crops


def test_onnx_refusals_and_pads_layout():
    with pytest.raises(ValueError, match="ONNX Runtime refuses it"):
        rules.onnx_crops(2, 2, 3, output_len=8)
    with pytest.raises(ValueError, match="must not be negative"):
        rules.onnx_crops(2, 2, 3, pads=(-1, 0))
    assert rules.onnx_pairs([1, 2, 3, 4], 2) == [(1, 3), (2, 4)]
    assert rules.onnx_pads([(1, 3), (2, 4)]) == [1, 2, 3, 4]
    assert rules.onnx_same_conv_padding(16, 3, 2, 1, "SAME_LOWER") == (1, 0)
