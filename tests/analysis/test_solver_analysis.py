"""The shape solver, mirror, overlap counts and transpose-versus-inverse."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import geometries

from tconvmat import ConvTranspose, solve
from tconvmat.analysis import axis_overlap, overlap_counts, transpose_versus_inverse
from tconvmat.analysis.solver import mirror


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 24), st.integers(1, 64), st.sampled_from(["pytorch", "any"]))
def test_every_solution_maps_in_to_out(in_size, out_size, framework):
    for solution in solve(in_size, out_size, framework=framework):
        g = solution.geometry(in_size)
        assert g.out_shape == (out_size,)
        assert (
            solution.even_overlap
            == axis_overlap(solution.kernel, solution.stride, solution.dilation).even
        )
        assert solution.asymmetric_crops == (solution.crops[0] != solution.crops[1])
        if solution.pytorch_representable:
            y = F.conv_transpose1d(
                torch.zeros(1, 1, in_size),
                torch.zeros(1, 1, solution.kernel),
                stride=solution.stride,
                padding=solution.padding,
                output_padding=solution.output_padding,
                dilation=solution.dilation,
            )
            assert y.shape[-1] == out_size


def test_solver_ranks_even_overlap_first_and_finds_the_classics():
    found = solve(16, 32)
    first_uneven = next(n for n, r in enumerate(found) if not r.even_overlap)
    assert all(r.even_overlap for r in found[:first_uneven])
    assert not any(r.even_overlap for r in found[first_uneven:])
    classics = {(r.kernel, r.stride, r.padding, r.output_padding, r.dilation) for r in found}
    assert {(2, 2, 0, 0, 1), (4, 2, 1, 0, 1), (3, 2, 1, 1, 1)} <= classics
    assert not solve(16, 32, strides=[1], max_kernel=3)
    with pytest.raises(ValueError, match=r"out_size \(0\) must be >= 1"):
        solve(16, 0)


def test_solver_any_framework_adds_asymmetric_crops():
    # stride 1: output_padding must be 0, so an odd total crop cannot be split evenly
    pytorch = solve(4, 5, strides=[1], max_kernel=3, dilations=[1])
    anything = solve(4, 5, strides=[1], max_kernel=3, dilations=[1], framework="any")
    assert [(r.kernel, r.crops) for r in anything if r not in pytorch] == [(3, (0, 1))]
    assert all(
        not r.pytorch_representable and r.asymmetric_crops for r in anything if r not in pytorch
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2)),
        min_size=1,
        max_size=4,
    ),
    st.tuples(st.integers(24, 70), st.integers(24, 70)),
)
def test_mirror_restores_every_encoder_shape(encoder, in_shape):
    shapes, shape = [tuple(in_shape)], torch.zeros(1, 1, *in_shape)
    for k, s, p, d in encoder:
        if min(shape.shape[2:]) + 2 * p < d * (k - 1) + 1:
            return
        shape = F.conv2d(shape, torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
        shapes.append(tuple(shape.shape[2:]))
    decoder = mirror(encoder, in_shape)
    for g, (before, after) in zip(
        decoder, zip(shapes[-1:0:-1], shapes[-2::-1], strict=True), strict=True
    ):
        assert g.in_shape == before and g.out_shape == after


@settings(max_examples=60, deadline=None)
@given(geometries(channels=False))
def test_overlap_counts_are_the_row_counts_of_C_transposed(g):
    report = overlap_counts(g)
    C = g.matrix(np.ones(g.kernel_shape)).toarray()
    np.testing.assert_array_equal(report.counts.reshape(-1), (C != 0).sum(axis=0))
    # far from the borders the count is the product of the per-axis phase counts
    margins = [k * d for k, d in zip(g.kernel_shape, g.dilation, strict=True)]
    for t in np.ndindex(*g.out_shape):
        if all(m <= ti < n - m for ti, m, n in zip(t, margins, g.out_shape, strict=True)):
            phases = [(ti + lo) % s for ti, (lo, _), s in zip(t, g.crops, g.stride, strict=True)]
            expected = np.prod([a.per_phase[r] for a, r in zip(report.axes, phases, strict=True)])
            assert report.counts[t] == expected


def test_overlap_rule_literals():
    assert axis_overlap(4, 2).even and not axis_overlap(3, 2).even
    assert set(axis_overlap(5, 3).per_phase) == {5 // 3, -(-5 // 3)}
    assert axis_overlap(3, 4, 2).untouched == (1, 3)  # gcd(4, 2) = 2
    # the verdict names its column first ("taps per output: …", the teacher's review, 8)
    assert overlap_counts(ConvTranspose((8, 8), (4, 4), stride=2)).taps == "even"
    assert overlap_counts(ConvTranspose((8, 8), (3, 3), stride=2)).taps == "uneven"
    assert overlap_counts(ConvTranspose((8,), (2,), stride=3)).verdict.startswith(
        "taps per output: gaps"
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(1, 6))
def test_the_dilation_rule_the_overlap_figure_states(s, d, k):
    """Counted by PyTorch: taps reach only every gcd(s, d)-th output, and those evenly
    exactly when s / gcd(s, d) divides k (the overlap figure's title for dilated layers)."""
    import math

    counts = F.conv_transpose1d(torch.ones(1, 1, 40), torch.ones(1, 1, k), stride=s, dilation=d)
    counts = counts.reshape(-1).numpy().astype(int)
    edge = k * d + s
    interior = np.arange(edge, len(counts) - edge)
    reached = interior[counts[interior] > 0]
    step = math.gcd(s, d)
    assert len(set(reached % step)) == 1
    lattice = interior[(interior - reached[0]) % step == 0]
    assert (len(set(counts[lattice])) == 1) == (k % (s // step) == 0)


def test_transpose_is_not_the_inverse():
    g = ConvTranspose((16,), (4,), stride=2, padding=1)
    report = transpose_versus_inverse(g, [1.0, 3.0, 3.0, 1.0])
    dense = g.matrix([1.0, 3.0, 3.0, 1.0]).toarray()
    np.testing.assert_allclose(report.singular_values, np.linalg.svd(dense, compute_uv=False))
    assert report.rank == 16 < g.out_shape[0]  # x has 16 values, y 32: the conv forgets half
    assert report.gram_error > 1 and report.transpose_error > 0.5
    assert report.least_squares_error < report.transpose_error
    # stride 1, invertible kernel: least squares recovers y exactly, the transpose does not
    square = ConvTranspose((12,), (3,), stride=1, padding=1)
    report = transpose_versus_inverse(square, [0.2, 1.0, 0.3])
    assert report.least_squares_error < 1e-8 and report.transpose_error > 0.1
    with pytest.raises(ValueError, match=r"the dense C of transpose_versus_inverse \(262,144 × "):
        transpose_versus_inverse(ConvTranspose((512, 512), (3, 3)), np.ones((3, 3)))
