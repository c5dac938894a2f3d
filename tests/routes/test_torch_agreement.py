"""Every route, Cᵀx and the forward conv agree with PyTorch on parameter sweeps."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torch_reference
from hypothesis import given
from hypothesis import strategies as st
from strategies import geometries

import tconvmat
from tconvmat import ConvTranspose, functional

ROUTES = (*tconvmat.METHODS, "auto")


def _data(g, batch, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, g.in_channels, *g.in_shape))
    weight = rng.standard_normal(g.weight_shape)
    return x, weight


@given(geometries(), st.integers(1, 2), st.integers(0, 2**32 - 1))
def test_every_route_equals_torch(g, batch, seed):
    x, weight = _data(g, batch, seed)
    expected = torch_reference.conv_transpose(g, x, weight)
    assert expected.shape == (batch, g.out_channels, *g.out_shape)
    for method in ROUTES:
        np.testing.assert_allclose(g.apply(x, weight, method=method), expected, rtol=0, atol=1e-10)
    matrix = g.matrix(weight)
    explicit = (matrix.T @ x.reshape(batch, -1).T).T.reshape(expected.shape)
    np.testing.assert_allclose(explicit, expected, rtol=0, atol=1e-10)


@given(geometries(), st.integers(0, 2**32 - 1))
def test_unbatched_layout_equals_torch(g, seed):
    x, weight = _data(g, 1, seed)
    expected = torch_reference.conv_transpose(g, x, weight)[0]
    for method in ROUTES:
        np.testing.assert_allclose(g.apply(x[0], weight, method=method), expected, atol=1e-10)


@given(geometries(), st.integers(1, 2), st.integers(0, 2**32 - 1))
def test_forward_conv_equals_torch_and_matrix(g, batch, seed):
    rng = np.random.default_rng(seed)
    y = rng.standard_normal((batch, g.out_channels, *g.out_shape))
    weight = rng.standard_normal(g.weight_shape)
    expected = torch_reference.conv(g, y, weight)
    np.testing.assert_allclose(g.conv(y, weight), expected, atol=1e-10)
    np.testing.assert_allclose(g.conv(y, weight, method="matrix"), expected, atol=1e-10)


@given(geometries(), st.integers(0, 2**32 - 1))
def test_gradient_of_conv_is_the_transposed_conv(g, seed):
    x, weight = _data(g, 1, seed)
    gradient = torch_reference.gradient_of_conv(g, x, weight)
    for method in ROUTES:
        np.testing.assert_allclose(g.apply(x, weight, method=method), gradient, atol=1e-10)


@given(geometries(), st.integers(0, 2**32 - 1))
def test_dot_test_holds_for_matrix_and_every_route(g, seed):
    assert tconvmat.dot_test(g, seed=seed) < 1e-10
    for method in ROUTES:
        assert tconvmat.dot_test(g, seed=seed, method=method) < 1e-10


@pytest.mark.parametrize("method", ROUTES)
@given(geometries(per_side=False), st.integers(0, 2**32 - 1), st.booleans())
def test_functional_drop_ins_equal_torch(method, g, seed, batched):

    x, weight = _data(g, 2, seed)
    bias = np.random.default_rng(seed).standard_normal(g.out_channels)
    if not batched:
        x = x[0]
    padding = [lo for lo, _ in g.padding]
    ours = getattr(functional, f"conv_transpose{g.ndim}d")(
        x, weight, bias, g.stride, padding, g.output_padding, g.groups, g.dilation, method=method
    )
    theirs = getattr(F, f"conv_transpose{g.ndim}d")(
        torch.from_numpy(x),
        torch.from_numpy(weight),
        torch.from_numpy(bias),
        g.stride,
        padding,
        g.output_padding,
        g.groups,
        g.dilation,
    ).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@given(
    st.integers(1, 3),
    st.integers(1, 9),
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 3),
    st.sampled_from([1, 2]),
    st.booleans(),
    st.integers(0, 2**32 - 1),
)
def test_functional_conv_equals_torch(ndim, size, k, s, d, p, groups, batched, seed):

    rng = np.random.default_rng(seed)
    if size + 2 * p < d * (k - 1) + 1:
        return
    shape = (2, 2 * groups, *(size,) * ndim)
    x = rng.standard_normal(shape if batched else shape[1:])
    weight = rng.standard_normal((2 * groups, 2, *(k,) * ndim))
    bias = rng.standard_normal(2 * groups)
    args = (bias, s, p, d, groups)
    ours = getattr(functional, f"conv{ndim}d")(x, weight, *args)
    theirs = getattr(F, f"conv{ndim}d")(
        torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), s, p, d, groups
    ).numpy()
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=1e-10)


@pytest.mark.parametrize("padding", ["same", "valid"])
def test_functional_conv_string_padding_equals_torch(padding):

    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 7, 6))
    weight = rng.standard_normal((3, 2, 4, 3))
    ours = functional.conv2d(x, weight, padding=padding, dilation=(2, 1))
    theirs = F.conv2d(
        torch.from_numpy(x), torch.from_numpy(weight), padding=padding, dilation=(2, 1)
    )
    np.testing.assert_allclose(ours, theirs.numpy(), atol=1e-12)


@pytest.mark.parametrize("method", ROUTES)
def test_float32_stays_float32_and_matches_torch(method):

    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 4, 9, 7)).astype(np.float32)
    weight = rng.standard_normal((4, 3, 3, 4)).astype(np.float32)
    ours = functional.conv_transpose2d(
        x, weight, stride=2, padding=1, output_padding=1, method=method
    )
    theirs = F.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(weight), stride=2, padding=1, output_padding=1
    )
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("method", ROUTES)
def test_nan_and_inf_propagate_like_torch(method):

    x = np.array([[[1.0, np.nan, 2.0, np.inf]]])
    weight = np.array([[[1.0, 2.0, 3.0]]])
    ours = functional.conv_transpose1d(x, weight, stride=2, padding=1, method=method)
    theirs = F.conv_transpose1d(torch.from_numpy(x), torch.from_numpy(weight), stride=2, padding=1)
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs.numpy()))
    np.testing.assert_array_equal(ours, theirs.numpy())


@pytest.mark.parametrize("method", [*tconvmat.METHODS, "auto"])
def test_4_empty_batch_gives_an_empty_result(method):
    g = ConvTranspose((3, 3), (2, 2), stride=2, in_channels=2, out_channels=3)
    y = g.apply(np.zeros((0, 2, 3, 3)), np.ones(g.weight_shape), method=method)
    assert y.shape == (0, 3, 6, 6)
    for conv_method in ("direct", "matrix"):
        assert g.conv(
            np.zeros((0, 3, 6, 6)), np.ones(g.weight_shape), method=conv_method
        ).shape == (0, 2, 3, 3)
