"""The fused route's channel kernel: each output phase as one long run, blocked over channels.

Imported only when used (numba, cached on disk). Every array is brought to three spatial
axes. Each sample of the input is copied inside a zero border (one sample's buffer, which
stays in the cache while its phases are summed) so that every tap of a phase reads it at
one fixed offset; laid out flat, the phase's outputs ``(m0, m1, m2)`` then sit at
``m0·P1·P2 + m1·P2 + m2`` of the bordered grid, so one tap of one input channel is a
single contiguous run of x over a whole tile of the phase (a few columns of each row are
padding, computed and dropped). The tile's sums for four output channels are accumulated
from four input channels at a time (16 products per element, loads and stores shared), which is what
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
    for p in range(U(n)):  # one chain of fused multiply-adds per output (no extra adds)
        va, vb, vc, vd = x[s0 + p], x[s1 + p], x[s2 + p], x[s3 + p]
        t0, t1 = acc[r0 + p] + wa0 * va, acc[r1 + p] + wa1 * va
        t2, t3 = acc[r2 + p] + wa2 * va, acc[r3 + p] + wa3 * va
        t0, t1, t2, t3 = t0 + wb0 * vb, t1 + wb1 * vb, t2 + wb2 * vb, t3 + wb3 * vb
        t0, t1, t2, t3 = t0 + wc0 * vc, t1 + wc1 * vc, t2 + wc2 * vc, t3 + wc3 * vc
        acc[r0 + p], acc[r1 + p] = t0 + wd0 * vd, t1 + wd1 * vd
        acc[r2 + p], acc[r3 + p] = t2 + wd2 * vd, t3 + wd3 * vd


@njit(cache=True, nogil=True, fastmath={"contract"})
def _eight_by_four(acc, row, length, x, source, plane, w, n):  # pragma: no cover - compiled
    """acc[row + u·length + p] += Σ_v w[4v + u] · x[source + v·plane + p] for u < 4, v < 8."""
    r0, r1, r2, r3 = U(row), U(row + length), U(row + 2 * length), U(row + 3 * length)
    s0, s1, s2, s3 = U(source), U(source + plane), U(source + 2 * plane), U(source + 3 * plane)
    s4, s5 = U(source + 4 * plane), U(source + 5 * plane)
    s6, s7 = U(source + 6 * plane), U(source + 7 * plane)
    a0, a1, a2, a3 = w[0], w[1], w[2], w[3]
    b0, b1, b2, b3 = w[4], w[5], w[6], w[7]
    c0, c1, c2, c3 = w[8], w[9], w[10], w[11]
    d0, d1, d2, d3 = w[12], w[13], w[14], w[15]
    e0, e1, e2, e3 = w[16], w[17], w[18], w[19]
    f0, f1, f2, f3 = w[20], w[21], w[22], w[23]
    g0, g1, g2, g3 = w[24], w[25], w[26], w[27]
    h0, h1, h2, h3 = w[28], w[29], w[30], w[31]
    for p in range(U(n)):
        va, vb, vc, vd = x[s0 + p], x[s1 + p], x[s2 + p], x[s3 + p]
        ve, vf, vg, vh = x[s4 + p], x[s5 + p], x[s6 + p], x[s7 + p]
        t0, t1 = acc[r0 + p] + a0 * va, acc[r1 + p] + a1 * va
        t2, t3 = acc[r2 + p] + a2 * va, acc[r3 + p] + a3 * va
        t0, t1, t2, t3 = t0 + b0 * vb, t1 + b1 * vb, t2 + b2 * vb, t3 + b3 * vb
        t0, t1, t2, t3 = t0 + c0 * vc, t1 + c1 * vc, t2 + c2 * vc, t3 + c3 * vc
        t0, t1, t2, t3 = t0 + d0 * vd, t1 + d1 * vd, t2 + d2 * vd, t3 + d3 * vd
        t0, t1, t2, t3 = t0 + e0 * ve, t1 + e1 * ve, t2 + e2 * ve, t3 + e3 * ve
        t0, t1, t2, t3 = t0 + f0 * vf, t1 + f1 * vf, t2 + f2 * vf, t3 + f3 * vf
        t0, t1, t2, t3 = t0 + g0 * vg, t1 + g1 * vg, t2 + g2 * vg, t3 + g3 * vg
        acc[r0 + p], acc[r1 + p] = t0 + h0 * vh, t1 + h1 * vh
        acc[r2 + p], acc[r3 + p] = t2 + h2 * vh, t3 + h3 * vh


@njit(cache=True, nogil=True, fastmath={"contract"})
def _four_by_one(acc, row, x, source, plane, wa, wb, wc, wd, n):  # pragma: no cover - compiled
    """acc[row + p] += Σ_v w_v · x[source + v·plane + p]: four input channels, one output."""
    r = U(row)
    s0, s1, s2, s3 = U(source), U(source + plane), U(source + 2 * plane), U(source + 3 * plane)
    for p in range(U(n)):
        total = acc[r + p] + wa * x[s0 + p]
        total = total + wb * x[s1 + p]
        total = total + wc * x[s2 + p]
        acc[r + p] = total + wd * x[s3 + p]


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
    while wide == 4 and c + 8 <= ins:
        channel = first + c
        for v in range(8):
            for u in range(4):
                block[4 * v + u] = w[((channel + v) * outs + o + u) * taps + tap]
        _eight_by_four(acc, o * tile, tile, x, source + c * plane, plane, block, count)
        c += 8
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
def _border_sample(x, b, scratch, sizes, lows):  # pragma: no cover - compiled
    """Copy sample ``b`` of the flat input (B, Cin, I0, I1, I2) inside the zero border of
    ``scratch`` (Cin, P0, P1, P2), ``lows`` from its start on each axis: a row at a time."""
    cin, i0s, i1s, i2s = sizes[1], sizes[5], sizes[6], sizes[7]
    p0s, p1s, p2s = sizes[2], sizes[3], sizes[4]
    for c in range(cin):
        for i0 in range(i0s):
            for i1 in range(i1s):
                source = U((((b * cin + c) * i0s + i0) * i1s + i1) * i2s)
                target = U(((c * p0s + i0 + lows[0]) * p1s + i1 + lows[1]) * p2s + lows[2])
                for i2 in range(U(i2s)):
                    scratch[target + i2] = x[source + i2]


@njit(cache=True, nogil=True)
def plane3(  # pragma: no cover - compiled
    x, sizes, w, y, groups, tile, lows, strides, phase0, phase1, phase2
):
    """y[b, g·opg + o, f + s·m] = Σ_c Σ_taps w[c, o, j] · xp[b, c, low + m − h] per phase.

    ``x``: the input (B, Cin, I0, I1, I2), flat, brought one sample at a time inside a
    zero border (Cin, P0, P1, P2) that stays in the cache; ``sizes``: (B, Cin, P0, P1, P2,
    I0, I1, I2); ``w``: (Cin, opg, K0, K1, K2), flat; ``y``: (B, Cout, O0, O1, O2), zeroed
    where no tap reaches. ``lows``: the border before each axis; ``phaseA``: that axis's
    occupied phases as (firsts, counts, tap pointers, taps, shifts), output ``m`` of a
    phase reading input ``m − shift``.
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
    xp = np.zeros(cin * plane, dtype=y.dtype)  # one sample, zero-bordered
    acc = np.empty(per_out * tile, dtype=y.dtype)
    block = np.empty(32, dtype=y.dtype)
    for b in range(batch):
        _border_sample(x, b, xp, sizes, lows)
        for g in range(groups):
            for a0 in range(len(f0)):
                for a1 in range(len(f1)):
                    for a2 in range(len(f2)):
                        length = (n0[a0] - 1) * line + (n1[a1] - 1) * p2s + n2[a2]
                        pieces = (length + tile - 1) // tile  # tiles of even length
                        step = (length + pieces - 1) // pieces
                        for start in range(0, length, step):
                            count = min(step, length - start)
                            for o in range(per_out):  # only the part of each row in use
                                acc[o * tile : o * tile + count] = 0
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
                                                first * plane + offset,
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
                                        _write_row(
                                            flat_y,
                                            row + strides[2] * (lo - at),
                                            strides[2],
                                            acc,
                                            o * tile + lo - start,
                                            hi - lo,
                                        )


@njit(cache=True, nogil=True)
def _write_row(y, target, step, acc, source, n):  # pragma: no cover - compiled
    """y[target + step·p] = acc[source + p] for p < n (a plain copy when step is 1)."""
    t, s = U(target), U(source)
    if step == 1:
        for p in range(U(n)):
            y[t + p] = acc[s + p]
    else:
        for p in range(U(n)):
            y[t + U(step) * p] = acc[s + p]
