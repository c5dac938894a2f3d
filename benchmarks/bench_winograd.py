"""Could Winograd's minimal filtering close issue 22's last gap? Measured, side by side.

The panel's dilated layer (32→32 64² k3 s1 p2 d2) is the one channel layer above 1.5×
PyTorch. At stride 1 a transposed convolution is the correlation of the zero-bordered
input with the flipped kernel, and with dilation ``d`` that correlation splits into
``d²`` plain 3×3 correlations on the residue grids. Winograd's F(2×2, 3×3) computes each
2×2 block of outputs from a 4×4 block of inputs with 16 products instead of 36: the
input and weight tiles are transformed (``Bᵀ x B``, ``G g Gᵀ``), the 16 transformed
planes are 16 small GEMMs over the channels, and ``Aᵀ m A`` gives the outputs. Its
rounding is that of the direct sum (F(4×4, 3×3), 4× fewer products, is about 10× less
accurate in float32, so it is not tried).

This script is the prototype behind the closing note of issue 22 (not a route of the
package): the transforms compiled by numba (flat unsigned indices, like the fused route's
kernels), the GEMMs by the BLAS (through numba's ``np.dot``), in chunks of tile rows that
stay in the cache. Each case is checked against PyTorch in float64, then timed interleaved
with ``F.conv_transpose2d`` and tconvmat's ``method="auto"`` (one thread, CPU time, the
minimum of three interleaved medians), with the time of each part of the prototype (each
part's column also holds the shared setup: the weight planes and the deinterleaved,
zero-bordered input).

Run ``python benchmarks/bench_winograd.py`` (``--quick``: one small case).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F
from numba import njit
from numba import uint64 as U
from threadpoolctl import threadpool_limits

from tconvmat import functional

G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
"""F(2, 3)'s weight transform (Bᵀ and Aᵀ are written out in the kernels)."""


def weight_planes(weight: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``G g Gᵀ`` of the flipped kernel as 16 planes ``(16, cout, cin)``."""
    flipped = weight[:, :, ::-1, ::-1].astype(np.float64)
    half = np.tensordot(flipped, G, axes=([3], [1]))  # cin, cout, kh, b
    full = np.tensordot(half, G, axes=([2], [1]))  # cin, cout, b, a
    planes = full.transpose(3, 2, 1, 0).reshape(16, weight.shape[1], weight.shape[0])
    return np.ascontiguousarray(planes, dtype=dtype)


@njit(boundscheck=False)
def deinterleave(x, q, D, XC):  # pragma: no cover - compiled
    """XC[c, p, k, j] = x[c, p − q, j·D + k − q] (XC zeroed before: the border stays 0)."""
    cin, H, W = x.shape
    _, Hp, _, J = XC.shape
    xf, XCf = x.reshape(-1), XC.reshape(-1)
    for c in range(cin):
        for i in range(H):
            p = i + q
            if p < 0 or p >= Hp:
                continue
            for k in range(D):
                lo = max(0, (q - k + D - 1) // D)
                hi = min(J, (W + q - k + D - 1) // D)
                if hi <= lo:
                    continue
                target = U(((c * Hp + p) * D + k) * J + lo)
                source = U((c * H + i) * W + lo * D + k - q)
                for j in range(U(hi - lo)):
                    XCf[target + j] = xf[source + j * U(D)]


@njit(fastmath=True, boundscheck=False)
def transform_inputs(XCf, cin, Hp, D, J, d, r, first, rows, nbw, Vf, T, t):  # pragma: no cover
    """Bᵀ x B of the chunk's tiles into 16 planes (16, cin, T), T = rows·d·nbw."""
    L = D * J
    per_row = d * nbw
    for c in range(cin):
        for k in range(rows):
            p = (first + k) * D + r
            o0 = U((c * Hp + p) * L)
            o1, o2, o3 = U(o0 + d * L), U(o0 + 2 * d * L), U(o0 + 3 * d * L)
            L1, L2, L3 = U(L), U(2 * L), U(3 * L)
            for m in range(U(L)):  # Bᵀ down the tile's four rows
                a0, a1, a2, a3 = XCf[o0 + m], XCf[o1 + m], XCf[o2 + m], XCf[o3 + m]
                t[m] = a0 - a2
                t[L1 + m] = a1 + a2
                t[L2 + m] = a2 - a1
                t[L3 + m] = a1 - a3
            for u in range(4):  # then across: even and odd columns of each residue
                for r2 in range(d):
                    e, o = U(u * L + r2 * J), U(u * L + (r2 + d) * J)
                    v0 = U((4 * u * cin + c) * T + k * per_row + r2 * nbw)
                    v1, v2, v3 = U(v0 + cin * T), U(v0 + 2 * cin * T), U(v0 + 3 * cin * T)
                    for b in range(U(nbw)):
                        e0, e1, q0, q1 = t[e + b], t[e + b + U(1)], t[o + b], t[o + b + U(1)]
                        Vf[v0 + b] = e0 - e1
                        Vf[v1 + b] = q0 + e1
                        Vf[v2 + b] = e1 - q0
                        Vf[v3 + b] = q0 - q1


@njit(fastmath=True, boundscheck=False)
def transform_outputs(Mf, cout, T, d, r, first, rows, nbw, yf, OH, OW, buf):  # pragma: no cover
    """Aᵀ m A of the chunk's 16 planes (16, cout, T) into y's rows (2×2 outputs per tile)."""
    D = 2 * d
    per_row = d * nbw
    S = cout * T
    for c in range(cout):
        for k in range(rows):
            a = (first + k) * D + r
            if a >= OH:
                continue
            for r2 in range(d):
                b0 = c * T + k * per_row + r2 * nbw
                m0, m1, m2, m3 = U(b0), U(b0 + S), U(b0 + 2 * S), U(b0 + 3 * S)
                m4, m5, m6, m7 = U(b0 + 4 * S), U(b0 + 5 * S), U(b0 + 6 * S), U(b0 + 7 * S)
                m8, m9, m10, m11 = U(b0 + 8 * S), U(b0 + 9 * S), U(b0 + 10 * S), U(b0 + 11 * S)
                m12, m13 = U(b0 + 12 * S), U(b0 + 13 * S)
                m14, m15 = U(b0 + 14 * S), U(b0 + 15 * S)
                A0, A1 = U(r2 * nbw), U((r2 + d) * nbw)
                B0, B1 = U((D + r2) * nbw), U((D + r2 + d) * nbw)
                for b in range(U(nbw)):
                    s00 = Mf[m0 + b] + Mf[m4 + b] + Mf[m8 + b]
                    s01 = Mf[m1 + b] + Mf[m5 + b] + Mf[m9 + b]
                    s02 = Mf[m2 + b] + Mf[m6 + b] + Mf[m10 + b]
                    s03 = Mf[m3 + b] + Mf[m7 + b] + Mf[m11 + b]
                    s10 = Mf[m4 + b] - Mf[m8 + b] - Mf[m12 + b]
                    s11 = Mf[m5 + b] - Mf[m9 + b] - Mf[m13 + b]
                    s12 = Mf[m6 + b] - Mf[m10 + b] - Mf[m14 + b]
                    s13 = Mf[m7 + b] - Mf[m11 + b] - Mf[m15 + b]
                    buf[A0 + b] = s00 + s01 + s02
                    buf[A1 + b] = s01 - s02 - s03
                    buf[B0 + b] = s10 + s11 + s12
                    buf[B1 + b] = s11 - s12 - s13
            for half in range(2):  # the two output rows, residues interleaved back
                if a + half * d >= OH:
                    continue
                row = (c * OH + a + half * d) * OW
                for k2 in range(D):
                    source, target = U((half * D + k2) * nbw), U(row + k2)
                    for b in range(U((OW - k2 + D - 1) // D)):
                        yf[target + b * U(D)] = buf[source + b]


@njit(boundscheck=False)
def one_sample(XC, planes, d, nbh, nbw, chunk, Vf, Mf, y, t, buf, parts):  # pragma: no cover
    """One sample: per residue row and chunk of tile rows, transform, 16 GEMMs, transform.

    ``parts`` = (inputs, GEMMs, outputs) switches each stage on or off (to time them)."""
    cin, Hp, D, J = XC.shape
    cout, OH, OW = y.shape
    XCf, yf = XC.reshape(-1), y.reshape(-1)
    for r in range(d):
        for first in range(0, nbh, chunk):
            rows = min(chunk, nbh - first)
            T = rows * d * nbw
            if parts[0]:
                transform_inputs(XCf, cin, Hp, D, J, d, r, first, rows, nbw, Vf, T, t)
            if parts[1]:
                V = Vf[: 16 * cin * T].reshape(16, cin, T)
                M = Mf[: 16 * cout * T].reshape(16, cout, T)
                for plane in range(16):
                    np.dot(planes[plane], V[plane], M[plane])
            if parts[2]:
                transform_outputs(Mf, cout, T, d, r, first, rows, nbw, yf, OH, OW, buf)


def winograd(x, weight, padding, dilation, chunk=8, parts=(True, True, True)):
    """``conv_transpose2d(x, weight, stride=1, padding, dilation)`` for a 3×3 kernel."""
    batch, cin, H, W = x.shape
    cout, d = weight.shape[1], dilation
    OH, OW = H + 2 * d - 2 * padding, W + 2 * d - 2 * padding
    q, D = 2 * d - padding, 2 * d  # the forward correlation's border; a tile's span
    nbh, nbw = -(-OH // D), -(-OW // D)
    chunk = min(chunk, nbh)
    T = chunk * d * nbw
    planes = weight_planes(weight, x.dtype)
    V, M = np.empty(16 * cin * T, x.dtype), np.empty(16 * cout * T, x.dtype)
    XC = np.zeros((cin, nbh * D + 2 * d, D, nbw + 1), x.dtype)
    t, buf = np.empty(4 * D * (nbw + 1), x.dtype), np.empty(2 * D * nbw, x.dtype)
    y = np.empty((batch, cout, OH, OW), x.dtype)
    flags = np.array(parts, dtype=np.bool_)
    for n in range(batch):
        deinterleave(x[n], q, D, XC)
        one_sample(XC, planes, d, nbh, nbw, chunk, V, M, y[n], t, buf, flags)
    return y


def cpu_ms(call: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return 1e3 * statistics.median(times)


def contenders(x, w, tx, tw, padding, dilation) -> dict[str, Callable[[], object]]:
    """PyTorch, tconvmat's auto route, the prototype, and each of its parts alone."""
    options = {"stride": 1, "padding": padding, "dilation": dilation}
    parts = {"inputs": (True, False, False), "gemms": (False, True, False)}
    parts["outputs"] = (False, False, True)
    calls: dict[str, Callable[[], object]] = {
        "torch": partial(F.conv_transpose2d, tx, tw, **options),
        "auto": partial(functional.conv_transpose2d, x, w, **options),
        "winograd": partial(winograd, x, w, padding, dilation),
    }
    for name, switches in parts.items():
        calls[name] = partial(winograd, x, w, padding, dilation, parts=switches)
    return calls


CASES = [  # (name, batch, cin, cout, size, padding, dilation)
    ("dilated 32→32 64² k3 s1 p2 d2, b1", 1, 32, 32, 64, 2, 2),
    ("dilated 32→32 64² k3 s1 p2 d2, b8", 8, 32, 32, 64, 2, 2),
    ("32→32 64² k3 s1 p1, b1", 1, 32, 32, 64, 1, 1),
    ("32→32 64² k3 s1 p1, b8", 8, 32, 32, 64, 1, 1),
    ("dilated 32→32 33² k3 s1 p2 d2, b8", 8, 32, 32, 33, 2, 2),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one small case")
    parser.add_argument("--repeats", type=int, default=25)
    args = parser.parse_args(argv)
    cases = [("dilated 8→8 12² k3 s1 p2 d2, b2", 2, 8, 8, 12, 2, 2)] if args.quick else CASES
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    print(
        "| case | PyTorch ms | auto ms | auto / PyTorch | Winograd ms | Winograd / PyTorch "
        "| Bᵀx B ms | GEMMs ms | Aᵀm A ms | max error / max abs |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with threadpool_limits(1):
        for name, batch, cin, cout, size, padding, dilation in cases:
            x = rng.standard_normal((batch, cin, size, size)).astype(np.float32)
            w = rng.standard_normal((cin, cout, 3, 3)).astype(np.float32)
            tx, tw = torch.from_numpy(x), torch.from_numpy(w)
            options = {"stride": 1, "padding": padding, "dilation": dilation}
            exact = F.conv_transpose2d(tx.double(), tw.double(), **options).numpy()
            error = np.abs(winograd(x, w, padding, dilation) - exact).max() / np.abs(exact).max()
            assert error < 2e-6, f"{name}: Winograd disagrees with PyTorch ({error:.1e})"
            calls = contenders(x, w, tx, tw, padding, dilation)
            for call in calls.values():
                call()
            medians: dict[str, list[float]] = {key: [] for key in calls}
            for _ in range(3):
                for key, call in calls.items():
                    medians[key].append(cpu_ms(call, args.repeats))
            best = {key: min(values) for key, values in medians.items()}
            torch_ms = best["torch"]
            print(
                f"| {name} | {torch_ms:.2f} | {best['auto']:.2f} | {best['auto'] / torch_ms:.2f} "
                f"| {best['winograd']:.2f} | {best['winograd'] / torch_ms:.2f} "
                f"| {best['inputs']:.2f} | {best['gemms']:.2f} | {best['outputs']:.2f} "
                f"| {error:.1e} |"
            )


if __name__ == "__main__":
    main()
