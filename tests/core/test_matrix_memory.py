"""Building C with channels needs no temporary beyond a small fraction of C (issue 22).

C is written in place, a few rows at a time; before, an int64 copy of every index was
held to the end (2.0× the finished matrix for a 64-channel layer, 4.5× for 1→64).
The values are checked against PyTorch elsewhere (tests/routes/test_torch_agreement.py); here,
against a plain dense construction from the definition.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import tconvmat

LAYERS = [
    dict(
        in_shape=(16, 16), kernel_shape=(3, 3), stride=2, padding=1, in_channels=16, out_channels=16
    ),
    dict(
        in_shape=(24, 24), kernel_shape=(4, 4), stride=2, padding=1, in_channels=1, out_channels=32
    ),
    dict(
        in_shape=(12, 12), kernel_shape=(3, 3), stride=2, in_channels=32, out_channels=32, groups=4
    ),
]


@pytest.mark.parametrize("layer", LAYERS)
def test_building_c_peaks_near_the_finished_matrix(layer):
    g = tconvmat.ConvTranspose(**layer)
    weight = np.random.default_rng(0).standard_normal(g.weight_shape).astype(np.float32)
    tracemalloc.start()
    matrix = g.matrix(weight)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
    assert matrix.nnz > 250_000 and peak <= 1.1 * size


def test_c_with_channels_holds_every_weight_where_the_definition_puts_it():
    g = tconvmat.ConvTranspose(
        (3, 2), (2, 3), stride=(2, 1), padding=(1, 0), in_channels=4, out_channels=6, groups=2
    )
    weight = np.arange(1, np.prod(g.weight_shape) + 1).reshape(g.weight_shape)
    dense = np.zeros((4, *g.in_shape, 6, *g.out_shape), dtype=np.int64)
    for c, o, i0, i1, j0, j1 in np.ndindex(4, 3, *g.in_shape, *g.kernel_shape):
        t0, t1 = i0 * 2 + j0 - 1, i1 + j1
        if 0 <= t0 < g.out_shape[0] and 0 <= t1 < g.out_shape[1]:
            dense[c, i0, i1, (c // 2) * 3 + o, t0, t1] = weight[c, o, j0, j1]
    np.testing.assert_array_equal(
        g.matrix(weight).toarray(), dense.reshape(4 * 6, 6 * np.prod(g.out_shape))
    )
