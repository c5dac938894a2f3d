"""What an explanation costs: time, peak memory and image size, as ratios to the worked example.

Each case runs ``tconvmat explain ... --out DIR`` (text and every figure) in a fresh
process, so the numbers include start-up and are comparable; peak memory is the child's
maximum resident set size.

    python benchmarks/bench_explain.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

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
    """(seconds, peak MB, largest image in megapixels, lines of text) of one run."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-c", WRAPPER, "explain", *arguments, "--out", folder]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        peak = int(done.stderr.split("MAXRSS ")[1].split()[0]) / 1024
        pixels = max(
            (a * b for a, b in (Image.open(p).size for p in Path(folder).glob("*.png"))), default=0
        )
        return seconds, peak, pixels / 1e6, done.stdout.count("\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cases", type=int, default=len(CASES), help="run the first N cases")
    args = parser.parse_args(argv)
    rows = []
    for name, arguments in list(CASES.items())[: args.cases]:
        runs = [run_case(arguments) for _ in range(args.repeats)]
        best = min(runs)
        rows.append((name, best[0], max(r[1] for r in runs), best[2], best[3]))
    base = rows[0][1]
    print(f"{'case':34} {'seconds':>8} {'ratio':>6} {'peak MB':>8} {'largest MP':>11} {'lines':>6}")
    for name, seconds, peak, megapixels, lines in rows:
        print(
            f"{name:34} {seconds:8.2f} {seconds / base:6.2f} {peak:8.0f} {megapixels:11.2f} "
            f"{lines:6d}"
        )


if __name__ == "__main__":
    main()
