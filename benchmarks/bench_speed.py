"""tconvmat against PyTorch's CPU transposed convolution, side by side in one run.

For every case of the panel (issue 22's engine table: single-channel images and signals,
then decoder layers at batch 1 and 8), tconvmat (``method="auto"``, and with
``--routes`` every route) and ``torch.nn.functional.conv_transpose{N}d`` run interleaved
after a warm-up, same dtype, one thread for both libraries and the BLAS. Medians and
the tconvmat/PyTorch ratio are reported twice, side by side: with glibc's default
allocator (this process) and with an allocator that keeps its pages (a child process
with ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_`` raised: no page faults per
call). Also: building C (time, peak memory against the finished matrix, a 64-channel
layer included), the sparse product, a matrix-free ``lsqr``, start-up, the compiled
kernels' first call, and the machine's load while it all ran.

Run ``python benchmarks/bench_speed.py`` (writes ``benchmarks/RESULTS.md``);
``--quick`` runs a tiny panel (the smoke test uses it).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy
import scipy.linalg  # SciPy's BLAS (the compiled GEMMs'), loaded before threadpool_limits
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

import tconvmat
from tconvmat import ConvTranspose, functional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the sibling modules, also when loaded by the smoke test

import bench_matrix  # noqa: E402
import bench_startup  # noqa: E402

STEADY = {"MALLOC_MMAP_THRESHOLD_": str(2**28), "MALLOC_TRIM_THRESHOLD_": str(2**30)}
"""glibc settings that keep freed memory for reuse: every call's output lands on pages
already mapped, instead of fresh pages faulted in (and zeroed by the kernel) call after call."""


@dataclass(frozen=True)
class Case:
    name: str
    input_shape: tuple[int, ...]
    weight_shape: tuple[int, ...]
    options: dict = field(default_factory=dict)

    @property
    def ndim(self) -> int:
        return len(self.input_shape) - 2

    @property
    def channels(self) -> bool:
        return self.input_shape[1] > 1 or self.weight_shape[1] > 1


def panel(quick: bool) -> list[Case]:
    """Issue 22's panel: single-channel images and signals, then decoder layers."""
    s2p1 = {"stride": 2, "padding": 1}
    if quick:
        return [
            Case("2-D 16² k3 s2 p1", (1, 1, 16, 16), (1, 1, 3, 3), s2p1),
            Case("decoder 8→4 8² k4 s2 p1, b2", (2, 8, 8, 8), (8, 4, 4, 4), s2p1),
        ]
    cases = [
        Case("2-D 64² k3 s2 p1", (1, 1, 64, 64), (1, 1, 3, 3), s2p1),
        Case("2-D 128² k3 s2 p1", (1, 1, 128, 128), (1, 1, 3, 3), s2p1),
        Case("2-D 256² k3 s1 p1", (1, 1, 256, 256), (1, 1, 3, 3), {"stride": 1, "padding": 1}),
        Case("2-D 512² k3 s2 p1", (1, 1, 512, 512), (1, 1, 3, 3), s2p1),
        Case("2-D 1024² k4 s2 p1", (1, 1, 1024, 1024), (1, 1, 4, 4), s2p1),
        Case("1-D 2^20 k8 s4 p2", (1, 1, 2**20), (1, 1, 8), {"stride": 4, "padding": 2}),
    ]
    layers = [
        ("128→64 32² k4 s2 p1", (128, 32, 32), (128, 64, 4, 4), s2p1),
        ("256→128 16² k4 s2 p1", (256, 16, 16), (256, 128, 4, 4), s2p1),
        ("U-Net 64→32 64² k2 s2", (64, 64, 64), (64, 32, 2, 2), {"stride": 2}),
        ("odd 64→64 33² k3 s2 p1 op1", (64, 33, 33), (64, 64, 3, 3), {**s2p1, "output_padding": 1}),
        (
            "dilated 32→32 64² k3 s1 p2 d2",
            (32, 64, 64),
            (32, 32, 3, 3),
            {"stride": 1, "padding": 2, "dilation": 2},
        ),
        ("grouped 64→64 32² k4 s2 p1 g8", (64, 32, 32), (64, 8, 4, 4), {**s2p1, "groups": 8}),
        ("3-D 32→16 16³ k2 s2", (32, 16, 16, 16), (32, 16, 2, 2, 2), {"stride": 2}),
    ]
    for batch in (1, 8):
        cases += [Case(f"{n}, b{batch}", (batch, *x), w, o) for n, x, w, o in layers]
    return cases


CLOCKS = {"cpu": time.thread_time, "wall": time.perf_counter}
"""``cpu``: the calling thread's CPU time (user and system, page faults included), which
a machine shared with other work does not inflate; both libraries run in that thread
(one thread each, the BLAS too). ``wall``: elapsed time."""
CLOCK = {"name": "cpu"}


def interleaved_medians(
    functions: dict[str, Callable[[], object]], repeats: int, budget: float
) -> dict[str, float]:
    """Median seconds of each function, called in turn, after one warm-up call each."""
    clock = CLOCKS[CLOCK["name"]]
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    start = time.perf_counter()
    for round_ in range(repeats):
        for name, function in functions.items():
            begin = clock()
            function()
            times[name].append(clock() - begin)
        if round_ >= 2 and time.perf_counter() - start > budget:
            break
    return {name: statistics.median(values) for name, values in times.items()}


def measure(cases: list[Case], dtypes: list[str], routes: list[str], repeats: int, budget: float):
    """One record per (dtype, case): PyTorch and auto (and each route) medians, the route."""
    records = []
    rng = np.random.default_rng(0)
    torch.set_num_threads(1)
    with threadpool_limits(1):
        for dtype in dtypes:
            for case in cases:
                x = rng.standard_normal(case.input_shape).astype(dtype)
                w = rng.standard_normal(case.weight_shape).astype(dtype)
                ours = getattr(functional, f"conv_transpose{case.ndim}d")
                theirs = getattr(F, f"conv_transpose{case.ndim}d")
                xt, wt = torch.from_numpy(x), torch.from_numpy(w)

                def run(method: str, f=ours, a=x, b=w, o=case.options) -> object:
                    return f(a, b, **o, method=method)

                def numpy_only(run=run) -> object:
                    with tconvmat.routes.interpreted():  # as without numba
                        return run("auto")

                functions = {"torch": lambda f=theirs, a=xt, b=wt, o=case.options: f(a, b, **o)}
                functions["numpy"] = numpy_only
                for method in ("auto", *routes):
                    functions[method] = lambda m=method: run(m)
                timed = interleaved_medians(functions, repeats, budget)
                geometry = ConvTranspose(
                    case.input_shape[2:],
                    case.weight_shape[2:],
                    in_channels=case.weight_shape[0],
                    out_channels=case.weight_shape[1] * case.options.get("groups", 1),
                    **case.options,
                )
                route = tconvmat.routes.choose_method(geometry, case.input_shape[0])
                records.append({"dtype": dtype, "case": case.name, "route": route, **timed})
                print(json.dumps(records[-1]), flush=True)
    return records


def steady_records(args: argparse.Namespace, routes: list[str]) -> list[dict]:
    """The same panel in a child process whose allocator keeps its pages."""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench_speed as b; "
        f"b.CLOCK['name'] = {CLOCK['name']!r}; "
        f"b.measure(b.panel({args.quick}), {args.dtypes.split(',')!r}, {routes!r}, "
        f"{args.repeats}, {args.budget})"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **STEADY},
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def speed_section(cases, glibc, steady, routes) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """The side-by-side table, per-dtype summaries and the targets."""
    by_key = {(r["dtype"], r["case"]): r for r in steady}
    rows = [
        "| dtype | case | auto route | PyTorch ms | auto ms | auto / PyTorch | "
        "PyTorch ms (steady) | auto ms (steady) | auto / PyTorch (steady) | NumPy only / PyTorch |"
        + "".join(f" {r} / PyTorch |" for r in routes),
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        + " ---: |" * len(routes),
    ]
    ratios: dict[tuple[str, str, bool], list[float]] = {}
    channel = {c.name: c.channels for c in cases}
    for record in glibc:
        other = by_key.get((record["dtype"], record["case"]))
        ratio = record["auto"] / record["torch"]
        cells = [f"{record['torch'] * 1e3:.2f}", f"{record['auto'] * 1e3:.2f}", f"{ratio:.2f}"]
        key = (record["dtype"], "glibc", channel[record["case"]])
        ratios.setdefault(key, []).append(ratio)
        if other is not None:
            steady_ratio = other["auto"] / other["torch"]
            cells += [f"{other['torch'] * 1e3:.2f}", f"{other['auto'] * 1e3:.2f}"]
            cells.append(f"{steady_ratio:.2f}")
            ratios.setdefault((record["dtype"], "steady", key[2]), []).append(steady_ratio)
        else:
            cells += ["–", "–", "–"]
        cells += [f"{record[r] / record['torch']:.2f}" for r in ("numpy", *routes)]
        rows.append(
            f"| {record['dtype']} | {record['case']} | {record['route']} | "
            + " | ".join(cells)
            + " |"
        )
    rows += ["", "Geometric mean and worst of auto / PyTorch:", ""]
    targets = []
    for (dtype, allocator, layers), values in sorted(ratios.items()):
        kind = "channel layers" if layers else "single channel"
        mean, worst = geometric_mean(values), max(values)
        rows.append(
            f"- {dtype}, {kind}, {allocator} allocator: "
            f"geometric mean {mean:.2f}, worst {worst:.2f}"
        )
        if dtype == "float32" and layers:
            targets += [
                (
                    f"every channel layer ≤ 1.5× PyTorch, float32, {allocator}",
                    f"worst {worst:.2f}×",
                    worst <= 1.5,
                ),
                (
                    f"stretch: every channel layer ≤ 1.0×, float32, {allocator}",
                    f"worst {worst:.2f}×",
                    worst <= 1.0,
                ),
                (
                    f"stretch: geometric mean ≤ 0.8, float32 layers, {allocator}",
                    f"{mean:.2f}×",
                    mean <= 0.8,
                ),
            ]
    return rows, targets


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
    numba = "not installed"
    if tconvmat.routes.compiled.AVAILABLE:
        import numba

        numba = numba.__version__
    return [
        f"- machine: {platform.machine()}, {cpu}, {os.cpu_count()} cores, {platform.system()}",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}, "
        f"PyTorch {torch.__version__}, numba {numba}, tconvmat {tconvmat.__version__}",
        f"- NumPy BLAS: {', '.join(blas)}; one thread for both libraries throughout",
    ]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny panel (smoke test)")
    parser.add_argument("--routes", action="store_true", help="also time every fixed route")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per case, at most")
    parser.add_argument("--lsqr-size", type=int, default=4096)
    parser.add_argument("--out", default=str(HERE / "RESULTS.md"))
    parser.add_argument("--dtypes", default="float32,float64")
    parser.add_argument("--skip-matrix", action="store_true", help="skip the C sections")
    parser.add_argument("--profile", action="store_true", help="the GEMM floor of each layer")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: the thread's CPU time (default); wall: elapsed time",
    )
    args = parser.parse_args(argv)
    CLOCK["name"] = args.clock
    cases = panel(args.quick)
    dtypes = args.dtypes.split(",")
    routes = [r for r in tconvmat.METHODS if r != "matrix"] if args.routes else []
    started = load()
    glibc = measure(cases, dtypes, routes, args.repeats, args.budget)
    steady = steady_records(args, routes)
    lines = ["# tconvmat against PyTorch", "", *machine()]
    table, targets = speed_section(cases, glibc, steady, routes)
    lines += [f"- load average (1 / 5 / 15 min) at the start: {started}", ""]
    lines += ["## Transposed convolution: medians, interleaved after warm-up, one thread", ""]
    what = {
        "cpu": "CPU time of the calling thread per call (user and system, page faults "
        "included; the machine is shared, and CPU time is what another process's work "
        "does not inflate)",
        "wall": "elapsed time per call",
    }[args.clock]
    lines += [f"Times are {what}, medians of up to {args.repeats} interleaved rounds.", ""]
    lines += [
        "Left: glibc's default allocator (this process). Right, *steady*: a child process with "
        f"`{' '.join(f'{k}={v}' for k, v in STEADY.items())}`, whose freed pages are reused "
        "instead of faulted in again on every call. *NumPy only*: auto as without numba "
        "(inside `tconvmat.routes.interpreted()`), glibc's allocator.",
        "",
        *table,
    ]

    def medians(functions: dict[str, Callable[[], object]]) -> dict[str, float]:
        return interleaved_medians(functions, args.repeats, budget=20.0)

    if args.profile:
        lines += ["", "## Where the time goes: the GEMM floor (1 thread, float32)", ""]
        lines += bench_matrix.profile_table(cases, medians)
    if not args.skip_matrix:
        lines += ["", "## The matrix C: construction, peak memory, the sparse product", ""]
        numeric = [np.dtype(d).type for d in dtypes]
        rows, found = bench_matrix.matrix_table(cases, numeric, medians, args.quick)
        lines += rows
        targets += found
        lines += ["", "## Matrix-free: LinearOperator and lsqr", ""]
        lines += bench_matrix.lsqr_run(64 if args.quick else args.lsqr_size)
    sections = [
        ("Start-up (fresh processes, medians)", bench_startup.startup(1 if args.quick else 7)),
        ("The compiled kernels' first call", bench_startup.compile_cost(dtypes)),
        ("Symbolic", bench_startup.symbolic(16 if args.quick else 128)),
    ]
    for title, (rows, found) in sections:
        lines += ["", f"## {title}", "", *rows]
        targets += found
    lines += ["", f"Load average (1 / 5 / 15 min) at the end: {load()}."]
    lines += ["", "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {'yes' if met else 'no'} |" for name, value, met in targets]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
