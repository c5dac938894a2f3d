"""Issue 20's examples, each timed with its peak memory: an answer or a one-line refusal.

Every example runs in a child process (so its peak RSS is its own) and prints the time of
the call itself (after the imports), the whole process's wall time and peak RSS, and the
first line of what it printed or raised. The target: under a second and under 500 MB each.
``tests/package/test_budget_examples.py`` asserts each answer or refusal (not the times).

    python benchmarks/bench_refusals.py            # every example
    python benchmarks/bench_refusals.py dot_test   # the examples whose label contains this
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = (
    "import numpy as np, tconvmat; "
    "from tconvmat import ConvTranspose as G, dot_test, overlap_counts, "
    "transpose_versus_inverse, as_linear_operator; "
    "from tconvmat.symbolic import adjoint_certificate"
)
"""What every Python example may use."""


@dataclass(frozen=True)
class Example:
    """One example: a Python expression or a command line, and what it must give."""

    label: str
    expect: str
    """A regular expression the first line of the answer or of the refusal matches."""
    python: str = ""
    command: tuple[str, ...] = ()


HUGE = "G((3,), (3,), stride=10**7)"
ONE_D_HUGE_STRIDE = ("--input", "1,2,3", "--kernel", "1,2", "--stride", "100000")
"""A 1-D problem at stride 10⁵: drawn with its zeros cut out, its page refused."""
MASKED = "np.ma.masked_array([3, 2, 1], mask=[0, 1, 0])"
EXAMPLES = (
    Example(
        "overlap_counts stride 1e7",
        r"SizeError: the overlap report would hold",
        f"overlap_counts({HUGE})",
    ),
    Example(
        "overlap_counts stride 1e12",
        r"ValueError: axis 0 would be .* stride 10+",
        "overlap_counts(G((3,), (3,), stride=10**12))",
    ),
    Example(
        "transpose_versus_inverse stride 1e7",
        r"SizeError: the dense C of transpose_versus_inverse \(3 × 20,000,003\)",
        f"transpose_versus_inverse({HUGE}, [1.0, 2, 3])",
    ),
    Example(
        "general_term stride 1e7",
        r"SizeError: the general term would hold 10,000,003 SymPy terms",
        f"{HUGE}.general_term()",
    ),
    Example("dot_test stride 1e7", r"^[0-9.e-]+$", f"dot_test({HUGE})"),
    Example(
        "dot_test stride 1e12",
        r"ValueError: axis 0 would be",
        "dot_test(G((3,), (3,), stride=10**12))",
    ),
    Example("dot_test scatter stride 1e7", r"^[0-9.e-]+$", f"dot_test({HUGE}, method='scatter')"),
    Example(
        "symbolic_apply stride 1e7",
        r"SizeError: symbolic work on this geometry would hold 20,000,012",
        f"{HUGE}.symbolic_apply()",
    ),
    Example("symbolic_matrix stride 1e7", r"^\(3, 20000003\)$", f"{HUGE}.symbolic_matrix().shape"),
    Example(
        "adjoint_certificate stride 1e7",
        r"SizeError: symbolic work on this geometry",
        f"adjoint_certificate({HUGE})",
    ),
    Example(
        "explain() 5000x5000",
        r"SizeError: the output would hold 99,960,004 elements",
        "tconvmat.explain(input_shape=(5000, 5000))",
    ),
    Example(
        "plot_scatter_steps stride 1e5",
        r"SizeError: the output would hold 40,000,800,004",
        "tconvmat.plots.plot_scatter_steps(G((3, 3), (2, 2), stride=10**5))",
    ),
    Example(
        "symbolic_apply masked",
        r"TypeError: x is a masked array",
        f"G((3,), (2,)).symbolic_apply({MASKED})",
    ),
    Example(
        "symbolic_matrix masked",
        r"TypeError: kernel is a masked array",
        "G((3,), (2,)).symbolic_matrix(np.ma.masked_array([1, 2], mask=[1, 0]))",
    ),
    Example(
        "dot_test masked kernel",
        r"TypeError: kernel is a masked array",
        "dot_test(G((3,), (2,)), np.ma.masked_array([1.0, 2], mask=[1, 0]))",
    ),
    Example(
        "LinearOperator masked vector",
        r"TypeError: the vector is a masked array",
        f"as_linear_operator(G((3,), (2,)), [1.0, 2]).rmatvec({MASKED})",
    ),
    Example(
        "explain masked input",
        r"TypeError: input is a masked array",
        f"tconvmat.explain(input={MASKED}, kernel=[1, 2])",
    ),
    Example(
        "matrix() uint64 above int64",
        r"ValueError: kernel holds 9,223,372,036,854,775,813 \(dtype uint64\)",
        "G((3,), (1,)).matrix(np.array([2**63 + 5], dtype=np.uint64))",
    ),
    Example(
        "2-D array as per-side padding",
        r"^\(\(1, 0\), \(0, 1\)\)$",
        "G((3, 3), (2, 2), padding=np.array([[1, 0], [0, 1]])).padding",
    ),
    Example("0-d array as a shape", r"^\(3,\)$", "G(np.array(3), np.array(2)).in_shape"),
    Example(
        "float shape",
        r"TypeError: in_shape\[0\] must be an integer, got 3\.5 of type float",
        "G((3.5, 3), (2, 2))",
    ),
    Example(
        "groups=0",
        r"ValueError: groups \(0\) must be >= 1",
        "G((3, 3), (2, 2), in_channels=2, out_channels=2, groups=0)",
    ),
    Example(
        "explain --brief stride 1e4",
        r"^tconvmat: error: the output would hold 400,040,001 elements",
        command=(
            "explain",
            "--brief",
            "--input-shape",
            "3x3",
            "--kernel-shape",
            "3x3",
            "--stride",
            "10000",
        ),
    ),
    Example(
        "explain --brief 8192x8192",
        r"^tconvmat: error: the output would hold 268,369,924 elements",
        command=("explain", "--brief", "--input-shape", "8192x8192"),
    ),
    Example(
        "explain --brief 5000x5000",
        r"^tconvmat: error: the output would hold 99,960,004 elements",
        command=("explain", "--brief", "--input-shape", "5000x5000"),
    ),
    Example(
        "figures stride 1e5",
        r"^tconvmat: error: the output would hold 40,000,000,000 elements",
        command=("figures", "--stride", "100000", "--out", "figures"),
    ),
    Example(
        "animate stride 1e5",
        r"^tconvmat: error: the output would hold 40,000,000,000 elements",
        command=("animate", "--stride", "100000", "--out", "a.gif"),
    ),
    Example(
        "explain --out stride 1e5",
        r"^tconvmat: error: the output would hold 40,000,000,000 elements",
        command=("explain", "--stride", "100000", "--out", "notes"),
    ),
    Example(
        "explain --html stride 1e5",
        r"^tconvmat: error: the output would hold 40,000,000,000 elements",
        command=("explain", "--stride", "100000", "--html", "page.html"),
    ),
    Example(
        "figures 1-D stride 1e5 (drawn, zeros cut out)",
        r"^skipped \w+\.png: ",
        command=(
            "figures",
            *ONE_D_HUGE_STRIDE,
            "--out",
            "f",
        ),
    ),
    Example(
        "animate 1-D stride 1e5 (drawn, zeros cut out)",
        r"^wrote a.gif \(\d+ frames\)",
        command=(
            "animate",
            *ONE_D_HUGE_STRIDE,
            "--out",
            "a.gif",
        ),
    ),
    Example(
        "explain --out 1-D stride 1e5 (drawn, zeros cut out)",
        r"^wrote notes/explanation.md and \d+ figures",
        command=(
            "explain",
            *ONE_D_HUGE_STRIDE,
            "--out",
            "notes",
        ),
    ),
    Example(
        "page 1-D stride 1e5",
        r"^tconvmat: error: the page of an output of 200,000 elements would hold",
        command=(
            "page",
            *ONE_D_HUGE_STRIDE,
            "--out",
            "p.html",
        ),
    ),
    Example(
        "matrix --save, C above the non-zero limit",
        r"^tconvmat: error: C would hold 618,273,980,416 non-zeros, .*; "
        r"use tconvmat.as_linear_operator",
        command=(
            "matrix",
            "--input-shape",
            "4096x4096",
            "--kernel-shape",
            "3x3",
            "--in-channels",
            "64",
            "--out-channels",
            "64",
            "--save",
            "c.npz",
        ),
    ),
    Example(
        "matrix (print), C above the non-zero limit",
        r"too large to print, and above the limit of 100,000,000 non-zeros to build or save; "
        r"use tconvmat.as_linear_operator",
        command=(
            "matrix",
            "--input-shape",
            "4096x4096",
            "--kernel-shape",
            "3x3",
            "--in-channels",
            "64",
            "--out-channels",
            "64",
        ),
    ),
    Example(
        "--html onto an unwritable place",
        r"^tconvmat: error: --html '/proc/page.html': cannot write in '/proc'",
        command=("explain", "--html", "/proc/page.html"),
    ),
)


CHILD = """
import sys, time
{prelude}
start = time.perf_counter()
try:
    result = {call}
    line = repr(result) if not isinstance(result, (int, float)) else str(result)
except Exception as error:
    line = f"{{type(error).__name__}}: {{error}}"
print(f"{{time.perf_counter() - start:.3f}}")
print(line.splitlines()[0] if line else "")
"""

COMMAND = """
import sys, time, io, contextlib
from tconvmat.cli import main
start = time.perf_counter()
err, out = io.StringIO(), io.StringIO()
with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
    status = main({argv!r})
print(f"{{time.perf_counter() - start:.3f}}")
lines = err.getvalue().splitlines() or out.getvalue().splitlines() or [f"status {{status}}"]
print(lines[0])
"""


def run(example: Example, timeout: float) -> tuple[str, float, float, float]:
    """``(first line, seconds of the call, seconds in all, peak MB)`` in a child process."""
    if example.command:
        source = COMMAND.format(argv=list(example.command))
    else:
        source = CHILD.format(prelude=PRELUDE, call=example.python)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", source],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
        )
        finished = True
        while True:  # os.wait4 reaps the child and gives its own peak memory
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                finished = False
                break
            time.sleep(0.01)
        child.returncode = os.waitstatus_to_exitcode(status)
        total = time.perf_counter() - start
        out.seek(0)
        lines = out.read().decode(errors="replace").splitlines()
    peak = usage.ru_maxrss / 1024
    if not finished:
        return "TIMEOUT", float("nan"), total, peak
    if len(lines) < 2:
        return (lines[-1] if lines else "no output"), float("nan"), total, peak
    return lines[1], float(lines[0]), total, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "select", nargs="?", default="", help="run the examples whose label has this"
    )
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    print(f"{'example':45s} {'call s':>7s} {'total s':>8s} {'peak MB':>8s}  first line")
    for example in EXAMPLES:
        if args.select not in example.label:
            continue
        line, call, total, peak = run(example, args.timeout)
        print(f"{example.label:45s} {call:7.3f} {total:8.2f} {peak:8.0f}  {line[:110]}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
