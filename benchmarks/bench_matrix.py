"""The matrix C (build time, peak memory against the finished matrix, the sparse product),
the matrix-free ``lsqr``, and where the time of the channel layers goes (the GEMM floor):
the sections of ``benchmarks/RESULTS.md`` that ``bench_speed.py`` adds to its panel.
"""

from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

from tconvmat import ConvTranspose, functional
from tconvmat.linalg.operator import as_linear_operator

Target = tuple[str, str, bool]

CHANNEL_C = {
    "odd 64→64 33² k3 s2 p1 op1": (
        (33, 33),
        (3, 3),
        {"stride": 2, "padding": 1, "output_padding": 1},
        64,
        64,
    ),
}
"""The channel layer whose C is built (issue 22: 'a 64-channel layer peaks at 2.0×')."""


def peak_ratio(build: Callable[[], object], size: int) -> float:
    """Peak traced memory while ``build`` runs, over ``size`` bytes (the finished matrix)."""
    tracemalloc.start()
    build()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / size


QUICK_CHANNEL_C = {
    "odd 64→64 33² k3 s2 p1 op1 (quick: 8→8 9²)": (
        (9, 9),
        (3, 3),
        {"stride": 2, "padding": 1, "output_padding": 1},
        8,
        8,
    ),
}


def matrix_table(
    cases, dtypes: list[type], medians, quick: bool = False
) -> tuple[list[str], list[Target]]:
    """Building C against one ``C.T @ x``, peak memory, and ``C.T @ x`` against PyTorch."""
    rows = [
        "| dtype | case | non-zeros | build C ms | C.T @ x ms | build / product "
        "| peak memory / C bytes | C.T @ x / PyTorch |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    problems = [
        (case.name, ConvTranspose(case.input_shape[2:], case.weight_shape[2:], **case.options))
        for case in cases
        if case.input_shape[:2] == (1, 1)
    ]
    channel_layers = QUICK_CHANNEL_C if quick else CHANNEL_C
    for name, (shape, kernel, options, cin, cout) in channel_layers.items():
        problems.append(
            (name, ConvTranspose(shape, kernel, in_channels=cin, out_channels=cout, **options))
        )
    worst: dict[str, float] = {}
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for dtype in dtypes:
            for name, g in problems:
                rng = np.random.default_rng(1)
                weight = rng.standard_normal(g.weight_shape).astype(dtype)
                x = rng.standard_normal((g.in_channels, *g.in_shape)).astype(dtype)
                matrix = g.matrix(weight)
                flat = x.reshape(-1)
                xt, wt = torch.from_numpy(x[None]), torch.from_numpy(weight)
                theirs = getattr(F, f"conv_transpose{g.ndim}d")
                padding = [lo for lo, _ in g.padding]
                options = {
                    "stride": g.stride,
                    "padding": padding,
                    "output_padding": g.output_padding,
                }
                timed = medians(
                    {
                        "build": lambda g=g, w=weight: g.matrix(w),
                        "product": lambda m=matrix, f=flat: m.T @ f,
                        "torch": lambda t=theirs, a=xt, b=wt, o=options: t(a, b, **o),
                    }
                )
                size = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
                nnz = matrix.nnz
                del matrix
                peak = peak_ratio(lambda g=g, w=weight: g.matrix(w), size)
                build, product = (
                    timed["build"] / timed["product"],
                    timed["product"] / timed["torch"],
                )
                rows.append(
                    f"| {np.dtype(dtype).name} | {name} | {nnz:,} | {timed['build'] * 1e3:.1f} | "
                    f"{timed['product'] * 1e3:.1f} | {build:.1f} | {peak:.2f} | {product:.2f} |"
                )
                print(rows[-1], flush=True)
                if name in channel_layers:
                    worst["channel peak"] = max(worst.get("channel peak", 0), peak)
                elif nnz >= 500_000:  # below, the build is a millisecond of fixed costs
                    worst["build"] = max(worst.get("build", 0), build)
                    worst["peak"] = max(worst.get("peak", 0), peak)
                    worst["product"] = max(worst.get("product", 0), product)
    targets: list[Target] = []
    if "build" in worst:
        targets += [
            (
                "building C ≤ 5× one C.T @ x (one channel, ≥ 5·10⁵ non-zeros)",
                f"worst {worst['build']:.1f}×",
                worst["build"] <= 5,
            ),
            (
                "C.T @ x ≤ 1.5× PyTorch (one channel, ≥ 5·10⁵ non-zeros)",
                f"worst {worst['product']:.2f}×",
                worst["product"] <= 1.5,
            ),
        ]
    if "channel peak" in worst:
        value = worst["channel peak"]
        targets.append(
            (
                "peak memory while building C ≤ 1.1× C, 64-channel layer",
                f"{value:.2f}×",
                value <= 1.1,
            )
        )
    return rows, targets


def gemm_floor(case, dtype: type) -> Callable[[], object]:
    """The one matrix product every stamping route must do: all of x's channels against
    every tap, ``(taps·opg, cin_g) @ (cin_g, batch·n_in)`` per group, and nothing else."""
    groups = case.options.get("groups", 1)
    batch, c_in, *spatial = case.input_shape
    opg, taps = case.weight_shape[1], math.prod(case.weight_shape[2:])
    rng = np.random.default_rng(5)
    kernel = rng.standard_normal((groups, taps * opg, c_in // groups)).astype(dtype)
    columns = rng.standard_normal((groups, c_in // groups, batch * math.prod(spatial)))
    columns = columns.astype(dtype)
    return lambda: np.matmul(kernel, columns)


def profile_table(cases, medians) -> list[str]:
    """Where the time goes for the channel layers (1 thread, float32): the GEMM floor."""
    rows = [
        "| case | PyTorch ms | auto ms | GEMM alone ms | GEMM / PyTorch | auto / PyTorch |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    torch.set_num_threads(1)
    rng = np.random.default_rng(6)
    with threadpool_limits(1):
        for case in cases:
            if case.input_shape[1] == 1:
                continue
            x = rng.standard_normal(case.input_shape).astype(np.float32)
            w = rng.standard_normal(case.weight_shape).astype(np.float32)
            ours = getattr(functional, f"conv_transpose{case.ndim}d")
            theirs = getattr(F, f"conv_transpose{case.ndim}d")
            xt, wt = torch.from_numpy(x), torch.from_numpy(w)
            timed = medians(
                {
                    "torch": lambda f=theirs, a=xt, b=wt, o=case.options: f(a, b, **o),
                    "auto": lambda f=ours, a=x, b=w, o=case.options: f(a, b, **o),
                    "gemm": gemm_floor(case, np.float32),
                }
            )
            rows.append(
                f"| {case.name} | {timed['torch'] * 1e3:.2f} | {timed['auto'] * 1e3:.2f} | "
                f"{timed['gemm'] * 1e3:.2f} | {timed['gemm'] / timed['torch']:.2f} | "
                f"{timed['auto'] / timed['torch']:.2f} |"
            )
            print(rows[-1], flush=True)
    return rows


def lsqr_run(size: int) -> list[str]:
    """Recover an image from its stride-2 up-sampled version, matrix-free."""
    from scipy.sparse.linalg import lsqr

    half = size // 2
    g = ConvTranspose((half, half), (4, 4), stride=2, padding=1)
    kernel = np.outer([1.0, 3.0, 3.0, 1.0], [1.0, 3.0, 3.0, 1.0]) / 16
    image = np.random.default_rng(3).standard_normal((half, half))
    upsampled = g.apply(image, kernel, method="auto")
    operator = as_linear_operator(g, kernel).T  # x ↦ y = Cᵀx, never stored
    start = time.perf_counter()
    result = lsqr(operator, upsampled.reshape(-1), atol=1e-10, btol=1e-10, iter_lim=200)
    seconds = time.perf_counter() - start
    error = np.linalg.norm(result[0] - image.reshape(-1)) / np.linalg.norm(image)
    dense_gib = operator.shape[0] * operator.shape[1] * 8 / 2**30
    return [
        f"lsqr on a {upsampled.shape[0]}×{upsampled.shape[1]} up-sampled image "
        f"({operator.shape[0]:,} × {operator.shape[1]:,} operator; dense it would take "
        f"{dense_gib:,.0f} GiB): {result[2]} iterations, {seconds:.1f} s, relative error "
        f"{error:.1e} of the recovered {half}×{half} image."
    ]
