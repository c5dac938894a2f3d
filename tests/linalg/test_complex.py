"""Complex data obey the adjoint with conjugation (issue 9, wrong answer 3): the operator is the
conjugate transpose, the dot test uses complex vectors and catches a missing conjugation,
and every route equals PyTorch on complex data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse.linalg as spla
import sympy
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat import ConvTranspose


def test_complex_data_sweep_against_pytorch_and_the_adjoint():
    rng = np.random.default_rng(5)
    for in_len, k, s, p, d in [(5, 3, 2, 1, 1), (4, 4, 2, 1, 2), (6, 2, 3, 0, 1), (3, 5, 1, 2, 2)]:
        g = tconvmat.ConvTranspose(
            (in_len,), (k,), stride=s, padding=p, dilation=d, in_channels=2, out_channels=2
        )
        x = rng.standard_normal((2, 2, in_len)) + 1j * rng.standard_normal((2, 2, in_len))
        w = rng.standard_normal(g.weight_shape) + 1j * rng.standard_normal(g.weight_shape)
        expected = F.conv_transpose1d(
            torch.from_numpy(x), torch.from_numpy(w), stride=s, padding=p, dilation=d
        ).numpy()
        for method in tconvmat.METHODS:
            np.testing.assert_allclose(g.apply(x, w, method=method), expected, atol=1e-12)
            assert tconvmat.dot_test(g, w, method=method) < 1e-12
        assert tconvmat.dot_test(tconvmat.as_linear_operator(g, w)) < 1e-12
        lhs, rhs = tconvmat.adjoint_certificate(g, seed=1)
        assert lhs == rhs and isinstance(lhs, sympy.Rational)


def _complex(rng, shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def test_3_complex_operator_is_the_conjugate_transpose():
    rng = np.random.default_rng(0)
    g = ConvTranspose((6, 5), (3, 2), stride=2, padding=1)
    kernel = _complex(rng, g.kernel_shape)
    op = tconvmat.as_linear_operator(g, kernel)
    u, v = _complex(rng, op.shape[1]), _complex(rng, op.shape[0])
    gap = np.vdot(v, op @ u) - np.vdot(op.H @ v, u)
    assert abs(gap) < 1e-12 * np.linalg.norm(u) * np.linalg.norm(v)
    C = g.matrix(kernel)
    np.testing.assert_allclose(op.rmatvec(v), C.conj().T @ v, atol=1e-12)
    np.testing.assert_allclose(op.adjoint() @ v, C.conj().T @ v, atol=1e-12)
    np.testing.assert_allclose(op.T @ v, C.T @ v, atol=1e-12)
    # lsqr through the operator reaches what the explicit matrix reaches
    x = _complex(rng, op.shape[0])
    through_op = spla.lsqr(op, x, atol=1e-14, btol=1e-14)[0]
    explicit = spla.lsqr(spla.aslinearoperator(C), x, atol=1e-14, btol=1e-14)[0]
    assert np.linalg.norm(op @ through_op - x) == pytest.approx(
        np.linalg.norm(C @ explicit - x), rel=1e-6
    )
    # a real kernel and a complex vector: the imaginary part is kept, no ComplexWarning
    real_op = tconvmat.as_linear_operator(g, kernel.real)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(real_op.rmatvec(v), C.real.T @ v, atol=1e-12)
        np.testing.assert_allclose(real_op.matvec(u), C.real @ u, atol=1e-12)


def test_3_dot_test_uses_complex_vectors_and_catches_a_missing_conjugation():
    g = ConvTranspose((4, 4), (3, 3), stride=2)
    assert tconvmat.dot_test(g, dtype=np.complex128) < 1e-12
    for method in tconvmat.METHODS:
        assert tconvmat.dot_test(g, method=method, dtype=np.complex128) < 1e-12
    rng = np.random.default_rng(1)
    kernel = _complex(rng, g.kernel_shape)
    C = g.matrix(kernel)
    broken = spla.LinearOperator(
        C.shape, matvec=lambda y: C @ y, rmatvec=lambda x: C.T @ x, dtype=complex
    )
    assert tconvmat.dot_test(broken) > 0.01
    assert tconvmat.dot_test(tconvmat.as_linear_operator(g, kernel)) < 1e-12


def test_3_complex_data_equal_pytorch_on_every_route():
    rng = np.random.default_rng(2)
    g = ConvTranspose(
        (5, 4),
        (3, 3),
        stride=2,
        padding=1,
        output_padding=1,
        in_channels=2,
        out_channels=4,
        groups=2,
    )
    x = _complex(rng, (3, 2, 5, 4))
    weight = _complex(rng, g.weight_shape)
    expected = F.conv_transpose2d(
        torch.from_numpy(x),
        torch.from_numpy(weight),
        stride=2,
        padding=1,
        output_padding=1,
        groups=2,
    ).numpy()
    for method in (*tconvmat.METHODS, "auto"):
        y = g.apply(x, weight, method=method)
        assert y.dtype == np.complex128
        np.testing.assert_allclose(y, expected, atol=1e-12)
    np.testing.assert_allclose(
        (g.matrix(weight).T @ x.reshape(3, -1).T).T.reshape(expected.shape), expected, atol=1e-12
    )
