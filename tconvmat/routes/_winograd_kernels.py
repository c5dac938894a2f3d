"""The fused route's stride-1 3×3 kernel: Winograd's F(2×2, 3×3), compiled.

Imported only when used (numba, cached on disk); the NumPy side is
:mod:`tconvmat.routes.winograd`. Each sample is first split into its ``2d × 2d`` residue
planes (``XC[c, col_residue, row_residue, P, j]`` = the zero-bordered input at row
``P·2dh + row_residue`` and column ``j·2dw + col_residue``), so that every tile row of
every residue grid is a contiguous run: the input transform ``Bᵀ x B``, the output
transform ``Aᵀ m A`` and the final interleave all loop over long unit-stride runs (flat,
unsigned indices keep numba from adding negative-index checks, so they vectorise). Each
run of tiles carries one extra tile per row (column ``j = nbw``) that is computed and
never written out. The 16 transformed planes meet the weight's 16 planes in 16 GEMMs per
group (numba's ``np.dot``, the BLAS).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba import uint64 as U


@njit(cache=True, nogil=True)
def weight_planes(w, half, planes):  # pragma: no cover - compiled
    """``planes[4a + b, g, o, i] = (G g Gᵀ)[a, b]`` of the flipped kernel ``g`` of
    ``w[g·ipg + i, o]`` (w: Cin, Cout/groups, 3, 3), summed in ``half``'s dtype (4, 3).
    ``G`` = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]; flipping reverses both axes."""
    groups, opg, ipg = planes.shape[1], planes.shape[2], planes.shape[3]
    half[0, 0] = 0
    zero = half[0, 0]  # the sums' type (float64, or complex128 for complex weights)
    for g in range(groups):
        for o in range(opg):
            for i in range(ipg):
                kernel = w[g * ipg + i, o]
                for col in range(3):  # G down each column of the flipped kernel
                    g0 = kernel[2, 2 - col] + zero
                    g1 = kernel[1, 2 - col] + zero
                    g2 = kernel[0, 2 - col] + zero
                    half[0, col] = g0
                    half[1, col] = 0.5 * (g0 + g1 + g2)
                    half[2, col] = 0.5 * (g0 - g1 + g2)
                    half[3, col] = g2
                for a in range(4):  # then across each row
                    h0, h1, h2 = half[a, 0], half[a, 1], half[a, 2]
                    planes[4 * a, g, o, i] = h0
                    planes[4 * a + 1, g, o, i] = 0.5 * (h0 + h1 + h2)
                    planes[4 * a + 2, g, o, i] = 0.5 * (h0 - h1 + h2)
                    planes[4 * a + 3, g, o, i] = h2


@njit(cache=True, nogil=True)
def residue_planes(x, b, qh, qw, XC):  # pragma: no cover - compiled
    """Sample ``b`` of ``x`` (B, Cin, H, W) into ``XC`` (Cin, Dw, Dh, NP, J), whose other
    entries stay zero: ``XC[c, k, ρ, P, j] = x[b, c, P·Dh + ρ − qh, j·Dw + k − qw]``."""
    _, cin, H, W = x.shape
    _, Dw, Dh, NP, J = XC.shape
    source, target = x.reshape(-1), XC.reshape(-1)
    for c in range(cin):
        for i in range(max(0, -qh), min(H, NP * Dh - qh)):
            P, rho = (i + qh) // Dh, (i + qh) % Dh
            row = U(((b * cin + c) * H + i) * W)
            for k in range(Dw):
                lo = max(0, (qw - k + Dw - 1) // Dw)
                hi = min(J, (W + qw - k + Dw - 1) // Dw)
                start = U((((c * Dw + k) * Dh + rho) * NP + P) * J + lo)
                first = U(row + lo * Dw + k - qw)
                for j in range(U(max(0, hi - lo))):
                    target[start + j] = source[first + j * U(Dw)]


@njit(cache=True, nogil=True, fastmath={"contract"})
def _inputs(XC, r, first, rows, dh, dw, V, t):  # pragma: no cover - compiled
    """Bᵀ x B of the chunk's tiles (row residue ``r``, tile rows ``first…first+rows``)
    into ``V`` (16, Cin, T), tile ``r2·rows·J + k·J + j``; ``t``: (4, Dw, rows·J + 1)."""
    cin, Dw, Dh, NP, J = XC.shape
    flat = XC.reshape(-1)
    n = rows * J
    for c in range(cin):
        for k in range(Dw):  # Bᵀ down the tile's four rows, every tile row at once
            plane = ((c * Dw + k) * Dh + r) * NP + first
            r0, r1 = U(plane * J), U((plane + dh * NP) * J)
            r2, r3 = U(r0 + J), U(r1 + J)
            t0, t1, t2, t3 = t[0, k], t[1, k], t[2, k], t[3, k]
            for m in range(U(n)):
                a0, a1, a2, a3 = flat[r0 + m], flat[r1 + m], flat[r2 + m], flat[r3 + m]
                t0[m] = a0 - a2
                t1[m] = a1 + a2
                t2[m] = a2 - a1
                t3[m] = a1 - a3
        for u in range(4):  # then across: the even and odd columns of each column residue
            for s in range(dw):
                even, odd = t[u, s], t[u, s + dw]
                v0, v1 = V[4 * u, c, s * n :], V[4 * u + 1, c, s * n :]
                v2, v3 = V[4 * u + 2, c, s * n :], V[4 * u + 3, c, s * n :]
                for m in range(U(n)):
                    e0, e1, o0, o1 = even[m], even[m + U(1)], odd[m], odd[m + U(1)]
                    v0[m] = e0 - e1
                    v1[m] = o0 + e1
                    v2[m] = e1 - o0
                    v3[m] = o0 - o1


@njit(cache=True, nogil=True, fastmath={"contract"})
def _outputs(M, r, first, rows, dh, dw, J, YP):  # pragma: no cover - compiled
    """Aᵀ m A of the chunk's 16 planes ``M`` (16, Cout, T) into the output's residue
    planes ``YP`` (Cout, Dw, Dh, nbh, J): 2×2 outputs per tile. ``True`` when every
    output (the extra tile of each row and the ragged edge included) is finite."""
    cout, Dw, Dh, nbh = YP.shape[0], YP.shape[1], YP.shape[2], YP.shape[3]
    flat = YP.reshape(-1)
    n = rows * J
    bad = False
    for o in range(cout):
        for s in range(dw):
            m0, m1, m2, m3 = M[0, o, s * n :], M[1, o, s * n :], M[2, o, s * n :], M[3, o, s * n :]
            m4, m5, m6, m7 = M[4, o, s * n :], M[5, o, s * n :], M[6, o, s * n :], M[7, o, s * n :]
            m8, m9, m10, m11 = (
                M[8, o, s * n :],
                M[9, o, s * n :],
                M[10, o, s * n :],
                M[11, o, s * n :],
            )
            m12, m13 = M[12, o, s * n :], M[13, o, s * n :]
            m14, m15 = M[14, o, s * n :], M[15, o, s * n :]
            a0 = U(((((o * Dw + s) * Dh + r) * nbh) + first) * J)
            a1 = U(((((o * Dw + s + dw) * Dh + r) * nbh) + first) * J)
            b0 = U(((((o * Dw + s) * Dh + r + dh) * nbh) + first) * J)
            b1 = U(((((o * Dw + s + dw) * Dh + r + dh) * nbh) + first) * J)
            for m in range(U(n)):
                s00 = m0[m] + m4[m] + m8[m]
                s01 = m1[m] + m5[m] + m9[m]
                s02 = m2[m] + m6[m] + m10[m]
                s03 = m3[m] + m7[m] + m11[m]
                s10 = m4[m] - m8[m] - m12[m]
                s11 = m5[m] - m9[m] - m13[m]
                s12 = m6[m] - m10[m] - m14[m]
                s13 = m7[m] - m11[m] - m15[m]
                y00, y01 = s00 + s01 + s02, s01 - s02 - s03
                y10, y11 = s10 + s11 + s12, s11 - s12 - s13
                flat[a0 + m], flat[a1 + m], flat[b0 + m], flat[b1 + m] = y00, y01, y10, y11
                bad |= (y00 - y00) != 0 or (y01 - y01) != 0 or (y10 - y10) != 0 or (y11 - y11) != 0
    return not bad


@njit(cache=True, nogil=True)
def _interleave(YP, y, b):  # pragma: no cover - compiled
    """``y[b, o, P·Dh + ρ, j·Dw + k] = YP[o, k, ρ, P, j]``."""
    cout, Dw, Dh, nbh, J = YP.shape
    OH, OW = y.shape[2], y.shape[3]
    source, target = YP.reshape(-1), y.reshape(-1)
    for o in range(cout):
        for row in range(OH):
            P, rho = row // Dh, row % Dh
            line = U(((b * cout + o) * OH + row) * OW)
            for k in range(Dw):
                start = U((((o * Dw + k) * Dh + rho) * nbh + P) * J)
                for j in range(U((OW - k + Dw - 1) // Dw)):
                    target[line + U(k) + j * U(Dw)] = source[start + j]


@njit(cache=True, nogil=True)
def transpose(x, planes, y, qh, qw, dh, dw, nbh, nbw, rows, XC, V, M, YP, t):  # pragma: no cover
    """``y`` = the stride-1 3×3 transposed convolution of ``x`` (B, Cin, H, W) by F(2×2, 3×3).

    ``planes``: the weight's ``G g Gᵀ`` as (16, groups, Cout/groups, Cin/groups); ``qh`` …
    ``rows``: the layer's tiling (:class:`tconvmat.routes.winograd.Tiling`); ``XC``,
    ``V``, ``M``, ``YP``, ``t``: the working arrays (``XC`` zeroed). Returns ``False`` as
    soon as an output is not finite (the caller then takes the direct kernel: an output
    whose window holds a non-finite input is never finite here, and every other output
    of F(2×2, 3×3) reads only its own window)."""
    batch, cin = x.shape[0], x.shape[1]
    cout = y.shape[1]
    groups, opg, ipg = planes.shape[1], planes.shape[2], planes.shape[3]
    J = nbw + 1
    for b in range(batch):
        residue_planes(x, b, qh, qw, XC)
        for r in range(dh):
            for first in range(0, nbh, rows):
                count = min(rows, nbh - first)
                T = dw * count * J
                Vc = V[: 16 * cin * T].reshape(16, cin, T)
                Mc = M[: 16 * cout * T].reshape(16, cout, T)
                _inputs(XC, r, first, count, dh, dw, Vc, t)
                for plane in range(16):
                    for g in range(groups):
                        np.dot(
                            planes[plane, g],
                            Vc[plane, g * ipg : (g + 1) * ipg],
                            Mc[plane, g * opg : (g + 1) * opg],
                        )
                if not _outputs(Mc, r, first, count, dh, dw, J, YP):
                    return False
        _interleave(YP, y, b)
    return True
