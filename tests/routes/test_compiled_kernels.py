"""Every compiled kernel against PyTorch, each called on its own (numba, tconvmat[fast]).

The fused route's row kernel (any weights) and channel kernel (finite weights, the
zero-bordered input), and the scatter's compiled placement (col2im), over dims 1-3,
strides, per-side paddings, dilations, output paddings, channels and groups, in
float32, float64, complex128 (the adjoint with conjugation too) and int64 (exact).
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kernel_data import assert_equals_pytorch, data, pytorch
from strategies import geometries

import tconvmat
from tconvmat.routes import compiled, fused, scatter
from tconvmat.routes.warm import warm

pytestmark = pytest.mark.skipif(not compiled.AVAILABLE, reason="numba is not installed")

DTYPES = [np.float32, np.float64, np.complex128, np.int64]


def placed(g, x, weight):
    """The scatter with its stamps placed by the compiled pass (whatever the size and however
    sparse the stamps)."""
    with (
        mock.patch.object(compiled, "MIN_OUTPUTS", 0),
        mock.patch.object(scatter, "SPARSE_RATIO", 10**18),
    ):
        assert scatter.compiled_placement(g, np.result_type(x, weight), x.shape[0])
        return scatter.scatter(g, x, weight)


KERNELS = {"rows": fused.rows, "channels": fused.channels, "col2im": placed}


@pytest.mark.parametrize("kernel", KERNELS)
@given(geometries(), st.integers(1, 3), st.sampled_from(DTYPES), st.integers(0, 2**32 - 1))
def test_each_compiled_kernel_equals_pytorch(kernel, g, batch, dtype, seed):
    x, weight = data(g, batch, dtype, seed)
    y = KERNELS[kernel](g, x, weight)
    assert_equals_pytorch(g, x, weight, y)


@pytest.mark.parametrize("kernel", KERNELS)
@given(geometries(), st.integers(0, 2**32 - 1))
def test_each_compiled_kernel_is_the_adjoint_of_c_with_conjugation(kernel, g, seed):
    x, weight = data(g, 1, np.complex128, seed)
    v = data(g, 1, np.complex128, seed + 1)[0]  # an input-shaped vector
    y = KERNELS[kernel](g, x, weight)
    u = np.random.default_rng(seed).standard_normal(y.shape) * (1 + 2j)
    C = g.matrix(weight)  # ⟨C u, v⟩ = ⟨u, Cᴴ v⟩, with Cᴴ v the route on conj(w)
    left = np.vdot(C @ u.reshape(-1), v.reshape(-1))
    right = np.vdot(u.reshape(-1), KERNELS[kernel](g, v, np.conj(weight)).reshape(-1))
    assert abs(left - right) <= 1e-9 * max(1.0, abs(left))
    np.testing.assert_allclose(y.reshape(-1), C.T @ x.reshape(-1), atol=1e-10)


def test_auto_takes_the_channel_kernel_for_thin_layers_and_agrees():
    g = tconvmat.ConvTranspose(
        (32, 32), (4, 4), stride=2, padding=1, in_channels=64, out_channels=64, groups=8
    )
    assert tconvmat.routes.choose_method(g) == "fused"
    x, weight = data(g, 2, np.float32, 0)
    np.testing.assert_allclose(g.apply(x, weight), pytorch(g, x, weight), rtol=1e-4, atol=1e-4)


def test_warm_compiles_or_loads_every_kernel_for_each_dtype():
    assert warm(("float64",)) == [
        "rows/float64",
        "channels/float64",
        "conv/float64",
        "col2im/float64",
        "winograd/float64",
    ]
