"""Random data for a geometry, and PyTorch's answer for it in every dtype the kernels serve."""

from __future__ import annotations

import numpy as np
import torch_reference


def data(g, batch, dtype, seed):
    """x (batch, C_in, *in_shape) and the weight, random, in `dtype` (small integers for int64)."""
    rng = np.random.default_rng(seed)
    shape = (batch, g.in_channels, *g.in_shape)
    if np.dtype(dtype).kind == "i":
        return rng.integers(-9, 10, shape), rng.integers(-9, 10, g.weight_shape)
    x, weight = rng.standard_normal(shape), rng.standard_normal(g.weight_shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
        weight = weight + 1j * rng.standard_normal(g.weight_shape)
    return x.astype(dtype), weight.astype(dtype)


def pytorch(g, x, weight):
    """PyTorch in float64; complex data as four real transposed convolutions."""
    if np.iscomplexobj(x):
        real, imag = x.real.copy(), x.imag.copy()
        w_real, w_imag = weight.real.copy(), weight.imag.copy()
        part = torch_reference.conv_transpose
        return (part(g, real, w_real) - part(g, imag, w_imag)) + 1j * (
            part(g, real, w_imag) + part(g, imag, w_real)
        )
    return torch_reference.conv_transpose(g, x.astype(np.float64), weight.astype(np.float64))


def assert_equals_pytorch(g, x, weight, y):
    """``y`` has PyTorch's shape and the data's dtype, and its values: exact for integers,
    within 1e-4 in float32 and 1e-10 otherwise."""
    expected = pytorch(g, x, weight)
    assert y.shape == expected.shape and y.dtype == np.result_type(x, weight)
    if y.dtype.kind == "i":
        np.testing.assert_array_equal(y, expected.astype(np.int64))
    else:
        tolerance = 1e-4 if y.dtype == np.float32 else 1e-10
        np.testing.assert_allclose(y, expected, rtol=tolerance, atol=tolerance)
