"""Fused route: the output phase by phase, compiled, each output row written once.

A route of its own principle (the polyphase view, compiled): output phase ``r`` of every
axis receives only the taps with ``j·d ≡ r + crop_lo (mod s)`` at fixed shifts
(:meth:`tconvmat.axis.Axis.occupied_phases`), so each output row is a short sum of
contiguous rows of the input, accumulated in a buffer and written once: no canvas, no
inserted zeros, no im2col copies, no zero border (each tap reads only the inputs that
exist). The loops are compiled by numba (``pip install "tconvmat[fast]"``) and cached on
disk (:mod:`tconvmat.routes.compiled`), so only the first call of each kind on a machine
compiles. The route serves up to three spatial dimensions (:func:`domain`); without
numba it does not exist and nothing else changes.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

from tconvmat import _arrays
from tconvmat.geometry import Geometry
from tconvmat.routes import compiled
from tconvmat.routes.tables import by_output_tables, last_axis_tables, three

__all__ = ["AVAILABLE", "conv", "domain", "transpose", "worth_it"]

AVAILABLE = compiled.AVAILABLE
"""Whether numba can be imported (checked without importing it)."""


def domain(geometry: Geometry) -> str | None:
    """Why the compiled loops cannot serve this geometry, or ``None`` when they can."""
    if geometry.ndim > compiled.MAX_DIMS:
        return (
            f"it has {geometry.ndim} spatial dimensions and the compiled loops serve at most "
            f"{compiled.MAX_DIMS}"
        )
    if not compiled.AVAILABLE:
        return 'numba is not installed (pip install "tconvmat[fast]")'
    if not compiled.allowed():
        return "compiled kernels are switched off here (tconvmat.routes.interpreted())"
    return None


@lru_cache(maxsize=256)
def _tables(geometry: Geometry) -> tuple[Any, ...]:
    return (*by_output_tables(geometry), *last_axis_tables(geometry))


def transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``y = Cᵀx`` for a batched x, compiled (see the module's docstring)."""
    from tconvmat.routes import _fused_kernels as kernels

    batch, pad = x.shape[0], three(geometry)
    shape = (batch, geometry.out_channels, *pad, *geometry.out_shape)
    tables = _tables(geometry)
    if tables[7].size == 0:  # no tap reaches any output phase
        return np.zeros((batch, geometry.out_channels, *geometry.out_shape), dtype=x.dtype)
    source = np.ascontiguousarray(x).reshape(batch, geometry.in_channels, *pad, *geometry.in_shape)
    w = np.ascontiguousarray(weight).reshape(*weight.shape[:2], *pad, *geometry.kernel_shape)
    y = np.empty(shape, dtype=x.dtype)  # every output row is written (zeros included)
    kernels.transpose3(source, w, y, geometry.groups, *tables)
    return y.reshape(batch, geometry.out_channels, *geometry.out_shape)


def conv(geometry: Geometry, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The forward convolution ``x = C y``, compiled: each input row written once."""
    from tconvmat.routes import _fused_kernels as kernels

    batch, pad = y.shape[0], three(geometry)
    bordered = _arrays.pad_or_trim(y, list(geometry.crops))  # every window inside
    ys = np.ascontiguousarray(
        bordered.reshape(batch, geometry.out_channels, *pad, *bordered.shape[2:])
    )
    w = np.ascontiguousarray(weight.reshape(*weight.shape[:2], *pad, *geometry.kernel_shape))
    x = np.empty((batch, geometry.in_channels, *pad, *geometry.in_shape), dtype=y.dtype)
    strides = np.array((*pad, *geometry.stride), dtype=np.int64)
    dilations = np.array((*pad, *geometry.dilation), dtype=np.int64)
    kernels.forward3(ys, w, x, strides, dilations, geometry.groups)
    return x.reshape(batch, geometry.in_channels, *geometry.in_shape)


def worth_it(geometry: Geometry, batch: int) -> bool:
    """The cost model of ``auto``: where the fused loops beat the NumPy routes.

    Measured (``benchmarks/bench_speed.py``): one channel, and few channels per group
    (thin GEMMs, where BLAS loses). Never for small problems: a call that could
    trigger a compilation must be large enough not to notice it, and explaining the
    worked example never compiles anything.
    """
    if domain(geometry) is not None:
        return False
    outputs = batch * geometry.out_channels * math.prod(geometry.out_shape)
    if not compiled.worth_loading(outputs):
        return False
    per_in = geometry.in_channels // geometry.groups
    per_out = geometry.out_channels // geometry.groups
    return per_in * per_out <= MAX_PAIRS


MAX_PAIRS = 1
"""Above this many (input, output) channel pairs per group the GEMM routes win (measured:
grouped 64→64 g8, 64 pairs, ran 3× slower compiled than the NumPy polyphase route)."""
