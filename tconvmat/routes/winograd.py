"""The fused route's kernel for stride-1 3×3 layers: Winograd's minimal filtering F(2×2, 3×3).

At stride 1 the transposed convolution is the correlation of the zero-bordered input
(border ``d·(k − 1) − crop``, :meth:`tconvmat.core.axis.Axis.zero_insertion_padding`)
with the flipped kernel, and with dilation ``d`` that correlation splits into ``d²``
plain 3×3 correlations on the residue grids. F(2×2, 3×3) computes each 2×2 block of
outputs from a 4×4 block of inputs with 16 products instead of 36 (Lavin and Gray, 2016):
``y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ x B)]A``, the products summed over the input channels as 16 GEMMs.
Its rounding is bounded by the largest inputs of each 4×4 tile, not by each output's own
terms: on random data it matches the direct sum's (dilated 32→32 64² layer in float32:
2.7e-7 of max|y| from PyTorch in float64, PyTorch's own float32 3.6e-7), but with a
sparse kernel and a wide dynamic range a small output can lose its relative precision
(identity kernel, inputs ×1e4 on a checkerboard: relative error up to 5.7 on the small
outputs, which the direct sum gets exactly; in float64 the same error is 10⁹ times
smaller). Where each output must be exact to its own terms, take ``method="scatter"``.

The fused route takes it (:func:`serves`) for 2-D layers with stride 1, a 3×3 kernel, at
least :data:`MIN_CHANNELS` channels per group on both sides, at least :data:`MIN_TILES`
tiles down and across each residue grid, a tile row that fits a chunk, finite weights and
float or complex data; integers keep the direct kernel (their sums are exact there).
Where an input is not finite, or an output comes out non-finite (a transform that
overflows), it gives way to the direct kernel, which forms only the products PyTorch
forms (``0·inf`` at a border gives no NaN).
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from tconvmat.core.geometry import Geometry

__all__ = [
    "KEEP",
    "MIN_CHANNELS",
    "MIN_TILES",
    "Tiling",
    "serves",
    "tiling",
    "transpose",
    "working_elements",
]

MIN_CHANNELS = 24
"""Fewest input and output channels per group for which the 16 GEMMs pay for the
transforms (float32, one thread, against the fused route's direct kernel: 8→8 64² took
0.55× PyTorch by F(2×2, 3×3) and 0.35× directly, 16→16 1.3× and 1.1×, 24→24 0.74× and
0.86×, 32→32 1.2× and 1.5×)."""

MIN_TILES = 8
"""Fewest tiles down and across each residue grid (``⌈O / 2d⌉`` per axis): with fewer,
the transforms and the small GEMMs cost more than the products they save (measured
against the direct kernel, 32→32 float32: 64² d2, 16 tiles, 0.8×; 32² d4, 4 tiles, 1.3×;
32² d16 or a one-row output, 1 tile, 1.7-2.7×; 5² d60, 2 tiles, 6.2×)."""

CHUNK_ELEMENTS = 2**18
"""One chunk's 16 transformed input and output planes hold about this many elements
(1 MiB of float32, inside the L2 cache between the transforms and the GEMMs); a tile row
holding more than four times as many leaves the layer to the direct kernel."""


def serves(geometry: Geometry, dtype: np.dtype) -> bool:
    """Whether the fused route computes this layer by F(2×2, 3×3) (see the module).

    Examples
    --------
    >>> serves(Geometry((64, 64), (3, 3), padding=2, dilation=2, in_channels=32,
    ...                 out_channels=32), np.dtype("float32"))
    True
    >>> serves(Geometry((64, 64), (3, 3), stride=2, in_channels=32, out_channels=32),
    ...        np.dtype("float32"))
    False
    >>> serves(Geometry((32, 32), (3, 3), padding=16, dilation=16, in_channels=32,
    ...                 out_channels=32), np.dtype("float32"))  # one tile per residue grid
    False
    """
    if not (
        geometry.ndim == 2
        and geometry.kernel_shape == (3, 3)
        and geometry.stride == (1, 1)
        and min(geometry.in_channels, geometry.out_channels) // geometry.groups >= MIN_CHANNELS
        and dtype.kind in "fc"
    ):
        return False
    t = tiling(geometry)
    row = 16 * (geometry.in_channels + geometry.out_channels) * t.dw * (t.nbw + 1)
    return min(t.nbh, t.nbw) >= MIN_TILES and row <= 4 * CHUNK_ELEMENTS


class Tiling(NamedTuple):
    """How F(2×2, 3×3) tiles a layer's output (one home for every index the kernels use).

    Attributes
    ----------
    qh, qw : int
        The zero border before each axis (``d·(k − 1) − crop_lo``; negative trims).
    dh, dw : int
        The dilations: each axis splits into ``d`` residue grids, a tile spans ``2d``.
    nbh, nbw : int
        Tiles per residue grid down and across (``⌈O / 2d⌉``).
    rows : int
        Tile rows per chunk (see :data:`CHUNK_ELEMENTS`).
    """

    qh: int
    qw: int
    dh: int
    dw: int
    nbh: int
    nbw: int
    rows: int


@lru_cache(maxsize=256)
def tiling(geometry: Geometry) -> Tiling:
    """The layer's :class:`Tiling`.

    Examples
    --------
    >>> tiling(Geometry((64, 64), (3, 3), padding=2, dilation=2, in_channels=32,
    ...                 out_channels=32))
    Tiling(qh=2, qw=2, dh=2, dw=2, nbh=16, nbw=16, rows=7)
    """
    (qh, _), (qw, _) = (a.zero_insertion_padding() for a in geometry.axes)
    dh, dw = geometry.dilation
    oh, ow = geometry.out_shape
    nbh, nbw = -(-oh // (2 * dh)), -(-ow // (2 * dw))
    tiles = CHUNK_ELEMENTS // (16 * (geometry.in_channels + geometry.out_channels))
    rows = max(1, min(nbh, tiles // (dw * (nbw + 1))))
    return Tiling(qh, qw, dh, dw, nbh, nbw, rows)


@lru_cache(maxsize=256)
def _shapes(geometry: Geometry) -> tuple[tuple[int, ...], ...]:
    """Shapes of the working arrays: the input's residue planes (Cin, 2dw, 2dh, nbh + 1,
    nbw + 1), one chunk of the 16 transformed input and output planes (flat), the output's
    residue planes (Cout, 2dw, 2dh, nbh, nbw + 1) and the transform rows."""
    t = tiling(geometry)
    cin, cout = geometry.in_channels, geometry.out_channels
    run = t.rows * (t.nbw + 1)
    return (
        (cin, 2 * t.dw, 2 * t.dh, t.nbh + 1, t.nbw + 1),
        (16 * cin * t.dw * run,),
        (16 * cout * t.dw * run,),
        (cout, 2 * t.dw, 2 * t.dh, t.nbh, t.nbw + 1),
        (4, 2 * t.dw, run + 1),
    )


def working_elements(geometry: Geometry) -> int:
    """Elements the kernel holds besides the output: its working arrays and the
    weight's 16 planes."""
    planes = 16 * geometry.out_channels * (geometry.in_channels // geometry.groups)
    return planes + sum(math.prod(shape) for shape in _shapes(geometry))


KEEP = 2**25
"""Bytes of working arrays a thread keeps for its next call of the same layer (32 MiB;
``0`` keeps none). Allocating them afresh on every call faults their pages in again: 0.7
of 1.5 ms per call of the dilated 32→32 64² layer with glibc's allocator (measured). What
is kept lies outside the memory budget (:mod:`tconvmat.core.budget`) until the thread's
next call of another layer, or its end."""

_HELD = threading.local()


def _working_arrays(geometry: Geometry, dtype: np.dtype) -> tuple[np.ndarray, ...]:
    """The working arrays, reused from this thread's last call of the same layer: the
    input's residue planes are zeroed when made, and a call writes only the entries
    that hold inputs, the same entries every call of the layer."""
    shapes = _shapes(geometry)
    key = (shapes, tiling(geometry), geometry.in_shape, np.dtype(dtype).str)
    held = getattr(_HELD, "arrays", None)
    if held is not None and held[0] == key:
        return held[1]
    arrays = tuple(np.zeros(shape, dtype=dtype) for shape in shapes)
    small = sum(a.nbytes for a in arrays) <= KEEP
    _HELD.arrays = (key, arrays) if small else None
    return arrays


def transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray | None:
    """``y = Cᵀx`` for a batched x by F(2×2, 3×3), or ``None`` where an input is not finite
    or an output comes out non-finite (the caller then takes the direct kernel)."""
    from tconvmat.routes import _winograd_kernels as kernels

    if not np.isfinite(x).all():  # the direct kernel forms only PyTorch's products
        return None
    t = tiling(geometry)
    cin, cout, groups = geometry.in_channels, geometry.out_channels, geometry.groups
    residues, V, M, YP, scratch = _working_arrays(geometry, x.dtype)
    planes = np.empty((16, groups, cout // groups, cin // groups), dtype=x.dtype)
    sums = np.zeros((4, 3), dtype=np.result_type(weight.dtype, np.float64))
    kernels.weight_planes(np.ascontiguousarray(weight), sums, planes)
    y = np.empty((x.shape[0], cout, *geometry.out_shape), dtype=x.dtype)
    source = np.ascontiguousarray(x)
    done = kernels.transpose(source, planes, y, *t, residues, V, M, YP, scratch)
    return y if done else None
