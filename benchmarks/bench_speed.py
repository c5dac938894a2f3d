"""tconvmat against PyTorch's CPU transposed convolution, side by side in one process.

For every case of the panel, tconvmat (``method="auto"``, and optionally every
route) and ``torch.nn.functional.conv_transpose{N}d`` run interleaved after a
warm-up, with the same dtype and thread count (both libraries' pools and the
BLAS limited together). Medians and the tconvmat/PyTorch ratio are reported.
Also: building C against one ``C.T @ x`` (time and peak memory), the sparse
product against PyTorch, and a matrix-free ``lsqr`` on a 4096×4096 output.

Run ``python benchmarks/bench_speed.py`` (writes ``benchmarks/RESULTS.md``);
``--quick`` runs a tiny panel (the smoke test uses it).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

import tconvmat
from tconvmat import ConvTranspose, functional
from tconvmat.operator import as_linear_operator

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    name: str
    input_shape: tuple[int, ...]
    weight_shape: tuple[int, ...]
    options: dict = field(default_factory=dict)

    @property
    def ndim(self) -> int:
        return len(self.input_shape) - 2


def panel(quick: bool) -> list[Case]:
    """The issue's panel: single-channel images and signals, then decoder layers."""
    if quick:
        return [
            Case("2-D 16² k3 s2 p1", (1, 1, 16, 16), (1, 1, 3, 3), {"stride": 2, "padding": 1}),
            Case(
                "decoder 8→4 8² k4 s2 p1, batch 2",
                (2, 8, 8, 8),
                (8, 4, 4, 4),
                {"stride": 2, "padding": 1},
            ),
        ]
    cases = [
        Case("2-D 256² k3 s1 p1", (1, 1, 256, 256), (1, 1, 3, 3), {"stride": 1, "padding": 1}),
        Case("2-D 512² k3 s2 p1", (1, 1, 512, 512), (1, 1, 3, 3), {"stride": 2, "padding": 1}),
        Case("2-D 1024² k4 s2 p1", (1, 1, 1024, 1024), (1, 1, 4, 4), {"stride": 2, "padding": 1}),
        Case("1-D 2^20 k8 s4 p2", (1, 1, 2**20), (1, 1, 8), {"stride": 4, "padding": 2}),
    ]
    for batch in (1, 8):
        cases += [
            Case(
                f"128→64 32² k4 s2 p1, b{batch}",
                (batch, 128, 32, 32),
                (128, 64, 4, 4),
                {"stride": 2, "padding": 1},
            ),
            Case(
                f"256→128 16² k4 s2 p1, b{batch}",
                (batch, 256, 16, 16),
                (256, 128, 4, 4),
                {"stride": 2, "padding": 1},
            ),
            Case(
                f"U-Net 64→32 64² k2 s2, b{batch}",
                (batch, 64, 64, 64),
                (64, 32, 2, 2),
                {"stride": 2},
            ),
            Case(
                f"odd 64→64 33² k3 s2 p1 op1, b{batch}",
                (batch, 64, 33, 33),
                (64, 64, 3, 3),
                {"stride": 2, "padding": 1, "output_padding": 1},
            ),
            Case(
                f"dilated 32→32 64² k3 s1 p2 d2, b{batch}",
                (batch, 32, 64, 64),
                (32, 32, 3, 3),
                {"stride": 1, "padding": 2, "dilation": 2},
            ),
            Case(
                f"grouped 64→64 32² k4 s2 p1 g8, b{batch}",
                (batch, 64, 32, 32),
                (64, 8, 4, 4),
                {"stride": 2, "padding": 1, "groups": 8},
            ),
            Case(
                f"3-D 32→16 16³ k2 s2, b{batch}",
                (batch, 32, 16, 16, 16),
                (32, 16, 2, 2, 2),
                {"stride": 2},
            ),
        ]
    return cases


def interleaved_medians(
    functions: dict[str, Callable[[], object]], repeats: int, budget: float
) -> dict[str, float]:
    """Median seconds of each function, called in turn, after one warm-up call each."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    start = time.perf_counter()
    for round_ in range(repeats):
        for name, function in functions.items():
            begin = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - begin)
        if round_ >= 2 and time.perf_counter() - start > budget:
            break
    return {name: statistics.median(values) for name, values in times.items()}


def speed_table(
    cases: list[Case],
    dtypes: list[type],
    threads: list[int],
    routes: list[str],
    repeats: int,
    budget: float,
) -> tuple[list[str], dict[tuple[int, str], list[float]]]:
    """The panel's rows, the auto/PyTorch ratios, and (in ``SINGLE``) the single-channel
    cases' seconds and bytes moved at 1 thread in float32, for the bandwidth section."""
    rows = [
        "| threads | dtype | case | PyTorch ms | auto ms | auto route | auto / PyTorch |"
        + "".join(f" {r} / PyTorch |" for r in routes),
        "| --- | --- | --- | ---: | ---: | --- | ---: |" + " ---: |" * len(routes),
    ]
    ratios: dict[tuple[int, str], list[float]] = {}
    rng = np.random.default_rng(0)
    for count in threads:
        torch.set_num_threads(count)
        with threadpool_limits(count):
            for dtype in dtypes:
                for case in cases:
                    x = rng.standard_normal(case.input_shape).astype(dtype)
                    w = rng.standard_normal(case.weight_shape).astype(dtype)
                    ours = getattr(functional, f"conv_transpose{case.ndim}d")
                    theirs = getattr(F, f"conv_transpose{case.ndim}d")
                    xt, wt = torch.from_numpy(x), torch.from_numpy(w)
                    options = case.options

                    def run_torch(f=theirs, a=xt, b=wt, o=options) -> object:
                        return f(a, b, **o)

                    def run_ours(method: str, f=ours, a=x, b=w, o=options) -> object:
                        return f(a, b, **o, method=method)

                    functions = {"torch": run_torch, "auto": lambda: run_ours("auto")}
                    for route in routes:
                        functions[route] = lambda r=route: run_ours(r)
                    medians = interleaved_medians(functions, repeats, budget)
                    geometry = ConvTranspose(
                        case.input_shape[2:],
                        case.weight_shape[2:],
                        in_channels=case.weight_shape[0],
                        out_channels=case.weight_shape[1] * case.options.get("groups", 1),
                        **case.options,
                    )
                    chosen = tconvmat.routes.choose_method(geometry)
                    ratio = medians["auto"] / medians["torch"]
                    ratios.setdefault((count, np.dtype(dtype).name), []).append(ratio)
                    if count == 1 and dtype == np.float32 and geometry.single_channel:
                        moved = x.nbytes + np.prod(geometry.out_shape) * x.itemsize
                        SINGLE.append((case.name, medians["auto"], int(moved), ratio))
                    extra = " | ".join(f"{medians[r] / medians['torch']:.2f}" for r in routes)
                    rows.append(
                        f"| {count} | {np.dtype(dtype).name} | {case.name} | "
                        f"{medians['torch'] * 1e3:.2f} | {medians['auto'] * 1e3:.2f} | {chosen} | "
                        f"{ratio:.2f} |" + (f" {extra} |" if routes else "")
                    )
                    print(rows[-1], flush=True)
    return rows, ratios


SINGLE: list[tuple[str, float, int, float]] = []
"""(case, auto seconds, bytes read and written, auto / PyTorch) of the single-channel
float32 cases at 1 thread."""


def gemm_floor(case: Case, dtype: type) -> Callable[[], object]:
    """The one matrix product every route must do: all of x's channels against every tap.

    ``(taps·opg, cin_g) @ (cin_g, batch·n_in)`` per group, the multiplications of
    the transposed convolution with nothing around them.
    """
    groups = case.options.get("groups", 1)
    batch, c_in, *spatial = case.input_shape
    opg, taps = case.weight_shape[1], math.prod(case.weight_shape[2:])
    rng = np.random.default_rng(5)
    kernel = rng.standard_normal((groups, taps * opg, c_in // groups)).astype(dtype)
    columns = rng.standard_normal((groups, c_in // groups, batch * math.prod(spatial))).astype(
        dtype
    )
    return lambda: np.matmul(kernel, columns)


def profile_table(cases: list[Case], repeats: int, budget: float) -> list[str]:
    """Where the time goes for channel cases (1 thread, float32): the GEMM against the rest."""
    rows = [
        "| case | PyTorch ms | auto ms | GEMM alone ms | GEMM / PyTorch | rest / PyTorch |",
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
            medians = interleaved_medians(
                {
                    "torch": lambda f=theirs, a=xt, b=wt, o=case.options: f(a, b, **o),
                    "auto": lambda f=ours, a=x, b=w, o=case.options: f(a, b, **o),
                    "gemm": gemm_floor(case, np.float32),
                },
                repeats,
                budget,
            )
            rest = max(medians["auto"] - medians["gemm"], 0.0)
            rows.append(
                f"| {case.name} | {medians['torch'] * 1e3:.2f} | {medians['auto'] * 1e3:.2f} | "
                f"{medians['gemm'] * 1e3:.2f} | {medians['gemm'] / medians['torch']:.2f} | "
                f"{rest / medians['torch']:.2f} |"
            )
            print(rows[-1], flush=True)
    return rows


def matrix_table(
    cases: list[Case], dtypes: list[type], repeats: int
) -> tuple[list[str], list[tuple[float, float, float]]]:
    """Building C against one C.T @ x, peak memory, and C.T @ x against PyTorch (1 thread)."""
    rows = [
        "| dtype | case | build C ms | C.T @ x ms | build / product | peak memory / C bytes "
        "| C.T @ x / PyTorch |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    measured = []  # (build / product, peak / bytes, product / PyTorch)
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for dtype in dtypes:
            for case in cases:
                if case.input_shape[:2] != (1, 1):
                    continue
                g = ConvTranspose(case.input_shape[2:], case.weight_shape[2:], **case.options)
                kernel = np.random.default_rng(1).standard_normal(g.kernel_shape).astype(dtype)
                x = np.random.default_rng(2).standard_normal(g.in_shape).astype(dtype)
                matrix = g.matrix(kernel)
                flat = x.reshape(-1)
                xt = torch.from_numpy(x[None, None])
                wt = torch.from_numpy(kernel[None, None])
                theirs = getattr(F, f"conv_transpose{case.ndim}d")
                medians = interleaved_medians(
                    {
                        "build": lambda g=g, kernel=kernel: g.matrix(kernel),
                        "product": lambda m=matrix, f=flat: m.T @ f,
                        "torch": lambda xt=xt, wt=wt, t=theirs, o=case.options: t(xt, wt, **o),
                    },
                    repeats,
                    budget=20.0,
                )
                size = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
                del matrix
                tracemalloc.start()
                g.matrix(kernel)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                rows.append(
                    f"| {np.dtype(dtype).name} | {case.name} | {medians['build'] * 1e3:.1f} | "
                    f"{medians['product'] * 1e3:.1f} | {medians['build'] / medians['product']:.1f} "
                    f"| {peak / size:.2f} | {medians['product'] / medians['torch']:.2f} |"
                )
                print(rows[-1], flush=True)
                measured.append(
                    (
                        medians["build"] / medians["product"],
                        peak / size,
                        medians["product"] / medians["torch"],
                    )
                )
    return rows, measured


EXPLANATION = """\
Reading the profile: the GEMM column is the floor for any route built on NumPy's BLAS.
Where GEMM / PyTorch is near or above 1 (decoder layers with few input channels per
group, the dilated stride-1 layer), OpenBLAS alone, on that matrix shape, already takes
as long as oneDNN's whole fused kernel: the stamps GEMM has an inner dimension of only
cin/groups (8 for the grouped case, 32 for the dilated one), where OpenBLAS runs far below
its peak. The rest column is placing the stamps (strided additions) and copies. What would
close it: a fused implicit-GEMM kernel that never materialises the stamps or the shifted
copies, blocked over channels like oneDNN's (the fused Numba route is one loop nest per
output row; with 64 channel pairs per group it ran 3× slower than these BLAS routes, so
`auto` takes it for one channel only), or, for the grouped and dilated cases, an im2col
GEMM whose inner dimension is cin·taps (288 for the dilated case) once a copy-free im2col
is available. Single-channel cases and float64 (where PyTorch has no oneDNN path) are at
or below PyTorch's time. Run-to-run noise on this 2-core machine is about ±30% per case
for both libraries; for the single-channel cases the allocator matters more than that
(see "steady allocator" below: a fresh multi-megabyte output per call costs both
libraries its page faults)."""


def lsqr_run(size: int) -> list[str]:
    """Recover an image from its stride-2 up-sampled version, matrix-free."""
    from scipy.sparse.linalg import lsqr

    half = size // 2
    g = ConvTranspose((half, half), (4, 4), stride=2, padding=1)
    kernel = np.outer([1.0, 3.0, 3.0, 1.0], [1.0, 3.0, 3.0, 1.0]) / 16
    rng = np.random.default_rng(3)
    image = rng.standard_normal((half, half))
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


def machine() -> list[str]:
    blas = [
        f"{i['internal_api']} {i['version']} ({i.get('architecture', '?')})"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return [
        f"- machine: {platform.machine()}, {cpu}, {os.cpu_count()} cores, {platform.system()}",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"PyTorch {torch.__version__}, tconvmat {tconvmat.__version__}",
        f"- NumPy BLAS: {', '.join(blas)}",
    ]


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny panel (smoke test)")
    parser.add_argument("--routes", action="store_true", help="also time every fixed route")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per case, at most")
    parser.add_argument("--lsqr-size", type=int, default=4096)
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--threads", default=f"1,{os.cpu_count() or 1}")
    parser.add_argument("--skip-matrix", action="store_true", help="skip the C sections")
    args = parser.parse_args(argv)
    cases = panel(args.quick)
    dtypes = [np.dtype(name).type for name in args.dtypes.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    routes = [r for r in tconvmat.METHODS if r != "matrix"] if args.routes else []
    lines = ["# tconvmat against PyTorch", "", *machine(), ""]
    lines += ["## Transposed convolution: medians, interleaved after warm-up", ""]
    rows, ratios = speed_table(cases, dtypes, threads, routes, args.repeats, args.budget)
    lines += [*rows, "", "Geometric mean of auto / PyTorch, and the worst case:", ""]
    for (count, dtype), values in sorted(ratios.items()):
        lines.append(
            f"- {count} thread(s), {dtype}: geometric mean {geometric_mean(values):.2f}, "
            f"worst {max(values):.2f}"
        )
    one_thread = [v for (count, _), values in ratios.items() if count == 1 for v in values]
    targets: list[tuple[str, str, bool]] = []
    if one_thread:
        mean = geometric_mean(one_thread)
        lines.append(
            f"- 1 thread, whole panel: geometric mean {mean:.2f}, worst {max(one_thread):.2f}"
        )
        targets.append(("auto ≤ 1.0× PyTorch, geometric mean, 1 thread", f"{mean:.2f}×", mean <= 1))
        targets.append(
            (
                "no case above 1.5×, 1 thread",
                f"worst {max(one_thread):.2f}×",
                max(one_thread) <= 1.5,
            )
        )
    if any(c.input_shape[1] > 1 for c in cases):
        lines += ["", "## Profile of the channel cases (1 thread, float32)", ""]
        lines += [
            "The GEMM column times one matrix product with exactly the transposed "
            "convolution's multiplications (all stamps, no zeros); the rest is placing the "
            "stamps, copies and allocation.",
            "",
        ]
        lines += profile_table(cases, args.repeats, args.budget)
    lines += ["", EXPLANATION]
    if not args.skip_matrix:
        lines += ["", "## The matrix C: construction and the sparse product (1 thread)", ""]
        matrix_rows, measured = matrix_table(cases, dtypes, args.repeats)
        lines += matrix_rows
        if measured:
            build, peak, product = (max(values) for values in zip(*measured, strict=True))
            targets.append(("building C ≤ 5× one C.T @ x", f"worst {build:.1f}×", build <= 5))
            targets.append(("peak memory while building ≤ 2× C", f"worst {peak:.2f}×", peak <= 2))
            targets.append(("C.T @ x ≤ 1.5× PyTorch", f"worst {product:.2f}×", product <= 1.5))
        lines += ["", "## Matrix-free: LinearOperator and lsqr", ""]
        lines += lsqr_run(64 if args.quick else args.lsqr_size)
    import sys

    sys.path.insert(0, str(HERE))  # the sibling module, also when loaded by the smoke test
    import bench_startup

    moved = [(name, seconds, count) for name, seconds, count, _ in SINGLE]
    sections = [
        ("Start-up (fresh processes, medians)", bench_startup.startup(1 if args.quick else 7)),
        ("The compiled route's compile cost", bench_startup.compile_cost()),
        ("Single channel: bytes per second against a copy", bench_startup.bandwidth(moved)),
        (
            "Single channel with a steady allocator (no page faults per call)",
            bench_startup.steady_allocator(SINGLE, args.repeats, args.budget, args.quick),
        ),
        ("Symbolic", bench_startup.symbolic(16 if args.quick else 128)),
    ]
    for title, (rows, found) in sections:
        lines += ["", f"## {title}", "", *rows]
        targets += found
    for name, _, _, ratio in SINGLE:
        if "512²" in name or "1024²" in name:
            targets.append(
                (f"{name} ≤ 0.4× PyTorch, glibc defaults", f"{ratio:.2f}×", ratio <= 0.4)
            )
    lines += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {'yes' if met else 'no'} |" for name, value, met in targets]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
