"""Fused route: the output phase by phase, compiled, each output row written once.

A route of its own principle (the polyphase view, compiled): output phase ``r`` of every
axis receives only the taps with ``j·d ≡ r + crop_lo (mod s)`` at fixed shifts
(:meth:`tconvmat.core.axis.Axis.occupied_phases`), so each output row is a short sum of
contiguous rows of the input, accumulated in a buffer and written once: no canvas, no
inserted zeros, no im2col copies, no zero border (each tap reads only the inputs that
exist). The loops are compiled by numba (``pip install "tconvmat[fast]"``) and cached on
disk (:mod:`tconvmat.routes.compiled`), so only the first call of each kind on a machine
compiles. The route serves up to three spatial dimensions (:func:`domain`); without
numba it does not exist and nothing else changes.

At stride 1 there is one phase, and for 2-D layers with a 3×3 kernel, enough channels and
enough tiles it is computed with fewer products: Winograd's F(2×2, 3×3), 16 instead of 36
per 2×2 outputs (:mod:`tconvmat.routes.winograd`, where its rounding is described).
"""

from __future__ import annotations

import math

import numpy as np

from tconvmat.core import arrays
from tconvmat.core.geometry import Geometry
from tconvmat.core.optional import INSTALL
from tconvmat.routes import compiled, winograd
from tconvmat.routes.tables import kernel_tables, phase_tables, three

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
        return f"numba is not installed ({INSTALL['numba']})"
    if not compiled.allowed():
        return "compiled kernels are switched off here (tconvmat.routes.interpreted())"
    return None


TILE = 8192
"""Phase positions the channel kernel accumulates at a time: a whole 64² phase in one
piece (measured, ``benchmarks/bench_speed.py``: 4096 split the dilated 64² layer in two
and ran it 10-15 % slower; the grouped and 3-D layers gained too)."""


def transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``y = Cᵀx`` for a batched x, compiled (see the module's docstring).

    With channels and finite weights, the channel kernel
    (:mod:`tconvmat.routes._plane_kernels`): each phase one long run over the
    zero-bordered input, four input and four output channels at a time; for the 2-D
    stride-1 3×3 layers :func:`tconvmat.routes.winograd.serves` admits, F(2×2, 3×3)
    instead, unless an input or an output is not finite. Otherwise the row kernel, which
    reads only inputs that exist (so ``0·inf`` never meets a border).
    """
    if geometry.single_channel or not np.isfinite(weight).all():
        return rows(geometry, x, weight)
    if winograd.serves(geometry, x.dtype):
        y = winograd.transpose(geometry, x, weight)
        if y is not None:
            return y
    return channels(geometry, x, weight)


def _unreached(geometry: Geometry, x: np.ndarray) -> np.ndarray | None:
    """The all-zero output when no tap reaches any output (else ``None``)."""
    if kernel_tables(geometry)[7].size:
        return None
    return np.zeros((x.shape[0], geometry.out_channels, *geometry.out_shape), dtype=x.dtype)


def rows(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The row kernel: each output row from the inputs that exist (any weights)."""
    from tconvmat.routes import _fused_kernels as kernels

    if (zeros := _unreached(geometry, x)) is not None:
        return zeros
    batch, pad = x.shape[0], three(geometry)
    w = np.ascontiguousarray(weight).reshape(*weight.shape[:2], *pad, *geometry.kernel_shape)
    source = np.ascontiguousarray(x).reshape(batch, geometry.in_channels, *pad, *geometry.in_shape)
    y = np.empty((batch, geometry.out_channels, *pad, *geometry.out_shape), dtype=x.dtype)
    kernels.transpose3(source, w, y, geometry.groups, *kernel_tables(geometry))  # every output
    return y.reshape(batch, geometry.out_channels, *geometry.out_shape)


def channels(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The channel kernel, each sample inside a zero border of its own (finite weights only)."""
    from tconvmat.routes import _plane_kernels as kernels

    if (zeros := _unreached(geometry, x)) is not None:
        return zeros
    batch, pad = x.shape[0], three(geometry)
    w = np.ascontiguousarray(weight).reshape(*weight.shape[:2], *pad, *geometry.kernel_shape)
    pads, lows, *phases = phase_tables(geometry)
    bordered = [n + lo + hi for n, (lo, hi) in zip(geometry.in_shape, pads, strict=True)]
    sizes = np.array(
        (batch, geometry.in_channels, *pad, *bordered, *pad, *geometry.in_shape), dtype=np.int64
    )
    reached = math.prod(len(p[0]) for p in phases)
    every = math.prod(min(a.stride, a.output_length) for a in geometry.axes)
    allocate = np.empty if reached == every else np.zeros  # phases no tap reaches are zeros
    y = allocate((batch, geometry.out_channels, *pad, *geometry.out_shape), dtype=x.dtype)
    strides = np.array((*pad, *geometry.stride), dtype=np.int64)
    source = np.ascontiguousarray(x).reshape(-1)
    kernels.plane3(source, sizes, w, y, geometry.groups, TILE, lows, strides, *phases)
    return y.reshape(batch, geometry.out_channels, *geometry.out_shape)


def conv(geometry: Geometry, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """The forward convolution ``x = C y``, compiled: each input row written once."""
    from tconvmat.routes import _fused_kernels as kernels

    batch, pad = y.shape[0], three(geometry)
    bordered = arrays.pad_or_trim(y, list(geometry.crops))  # every window inside
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
    """The cost model of ``auto``: where the fused loops beat the NumPy and BLAS routes.

    Measured (``benchmarks/bench_speed.py``, float32, one thread): one channel (the row
    kernel, 0.1-0.5× PyTorch), and layers with at most :data:`MAX_CHANNELS_PER_GROUP`
    input channels per group (the channel kernel: grouped 64→64 g8 1.1-1.3× PyTorch
    against 2.1-3.5× for the BLAS routes, whose stamps GEMM is as thin as ``cin/groups``;
    dilated 32→32 about 1.2× by F(2×2, 3×3) against 1.5-1.7× directly and 1.9-2.1× for the
    stamps GEMM). Wider layers take the stamps GEMM (scatter), stride-1 3×3 ones too
    (F(2×2, 3×3) with 128 channels lost to it on small images: 2.2× at 16², measured).
    Never for small problems: loading a compiled kernel must not show
    (:func:`tconvmat.routes.compiled.worth_loading`). The forward convolution
    (:func:`tconvmat.routes.conv`) decides by the same rule.
    """
    if domain(geometry) is not None:
        return False
    outputs = batch * geometry.out_channels * math.prod(geometry.out_shape)
    if not compiled.worth_loading(outputs):
        return False
    return geometry.in_channels // geometry.groups <= MAX_CHANNELS_PER_GROUP


MAX_CHANNELS_PER_GROUP = 32
"""Above this many input channels per group the stamps GEMM (scatter) wins: 64→64 33² k3
s2 ran 0.7-0.9× PyTorch by the scatter and 0.9-1.2× by the channel kernel."""
