"""Issue 20's examples give an answer or a one-line refusal naming what is too large or wrong.

The list lives in ``benchmarks/bench_refusals.py``, which times each one with its peak
memory in a child process; here each runs in this process and its first line is matched.
"""

from __future__ import annotations

import importlib.util
import re
import sys

import pytest
from repository import ROOT

from tconvmat.cli import main

BENCHMARK = ROOT / "benchmarks" / "bench_refusals.py"
_spec = importlib.util.spec_from_file_location("bench_refusals", BENCHMARK)
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_refusals"] = bench
_spec.loader.exec_module(bench)

SLOW_ROUTES = {"dot_test scatter stride 1e7"}
"""A route's own speed at a huge stride is the routes' business (benchmarks/bench_speed.py)."""


def _first_line(example, capsys) -> str:
    if example.command:
        status = main(list(example.command))
        captured = capsys.readouterr()
        lines = captured.err.splitlines() or captured.out.splitlines()
        refused = captured.err.startswith("tconvmat: error:")
        assert status == (2 if refused else 0)
        if refused:
            assert len(captured.err.splitlines()) == 1, captured.err  # one line, no traceback
        return lines[0]
    namespace: dict = {}
    exec(bench.PRELUDE, namespace)
    try:
        result = eval(example.python, namespace)
    except (ValueError, TypeError) as error:
        text = f"{type(error).__name__}: {error}"
        assert "\n" not in text
        return text
    return repr(result) if not isinstance(result, int | float) else str(result)


@pytest.mark.parametrize(
    "example",
    [e for e in bench.EXAMPLES if e.label not in SLOW_ROUTES],
    ids=lambda e: e.label,
)
def test_each_example_answers_or_refuses_in_one_line(example, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = _first_line(example, capsys)
    assert re.search(example.expect, line), line
    if "error" in line:
        assert not list(tmp_path.iterdir())  # a refusal writes nothing


def test_the_benchmark_runs_an_example_in_a_child(capsys):
    bench.main(["float shape"])
    assert "must be an integer" in capsys.readouterr().out
