"""The symbolic route against the numeric one, exact arithmetic and PyTorch's shapes."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import geometries

import tconvmat
from tconvmat import ConvTranspose
from tconvmat.symbolic import (
    adjoint_certificate,
    closed_form_function,
    input_symbols,
    kernel_symbols,
    transpose_from_closed_form,
)

small = settings(max_examples=40, deadline=None)


def _int_data(g, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(-9, 10, size=(g.in_channels, *g.in_shape))
    kernel = rng.integers(-9, 10, size=g.weight_shape)
    return x, kernel


@small
@given(geometries(), st.integers(0, 2**32 - 1))
def test_substituting_numbers_into_the_symbolic_matrix_gives_the_numeric_matrix(g, seed):
    _, kernel = _int_data(g, seed)
    symbols = kernel_symbols(g)
    substitution = dict(zip(symbols.reshape(-1), kernel.reshape(-1).tolist(), strict=True))
    symbolic = g.symbolic_matrix().xreplace(substitution)
    numeric = g.matrix(kernel).toarray()
    assert np.array_equal(np.array(symbolic.tolist(), dtype=np.int64), numeric)


@small
@given(geometries(), st.integers(0, 2**32 - 1))
def test_exact_closed_form_equals_every_numeric_route(g, seed):
    x, kernel = _int_data(g, seed)
    closed = g.symbolic_apply(x, kernel)
    closed = np.array(closed.tolist(), dtype=object).reshape(g.out_channels, *g.out_shape)
    assert all(isinstance(v, sympy.Integer) for v in closed.reshape(-1))
    for method in tconvmat.METHODS:
        numeric = g.apply(x, kernel, method=method)
        assert np.array_equal(closed.astype(np.int64), numeric)


@small
@given(geometries(channels=False), st.data())
def test_general_term_at_every_output_equals_the_closed_form(g, data):
    closed = g.symbolic_apply()
    term = g.general_term()
    x, kernel = input_symbols(g), kernel_symbols(g)
    positions = list(np.ndindex(*g.out_shape))
    for m in data.draw(st.lists(st.sampled_from(positions), min_size=1, max_size=6)):
        assert sympy.expand(term.evaluate(m, x, kernel) - closed[m]) == 0


@small
@given(geometries(channels=False))
def test_adjoint_certificate_and_transpose_identity(g):
    lhs, rhs = adjoint_certificate(g)
    assert isinstance(lhs, sympy.Rational) and lhs == rhs
    assert transpose_from_closed_form(g) == g.symbolic_matrix().T


@given(geometries(per_side=False, channels=False))
def test_output_size_formula_equals_torch_shapes(g):
    x = torch.zeros((1, 1, *g.in_shape), dtype=torch.float64)
    w = torch.zeros((1, 1, *g.kernel_shape), dtype=torch.float64)
    y = getattr(F, f"conv_transpose{g.ndim}d")(
        x,
        w,
        stride=g.stride,
        padding=[p for p, _ in g.padding],
        output_padding=g.output_padding,
        dilation=g.dilation,
    )
    for axis in range(g.ndim):
        formula = tconvmat.output_size(
            g.in_shape[axis],
            g.kernel_shape[axis],
            g.stride[axis],
            g.padding[axis][0],
            g.dilation[axis],
            g.output_padding[axis],
        )
        assert formula == y.shape[2 + axis]
        conv = tconvmat.conv_output_size(
            y.shape[2 + axis],
            g.kernel_shape[axis],
            g.stride[axis],
            g.padding[axis][0],
            g.dilation[axis],
        )
        forward = getattr(F, f"conv{g.ndim}d")(
            y, w, stride=g.stride, padding=[p for p, _ in g.padding], dilation=g.dilation
        )
        assert conv == forward.shape[2 + axis]


def test_general_formula_in_symbols_and_mixes():
    n, k, s, p, d, op = tconvmat.symbolic.SIZE_SYMBOLS.values()
    assert sympy.expand(tconvmat.output_size() - ((n - 1) * s - 2 * p + d * (k - 1) + op + 1)) == 0
    assert tconvmat.output_size(16, 4, 2, 1, 1, 0) == 32
    assert sympy.expand(tconvmat.output_size(n, 3, 2, (1, 0), 2, 0) - (2 * n + 2)) == 0
    assert tconvmat.conv_output_size(32, 4, 2, 1, 1) == 16
    assert tconvmat.conv_output_size(33, 4, 2, 1, 1) == 16  # the floor: 32 and 33 both give 16
    with pytest.raises(TypeError, match="stride must be an int or a SymPy expression, got '2'"):
        tconvmat.output_size(stride="2")


def test_worked_example_with_kernel_symbols():
    a, b, c, d = sympy.symbols("a b c d")
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    y = g.symbolic_apply([[3, 2, 1], [0, 5, 2], [1, 4, 7]], [[a, b], [c, d]])
    assert y[0, 0] == 3 * d
    assert y[1, 1] == 5 * a
    assert y[3, 3] == 7 * a
    values = y.subs({a: 1, b: 2, c: 3, d: 4})
    expected = [[12, 6, 8, 3], [0, 5, 10, 2], [0, 15, 20, 6], [2, 4, 8, 7]]
    assert values.tolist() == expected


def test_default_symbols_and_exact_rationals():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    y = g.symbolic_apply()
    assert str(y[0, 0]) == "w_{1,1}*x_{0,0}"
    assert str(g.symbolic_matrix()[4, 5]) == "w_{0,0}"
    half = sympy.Rational(1, 2)
    y = g.symbolic_apply([[half] * 3] * 3, [[1, 2], [3, sympy.Rational(1, 3)]])
    assert y[0, 0] == sympy.Rational(1, 6)
    channels = ConvTranspose((2,), (2,), in_channels=2, out_channels=2)
    assert str(kernel_symbols(channels)[1, 0, 1]) == "w^{(1,0)}_{1}"
    assert str(input_symbols(channels)[1, 0]) == "x^{(1)}_{0}"
    assert channels.symbolic_apply().shape == (2, 3)


def test_latex_output():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    assert "w_{1,1}" in tconvmat.latex(g.symbolic_matrix())
    assert "x_{0,0}" in tconvmat.latex(g.symbolic_apply())
    term = tconvmat.latex(g.general_term())
    assert r"m_{0} \text{ even}" in term and "{w}_{1,1}" in term  # words, w: as the text
    assert "= 4" in tconvmat.latex(g)
    assert "| stride | (2, 2) |" in g._repr_markdown_()


def test_lambdify_round_trip_equals_the_numeric_routes():
    g = ConvTranspose((5, 4), (3, 2), stride=(2, 3), padding=(1, 0), dilation=(1, 2))
    rng = np.random.default_rng(3)
    x, kernel = rng.standard_normal(g.in_shape), rng.standard_normal(g.kernel_shape)
    f = closed_form_function(g)
    for method in tconvmat.METHODS:
        np.testing.assert_allclose(f(x, kernel), g.apply(x, kernel, method=method), atol=1e-12)


def test_size_guard_names_the_size_and_the_numeric_route():
    g = ConvTranspose((512, 512), (3, 3), stride=2, padding=1)  # (3·512 - 2)² taps land
    with pytest.raises(
        ValueError,
        match=r"3,399,685 SymPy terms \(non-zeros of C and outputs\), above the limit of 1,000,000; "
        "use the numeric",
    ):
        g.symbolic_apply()
    with pytest.raises(ValueError, match=r"above the limit of 10"):
        ConvTranspose((4,), (3,)).symbolic_matrix(limit=10)
    assert ConvTranspose((4,), (3,)).symbolic_matrix(limit=12).shape == (4, 6)


def test_strings_are_refused_not_parsed():
    g = ConvTranspose((2,), (2,))
    with pytest.raises(TypeError, match=r"kernel holds the string '__import__\(\"os\"\)'"):
        g.symbolic_apply(kernel=['__import__("os")', 1])
