"""Every framework's padding rule, one small pure function each, one axis at a time.

Per spatial axis the uncropped scatter of a transposed convolution has
``L = (I − 1)·s + d·(k − 1) + 1`` positions (:func:`tconvmat.core.axis.full_length`).
Every framework's parameters pick a window of it: the **crops** ``(lo, hi)`` cut
from each end, where a negative crop extends that end with zeros. This module
turns each framework's parameters into crops (and back), and is the one home of
each rule; the converters (:mod:`tconvmat.conventions`), ``functional``,
``inspect``, the solver, the explanation and the figures call these functions.

========================  ===============================================================
framework                 rule (per axis)
========================  ===============================================================
PyTorch                   crops ``(p_lo, p_hi − op)``, ``0 <= op < max(s, d)``
TensorFlow                the forward convolution's padding ('SAME', 'VALID', explicit) of
                          the requested output length ``n``: crops ``(pad_lo, L − pad_lo − n)``
Keras 3                   its own zero-insertion padding (not TensorFlow's SAME) and
                          output length; ``0 <= op < s``
JAX ``conv_transpose``    padding ``(a, b)`` of the zero-inserted input: crops
                          ``(e − 1 − a, e − 1 − b)``; the kernel as given unless
                          ``transpose_kernel``
ONNX (ONNX Runtime 1.32)  ``pads`` as ``[begin…, end…]``, crops ``(begin, end − op)``;
                          ``output_shape`` and ``auto_pad`` SAME derive the pads; the end
                          is zero-extended when the output is longer than the scatter;
                          ``0 <= op < s``
========================  ===============================================================

Every rule here was checked by running the framework itself (see
``tests/core/test_rules.py`` and the framework cross-checks).
"""

from __future__ import annotations

from tconvmat.core.rules.common import (
    OUTPUT_PADDING_RULES,
    check_output_padding,
    crop_cut,
    crop_extension,
    output_padding_limit,
)
from tconvmat.core.rules.jax import jax_crops, jax_flips_kernel, jax_padding
from tconvmat.core.rules.keras import keras_crops, keras_output_length, keras_padding
from tconvmat.core.rules.onnx import onnx_crops, onnx_pads, onnx_pairs, onnx_same_conv_padding
from tconvmat.core.rules.pytorch import pytorch_call, pytorch_crops, pytorch_output_sizes
from tconvmat.core.rules.tensorflow import same_padding, tensorflow_crops, tensorflow_output_length

__all__ = [
    "OUTPUT_PADDING_RULES",
    "check_output_padding",
    "crop_cut",
    "crop_extension",
    "jax_crops",
    "jax_flips_kernel",
    "jax_padding",
    "keras_crops",
    "keras_output_length",
    "keras_padding",
    "onnx_crops",
    "onnx_pads",
    "onnx_pairs",
    "onnx_same_conv_padding",
    "output_padding_limit",
    "pytorch_call",
    "pytorch_crops",
    "pytorch_output_sizes",
    "same_padding",
    "tensorflow_crops",
    "tensorflow_output_length",
]
