"""Smoke tests: the benchmark scripts run on a tiny panel (they are not timed here)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from repository import ROOT

BENCHMARKS = ROOT / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_symbolic_benchmark_runs(capsys):
    _load("bench_symbolic").main(["--sizes", "4", "--dense-max", "4", "--repeats", "1"])
    out = capsys.readouterr().out
    assert "4×4" in out and "symbolic_apply" in out


def test_symbolic_baseline_equals_the_closed_form():
    import sympy

    from tconvmat import ConvTranspose

    bench = _load("bench_symbolic")
    g = ConvTranspose((5, 5), (3, 3), stride=2, padding=1)
    baseline = bench.straightforward(g)
    closed = list(sympy.flatten(g.symbolic_apply().tolist()))
    assert all(sympy.expand(a - b) == 0 for a, b in zip(baseline, closed, strict=True))
    assert bench.dense(g) == sympy.Matrix(closed)


def test_speed_benchmark_runs_on_a_tiny_panel(tmp_path, capsys):
    out = tmp_path / "RESULTS.md"
    arguments = ["--quick", "--dtypes", "float32", "--repeats", "3", "--budget", "1"]
    _load("bench_speed").main([*arguments, "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    row = next(
        line for line in text.splitlines() if line.startswith("| float32 | 2-D 16² k3 s2 p1")
    )
    assert row.count("|") == 11 and "–" not in row  # the steady child process ran and was parsed
    assert "geometric mean" in text and "lsqr on a 64×64" in text
    assert "odd 64→64 33² k3 s2 p1 op1" in text  # C of a 64-channel layer, peak memory
    assert "peak memory while building C ≤ 1.1× C, 64-channel layer" in text


def test_explain_benchmark_runs(capsys):
    _load("bench_explain").main(["--repeats", "1", "--cases", "2", "--rows", "2"])
    out = capsys.readouterr().out
    assert "8×8, k4 s2 p1" in out and "ratio" in out
    assert "| `explain --out DIR --html FILE`, worked example |" in out and "≤ 4×" in out


def test_inspect_memory_benchmark_runs(capsys):
    _load("bench_inspect").main(["--mib", "1"])
    out = capsys.readouterr().out
    assert "ONNX file, weights inside" in out and "PyTorch module" in out


def test_page_benchmark_runs_an_old_commits_explorer_in_its_own_package():
    """``--before COMMIT``: the explorer runs from that commit's whole package (the first
    release's imports modules the layout has moved since). HEAD stands for the commit
    (a shallow clone holds no other), and only the import runs: timing the old ipywidgets
    explorer needs ipywidgets, which tconvmat no longer uses."""
    import subprocess

    bench = _load("bench_page")
    folder = bench.checkout("HEAD")
    code = "import tconvmat.explorer as m, tconvmat; print(tconvmat.__file__, m.explore.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": folder},
        check=True,
    )
    where, name = done.stdout.split()
    assert Path(where).is_relative_to(folder) and name == "explore"
