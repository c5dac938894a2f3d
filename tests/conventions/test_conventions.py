"""Framework conventions against JAX (run here) and PyTorch, and their documented formulas."""

from __future__ import annotations

import os

# One XLA compile per new shape: keep XLA single-threaded beside PyTorch's and NumPy's pools.
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

import jax
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from jax import lax

from tconvmat import ConvTranspose
from tconvmat import conventions as cv
from tconvmat.conventions import (
    compare,
    from_jax,
    from_keras,
    from_onnx,
    from_pytorch,
    from_tensorflow,
    to_pytorch,
)

jax.config.update("jax_enable_x64", True)
sweep = settings(max_examples=80, deadline=None)


def _jax_transpose(x, kernel, strides, padding, dilation, transpose_kernel, consistent=False):
    """lax.conv_transpose on one channel, in its default channels-last layout."""
    out = lax.conv_transpose(
        x[None, ..., None],
        kernel[..., None, None],
        strides,
        padding,
        rhs_dilation=dilation,
        transpose_kernel=transpose_kernel,
        use_consistent_padding=consistent,
    )
    return np.asarray(out)[0, ..., 0]


@st.composite
def axes(draw, max_dims=3):
    ndim = draw(st.integers(1, max_dims))
    small = ndim == 3
    return [
        (
            draw(st.integers(1, 3 if small else 6)),
            draw(st.integers(1, 3 if small else 5)),
            draw(st.integers(1, 3)),
            draw(st.integers(1, 2)),
        )
        for _ in range(ndim)
    ]  # (in, kernel, stride, dilation) per axis


@sweep
@given(
    axes(), st.sampled_from(["SAME", "VALID", "explicit", "consistent"]), st.booleans(), st.data()
)
def test_from_jax_equals_jax(spec, mode, transpose_kernel, data):
    in_shape, kernel_shape, strides, dilation = (tuple(v) for v in zip(*spec, strict=True))
    padding = mode
    if mode in ("explicit", "consistent"):
        padding = [(data.draw(st.integers(-1, 3)), data.draw(st.integers(-1, 3))) for _ in spec]
    consistent = mode == "consistent"
    try:
        g = from_jax(
            in_shape,
            kernel_shape,
            strides,
            padding,
            dilation,
            transpose_kernel,
            use_consistent_padding=consistent,
        )
    except ValueError:
        return  # no output left: JAX fails as well
    rng = np.random.default_rng(0)
    x, kernel = rng.standard_normal(in_shape), rng.standard_normal(kernel_shape)
    expected = _jax_transpose(x, kernel, strides, padding, dilation, transpose_kernel, consistent)
    assert g.out_shape == expected.shape
    np.testing.assert_allclose(g.apply(x, kernel), expected, atol=1e-10)


@sweep
@given(axes(max_dims=2))
def test_tensorflow_same_and_keras_valid_coincide_with_jax(spec):
    in_shape, kernel_shape, strides, dilation = (tuple(v) for v in zip(*spec, strict=True))
    rng = np.random.default_rng(1)
    x, kernel = rng.standard_normal(in_shape), rng.standard_normal(kernel_shape)
    tf_same = from_tensorflow(in_shape, kernel_shape, strides, "SAME", dilations=dilation)
    assert tf_same.out_shape == tuple(i * s for i, s in zip(in_shape, strides, strict=True))
    jax_same = _jax_transpose(x, kernel, strides, "SAME", dilation, True)
    np.testing.assert_allclose(tf_same.apply(x, kernel), jax_same, atol=1e-10)
    if max(strides) > 1 and max(dilation) > 1:
        with pytest.raises(ValueError, match="Keras refuses the combination"):
            from_keras(in_shape, kernel_shape, strides, "valid", dilation_rate=dilation)
        return
    keras_valid = from_keras(in_shape, kernel_shape, strides, "valid", dilation_rate=dilation)
    jax_valid = _jax_transpose(x, kernel, strides, "VALID", dilation, True)
    np.testing.assert_allclose(keras_valid.apply(x, kernel), jax_valid, atol=1e-10)


@pytest.mark.parametrize(
    ("in_len", "k", "s", "padding", "output_padding", "expected"),
    [
        (16, 3, 2, "same", None, 32),  # Keras: in·s
        (16, 3, 2, "valid", None, 33),  # in·s + max(k − s, 0)
        (16, 1, 2, "valid", None, 32),
        (16, 3, 2, "same", 1, 32),  # (in − 1)·s + k − 2·(k // 2) + op
        (16, 4, 2, "same", 1, 31),
        (5, 3, 1, "valid", 0, 7),
    ],
)
def test_keras_output_length_follows_the_documented_rule(
    in_len, k, s, padding, output_padding, expected
):
    assert cv.keras_output_length(in_len, k, s, padding, output_padding, 1) == expected
    g = from_keras((in_len,), (k,), s, padding, output_padding)
    assert g.out_shape == (expected,)


def test_keras_computes_sizes_tensorflow_refuses():
    # k4 s2 'same' with output_padding 0: Keras (JAX backend) gives 30 with its own padding,
    # where a TensorFlow 'same' convolution of 30 gives 15, not 16 (issue 18)
    assert cv.keras_output_length(16, 4, 2, "same", 0, 1) == 30
    assert from_keras((16,), (4,), 2, "same", 0).crops == ((2, 2),)
    with pytest.raises(ValueError, match=r"output_shape\[0\] \(30\) is not consistent"):
        from_tensorflow((16,), (4,), 2, "SAME", output_shape=30)
    with pytest.raises(ValueError, match=r"output_padding \(2\) must be smaller than strides"):
        from_keras((16,), (4,), 2, "same", 2)


def test_tensorflow_output_shape_rules():
    # 'SAME': any output size whose ceil(size / s) is the input size
    for size in (31, 32):
        assert from_tensorflow((16,), (3,), 2, "SAME", output_shape=(size,)).out_shape == (size,)
    with pytest.raises(
        ValueError, match=r"output_shape\[0\] \(33\) is not consistent with input 16"
    ):
        from_tensorflow((16,), (3,), 2, "SAME", output_shape=(33,))
    assert from_tensorflow((16,), (3,), 2, "VALID").out_shape == (33,)
    assert from_tensorflow((16, 4), (3, 3), 2, [(1, 1), (0, 0)]).crops == ((1, 1), (0, 0))
    with pytest.raises(ValueError, match=r"only tf\.nn\.conv2d_transpose takes explicit padding"):
        from_tensorflow((16,), (3,), 2, [(1, 1)])  # TensorFlow: a TypeError in 1-D and 3-D
    with pytest.raises(ValueError, match=r"got 'same' \(spelled 'SAME'\)"):
        from_tensorflow((16,), (3,), 2, "same")


@sweep
@given(st.integers(2, 12), st.integers(1, 6), st.integers(1, 4))
def test_the_tensorflow_pytorch_shift_is_found_and_true(in_len, k, s):
    """TF 'SAME' against the PyTorch call with the same output size and the most symmetric padding."""
    tf = from_tensorflow((in_len,), (k,), s, "SAME")
    total = (in_len - 1) * s + k - in_len * s  # crop_lo + crop_hi for the size in·s
    candidates = [(p, 2 * p - total) for p in range(k) if 0 <= 2 * p - total < s]
    if not candidates:
        return
    p, op = candidates[0]
    pt = from_pytorch((in_len,), (k,), s, p, op)
    result = compare(tf, pt)
    assert result.same_shape
    (shift,) = result.shift
    assert shift == tf.crops[0][0] - pt.crops[0][0]
    rng = np.random.default_rng(2)
    x, kernel = rng.standard_normal(in_len), rng.standard_normal(k)
    a, b = tf.apply(x, kernel), pt.apply(x, kernel)
    n = len(a)
    overlap = range(max(0, -shift), min(n, n - shift))
    np.testing.assert_allclose([a[t] for t in overlap], [b[t + shift] for t in overlap])
    assert result.same_values == (shift == 0 or np.allclose(a, b))


def test_the_one_pixel_shift_at_k3_s2_is_explained():
    tf = from_tensorflow((16, 16), (3, 3), 2, "SAME")
    pt = from_pytorch((16, 16), (3, 3), stride=2, padding=1, output_padding=1)
    result = compare(tf, pt)
    assert (result.same_shape, result.same_values, result.shift) == (True, False, (-1, -1))
    assert "b starts 1 later in the uncropped scatter" in result.explanation


@sweep
@given(axes(max_dims=2), st.data())
def test_to_pytorch_reproduces_any_geometry_with_torch(spec, data):
    in_shape, kernel_shape, strides, dilation = (tuple(v) for v in zip(*spec, strict=True))
    crops = []
    for i, k, s, d in spec:
        full = (i - 1) * s + d * (k - 1) + 1
        lo = data.draw(st.integers(-2, full - 1))
        crops.append((lo, data.draw(st.integers(-2, full - 1 - lo))))
    flip = data.draw(st.booleans())
    g = ConvTranspose.from_crops(
        in_shape, kernel_shape, crops, strides, dilation, flip_kernel=flip, framework="test"
    )
    call = to_pytorch(g)
    rng = np.random.default_rng(3)
    x, kernel = rng.standard_normal(in_shape), rng.standard_normal(kernel_shape)
    weight = np.flip(kernel) if call.flip_kernel else kernel
    torch_function = getattr(F, f"conv_transpose{len(in_shape)}d")
    y = torch_function(
        torch.from_numpy(x[None, None]),
        torch.from_numpy(weight.copy()[None, None]),
        stride=strides,
        padding=call.padding,
        output_padding=call.output_padding,
        dilation=dilation,
    ).numpy()[0, 0]
    np.testing.assert_allclose(call.finish(y), g.apply(x, kernel), atol=1e-10)
    assert call.exact == all(a == (0, 0) for a in call.adjust)


def test_to_pytorch_explains_why():
    call = to_pytorch(from_tensorflow((16,), (3,), 2, "SAME"))
    assert not call.exact
    assert "cuts more at the end than at the start" in call.explanation
    assert to_pytorch(from_pytorch((4,), (3,), 2, 1, 1)).explanation == (
        "PyTorch's call reproduces it exactly."
    )


def test_from_pytorch_output_size_matches_torch_and_its_range():
    layer = torch.nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, bias=False).double()
    x = torch.randn(1, 1, 5, 7, dtype=torch.float64)
    for size in ((9, 13), (10, 14)):
        g = from_pytorch((5, 7), (3, 3), 2, 1, output_size=size)
        expected = layer(x, output_size=size).detach().numpy()[0, 0]
        np.testing.assert_allclose(
            g.apply(x.numpy()[0, 0], layer.weight.detach().numpy()[0, 0]), expected
        )
    with pytest.raises(ValueError, match=r"output_size\[0\] \(11\) must be between 9 and 10"):
        from_pytorch((5, 7), (3, 3), 2, 1, output_size=(11, 13))


def test_onnx_follows_its_specification():
    # output = s·(in − 1) + op + ((k − 1)·d + 1) − pad_begin − pad_end
    g = from_onnx((5, 6), (3, 2), strides=(2, 3), pads=[1, 0, 2, 1], output_padding=(1, 0))
    assert g.out_shape == (2 * 4 + 1 + 3 - 1 - 2, 3 * 5 + 0 + 2 - 0 - 1)
    same_upper = from_onnx((5,), (4,), strides=2, auto_pad="SAME_UPPER")
    same_lower = from_onnx((5,), (4,), strides=2, auto_pad="SAME_LOWER")
    assert same_upper.out_shape == same_lower.out_shape == (10,)
    assert same_upper.crops == ((1, 1),) and from_onnx(
        (5,), (3,), 2, auto_pad="SAME_UPPER"
    ).crops == ((0, 1),)
    assert from_onnx((5,), (3,), 2, auto_pad="SAME_LOWER").crops == ((1, 0),)
    # ONNX with symmetric pads is PyTorch's padding
    onnx, torch_like = (
        from_onnx((5,), (3,), 2, pads=[1, 1], output_padding=1),
        from_pytorch((5,), (3,), 2, 1, 1),
    )
    assert onnx.crops == torch_like.crops


def test_layout_helpers():
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    assert cv.channels_last(x).shape == (2, 4, 5, 3)
    np.testing.assert_array_equal(cv.channels_first(cv.channels_last(x)), x)
    hwoi = np.zeros((3, 2, 8, 4))
    assert cv.weight_to_pytorch(hwoi, "HWOI").shape == (4, 8, 3, 2)
    with pytest.raises(ValueError, match="exactly one I and one O"):
        cv.weight_to_pytorch(hwoi, "HWII")


def test_jax_default_flips_the_kernel():
    g = from_jax((3,), (2,), (2,), "VALID")
    assert g.flip_kernel
    x, kernel = np.array([1.0, 10.0, 100.0]), np.array([1.0, 2.0])
    np.testing.assert_allclose(
        g.apply(x, kernel), _jax_transpose(x, kernel, (2,), "VALID", (1,), False)
    )
    assert "flip_kernel=True" in repr(g)
