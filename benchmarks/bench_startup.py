"""Startup, compile cost, memory bandwidth and the symbolic matrix: the sections of
``benchmarks/RESULTS.md`` that ``bench_speed.py`` adds to its panel.

Each function returns Markdown lines and the targets it checks, measured in one run:
start-up in fresh processes against ``import numpy, scipy.sparse`` (interleaved, medians);
the compiled route's first call cold (empty numba cache) and cached; achieved bytes per
second of the single-channel cases against a measured ``np.copyto``; the single-channel
cases again with an allocator that keeps its pages; ``symbolic_matrix`` against
``symbolic_apply`` at 128².

    python benchmarks/bench_startup.py      # these sections alone, printed
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

Target = tuple[str, str, bool]


def _seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def startup(repeats: int = 7) -> tuple[list[str], list[Target]]:
    """``import tconvmat`` and ``tconvmat explain`` against ``import numpy, scipy.sparse``."""
    python = sys.executable
    commands = {
        "import numpy, scipy.sparse": [python, "-c", "import numpy, scipy.sparse"],
        "import tconvmat": [python, "-c", "import tconvmat"],
        "tconvmat explain": [python, "-m", "tconvmat", "explain"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        _seconds(command)  # warm the file cache
    for _ in range(repeats):
        for name, command in commands.items():
            times[name].append(_seconds(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["import numpy, scipy.sparse"]
    rows = ["| command | median s | / numpy + scipy.sparse |", "| --- | ---: | ---: |"]
    rows += [f"| `{name}` | {value:.3f} | {value / base:.2f} |" for name, value in medians.items()]
    importing = medians["import tconvmat"] / base
    explaining = medians["tconvmat explain"] / base
    return rows, [
        (
            "import tconvmat ≤ 1.2× import numpy, scipy.sparse",
            f"{importing:.2f}×",
            importing <= 1.2,
        ),
        ("tconvmat explain ≤ 2× import numpy, scipy.sparse", f"{explaining:.2f}×", explaining <= 2),
    ]


FIRST_CALL = (
    "import time, numpy as np, tconvmat\n"
    "g = tconvmat.ConvTranspose((512, 512), (3, 3), stride=2, padding=1)\n"
    "x = np.ones((512, 512), np.float32); w = np.ones((3, 3), np.float32)\n"
    "t = time.perf_counter(); g.apply(x, w, method='fused'); first = time.perf_counter() - t\n"
    "t = time.perf_counter(); g.apply(x, w, method='fused'); second = time.perf_counter() - t\n"
    "print(first, second)\n"
)


def compile_cost() -> tuple[list[str], list[Target]]:
    """The fused route's first call with an empty numba cache, then with it filled."""
    from tconvmat.routes import fused

    if not fused.AVAILABLE:
        return ["(numba is not installed: no compiled route)"], []
    rows = [
        "| first call of the fused route (512², float32) | seconds | later calls |",
        "| --- | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        for label in ("cold (empty cache)", "cached (second process)"):
            out = subprocess.run(
                [sys.executable, "-c", FIRST_CALL],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout.split()
            rows.append(f"| {label} | {float(out[0]):.3f} | {float(out[1]) * 1e3:.1f} ms |")
    return rows, []


def copy_bandwidth(megabytes: int = 64) -> float:
    """Bytes per second of ``np.copyto`` (read and write counted): the one-pass limit."""
    source = np.ones(megabytes * 2**20 // 4, np.float32)
    target = np.empty_like(source)
    times = []
    for _ in range(7):
        start = time.perf_counter()
        np.copyto(target, source)
        times.append(time.perf_counter() - start)
    return 2 * source.nbytes / statistics.median(times)


def bandwidth(single_channel_rows: list[tuple[str, float, int]]) -> tuple[list[str], list[Target]]:
    """Achieved bytes per second (x read once, y written once) as a fraction of a copy."""
    limit = copy_bandwidth()
    rows = [
        f"`np.copyto` bandwidth: {limit / 1e9:.2f} GB/s (read + write).",
        "",
        "| case | auto ms | bytes moved | GB/s | fraction of copy |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    fractions = []
    for name, seconds, moved in single_channel_rows:
        rate = moved / seconds
        fractions.append(rate / limit)
        rows.append(
            f"| {name} | {seconds * 1e3:.2f} | {moved / 1e6:.1f} MB | "
            f"{rate / 1e9:.2f} | {rate / limit:.2f} |"
        )
    best = max(fractions) if fractions else 0.0
    return rows, [
        ("single-channel bandwidth ≥ ½ of np.copyto (aim)", f"best {best:.2f}", best >= 0.5)
    ]


STEADY = {"MALLOC_MMAP_THRESHOLD_": str(2**28), "MALLOC_TRIM_THRESHOLD_": str(2**30)}
"""glibc settings that keep freed memory for reuse: every call's output lands on pages
already mapped, instead of fresh pages faulted in (and zeroed by the kernel) call after call."""


def steady_allocator(
    default_rows: list[tuple[str, float, int, float]],
    repeats: int,
    budget: float,
    quick: bool = False,
) -> tuple[list[str], list[Target]]:
    """The single-channel cases again, in a child process whose allocator keeps its pages.

    With glibc's defaults a multi-megabyte output is often a fresh ``mmap`` per call, so
    both libraries spend much of a call in page faults; the ratio then measures the
    kernel's page zeroing as much as either implementation.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    code = (
        f"import sys; sys.path.insert(0, {here!r}); import numpy as np, bench_speed as b; "
        f"cases = [c for c in b.panel({quick}) if c.input_shape[1] == 1]; "
        f"b.speed_table(cases, [np.float32], [1], [], {repeats}, {budget})"
    )
    env = {**os.environ, **STEADY}
    done = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env
    )
    limit = copy_bandwidth()
    default = {name: ratio for name, _, _, ratio in default_rows}
    moved = {name: count for name, _, count, _ in default_rows}
    rows = [
        f"In a child process with `{' '.join(f'{k}={v}' for k, v in STEADY.items())}` "
        "(float32, 1 thread); the glibc-default column repeats the panel's ratio.",
        "",
        "| case | PyTorch ms | auto ms | auto / PyTorch | with glibc defaults | fraction of copy |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    targets: list[Target] = []
    for line in done.stdout.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 7 or cells[1] != "float32":
            continue
        name, torch_ms, auto_ms, ratio = cells[2], float(cells[3]), float(cells[4]), float(cells[6])
        fraction = moved.get(name, 0) / (auto_ms / 1e3) / limit
        before = f"{default[name]:.2f}" if name in default else "–"
        rows.append(
            f"| {name} | {torch_ms:.2f} | {auto_ms:.2f} | {ratio:.2f} | {before} | {fraction:.2f} |"
        )
        if "512²" in name or "1024²" in name:
            targets.append(
                (f"{name} ≤ 0.4× PyTorch, steady allocator", f"{ratio:.2f}×", ratio <= 0.4)
            )
    return rows, targets


def symbolic(size: int = 128) -> tuple[list[str], list[Target]]:
    """``symbolic_matrix`` against ``symbolic_apply`` at ``size``² (kernel 3, stride 2)."""
    import tconvmat

    g = tconvmat.ConvTranspose((size, size), (3, 3), stride=2)
    start = time.perf_counter()
    g.symbolic_apply()
    applied = time.perf_counter() - start
    start = time.perf_counter()
    g.symbolic_matrix()
    built = time.perf_counter() - start
    rows = [
        "| 128², k3 s2 | seconds |",
        "| --- | ---: |",
        f"| symbolic_apply | {applied:.2f} |",
        f"| symbolic_matrix | {built:.2f} |",
    ]
    return rows, [
        ("symbolic_matrix ≤ symbolic_apply at 128²", f"{built / applied:.2f}×", built <= applied)
    ]


def main() -> None:
    for title, (rows, targets) in (
        ("Start-up", startup()),
        ("Compile cost", compile_cost()),
        ("Symbolic", symbolic()),
    ):
        print(f"## {title}\n")
        print("\n".join(rows))
        for name, value, met in targets:
            print(f"- {name}: {value} ({'met' if met else 'missed'})")
        print()


if __name__ == "__main__":
    main()
