"""Smoke tests: the benchmark scripts run on a tiny panel (they are not timed here)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
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
