"""The command line behaves like the tools users know (issue 13): version, help, JSON, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import scipy.io
import scipy.sparse

import tconvmat
from tconvmat.cli import main
from tconvmat.conventions import FRAMEWORKS

os.environ.setdefault("JAX_PLATFORMS", "cpu")


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_version_help_and_module(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert (
        done.value.code == 0
        and capsys.readouterr().out.strip() == f"tconvmat {tconvmat.__version__}"
    )
    code, out, _ = run(capsys)
    assert code == 0 and "usage: tconvmat" in out and "explain" in out
    child = subprocess.run(
        [sys.executable, "-m", "tconvmat", "explain", "--brief"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Summary\n-------" in child.stdout  # piped: plain text since issue 19


def test_explain_json_round_trips_the_text(capsys):
    _, out, _ = run(capsys, "explain", "--json")
    data = json.loads(out)
    assert (
        data["output"]
        == tconvmat.conv_transpose(
            np.array(data["input"]), np.array(data["kernel"]), stride=2, padding=1
        ).tolist()
    )
    _, text, _ = run(capsys, "explain")
    for line in data["sizes"]:
        assert line in text
    assert data["checks"] == {"matrix": 0.0, "scatter": 0.0, "dilate": 0.0, "polyphase": 0.0}
    assert data["crops"] == [[1, 1], [1, 1]] and data["overlap"] == "even"


def test_matrix_json_entries_are_the_printed_table(capsys):
    args = ["matrix", "--input", "1,2", "--kernel", "1,2,3", "--padding", "0"]
    _, text, _ = run(capsys, *args)
    _, out, _ = run(capsys, *args, "--json")
    data = json.loads(out)
    assert data["shape"] == [2, 5] and data["nnz"] == 6
    printed = [line.split()[1:] for line in text.splitlines()[2:]]
    for row, column, value in data["entries"]:
        assert printed[row][column] == str(value)
    _, out, _ = run(capsys, "matrix", "--input-shape", "64x64", "--kernel-shape", "3x3", "--json")
    g = tconvmat.ConvTranspose((64, 64), (3, 3), stride=2, padding=1)
    assert json.loads(out) == {
        "shape": list(g.matrix_shape),
        "nnz": g.nnz,
        "transpose": False,
        "printed": False,
    }


@pytest.mark.parametrize("suffix", [".npz", ".mtx"])
@pytest.mark.parametrize("transpose", [False, True])
def test_matrix_save_writes_c_or_its_transpose(tmp_path, capsys, suffix, transpose):
    path = tmp_path / f"C{suffix}"
    args = [
        "matrix",
        "--input-shape",
        "5x4",
        "--kernel-shape",
        "3x2",
        "--stride",
        "2,1",
        "--save",
        str(path),
    ] + (["--transpose"] if transpose else [])
    assert main(args) == 0
    loaded = scipy.sparse.load_npz(path) if suffix == ".npz" else scipy.io.mmread(path)
    g = tconvmat.ConvTranspose((5, 4), (3, 2), stride=(2, 1), padding=1)
    expected = g.matrix(np.arange(1, 7).reshape(3, 2)).toarray()
    np.testing.assert_array_equal(loaded.toarray(), expected.T if transpose else expected)
    assert main(args) == 2 and "pass --force" in capsys.readouterr().err


def test_solve_takes_shapes_and_prints_json(capsys):
    code, out, _ = run(capsys, "solve", "16x16", "32x33", "--limit", "1")
    assert code == 0 and "on axis 0" in out and "on axis 1" in out
    _, out, _ = run(capsys, "solve", "16x16", "32x33", "--limit", "1", "--json")
    data = json.loads(out)
    assert [a["out"] for a in data] == [32, 33]
    best = data[1]["solutions"][0]
    g = tconvmat.ConvTranspose(
        (16,),
        (best["kernel"],),
        best["stride"],
        best["padding"],
        best["dilation"],
        best["output_padding"],
    )
    assert g.out_shape == (33,) and best["crops"] == list(g.crops[0])
    with pytest.raises(SystemExit):
        main(["solve", "--help"])
    assert "kernels 1 … N are tried (default 7" in capsys.readouterr().out


def test_convert_prints_code_for_every_framework_and_json(capsys):
    args = [
        "convert",
        "--from",
        "tensorflow",
        "--in-shape",
        "16x16",
        "--kernel-shape",
        "3x3",
        "--stride",
        "2",
        "--padding",
        "SAME",
    ]
    for target in FRAMEWORKS:
        code, out, err = run(capsys, *args, "--to", target)
        # code only, runnable as saved: the summary is in its comments
        assert code == 0 and err == "" and out.startswith("# ") and "crops" in out
        compile(out, f"<{target}>", "exec")
        _, as_json, _ = run(capsys, *args, "--to", target, "--json")
        assert json.loads(as_json)["code"] == out
    _, out, _ = run(capsys, *args, "--json")
    data = json.loads(out)
    assert data["crops"] == [[0, 1], [0, 1]] and data["pytorch"]["adjust"] == [[0, 1], [0, 1]]
    assert data["code"] is None
    _, text, _ = run(capsys, *args)
    assert "crops of the uncropped scatter (low, high per axis): ((0, 1), (0, 1))" in text
    assert "def conv_transpose" not in text and "--to pytorch|tensorflow" in text


def test_keras_explicit_output_padding_zero_means_zero(capsys):
    base = [
        "convert",
        "--from",
        "keras",
        "--in-shape",
        "16",
        "--kernel-shape",
        "3",
        "--stride",
        "2",
        "--padding",
        "same",
        "--json",
    ]
    _, out, _ = run(capsys, *base)
    assert json.loads(out)["out_shape"] == [32]  # Keras's own default
    _, out, _ = run(capsys, *base, "--output-padding", "0")
    assert json.loads(out)["out_shape"] == [31]  # (16 − 1)·2 + 3 − 2·1 + 0
    _, out, _ = run(capsys, *base, "--output-padding", "00")
    assert json.loads(out)["out_shape"] == [31]


def test_figures_default_folder_is_fresh_and_never_overwritten(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["figures", "--format", "svg"]) == 0
    assert (tmp_path / "tconvmat-figures" / "matrix_structure.svg").is_file()
    assert main(["figures", "--format", "svg"]) == 2
    assert "pass --force" in capsys.readouterr().err
