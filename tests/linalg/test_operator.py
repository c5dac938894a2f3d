"""The matrix-free LinearOperator: the adjoint pair, against the sparse matrix and lsqr."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.linalg import lsqr
from strategies import geometries

from tconvmat import ConvTranspose
from tconvmat.linalg.operator import as_linear_operator
from tconvmat.routes import choose_method


@settings(max_examples=60, deadline=None)
@given(geometries(), st.integers(0, 2**32 - 1))
def test_operator_matches_the_sparse_matrix_both_ways(g, seed):
    rng = np.random.default_rng(seed)
    weight = rng.standard_normal(g.weight_shape)
    op, matrix = as_linear_operator(g, weight), g.matrix(weight)
    assert op.shape == matrix.shape
    y, x = rng.standard_normal(op.shape[1]), rng.standard_normal(op.shape[0])
    np.testing.assert_allclose(op @ y, matrix @ y, atol=1e-10)
    np.testing.assert_allclose(op.T @ x, matrix.T @ x, atol=1e-10)
    np.testing.assert_allclose(op.rmatvec(x), matrix.T @ x, atol=1e-10)


def test_float32_operator_stays_float32():
    g = ConvTranspose((8,), (3,), stride=2)
    op = as_linear_operator(g, np.ones(3, dtype=np.float32))
    assert op.dtype == np.float32 and (op.T @ np.ones(8, np.float32)).dtype == np.float32


def test_lsqr_recovers_an_image_from_its_upsampled_version():
    g = ConvTranspose((32, 32), (4, 4), stride=2, padding=1)
    kernel = np.outer([1.0, 3.0, 3.0, 1.0], [1.0, 3.0, 3.0, 1.0]) / 16
    image = np.random.default_rng(0).standard_normal((32, 32))
    upsampled = g.apply(image, kernel)
    result = lsqr(as_linear_operator(g, kernel).T, upsampled.reshape(-1), atol=1e-12, btol=1e-12)
    np.testing.assert_allclose(result[0].reshape(32, 32), image, atol=1e-8)


def test_auto_rule():
    assert choose_method(ConvTranspose((9, 9), (3, 3), stride=2)) == "polyphase"
    channels = {"in_channels": 8, "out_channels": 4}
    assert choose_method(ConvTranspose((9, 9), (4, 4), stride=2, **channels)) == "scatter"
    assert choose_method(ConvTranspose((9, 9), (3, 3), stride=2, **channels)) == "scatter"
    grouped = ConvTranspose((9, 9), (4, 4), stride=2, groups=4, **channels)
    assert choose_method(grouped) == "polyphase"
