"""The compiled loops of the fused route (numba, cached on disk). Imported only when used.

Every array is brought to three spatial axes (1-D and 2-D problems get leading axes of
length 1, :mod:`tconvmat.routes.tables`). The transposed convolution walks the output row
by row: the (tap, input) pairs of the first two axes come per output index, the last
axis phase by phase (:meth:`tconvmat.core.axis.Axis.occupied_phases`); each phase's products
are accumulated in a small buffer whose innermost loop runs along a contiguous input row
(so it vectorises), over the inputs that exist only, and the row is written into y once
(in order when the stride is 2, so the stores vectorise too: 512² k3 s2 0.77 → 0.50 ms).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def transpose3(  # pragma: no cover - compiled
    x,
    w,
    y,
    groups,
    pointer0,
    taps0,
    inputs0,
    pointer1,
    taps1,
    inputs1,
    f2,
    n2,
    p2,
    j2,
    h2,
    s2,
    zero,
):
    """y[b, g·opg + o, t0, t1, f + s·m] = Σ_c Σ w[c, o, j0, j1, j2] · x[b, c, i0, i1, m − h].

    x: (B, Cin, I0, I1, I2), read only where it exists (no zero border, so no ``0·inf``
    PyTorch does not form); w: (Cin, opg, K0, K1, K2); y: (B, Cout, O0, O1, O2). Axes 0
    and 1: per output ``t`` the (tap, input) pairs that land on it (CSR). Last axis: the
    occupied phases' first outputs ``f2``, lengths ``n2``, tap pointers ``p2``, taps
    ``j2`` and shifts ``h2``; ``zero`` when some phase receives no tap. Each output row's
    phases are accumulated in buffers over contiguous input rows, then written once.
    """
    per_in = x.shape[1] // groups
    per_out = w.shape[1]
    width, inputs2, phases = y.shape[4], x.shape[4], len(f2)
    # at stride 2 with both phases occupied, both are buffered and the output row is
    # written in order (a constant stride lets the stores vectorise); otherwise each
    # phase is written as soon as it is complete (phase q holds outputs f, f + s, …)
    interleave = s2 == 2 and phases == 2
    rows = np.empty((2 if interleave else 1, per_out, n2.max()), dtype=y.dtype)
    for b in range(x.shape[0]):
        for g in range(groups):
            for t0 in range(y.shape[2]):
                for t1 in range(y.shape[3]):
                    if zero:
                        y[b, g * per_out : (g + 1) * per_out, t0, t1] = 0
                    for q in range(phases):
                        count, slot = n2[q], q if interleave else 0
                        rows[slot, :, :count] = 0
                        for e0 in range(pointer0[t0], pointer0[t0 + 1]):
                            a0, i0 = taps0[e0], inputs0[e0]
                            for e1 in range(pointer1[t1], pointer1[t1 + 1]):
                                a1, i1 = taps1[e1], inputs1[e1]
                                for k in range(p2[q], p2[q + 1]):
                                    shift = h2[k]
                                    low, high = max(0, shift), min(count, shift + inputs2)
                                    if low >= high:
                                        continue
                                    for c in range(per_in):
                                        channel = g * per_in + c
                                        source = x[b, channel, i0, i1, low - shift : high - shift]
                                        for o in range(per_out):
                                            tap = w[channel, o, a0, a1, j2[k]]
                                            target = rows[slot, o, low:high]
                                            for m in range(high - low):
                                                target[m] += tap * source[m]
                        if not interleave:
                            first = f2[q]
                            for o in range(per_out):
                                out, row = y[b, g * per_out + o, t0, t1], rows[0, o]
                                for m in range(count):
                                    out[first + s2 * m] = row[m]
                    if interleave:
                        for o in range(per_out):
                            out = y[b, g * per_out + o, t0, t1]
                            even, odd = rows[0, o], rows[1, o]
                            for m in range(width // 2):
                                out[2 * m] = even[m]
                                out[2 * m + 1] = odd[m]
                            if width % 2:
                                out[width - 1] = even[width // 2]


@njit(cache=True, nogil=True)
def forward3(yp, w, x, strides, dilations, groups):  # pragma: no cover - compiled
    """The forward convolution: x[b, c, i] = Σ_(o, j) w[c, o, j] · yp[b, o, i·s + j·d].

    yp: (B, Cout, F0, F1, F2), y bordered by its crops so every window is inside;
    w: (Cin, opg, K0, K1, K2); x: (B, Cin, I0, I1, I2), each row accumulated in a buffer
    and written once.
    """
    per_in = x.shape[1] // groups
    per_out = w.shape[1]
    width = x.shape[4]
    s0, s1, s2 = strides[0], strides[1], strides[2]
    d0, d1, d2 = dilations[0], dilations[1], dilations[2]
    row = np.zeros(width, dtype=x.dtype)
    for b in range(x.shape[0]):
        for c in range(x.shape[1]):
            g = c // per_in
            for i0 in range(x.shape[2]):
                for i1 in range(x.shape[3]):
                    row[:] = 0
                    for o in range(per_out):
                        channel = g * per_out + o
                        for k0 in range(w.shape[2]):
                            for k1 in range(w.shape[3]):
                                source = yp[b, channel, i0 * s0 + k0 * d0, i1 * s1 + k1 * d1]
                                for k2 in range(w.shape[4]):
                                    tap = w[c, o, k0, k1, k2]
                                    offset = k2 * d2
                                    for i2 in range(width):
                                        row[i2] += tap * source[i2 * s2 + offset]
                    x[b, c, i0, i1, :] = row
