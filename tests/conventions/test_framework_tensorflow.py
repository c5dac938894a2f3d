"""TensorFlow itself (``tf.nn.conv_transpose``, CPU) against ``from_tensorflow``."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from tconvmat.conventions import from_tensorflow

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)

CPU_LIMITS = ("not yet support", "not supported", "Unimplemented", "UNIMPLEMENTED")
"""TensorFlow's CPU kernels lack some paddings with dilation: not a rule about shapes."""


@st.composite
def tensorflow_calls(draw):
    ndim = draw(st.integers(1, 3))
    small = ndim == 3
    in_shape = tuple(draw(st.integers(1, 3 if small else 6)) for _ in range(ndim))
    kernel = tuple(draw(st.integers(1, 3 if small else 5)) for _ in range(ndim))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    dilation = tuple(draw(st.sampled_from([1, 1, 1, 2])) for _ in range(ndim))
    explicit = ndim == 2 and max(dilation) == 1 and draw(st.booleans())
    padding = (
        [tuple(draw(st.integers(0, 2)) for _ in range(2)) for _ in range(ndim)]
        if explicit
        else draw(st.sampled_from(["SAME", "VALID"]))
    )
    sizes = []
    for a, (i, k, s, d) in enumerate(zip(in_shape, kernel, stride, dilation, strict=True)):
        full = (i - 1) * s + d * (k - 1) + 1
        if padding == "SAME":
            base = i * s
        elif padding == "VALID":
            base = full
        else:
            base = full - sum(padding[a])
        # mostly sizes TensorFlow takes (SAME: ⌈n/s⌉ = I; VALID: n − L < s), some it refuses
        near = st.integers(1 - s, 0) if padding == "SAME" else st.integers(0, s - 1)
        sizes.append(max(1, base + draw(st.one_of(near, near, near, st.integers(-s, s)))))
    channels = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    return in_shape, kernel, stride, dilation, padding, tuple(sizes), channels


def _tensorflow(x, filters, sizes, stride, padding, dilation):
    if isinstance(padding, list):
        padding = [[0, 0], *map(list, padding), [0, 0]]
    shape = [x.shape[0], *sizes, filters.shape[-2]]
    return tf.nn.conv_transpose(
        x, filters, shape, strides=list(stride), padding=padding, dilations=list(dilation)
    ).numpy()


@settings(max_examples=500, deadline=None)
@given(tensorflow_calls(), st.integers(0, 2**32 - 1))
def test_tensorflow_agrees_with_from_tensorflow_or_both_refuse(call, seed):
    in_shape, kernel, stride, dilation, padding, sizes, (cin, cout) = call
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, *in_shape, cin))
    weight = rng.standard_normal((cin, cout, *kernel))
    filters = np.moveaxis(weight, (0, 1), (-1, -2))  # (*kernel, C_out, C_in)
    try:
        found = _tensorflow(x, filters, sizes, stride, padding, dilation)
    except (tf.errors.InvalidArgumentError, ValueError) as refusal:
        event("both refuse")
        assume(not any(limit in str(refusal) for limit in CPU_LIMITS))
        with pytest.raises(ValueError, match="not consistent with input"):
            from_tensorflow(in_shape, kernel, stride, padding, sizes, dilation)
        return
    g = from_tensorflow(in_shape, kernel, stride, padding, sizes, dilation)
    g = dataclasses.replace(g, in_channels=cin, out_channels=cout)
    ours = g.apply(np.moveaxis(x, -1, 1), weight)
    np.testing.assert_allclose(np.moveaxis(ours, 1, -1), found, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    ("in_shape", "kernel", "stride", "padding", "size", "crops"),
    [
        (16, 3, 2, "SAME", 32, (0, 1)),
        (16, 3, 2, "SAME", 31, (1, 1)),
        (16, 4, 2, "SAME", 32, (1, 1)),
        (16, 3, 2, "VALID", 33, (0, 0)),
        (16, 3, 2, "VALID", 34, (0, -1)),
        (2, 2, 3, "SAME", 6, (0, -1)),
        (3, 4, 1, "SAME", 3, (1, 2)),
    ],
)
def test_tensorflow_crops_table(in_shape, kernel, stride, padding, size, crops):
    g = from_tensorflow((in_shape,), (kernel,), stride, padding, (size,))
    assert g.crops == (crops,) and g.out_shape == (size,)
    x = np.arange(1.0, in_shape + 1)
    w = np.arange(1.0, kernel + 1)
    found = _tensorflow(x.reshape(1, -1, 1), w.reshape(-1, 1, 1), (size,), (stride,), padding, (1,))
    np.testing.assert_allclose(g.apply(x, w), found.ravel())
