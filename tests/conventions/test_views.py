"""All views of one geometry give the same numbers (issue 9).

Every framework converter: apply (every route), C, symbolic C, the closed form, the general
term, the figures' data and explain's sums, on integer data (exact), and the framework's own
operator where it is installed: JAX's ``lax.conv_transpose`` and PyTorch. Then the six wrong
answers of the redesign issue, each pinned as a test: the kernel's orientation here
(``test_1_``, ``test_2_``), the others with their feature (``test_3_`` complex data in
tests/linalg/test_complex.py, ``test_4_`` in tests/routes/test_torch_agreement.py, ``test_5_``
in tests/routes/test_nonfinite.py, ``test_6_`` in tests/cli/test_cli.py).
"""

from __future__ import annotations

import dataclasses
import os
import re

import jax
import numpy as np
import sympy
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from jax import lax

import tconvmat
from tconvmat import ConvTranspose
from tconvmat.analysis import anatomy
from tconvmat.conventions import FRAMEWORKS, from_jax, from_pytorch, from_tensorflow
from tconvmat.teaching.explanation import explain

os.environ.setdefault("JAX_PLATFORMS", "cpu")


jax.config.update("jax_enable_x64", True)


@st.composite
def framework_cases(draw):
    """(framework, keyword arguments of its converter, reference or None)."""
    name = draw(st.sampled_from(sorted(FRAMEWORKS)))
    ndim = draw(st.integers(1, 2))
    in_shape = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    kernel_shape = tuple(draw(st.integers(1, 4)) for _ in range(ndim))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(ndim))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(ndim))
    small = st.integers(0, 2)
    if name == "pytorch":
        padding = tuple(draw(small) for _ in range(ndim))
        output_padding = tuple(
            draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation, strict=True)
        )
        kwargs = {
            "stride": stride,
            "padding": padding,
            "output_padding": output_padding,
            "dilation": dilation,
        }
    elif name == "tensorflow":
        kwargs = {
            "strides": stride,
            "padding": draw(st.sampled_from(["SAME", "VALID"])),
            "dilations": dilation,
        }
    elif name == "keras":
        mode = draw(st.sampled_from(["same", "valid"]))
        extra = draw(st.one_of(st.none(), st.integers(0, 1)))
        kwargs = {
            "strides": stride,
            "padding": mode,
            "output_padding": extra,
            "dilation_rate": dilation,
        }
    elif name == "jax":
        padding = draw(
            st.one_of(
                st.sampled_from(["SAME", "VALID"]),
                st.lists(
                    st.tuples(st.integers(-1, 3), st.integers(-1, 3)), min_size=ndim, max_size=ndim
                ),
            )
        )
        kwargs = {
            "strides": stride,
            "padding": padding,
            "rhs_dilation": dilation,
            "transpose_kernel": draw(st.booleans()),
        }
    else:
        mode = draw(st.sampled_from(["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]))
        kwargs = {
            "strides": stride,
            "dilations": dilation,
            "auto_pad": mode,
            "pads": [draw(small) for _ in range(2 * ndim)],
            "output_padding": tuple(draw(st.integers(0, s - 1)) for s in stride),
        }
    return name, in_shape, kernel_shape, kwargs


def _reference(name, kwargs, x, kernel):
    """The framework's own result, where it is installed here (JAX and PyTorch)."""
    if name == "jax":
        out = lax.conv_transpose(
            x[None, ..., None].astype(float),
            kernel[..., None, None].astype(float),
            kwargs["strides"],
            kwargs["padding"],
            rhs_dilation=kwargs["rhs_dilation"],
            transpose_kernel=kwargs["transpose_kernel"],
        )
        return np.asarray(out)[0, ..., 0]
    if name == "pytorch":
        function = getattr(F, f"conv_transpose{x.ndim}d")
        y = function(
            torch.from_numpy(x[None, None].astype(float)),
            torch.from_numpy(kernel[None, None].astype(float)),
            **kwargs,
        )
        return y.numpy()[0, 0]
    return None


@settings(max_examples=120, deadline=None)
@given(framework_cases(), st.integers(0, 2**32 - 1))
def test_every_view_of_every_framework_agrees(case, seed):
    name, in_shape, kernel_shape, kwargs = case
    try:
        g = FRAMEWORKS[name].convert(in_shape, kernel_shape, **kwargs)
    except ValueError:
        return  # a combination the framework refuses too (no output, inconsistent size)
    assert g.framework == name
    rng = np.random.default_rng(seed)
    x = rng.integers(-9, 10, size=in_shape)
    kernel = rng.integers(-9, 10, size=kernel_shape)
    y = g.apply(x, kernel, method="matrix")
    for method in (*tconvmat.METHODS, "auto"):
        assert np.array_equal(g.apply(x, kernel, method=method), y), method
    C = g.matrix(kernel)
    assert np.array_equal((C.T @ x.reshape(-1)).reshape(g.out_shape), y)
    symbolic = np.array(g.symbolic_matrix(kernel).tolist(), dtype=np.int64)
    assert np.array_equal(symbolic, C.toarray())
    closed = np.array(g.symbolic_apply(x, kernel).tolist(), dtype=np.int64).reshape(g.out_shape)
    assert np.array_equal(closed, y)
    term = g.general_term()
    positions = list(np.ndindex(*g.out_shape))
    for m in positions[:: max(1, len(positions) // 5)]:
        assert term.evaluate(m, x, kernel) == y[m]
    # the figures' data
    assert np.array_equal(anatomy.scatter_steps(g, x, kernel).result, y)
    taps = anatomy.tap_matrix(g)
    assert np.array_equal(np.where(taps >= 0, kernel.reshape(-1)[taps], 0), C.toarray())
    reference = _reference(name, kwargs, x, kernel)
    if reference is not None:
        assert reference.shape == g.out_shape
        np.testing.assert_allclose(reference, y, atol=1e-9)


def test_explain_names_the_taps_as_the_framework_stores_them():
    g = FRAMEWORKS["jax"].convert((4,), (3,), strides=(2,), padding="SAME")
    x, kernel = np.array([1, 2, 3, 4]), np.array([1, 10, 100])
    text = str(explain(x, kernel, geometry=g))
    sums = re.findall(r"^y\[(\d+)\] = (.+?) = (.+?) = (-?\d+)$", text, flags=re.M)
    assert len(sums) == 8
    expected = g.apply(x, kernel)
    for position, names, _values, result in sums:
        total = 0
        for term in names.split(" + "):
            tap, index = re.fullmatch(r"w\[(\d+)\]·x\[(\d+)\]", term).groups()
            total += kernel[int(tap)] * x[int(index)]
        assert total == int(result) == expected[int(position)]
    assert "y[0] = w[2]·x[0] = 100·1 = 100" in text


X4 = np.array([1, 2, 3, 4])


W3 = np.array([1, 10, 100])


JAX_SAME = [100, 10, 201, 20, 302, 30, 403, 40]  # jax.lax.conv_transpose, transpose_kernel=False


def test_1_jax_orientation_reaches_every_view():
    g = from_jax((4,), (3,), strides=(2,), padding="SAME")
    for method in (*tconvmat.METHODS, "auto"):
        assert g.apply(X4, W3, method=method).tolist() == JAX_SAME, method
    assert [int(v) for v in g.symbolic_apply(X4, W3)] == JAX_SAME
    numeric = g.matrix(W3).toarray()
    symbolic = np.array(g.symbolic_matrix(W3).tolist(), dtype=np.int64)
    assert numeric[1].tolist() == [0, 0, 100, 10, 1, 0, 0, 0]
    np.testing.assert_array_equal(symbolic, numeric)
    # default kernel symbols are the kernel as the framework stores it: w_{0} multiplies x[0] last
    k = sympy.symbols("w_{0} w_{1} w_{2}")
    row = g.symbolic_matrix()[1, :]
    assert list(row) == [0, 0, k[2], k[1], k[0], 0, 0, 0]
    term = g.general_term()
    for m in range(8):
        assert term.evaluate((m,), X4, W3) == JAX_SAME[m]
    assert anatomy.scatter_steps(g, X4, W3).result.tolist() == JAX_SAME
    assert (g.conv(np.arange(8), W3) == g.matrix(W3) @ np.arange(8)).all()


def test_2_orientation_and_framework_are_fields():
    flipped = from_jax((4,), (3,), strides=(2,), padding="SAME")
    plain = from_jax((4,), (3,), strides=(2,), padding="SAME", transpose_kernel=True)
    assert flipped != plain
    assert hash(flipped) != hash(plain)
    assert len({flipped, plain}) == 2
    assert from_pytorch((4,), (3,), 2, 0) != from_tensorflow((4,), (3,), 2, "VALID")
    assert from_pytorch((4,), (3,), 2, 0).crops == from_tensorflow((4,), (3,), 2, "VALID").crops
    assert "flip_kernel=True" in repr(flipped) and "framework='jax'" in repr(flipped)
    replaced = dataclasses.replace(flipped, in_shape=(5,))
    assert replaced.flip_kernel and replaced.framework == "jax"
    assert replaced.apply(np.append(X4, 5), W3)[:8].tolist() == JAX_SAME
    assert "flip_kernel=True" in repr(replaced)
    assert eval(repr(flipped), {"ConvTranspose": ConvTranspose}) == flipped
