"""What users wait for in pictures, as ratios to ``tconvmat explain`` in the terminal.

Every row runs in a fresh process (start-up included, as a user meets it), the rows
interleaved so a busy machine slows them alike; each time is the median of the
repeats, as wall-clock seconds and as the child's CPU seconds (user + system,
steadier on a shared machine). Targets are issue 22's.

    python benchmarks/bench_explain.py [--repeats 3] [--cases N] [--out benchmarks/PICTURES.md]

A second table gives the cost of ``explain --out`` per problem: time, peak memory
(the child's maximum resident set), the largest image and the lines printed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

WORKED: list[str] = []
LARGE = ["--input-shape", "16x16", "--kernel-shape", "3x3", "--stride", "2", "--padding", "1"]
TEN = ["--input-shape", "10x10", "--kernel-shape", "3x3", "--stride", "2", "--padding", "1"]

JUPYTER = (
    "import sys\n"
    "from IPython.core.interactiveshell import InteractiveShell\n"
    "from IPython.display import display\n"
    "from IPython.utils.capture import capture_output\n"
    "import tconvmat\n"
    "InteractiveShell.instance()\n"
    "with capture_output() as captured:\n"
    "    display(tconvmat.explain())\n"
    "kinds = sorted({k for o in captured.outputs for k in o.data})\n"
    "print(len(captured.outputs), kinds, file=sys.stderr)\n"
)
"""The Jupyter display of ``tconvmat.explain()``: every output with all its mime types."""

EXPLORE = "import tconvmat\ntconvmat.explore()._repr_html_()\n"
"""``tconvmat.explore()`` start: every slider state computed and the page written as Jupyter
shows it. A slider move after it runs in the browser, no Python (benchmarks/PAGE.md times
it: tens of milliseconds)."""

ROWS: list[tuple[str, list[str] | str | None, float | None]] = [
    ("`explain` in the terminal (reference)", ["explain", *WORKED], None),
    ("`explain --out DIR --html FILE`, worked example", ["explain", "OUT", *WORKED], 4.0),
    ("the same, 16×16 k3 s2 p1", ["explain", "OUT", *LARGE], 5.0),
    ("`animate`, worked example", ["animate", "GIF", *WORKED], 3.0),
    ("`animate` 10×10 k3 s2 p1", ["animate", "GIF", *TEN], 6.0),
    ("Jupyter display of `tconvmat.explain()` (all mime types)", JUPYTER, 3.0),
    ("`tconvmat.explore()` start plus one slider move, first time (empty cache)", EXPLORE, 2.0),
    ("the same, slider states cached by an earlier start", EXPLORE, None),
]
"""(what, command line or Python program, target ratio to the first row). Every run has
an empty page cache (``TCONVMAT_CACHE``) of its own, except rows named "cached", which
share one filled by an untimed start first."""


def _command(spec: list[str] | str, folder: Path) -> list[str]:
    if isinstance(spec, str):
        return [sys.executable, "-c", spec]
    arguments = []
    for word in spec:
        if word == "OUT":
            arguments += ["--out", str(folder / "out"), "--html", str(folder / "page.html")]
        elif word == "GIF":
            arguments += ["--out", str(folder / "movie.gif")]
        else:
            arguments.append(word)
    return [sys.executable, "-m", "tconvmat", *arguments, "--force"]


def timed(spec: list[str] | str, cache: str | None = None) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one fresh run; ``cache``: the page cache to
    use (by default an empty one)."""
    with tempfile.TemporaryDirectory() as folder:
        command = _command(spec, Path(folder))
        environment = {**os.environ, "TCONVMAT_CACHE": cache or str(Path(folder) / "cache")}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env=environment)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def waits(repeats: int, count: int = len(ROWS)) -> str:
    """The first table: the first ``count`` rows, interleaved ``repeats`` times, medians."""
    rows = ROWS[:count]
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in rows}
    with tempfile.TemporaryDirectory(prefix="tconvmat-cache-") as kept:
        for name, spec, _ in rows:
            if "cached" in name and spec is not None:
                timed(spec, kept)  # fills the cache
        for _ in range(repeats):
            for name, spec, _ in rows:
                if spec is not None:
                    runs[name].append(timed(spec, kept if "cached" in name else None))
    base_wall = statistics.median(w for w, _ in runs[ROWS[0][0]])
    base_cpu = statistics.median(c for _, c in runs[ROWS[0][0]])
    lines = [
        "| what users wait for | wall s | × | CPU s | × | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, spec, target in rows:
        if spec is None:
            lines.append(f"| {name} | – | – | – | – | ≤ {target:g}× | not measured here |")
            continue
        wall = statistics.median(w for w, _ in runs[name])
        cpu = statistics.median(c for _, c in runs[name])
        met = "" if target is None else ("yes" if wall / base_wall <= target else "no")
        goal = "" if target is None else f"≤ {target:g}×"
        lines.append(
            f"| {name} | {wall:.2f} | {wall / base_wall:.2f} | {cpu:.2f} | "
            f"{cpu / base_cpu:.2f} | {goal} | {met} |"
        )
    return "\n".join(lines)


CASES = {
    "worked example (3×3, k2 s2 p1)": [],
    "8×8, k4 s2 p1": ["--input-shape", "8x8", "--kernel-shape", "4x4", "--padding", "1"],
    "1-D 16, k3 s2 p1 op1": ["--input-shape", "16", "--kernel-shape", "3", "--output-padding", "1"],
    "3-D 3×3×3, k2 s2 p0": ["--input-shape", "3x3x3", "--kernel-shape", "2x2x2", "--padding", "0"],
}

WRAPPER = (
    "import resource, sys\n"
    "from tconvmat.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
"""Runs the command line in the child and reports the child's own peak memory (kB)."""


def run_case(arguments: list[str]) -> tuple[float, float, float, int]:
    """(seconds, peak MB, largest image in megapixels, figures written) of one run."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", WRAPPER, "explain", *arguments, "--out", folder]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        peak = int(done.stderr.split("MAXRSS ")[1].split()[0]) / 1024
        pixels = max(
            (a * b for a, b in (Image.open(p).size for p in Path(folder).glob("*.png"))), default=0
        )
        return seconds, peak, pixels / 1e6, len(list(Path(folder).glob("*.png")))


def per_problem(repeats: int, cases: int) -> str:
    """The second table: ``explain --out`` per problem, ratios to the worked example."""
    rows = []
    for name, arguments in list(CASES.items())[:cases]:
        runs = [run_case(arguments) for _ in range(repeats)]
        best = min(runs)
        rows.append((name, best[0], max(r[1] for r in runs), best[2], best[3]))
    base = rows[0][1]
    lines = [
        f"{'case':34} {'seconds':>8} {'ratio':>6} {'peak MB':>8} {'largest MP':>11} {'figures':>7}"
    ]
    for name, seconds, peak, megapixels, count in rows:
        lines.append(
            f"{name:34} {seconds:8.2f} {seconds / base:6.2f} {peak:8.0f} {megapixels:11.2f} "
            f"{count:7d}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", type=int, default=len(CASES), help="run the first N cases")
    parser.add_argument("--no-waits", action="store_true", help="only the per-problem table")
    parser.add_argument("--rows", type=int, default=len(ROWS), help="the first N rows only")
    parser.add_argument("--out", help="also write both tables as Markdown to this file")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    first = "" if args.no_waits else waits(args.repeats, args.rows)
    second = per_problem(args.repeats, args.cases)
    load = "load average (1, 5, 15 min) {:.1f}, {:.1f}, {:.1f} before, {:.1f}, {:.1f}, {:.1f} after"
    load = load.format(*load_before, *os.getloadavg())
    print(first + "\n" if first else "", second, load, sep="\n")
    if args.out:
        Path(args.out).write_text(
            "# Pictures: what users wait for\n\n"
            f"`python benchmarks/bench_explain.py --repeats {args.repeats}` (fresh processes, "
            f"rows interleaved, medians; {os.cpu_count()} cores shared with other work, so the "
            f"CPU-time ratios are the steadier; {load}).\n\n"
            f"{first}\n\n## `explain --out` per problem\n\n```\n{second}\n```\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
