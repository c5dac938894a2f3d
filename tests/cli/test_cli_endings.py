"""How commands end: quietly on Ctrl-C or a closed pipe, with whole files or none, strict JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from repository import ROOT

from tconvmat.cli import main
from tconvmat.cli._common import PARTIAL


def _strict(text: str):
    """JSON as RFC 8259 (and JavaScript's JSON.parse) reads it: no NaN, no Infinity."""

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if PARTIAL in p.name)


def test_a_closed_pipe_ends_quietly_with_141():
    # 200 exercises are ~110 kB of JSON: more than a pipe holds, so the writer meets the
    # closed end (as `tconvmat exercises --json --count 200 | head -1` does).
    child = subprocess.Popen(
        [sys.executable, "-m", "tconvmat", "exercises", "--json", "--count", "200"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout.readline() == b"[\n"
    child.stdout.close()
    _, err = child.communicate()
    assert child.returncode == 141
    assert err == b""


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["figures", "--out", "new/figures"], "plots.gallery.write_gallery"),
        (["explain", "--out", "notes"], "explanation.render.save"),
        (["exercises", "--out", "sheet"], "exercises.sheet"),
    ],
)
def test_ctrl_c_ends_quietly_with_130_and_leaves_no_folder(
    args, where, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    module, _, name = f"tconvmat.{where}".rpartition(".")
    target = sys.modules.get(module) or __import__(module, fromlist=[name])
    original = getattr(target, name)

    def interrupted(*a, **k):
        original(*a, **k)  # the files are written, then Ctrl-C arrives
        raise KeyboardInterrupt

    monkeypatch.setattr(target, name, interrupted)
    assert main(args) == 130
    captured = capsys.readouterr()
    assert captured.err == ""
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_an_existing_folder_keeps_what_was_there(tmp_path, monkeypatch, capsys):
    import tconvmat.plots.gallery as gallery

    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep")
    original = gallery.write_gallery

    def interrupted(*a, **k):
        original(*a, **k)
        raise KeyboardInterrupt

    monkeypatch.setattr(gallery, "write_gallery", interrupted)
    assert main(["figures", "--out", str(folder)]) == 130
    assert [p.name for p in tmp_path.iterdir()] == ["figures"]
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def test_files_are_written_whole_with_the_usual_mode(tmp_path, capsys):
    folder, page, gif = tmp_path / "a" / "b", tmp_path / "page.html", tmp_path / "s.gif"
    assert main(["explain", "--out", str(folder), "--html", str(page)]) == 0
    assert main(["animate", "--out", str(gif)]) == 0
    assert main(["matrix", "--save", str(tmp_path / "c.npz")]) == 0
    assert (folder / "explanation.md").read_text().startswith("# Transposed convolution")
    assert page.read_text().startswith("<!DOCTYPE html>")
    assert gif.read_bytes()[:6] == b"GIF89a"
    mask = os.umask(0)
    os.umask(mask)
    assert (folder.stat().st_mode & 0o777) == 0o777 & ~mask
    assert (page.stat().st_mode & 0o777) == 0o666 & ~mask
    assert _leftovers(tmp_path) == []


def test_explain_with_out_or_html_says_what_it_wrote_instead_of_the_text(tmp_path, capsys):
    assert main(["explain", "--out", str(tmp_path / "notes")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"wrote {tmp_path / 'notes' / 'explanation.md'} and ")
    figures = [p for p in (tmp_path / "notes").iterdir() if p.suffix == ".png"]
    assert f" and {len(figures)} figures beside it: " in captured.err and len(figures) > 3
    assert main(["explain", "--html", str(tmp_path / "p.html")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"wrote {tmp_path / 'p.html'} (one self-contained page")
    assert main(["explain", "--brief"]) == 0
    assert "Summary\n-------" in capsys.readouterr().out  # without --out the text stays (plain)


@pytest.mark.parametrize("option", ["--out", "--html"])
def test_an_unwritable_place_is_refused_before_the_work(option, capsys, monkeypatch):
    import tconvmat.teaching.explanation as explanation

    monkeypatch.setattr(explanation, "build", lambda *a, **k: pytest.fail("worked first"))
    place = "/proc/notes" if option == "--out" else "/proc/page.html"
    assert main(["explain", option, place]) == 2
    assert capsys.readouterr().err.startswith(f"tconvmat: error: {option} '{place}': cannot write")


def test_a_write_that_fails_names_the_option(tmp_path, monkeypatch, capsys):
    from tconvmat.plots import _figure

    def full(self, path, **kwargs):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(_figure.TconvFigure, "save", full)
    assert main(["figures", "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert err == "tconvmat: error: --out: writing failed (No space left on device)\n"
    assert list(tmp_path.iterdir()) == []


def test_json_is_strict_where_values_are_not_finite(capsys):
    kernel = "1,nan;inf,4"
    for args in (
        ["matrix", "--json", "--kernel", kernel],
        ["explain", "--json", "--kernel", kernel],
        ["explain", "--json", "--input", "3,2,1;0,-inf,2;1,4,7"],
    ):
        assert main(args) == 0
        document = _strict(capsys.readouterr().out)
        text = json.dumps(document)
        assert '"NaN"' in text or '"Infinity"' in text or '"-Infinity"' in text, args


def test_matrix_saves_the_symbolic_matrix_as_json_or_refuses(tmp_path, capsys):
    saved = tmp_path / "c.json"
    assert main(["matrix", "--symbolic", "--save", str(saved)]) == 0
    document = _strict(saved.read_text())
    assert document["shape"] == [9, 16] and document["nnz"] == 16
    # by hand: input (0,0)'s stamp lands on output (0,0) through tap (1,1) (padding 1 crops
    # the rest); flat output 0
    assert document["entries"][0] == [0, 0, "w_{1,1}"]
    assert main(["matrix", "--symbolic", "--save", str(tmp_path / "c.npz")]) == 2
    assert "the symbolic matrix is saved as JSON" in capsys.readouterr().err
    assert not (tmp_path / "c.npz").exists()
