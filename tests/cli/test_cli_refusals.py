"""The command line refuses bad values in one line with status 2, checks its out paths before
any work, and never prints a traceback, even for hostile text in any option (issue 15)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tconvmat.cli import build_parser, main


def _exit(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", "--kernel", "1/0,1;1,1"], "1/0 divides by zero"),
        (["explain", "--kernel", "99999999999999999999999,1;1,1"], "beyond int64"),
        (["explain", "--stride", "1000000000000"], "positions long"),
        (["explain", "--kernel", "1e999,1;1,1"], "beyond float64's range"),
        (["explain", "--input-shape", "100000x100000"], "above the limit"),
        (["explain", "--out", ""], "--out is empty"),
        (["solve", "16", "32", "--max-kernel", "100000"], r"max_kernel \(100000\) must be <= 64"),
        (["solve", "16", "32", "--limit", "-1"], r"--limit \(-1\) must be >= 0"),
        (["figures", "--dpi", "5"], r"--dpi \(5\) must be between 10 and 600"),
        (["animate", "--duration", "0"], r"duration \(0 ms\) must be between 20"),
        (["exercises", "--count", "0", "--json"], r"count \(0\) must be between 1 and 200"),
    ],
)
def test_bad_values_exit_2_with_one_line(capsys, args, message):
    code, _, err = _exit(capsys, *args)
    assert code == 2 and err.startswith("tconvmat: error: ") and "Traceback" not in err
    assert err.count("\n") == 1 and __import__("re").search(message, err)


def test_out_paths_are_checked_before_any_work(tmp_path, capsys):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    for out, message in [
        (str(a_file), "is a file, not a folder"),
        (str(a_file / "below"), "is a file, not a folder"),
        ("/proc/tconvmat-cannot-write-here", "No such file or directory|not writable|Permission"),
    ]:
        code, _, err = _exit(capsys, "explain", "--out", out)
        assert code == 2 and __import__("re").search(message, err), err
    code, _, err = _exit(capsys, "explain", "--html", str(tmp_path / "missing" / "p.html"))
    assert code == 0 and (tmp_path / "missing" / "p.html").is_file()  # folders are created
    code, _, err = _exit(capsys, "explain", "--html", str(a_file / "p.html"))
    assert code == 2 and "is a file, not a folder" in err


def test_cli_numbers_nan_and_inf_are_numbers(capsys):
    code, out, _ = _exit(capsys, "explain", "--kernel", "nan,1;1,inf", "--brief")
    assert code == 0 and "nan" in out and "inf" in out
    code, out, _ = _exit(capsys, "explain", "--kernel", "a,2/3;0.5,b")
    assert code == 0 and "DIFFERS" not in out and "0.666667" in out


def test_a_large_matrix_is_summarised_without_being_built(capsys):
    code, out, _ = _exit(capsys, "matrix", "--input-shape", "4096x4096", "--kernel-shape", "3x3")
    assert code == 0 and "150,945,796 non-zeros" in out and "too large to print" in out


def test_explain_on_four_dimensions_says_pytorch_has_no_operator(capsys):
    code, out, _ = _exit(
        capsys,
        "explain",
        "--input-shape",
        "2x2x2x2",
        "--kernel-shape",
        "1x1x1x1",
        "--compare-pytorch",
    )
    assert code == 0 and "- PyTorch: has no 4-D transposed convolution, not compared" in out


# --- hostile text to every option of every command, in a bounded child process -------------


def _options() -> dict[str, list[str]]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = {}
    for name, sub in commands.choices.items():
        found[name] = [
            option
            for action in sub._actions
            for option in action.option_strings[:1]
            if option not in ("-h",) and action.nargs != 0
        ] + [action.dest for action in sub._actions if not action.option_strings]
    return found


OPTIONS = _options()


CHILD = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
    from tconvmat.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


hostile = st.one_of(
    # relative text only: an absolute path would let the child write anywhere on purpose
    # (and no NUL or lone surrogate, which no command line can carry)
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
    ).filter(lambda s: not s.lstrip().startswith(("/", "~")) and ".." not in s),
    st.sampled_from(
        [
            "0",
            "-1",
            "1e999",
            "nan",
            "inf",
            "1/0",
            "x",
            "",
            " ",
            "3x0",
            "9" * 25,
            "1,2;3",
            "__import__('os')",
            "2:1:1",
            "100000x100000",
            "a|b",
            "-0",
            "1.5",
        ]
    ),
)


@settings(
    max_examples=int(os.environ.get("TCONVMAT_FUZZ", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_hostile_text_never_gives_a_traceback(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("fuzz")
    around = sorted(p.name for p in folder.parent.iterdir())
    command = data.draw(st.sampled_from(sorted(OPTIONS)))
    args = [command]
    for option in data.draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3, unique=True)):
        value = data.draw(hostile)
        args += [value] if not option.startswith("-") else [option, value]
    if command == "exercises" and "--out" not in args:
        args.append("--json")
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert child.returncode in (0, 2), (args, child.stderr[-2000:])
    assert "Traceback" not in child.stderr, (args, child.stderr[-2000:])
    if child.returncode == 2:
        assert child.stderr.startswith("tconvmat: error: "), (args, child.stderr)
    assert sorted(p.name for p in folder.parent.iterdir()) == around  # nothing beside it
