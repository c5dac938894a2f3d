"""The six wrong answers of the redesign issue, each pinned as a test (issue 9)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
import scipy.sparse.linalg as spla
import sympy
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat import ConvTranspose
from tconvmat.analysis import anatomy
from tconvmat.cli import main
from tconvmat.conventions import from_jax, from_pytorch, from_tensorflow

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


@pytest.mark.parametrize("method", [*tconvmat.METHODS, "auto"])
def test_4_empty_batch_gives_an_empty_result(method):
    g = ConvTranspose((3, 3), (2, 2), stride=2, in_channels=2, out_channels=3)
    y = g.apply(np.zeros((0, 2, 3, 3)), np.ones(g.weight_shape), method=method)
    assert y.shape == (0, 3, 6, 6)
    for conv_method in ("direct", "matrix"):
        assert g.conv(
            np.zeros((0, 3, 6, 6)), np.ones(g.weight_shape), method=conv_method
        ).shape == (0, 2, 3, 3)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", [*tconvmat.METHODS, "auto"])
def test_5_non_finite_kernel_values_match_pytorch(method, bad):
    x = np.array([[[1.0, 2.0, -3.0, 0.5]], [[0.0, 1.0, 2.0, 3.0]]])
    weight = np.array([[[1.0, bad, 3.0]]])
    expected = F.conv_transpose1d(
        torch.from_numpy(x), torch.from_numpy(weight), stride=2, padding=1
    ).numpy()
    ours = tconvmat.functional.conv_transpose1d(x, weight, stride=2, padding=1, method=method)
    np.testing.assert_array_equal(ours, expected)


def test_6_explain_symbolic_out_creates_its_folder(tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    args = ["explain", "--input", "a,b;c,d", "--kernel", "p,q;r,s", "--symbolic", "--out", str(out)]
    assert main(args) == 0
    assert (out / "explanation.md").read_text(encoding="utf-8").startswith("#")
