"""The structure of C: where its non-zeros are, how many, in which order."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from strategies import geometries

from tconvmat import ConvTranspose
from tconvmat.core import structure


def _brute_force_entries(g):
    """(row, col, weight index) from the definition, one loop per entry (tiny cases only)."""
    entries = set()
    n_taps = math.prod(g.kernel_shape)
    opg = g.out_channels // g.groups
    ipg = g.in_channels // g.groups
    for c in range(g.in_channels):
        for i in np.ndindex(*g.in_shape):
            for o in range(opg):
                for j in np.ndindex(*g.kernel_shape):
                    t = [
                        ii * s + jj * d - lo
                        for ii, jj, s, d, (lo, _) in zip(
                            i, j, g.stride, g.dilation, g.crops, strict=True
                        )
                    ]
                    if all(0 <= tt < n for tt, n in zip(t, g.out_shape, strict=True)):
                        row = c * math.prod(g.in_shape) + np.ravel_multi_index(i, g.in_shape)
                        out_channel = (c // ipg) * opg + o
                        col = out_channel * math.prod(g.out_shape) + np.ravel_multi_index(
                            t, g.out_shape
                        )
                        weight = (c * opg + o) * n_taps + np.ravel_multi_index(j, g.kernel_shape)
                        entries.add((int(row), int(col), int(weight)))
    return entries


@given(geometries())
def test_structure_equals_the_definition(g):
    s = structure.channel_structure(g)
    rows = np.repeat(np.arange(s.shape[0]), np.diff(s.indptr))
    found = list(zip(rows.tolist(), s.indices.tolist(), s.weight_index.tolist(), strict=True))
    assert len(found) == len(set(found))
    assert set(found) == _brute_force_entries(g)
    assert s.shape == g.matrix_shape


@given(geometries())
def test_csr_is_canonical_and_rows_hold_at_most_the_kernel(g):
    C = g.matrix(np.ones(g.weight_shape))
    assert C.has_canonical_format
    per_row = np.diff(C.indptr)
    assert per_row.max() <= math.prod(g.kernel_shape) * g.out_channels // g.groups
    assert C.nnz == len(_brute_force_entries(g))


def test_cropped_columns_are_absent():
    # stride 2, k 3, padding 1 on 1-D: the full scatter has 7 positions, columns keep 1..5.
    g = ConvTranspose((3,), (3,), stride=2, padding=1)
    C = g.matrix([1, 2, 3]).toarray()
    np.testing.assert_array_equal(C, [[2, 3, 0, 0, 0], [0, 1, 2, 3, 0], [0, 0, 0, 1, 2]])


def test_zero_kernel_values_keep_the_pattern():
    g = ConvTranspose((4,), (3,), stride=1)
    assert g.matrix([0, 0, 0]).nnz == 12


def test_nnz_of_a_large_unclipped_case():
    g = ConvTranspose((64, 64), (4, 4), stride=2, padding=0)
    assert g.matrix(np.ones((4, 4))).nnz == 64 * 64 * 16


def test_negative_crop_extends_with_zeros():
    g = ConvTranspose.from_crops((2,), (2,), crops=[(-1, -2)], stride=2)
    assert g.out_shape == (7,)
    np.testing.assert_array_equal(
        g.apply([1, 10], [1, 2], method="scatter"), [0, 1, 2, 10, 20, 0, 0]
    )
    np.testing.assert_array_equal(
        g.apply([1, 10], [1, 2], method="dilate"), [0, 1, 2, 10, 20, 0, 0]
    )
