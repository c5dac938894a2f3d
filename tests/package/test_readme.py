"""Every README block works when pasted alone, as a newcomer pastes it.

The doctest collection (``--doctest-glob=README.md``) still runs the ``>>>`` blocks together;
here each block runs on its own: a ``>>>`` block as its own doctest with nothing defined
before it, a plain Python block in a fresh interpreter (its output equal to the ``text``
block that follows it, when one does), and each ``tconvmat`` line of a ``bash`` block as a
command in an empty folder. Images and links that point into the repository exist.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys

import pytest
from repository import ROOT

from tconvmat.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)


def _blocks() -> list[tuple[str, str, int, str]]:
    """``(language, code, line, the language of the block right after it)``."""
    found = [
        (m.group(1), m.group(2), README.count("\n", 0, m.start()) + 1, m)
        for m in FENCE.finditer(README)
    ]
    blocks = []
    for n, (language, code, line, match) in enumerate(found):
        after = ""
        if n + 1 < len(found) and not README[match.end() : found[n + 1][3].start()].strip():
            after = found[n + 1][0]
        blocks.append((language, code, line, after))
    return blocks


BLOCKS = _blocks()
DOCTESTS = [
    (code, line) for language, code, line, _ in BLOCKS if language == "python" and ">>>" in code
]
SCRIPTS = [
    (code, line, BLOCKS[n + 1][1] if after == "text" else None)
    for n, (language, code, line, after) in enumerate(BLOCKS)
    if language == "python" and ">>>" not in code
]
COMMANDS = [
    (shlex.split(text.split(" # ")[0]), line)
    for language, code, line, _ in BLOCKS
    if language == "bash"
    for text in code.splitlines()
    if text.startswith("tconvmat ")
]


def test_every_block_says_its_language():
    assert all(language for language, *_ in BLOCKS), [
        line for lang, _, line, _ in BLOCKS if not lang
    ]
    assert len(DOCTESTS) >= 4 and len(SCRIPTS) >= 2 and len(COMMANDS) >= 7


@pytest.mark.parametrize(("code", "line"), DOCTESTS, ids=[f"line {n}" for _, n in DOCTESTS])
def test_each_doctest_block_runs_alone(code, line):
    test = doctest.DocTestParser().get_doctest(code, {}, f"README.md:{line}", "README.md", line)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


@pytest.mark.parametrize(
    ("code", "line", "expected"), SCRIPTS, ids=[f"line {n}" for _, n, _ in SCRIPTS]
)
def test_each_python_block_runs_alone_in_a_fresh_interpreter(code, line, expected, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    if expected is not None:
        assert done.stdout.split() == expected.split()


@pytest.mark.parametrize(("argv", "line"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_each_command_line_runs_alone(argv, line, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv[1:]) == 0, capsys.readouterr().err


def test_images_and_links_into_the_repository_exist():
    targets = re.findall(r"\]\(([^)\s]+)\)", README)
    inside = [t for t in targets if not t.startswith(("https://", "http://", "#"))]
    assert inside, "the README shows its figures from the repository"
    for target in inside:
        assert (ROOT / target).exists(), target
    assert not [t for t in targets if "raw.githubusercontent" in t or "/blob/main/" in t]
