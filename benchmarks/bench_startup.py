"""Startup, compile cost, memory bandwidth and the symbolic matrix: the sections of
``benchmarks/RESULTS.md`` that ``bench_speed.py`` adds to its panel.

Each function returns Markdown lines and the targets it checks, measured in one run:
start-up in fresh processes against ``import numpy, scipy.sparse`` (interleaved, medians);
each compiled kernel's first call cold (empty numba cache) and cached;
``symbolic_matrix`` against ``symbolic_apply`` at 128².

    python benchmarks/bench_startup.py      # these sections alone, printed
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

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


FIRST_CALL = """
import json, time
import numpy as np, tconvmat
problems = {
    "fused, row kernel (512², one channel)": (
        tconvmat.ConvTranspose((512, 512), (3, 3), stride=2, padding=1), "fused"),
    "fused, channel kernel (64→64 32² g8)": (
        tconvmat.ConvTranspose((32, 32), (4, 4), stride=2, padding=1, in_channels=64,
                               out_channels=64, groups=8), "fused"),
    "scatter, compiled placement (128→64 32²)": (
        tconvmat.ConvTranspose((32, 32), (4, 4), stride=2, padding=1, in_channels=128,
                               out_channels=64), "scatter"),
}
found = {}
for dtype in DTYPES:
    for name, (g, method) in problems.items():
        x = np.ones((g.in_channels, *g.in_shape), dtype)
        w = np.ones(g.weight_shape, dtype)
        times = []
        for _ in range(2):
            start = time.perf_counter()
            g.apply(x, w, method=method)
            times.append(time.perf_counter() - start)
        found[f"{name}, {dtype}"] = times
print(json.dumps(found))
"""


def compile_cost(dtypes: list[str] | None = None) -> tuple[list[str], list[Target]]:
    """Each compiled kernel's first call in a fresh process: empty numba cache, then filled.

    The process imports numba on its first compiled call, so the first row of each
    process carries that import too.
    """
    from tconvmat.routes import compiled

    if not compiled.AVAILABLE:
        return ["(numba is not installed: no compiled kernels)"], []
    rows = [
        "| kernel, dtype | first call, empty cache (compiles) s | first call, cached s "
        "| second call ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    runs = []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        code = f"DTYPES = {list(dtypes or ['float32', 'float64'])!r}\n" + FIRST_CALL
        for _ in ("cold", "cached"):
            out = subprocess.run(
                [sys.executable, "-c", code],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            ).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
    cold, cached = runs
    rows += [
        f"| {name} | {cold[name][0]:.2f} | {cached[name][0]:.2f} | {cached[name][1] * 1e3:.1f} |"
        for name in cold
    ]
    worst = max(times[0] for times in cached.values())
    return rows, [
        (
            "a fresh process never compiles: every first call with the cache filled ≤ 1 s",
            f"worst {worst:.2f} s",
            worst <= 1,
        )
    ]


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
