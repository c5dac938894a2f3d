"""The fused route's channel kernel where its blocks and tiles matter, against PyTorch.

The channel kernel sums eight or four input channels into four output channels at a time
(with remainders), over tiles of each phase, one sample at a time inside a zero border.
The shared sweep (``test_compiled_kernels``) draws one or two channels per group; here
the layers are wider (up to ten input and six output channels per group), the tile is
drawn small enough to split a phase into many pieces, strides and dilations share a
factor (gcd(s, d) > 1, where phases and dilated taps interleave) or not, in 1-3 spatial
dimensions and float32, float64, complex128 (and the adjoint with conjugation) and int64
(exact).
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kernel_data import assert_equals_pytorch, data, pytorch

from tconvmat import ConvTranspose
from tconvmat.core.axis import full_length
from tconvmat.routes import compiled, fused

pytestmark = pytest.mark.skipif(not compiled.AVAILABLE, reason="numba is not installed")

DTYPES = [np.float32, np.float64, np.complex128, np.int64]
TILES = [3, 17, 64, fused.TILE]
"""Tiles from a few positions (many pieces per phase, uneven ends) to the route's own."""


@st.composite
def thin_layers(draw: st.DrawFn) -> ConvTranspose:
    """Layers of 1-3 spatial dims with up to 10→6 channels per group; on some axes the
    stride and the dilation share a factor of 2 or 3."""
    ndim = draw(st.integers(1, 3))
    axes = []
    for _ in range(ndim):
        common = draw(st.sampled_from([1, 2, 3]))
        s = common * draw(st.integers(1, 2 if common > 1 else 3))
        d = common * draw(st.integers(1, 2 if common > 1 else 3))
        i = draw(st.integers(1, 4 if ndim == 3 else 9))
        k = draw(st.integers(1, 3))
        op = draw(st.integers(0, max(s, d) - 1))
        p = draw(st.integers(0, (full_length(i, k, s, d) - 1 + op) // 2))
        axes.append((i, k, s, d, p, op))
    in_shape, kernel, stride, dilation, padding, output_padding = zip(*axes, strict=True)
    groups = draw(st.integers(1, 2))
    return ConvTranspose(
        in_shape,
        kernel,
        stride=stride,
        dilation=dilation,
        padding=padding,
        output_padding=output_padding,
        in_channels=groups * draw(st.integers(1, 10)),
        out_channels=groups * draw(st.integers(1, 6)),
        groups=groups,
    )


def channel_kernel(g, x, weight, tile):
    with mock.patch.object(fused, "TILE", tile):
        return fused.channels(g, x, weight)


@given(
    thin_layers(),
    st.integers(1, 3),
    st.sampled_from(DTYPES),
    st.sampled_from(TILES),
    st.integers(0, 2**32 - 1),
)
def test_channel_kernel_blocks_and_tiles_equal_pytorch(g, batch, dtype, tile, seed):
    x, weight = data(g, batch, dtype, seed)
    y = channel_kernel(g, x, weight, tile)
    assert_equals_pytorch(g, x, weight, y)


@given(thin_layers(), st.sampled_from(TILES), st.integers(0, 2**32 - 1))
def test_channel_kernel_is_the_adjoint_of_c_with_conjugation(g, tile, seed):
    weight = data(g, 2, np.complex128, seed)[1]
    v = data(g, 2, np.complex128, seed + 1)[0]
    u = np.random.default_rng(seed).standard_normal((2, g.out_channels, *g.out_shape)) * (1 + 2j)
    C = g.matrix(weight)  # ⟨C u, v⟩ = ⟨u, Cᴴ v⟩, with Cᴴ v the kernel on conj(w)
    left = sum(np.vdot(C @ u[b].reshape(-1), v[b].reshape(-1)) for b in range(2))
    right = np.vdot(u.reshape(-1), channel_kernel(g, v, np.conj(weight), tile).reshape(-1))
    assert abs(left - right) <= 1e-9 * max(1.0, abs(left))


def test_the_dilated_panel_layer_equals_pytorch_sample_by_sample():
    """The benchmark's dilated layer (32→32 k3 s1 p2 d2), smaller, batch 3: every sample
    through its own border, each the same as PyTorch's."""
    g = ConvTranspose(
        (19, 23), (3, 3), stride=1, padding=2, dilation=2, in_channels=32, out_channels=32
    )
    x, weight = data(g, 3, np.float32, 7)
    y = fused.channels(g, x, weight)
    np.testing.assert_allclose(y, pytorch(g, x, weight), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(y[1:2], fused.channels(g, x[1:2], weight), rtol=0, atol=0)
