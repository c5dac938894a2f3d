"""The scatter's placement compiled (col2im): every output written once from its stamps.

Imported only where numba is installed and the scatter takes it
(:func:`tconvmat.routes.scatter.compiled_placement`). Every array is brought to three spatial axes
(leading axes of length 1). For each output row the stamps that reach it are read along
contiguous input rows, one buffer per phase of the last axis, and the row is written once
(in order at stride 2, so that the stores vectorise). Only (input, tap) pairs that land
inside the output are read, so cropped stamps never touch y.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from numba import njit

from tconvmat.geometry import Geometry
from tconvmat.routes.tables import by_output_tables, last_axis_tables, three

__all__ = ["place"]


@lru_cache(maxsize=256)
def _tables(geometry: Geometry) -> tuple[Any, ...]:
    return (*by_output_tables(geometry), *last_axis_tables(geometry))


def place(geometry: Geometry, products: np.ndarray, y: np.ndarray) -> None:
    """Write ``y`` (every element) from ``products`` ``(batch, out_channels, taps, n_in)``."""
    pad = three(geometry)
    stamps = products.reshape(
        *products.shape[:2], *pad, *geometry.kernel_shape, *pad, *geometry.in_shape
    )
    target = y.reshape(*y.shape[:2], *pad, *geometry.out_shape)
    tables = _tables(geometry)
    if tables[7].size == 0:  # no tap reaches any output phase: all zeros
        target[...] = 0
        return
    col2im3(stamps, target, *tables)


@njit(cache=True, nogil=True)
def col2im3(  # pragma: no cover - compiled
    stamps, y, pointer0, taps0, inputs0, pointer1, taps1, inputs1, f2, n2, p2, j2, h2, s2, zero
):
    """y[b, o, t0, t1, f + s·m] = Σ stamps[b, o, j0, j1, j2, i0, i1, m − h] over landing pairs.

    stamps: (B, C, K0, K1, K2, I0, I1, I2); y: (B, C, O0, O1, O2). Axes 0 and 1: per
    output ``t`` the (tap, input) pairs that land on it (CSR). Last axis: the occupied
    phases' first outputs ``f2``, lengths ``n2``, tap pointers ``p2``, taps ``j2`` and
    shifts ``h2`` (output ``m`` of a phase reads input ``m − h``); ``zero`` when some
    phase receives no tap (its outputs are zeros).
    """
    width = y.shape[4]
    inputs2 = stamps.shape[7]
    phases = len(f2)
    interleave = s2 == 2 and phases == 2
    rows = np.empty((2, n2.max()), dtype=y.dtype)
    for b in range(y.shape[0]):
        for o in range(y.shape[1]):
            for t0 in range(y.shape[2]):
                for t1 in range(y.shape[3]):
                    out = y[b, o, t0, t1]
                    if zero:
                        out[:] = 0
                    for q in range(phases):
                        count, row = n2[q], rows[q if interleave else 0]
                        row[:count] = 0
                        for e0 in range(pointer0[t0], pointer0[t0 + 1]):
                            a0, i0 = taps0[e0], inputs0[e0]
                            for e1 in range(pointer1[t1], pointer1[t1 + 1]):
                                a1, i1 = taps1[e1], inputs1[e1]
                                for k in range(p2[q], p2[q + 1]):
                                    shift = h2[k]
                                    low, high = max(0, shift), min(count, shift + inputs2)
                                    source = stamps[b, o, a0, a1, j2[k], i0, i1]
                                    for m in range(low, high):
                                        row[m] += source[m - shift]
                        if not interleave:
                            first = f2[q]
                            for m in range(count):
                                out[first + s2 * m] = row[m]
                    if interleave:
                        even, odd = rows[0], rows[1]
                        for m in range(width // 2):
                            out[2 * m] = even[m]
                            out[2 * m + 1] = odd[m]
                        if width % 2:
                            out[width - 1] = even[width // 2]
