"""The compiled loops of the fused route (numba, cached on disk). Imported only when used.

Every array is brought to three spatial axes (1-D and 2-D problems get leading axes of
length 1). The transposed convolution walks the output phase by phase (the taps of each
phase and where they read the zero-bordered input come from
:meth:`tconvmat.axis.Axis.phases`): for every output row it accumulates each phase's
products in a small buffer, whose innermost loop runs along a contiguous input row (so
it vectorises), and writes the row into y once (in order when the stride is 2, so the
stores vectorise too: 512² k3 s2 0.77 → 0.50 ms).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def transpose3(  # pragma: no cover - compiled
    xp,
    w,
    y,
    strides,
    lows,
    groups,
    f0,
    n0,
    p0,
    j0,
    h0,
    f1,
    n1,
    p1,
    j1,
    h1,
    f2,
    n2,
    p2,
    j2,
    h2,
):
    """y[b, g·opg + o, f + s·m] = Σ_c Σ_(j, shift) w[c, o, j] · xp[b, c, m − shift + low].

    xp: (B, Cin, P0, P1, P2) zero-bordered input; w: (Cin, opg, K0, K1, K2);
    y: (B, Cout, O0, O1, O2). Per axis a: the phases' first outputs ``f`` (phase q
    starts at output q, see ``Axis.phases``), counts ``n`` (the first is the longest), tap pointers
    ``p``, and per tap its index ``j`` and shift ``h``. Each output row's phases are
    accumulated in buffers over contiguous input rows, then the row is written once.
    """
    per_in = xp.shape[1] // groups
    per_out = w.shape[1]
    phases2, step, width = len(f2), strides[2], y.shape[4]
    # at stride 2 both phases of the last axis are buffered and the output row is written
    # in order (a constant stride lets the stores vectorise); otherwise each phase is
    # written as soon as it is complete (phase q holds outputs q, q + s, q + 2s, …)
    interleave = step == 2 and phases2 == 2
    rows = np.zeros((2 if interleave else 1, per_out, n2[0]), dtype=y.dtype)
    for b in range(xp.shape[0]):
        for g in range(groups):
            for q0 in range(len(f0)):
                for m0 in range(n0[q0]):
                    t0 = f0[q0] + strides[0] * m0
                    for q1 in range(len(f1)):
                        for m1 in range(n1[q1]):
                            t1 = f1[q1] + strides[1] * m1
                            for q2 in range(phases2):
                                c2, first, slot = n2[q2], f2[q2], q2 if interleave else 0
                                rows[slot, :, :c2] = 0
                                for k0 in range(p0[q0], p0[q0 + 1]):
                                    i0 = m0 - h0[k0] + lows[0]
                                    for k1 in range(p1[q1], p1[q1 + 1]):
                                        i1 = m1 - h1[k1] + lows[1]
                                        for k2 in range(p2[q2], p2[q2 + 1]):
                                            base = lows[2] - h2[k2]
                                            for c in range(per_in):
                                                channel = g * per_in + c
                                                source = xp[b, channel, i0, i1, base : base + c2]
                                                for o in range(per_out):
                                                    tap = w[channel, o, j0[k0], j1[k1], j2[k2]]
                                                    target = rows[slot, o, :c2]
                                                    for m2 in range(c2):
                                                        target[m2] += tap * source[m2]
                                if not interleave:
                                    for o in range(per_out):
                                        out, row = y[b, g * per_out + o, t0, t1], rows[0, o]
                                        for m2 in range(c2):
                                            out[first + step * m2] = row[m2]
                            if interleave:
                                for o in range(per_out):
                                    out, even, odd = (
                                        y[b, g * per_out + o, t0, t1],
                                        rows[0, o],
                                        rows[1, o],
                                    )
                                    for m2 in range(width // 2):
                                        out[2 * m2] = even[m2]
                                        out[2 * m2 + 1] = odd[m2]
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
