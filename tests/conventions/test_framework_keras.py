"""Keras 3 itself (JAX backend, in a child process) against ``from_keras`` and the Keras code.

Every case runs a real ``keras.layers.Conv{1,2,3}DTranspose`` (or the snippet ``tconvmat
convert --to keras`` prints) in a long-lived child process, because Keras on JAX can abort
inside XLA on some layers; an abort skips that case, never the run.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from framework_child import Aborted, Child, Refused
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from strategies import any_crops

from tconvmat.conventions import FRAMEWORKS, from_keras

KERAS = {
    "KERAS_BACKEND": "jax",
    "JAX_PLATFORMS": "cpu",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "TF_CPP_MIN_LOG_LEVEL": "3",
}

LAYER = """
import numpy as np
import keras

def run(x, weight):
    layer = keras.layers.Conv{ndim}DTranspose(
        {cout}, {kernel}, strides={stride}, padding={padding!r}, output_padding={output_padding},
        dilation_rate={dilation}, use_bias=False, kernel_initializer="zeros",
    )
    layer.build(x.shape)
    layer.kernel.assign(np.moveaxis(weight, (0, 1), (-1, -2)))  # (*kernel, C_out, C_in)
    return np.asarray(layer(x))
"""

SNIPPET = """
import numpy as np
{code}

def run(x, weight):
    return np.asarray(conv_transpose(x, weight))
"""


@pytest.fixture(scope="module")
def keras_child():
    child = Child(KERAS)
    yield child
    child.close()


@st.composite
def keras_layers(draw):
    """Any layer Keras might take, refused ones included (output_padding >= strides, ...)."""
    ndim = draw(st.integers(1, 3))
    small = ndim == 3
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    # mostly layers Keras takes (output_padding < strides; no dilation with strides), some not
    dilation = tuple(
        draw(st.sampled_from([1, 1, 2] if max(stride) == 1 else [1, 1, 1, 1, 1, 2]))
        for _ in range(ndim)
    )
    extra = [st.one_of(*[st.integers(0, s - 1)] * 3, st.integers(0, 3)) for s in stride]
    spec = {
        "ndim": ndim,
        "in_shape": tuple(draw(st.integers(1, 3 if small else 6)) for _ in range(ndim)),
        "kernel": tuple(draw(st.integers(1, 3 if small else 5)) for _ in range(ndim)),
        "stride": stride,
        "dilation": dilation,
        "padding": draw(st.sampled_from(["same", "valid"])),
        "output_padding": draw(st.one_of(st.none(), st.tuples(*extra))),
        "cin": draw(st.integers(1, 2)),
        "cout": draw(st.integers(1, 2)),
    }
    return spec


@settings(max_examples=500, deadline=None)
@given(keras_layers(), st.integers(0, 2**32 - 1))
def test_keras_layers_agree_with_from_keras_in_shape_and_values(keras_child, spec, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, *spec["in_shape"], spec["cin"])).astype(np.float32)
    weight = rng.standard_normal((spec["cin"], spec["cout"], *spec["kernel"])).astype(np.float32)
    try:
        found = keras_child.run(LAYER.format(**spec), x, weight)
    except Aborted:
        assume(False)  # Keras died inside XLA on this layer: a skipped case, not a failure
    except Refused as refusal:
        event("both refuse")
        with pytest.raises((ValueError, TypeError)):
            from_keras(
                *[spec[key] for key in ("in_shape", "kernel", "stride", "padding")],
                spec["output_padding"],
                spec["dilation"],
            )
        assert "output_padding" in str(refusal) or "dilation" in str(refusal), refusal
        return
    arguments = [spec[key] for key in ("in_shape", "kernel", "stride", "padding")]
    arguments += [spec["output_padding"], spec["dilation"]]
    if 0 in found.shape:  # Keras returns an empty output; tconvmat refuses to make one
        with pytest.raises(ValueError, match="Keras returns an empty output here"):
            from_keras(*arguments)
        return
    g = from_keras(*arguments)
    g = dataclasses.replace(g, in_channels=spec["cin"], out_channels=spec["cout"])
    ours = g.apply(np.moveaxis(x, -1, 1), weight)
    assert found.shape == np.moveaxis(ours, 1, -1).shape
    np.testing.assert_allclose(np.moveaxis(ours, 1, -1), found, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(
    ("in_shape", "kernel", "stride", "padding", "output_padding", "out_shape"),
    [
        ((3,), (4,), 1, "same", 0, (2,)),  # issue 18: refused before, Keras computes 2
        ((16,), (4,), 2, "same", 0, (30,)),
        ((16,), (3,), 2, "same", None, (32,)),
        ((5, 5), (3, 2), (2, 1), "valid", (1, 0), (12, 6)),
    ],
)
def test_the_layers_issue_18_named(
    keras_child, in_shape, kernel, stride, padding, output_padding, out_shape
):
    g = from_keras(in_shape, kernel, stride, padding, output_padding)
    assert g.out_shape == out_shape
    ndim = len(in_shape)
    spec = {
        "ndim": ndim,
        "cout": 1,
        "kernel": kernel,
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "dilation": 1,
    }
    x = np.arange(1, np.prod(in_shape) + 1, dtype=np.float32).reshape(1, *in_shape, 1)
    weight = np.arange(1, np.prod(kernel) + 1, dtype=np.float32).reshape(1, 1, *kernel)
    found = keras_child.run(LAYER.format(**spec), x, weight)
    np.testing.assert_allclose(found[0, ..., 0], g.apply(x[0, ..., 0], weight[0, 0]), rtol=1e-6)


def test_keras_refuses_what_from_keras_refuses(keras_child):
    spec = {
        "ndim": 1,
        "cout": 1,
        "kernel": (3,),
        "stride": (2,),
        "padding": "same",
        "output_padding": (2,),
        "dilation": (1,),
    }
    x, weight = np.ones((1, 4, 1), np.float32), np.ones((1, 1, 3), np.float32)
    with pytest.raises(Refused, match="output_padding"):
        keras_child.run(LAYER.format(**spec), x, weight)
    with pytest.raises(
        ValueError, match=r"output_padding \(2\) must be smaller than strides \(2\)"
    ):
        from_keras((4,), (3,), 2, "same", 2)
    with pytest.raises(ValueError, match="Keras refuses the combination"):
        from_keras((4,), (3,), 2, "same", dilation_rate=2)


@settings(max_examples=60, deadline=None)
@given(any_crops(), st.integers(0, 2**32 - 1))
def test_printed_keras_code_computes_the_geometry(keras_child, g, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, g.in_channels, *g.in_shape)).astype(np.float32)
    weight = rng.standard_normal(g.weight_shape).astype(np.float32)
    source = SNIPPET.format(code=FRAMEWORKS["keras"].to_code(g))
    try:
        found = keras_child.run(source, np.moveaxis(x, 1, -1), weight)
    except Aborted:
        assume(False)
    np.testing.assert_allclose(found, np.moveaxis(g.apply(x, weight), 1, -1), rtol=1e-4, atol=1e-4)
