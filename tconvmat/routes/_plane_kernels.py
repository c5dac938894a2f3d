"""The fused route's channel kernel: each output phase as one long run, blocked over channels.

Imported only when used (numba, cached on disk). Every array is brought to three spatial
axes. The input comes zero-bordered so that every tap of a phase reads it at one fixed
offset; laid out flat, the phase's outputs ``(m0, m1, m2)`` then sit at ``m0·P1·P2 + m1·P2
+ m2`` of the bordered grid, so one tap of one input channel is a single contiguous run
of x over a whole tile of the phase (a few columns of each row are padding, computed and
dropped). The tile's sums for four output channels are accumulated from four input
channels at a time (16 products per element, loads and stores shared), which is what
lets thin layers (grouped, dilated) reach PyTorch's speed where the stamps GEMM cannot.
Flat, unsigned indices keep numba from adding negative-index checks, so the runs
vectorise. The zero border is multiplied by the taps, so the route takes this kernel
for finite weights only (``0·inf`` would give NaN where PyTorch gives none).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba import uint64 as U


@njit(cache=True, nogil=True, fastmath={"contract"})
def _four_by_four(acc, row, length, x, source, plane, w, n):  # pragma: no cover - compiled
    """acc[row + u·length + p] += Σ_v w[4v + u] · x[source + v·plane + p] for u, v < 4."""
    wa0, wa1, wa2, wa3 = w[0], w[1], w[2], w[3]
    wb0, wb1, wb2, wb3 = w[4], w[5], w[6], w[7]
    wc0, wc1, wc2, wc3 = w[8], w[9], w[10], w[11]
    wd0, wd1, wd2, wd3 = w[12], w[13], w[14], w[15]
    r0, r1, r2, r3 = U(row), U(row + length), U(row + 2 * length), U(row + 3 * length)
    s0, s1, s2, s3 = U(source), U(source + plane), U(source + 2 * plane), U(source + 3 * plane)
    for p in range(U(n)):
        va, vb, vc, vd = x[s0 + p], x[s1 + p], x[s2 + p], x[s3 + p]
        acc[r0 + p] += wa0 * va + wb0 * vb + wc0 * vc + wd0 * vd
        acc[r1 + p] += wa1 * va + wb1 * vb + wc1 * vc + wd1 * vd
        acc[r2 + p] += wa2 * va + wb2 * vb + wc2 * vc + wd2 * vd
        acc[r3 + p] += wa3 * va + wb3 * vb + wc3 * vc + wd3 * vd


@njit(cache=True, nogil=True, fastmath={"contract"})
def _four_by_one(acc, row, x, source, plane, wa, wb, wc, wd, n):  # pragma: no cover - compiled
    """acc[row + p] += Σ_v w_v · x[source + v·plane + p]: four input channels, one output."""
    r = U(row)
    s0, s1, s2, s3 = U(source), U(source + plane), U(source + 2 * plane), U(source + 3 * plane)
    for p in range(U(n)):
        acc[r + p] += wa * x[s0 + p] + wb * x[s1 + p] + wc * x[s2 + p] + wd * x[s3 + p]


@njit(cache=True, nogil=True, fastmath={"contract"})
def _one_by_one(acc, row, x, source, wa, n):  # pragma: no cover - compiled
    """acc[row + p] += wa · x[source + p]."""
    r, s = U(row), U(source)
    for p in range(U(n)):
        acc[r + p] += wa * x[s + p]


@njit(cache=True, nogil=True, fastmath={"contract"})
def _tap_sums(acc, tile, count, x, source, plane, w, block, tap, taps, first, ins, outs, o, wide):
    """Add one tap's products of the ``ins`` input channels from ``first`` to the ``wide``
    output channels from ``o`` of the tile (``acc`` rows of length ``tile``)."""
    step = outs * taps
    c = 0
    while c + 4 <= ins:
        channel = first + c
        at = source + c * plane
        if wide == 4:
            for v in range(4):
                for u in range(4):
                    block[4 * v + u] = w[((channel + v) * outs + o + u) * taps + tap]
            _four_by_four(acc, o * tile, tile, x, at, plane, block, count)
        else:
            for u in range(wide):
                base = (channel * outs + o + u) * taps + tap
                _four_by_one(
                    acc,
                    (o + u) * tile,
                    x,
                    at,
                    plane,
                    w[base],
                    w[base + step],
                    w[base + 2 * step],
                    w[base + 3 * step],
                    count,
                )
        c += 4
    while c < ins:
        for u in range(wide):
            weight = w[((first + c) * outs + o + u) * taps + tap]
            _one_by_one(acc, (o + u) * tile, x, source + c * plane, weight, count)
        c += 1


@njit(cache=True, nogil=True)
def plane3(  # pragma: no cover - compiled
    xp, sizes, w, y, groups, tile, lows, strides, phase0, phase1, phase2
):
    """y[b, g·opg + o, f + s·m] = Σ_c Σ_taps w[c, o, j] · xp[b, c, low + m − h] per phase.

    ``xp``: the zero-bordered input (B, Cin, P0, P1, P2), flat, its shape in ``sizes``;
    ``w``: (Cin, opg, K0, K1, K2), flat; ``y``: (B, Cout, O0, O1, O2), zeroed where no
    tap reaches. ``lows``: the border before each axis; ``phaseA``: that axis's occupied
    phases as (firsts, counts, tap pointers, taps, shifts), output ``m`` of a phase
    reading input ``m − shift``.
    """
    batch, cin, p0s, p1s, p2s = sizes[0], sizes[1], sizes[2], sizes[3], sizes[4]
    f0, n0, q0s, j0, h0 = phase0
    f1, n1, q1s, j1, h1 = phase1
    f2, n2, q2s, j2, h2 = phase2
    cout, o0s, o1s, o2s = y.shape[1], y.shape[2], y.shape[3], y.shape[4]
    per_in, per_out = cin // groups, cout // groups
    k1s, k2s = w.shape[3], w.shape[4]
    taps = w.shape[2] * k1s * k2s
    flat_w = w.reshape(-1)
    flat_y = y.reshape(-1)
    plane, line = p0s * p1s * p2s, p1s * p2s
    acc = np.empty(per_out * tile, dtype=y.dtype)
    block = np.empty(16, dtype=y.dtype)
    for b in range(batch):
        for g in range(groups):
            for a0 in range(len(f0)):
                for a1 in range(len(f1)):
                    for a2 in range(len(f2)):
                        length = (n0[a0] - 1) * line + (n1[a1] - 1) * p2s + n2[a2]
                        for start in range(0, length, tile):
                            count = min(tile, length - start)
                            acc[:] = 0
                            o = 0
                            while o < per_out:
                                wide = min(4, per_out - o)
                                for k0 in range(q0s[a0], q0s[a0 + 1]):
                                    for k1 in range(q1s[a1], q1s[a1 + 1]):
                                        for k2 in range(q2s[a2], q2s[a2 + 1]):
                                            offset = (lows[0] - h0[k0]) * line + start
                                            offset += (lows[1] - h1[k1]) * p2s + lows[2] - h2[k2]
                                            tap = (j0[k0] * k1s + j1[k1]) * k2s + j2[k2]
                                            first = g * per_in
                                            _tap_sums(
                                                acc,
                                                tile,
                                                count,
                                                xp,
                                                (b * cin + first) * plane + offset,
                                                plane,
                                                flat_w,
                                                block,
                                                tap,
                                                taps,
                                                first,
                                                per_in,
                                                per_out,
                                                o,
                                                wide,
                                            )
                                o += wide
                            # the tile's outputs (not the border columns) into y
                            for o in range(per_out):
                                channel = (b * cout + g * per_out + o) * o0s
                                for m0 in range(start // line, (start + count - 1) // line + 1):
                                    for m1 in range(n1[a1]):
                                        at = m0 * line + m1 * p2s
                                        lo, hi = max(at, start), min(at + n2[a2], start + count)
                                        row = (channel + f0[a0] + strides[0] * m0) * o1s
                                        row = (row + f1[a1] + strides[1] * m1) * o2s + f2[a2]
                                        for p in range(lo, hi):
                                            flat_y[U(row + strides[2] * (p - at))] = acc[
                                                U(o * tile + p - start)
                                            ]
