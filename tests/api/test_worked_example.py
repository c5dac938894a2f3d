"""The README's worked example, checked by hand, through every entry point."""

from __future__ import annotations

import numpy as np
import pytest

import tconvmat
from tconvmat import ConvTranspose, functional

X = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
K = np.array([[1, 2], [3, 4]])
# By hand: y[0,0] = 3·4 (x[0,0] meets w[1,1] after cropping one row and column), ...
EXPECTED = np.array([[12, 6, 8, 3], [0, 5, 10, 2], [0, 15, 20, 6], [2, 4, 8, 7]])


@pytest.mark.parametrize("method", tconvmat.METHODS)
def test_every_route_gives_the_exact_integers(method):
    y = tconvmat.conv_transpose(X, K, stride=2, padding=1, method=method)
    assert y.dtype == np.int64
    np.testing.assert_array_equal(y, EXPECTED)


def test_geometry_matrix_and_functional_agree_with_the_literal():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    assert g.out_shape == (4, 4)
    assert g.crops == ((1, 1), (1, 1))
    C = g.matrix(K)
    assert C.shape == (9, 16)
    np.testing.assert_array_equal((C.T @ X.ravel()).reshape(4, 4), EXPECTED)
    y = functional.conv_transpose2d(X[None, None], K[None, None], stride=2, padding=1)
    np.testing.assert_array_equal(y[0, 0], EXPECTED)


def test_matrix_rows_are_kernel_footprints():
    C = tconvmat.conv_matrix(K, (3, 3), stride=2, padding=1).toarray()
    # x[0,0] lands on the full canvas at rows/cols 0-1; the crop of 1 keeps only w[1,1] = 4.
    np.testing.assert_array_equal(C[0].reshape(4, 4), [[4, 0, 0, 0]] + [[0] * 4] * 3)
    # x[1,1] (row 4) is interior: the whole kernel at output rows/cols 1-2.
    np.testing.assert_array_equal(
        C[4].reshape(4, 4), [[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]
    )


def test_one_dimensional_literal():
    # x = [1, 10], w = [1, 2, 3], stride 2: [1, 2, 3+10, 20, 30]
    np.testing.assert_array_equal(
        tconvmat.conv_transpose([1, 10], [1, 2, 3], stride=2), [1, 2, 13, 20, 30]
    )
    # dilation 2 spreads the taps: w at 0, 2, 4 then stride 3
    np.testing.assert_array_equal(
        tconvmat.conv_transpose([1, 10], [1, 2, 3], stride=3, dilation=2),
        [1, 0, 2, 10, 3, 20, 0, 30],
    )
    # output_padding adds a zero on the high side
    np.testing.assert_array_equal(
        tconvmat.conv_transpose([1, 10], [1, 2, 3], stride=2, output_padding=1),
        [1, 2, 13, 20, 30, 0],
    )
