"""The command line behaves like the tools users know (issue 13): version, help, JSON, files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np
import pytest
import scipy.io
import scipy.sparse
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import tconvmat
from tconvmat.cli import main
from tconvmat.conventions import FRAMEWORKS
from tconvmat.conventions.onnx import attributes


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


def _execute(code: str):
    namespace: dict = {}
    exec(
        compile(code, "<tconvmat convert>", "exec"), namespace
    )  # the printed code, as a user runs it
    return namespace["conv_transpose"]


@st.composite
def framework_geometries(draw):
    ndim = draw(st.integers(1, 2))
    axes = [
        (
            draw(st.integers(1, 5)),
            draw(st.integers(1, 4)),
            draw(st.integers(1, 3)),
            draw(st.integers(1, 2)),
        )
        for _ in range(ndim)
    ]
    crops = []
    for i, k, s, d in axes:
        full = (i - 1) * s + d * (k - 1) + 1
        lo = draw(st.integers(-1, full - 1))
        crops.append((lo, draw(st.integers(-1, full - 1 - lo))))
    in_shape, kernel, stride, dilation = (tuple(v) for v in zip(*axes, strict=True))
    channels = draw(st.sampled_from([(1, 1, 1), (2, 3, 1), (2, 4, 2)]))
    return tconvmat.ConvTranspose.from_crops(
        in_shape,
        kernel,
        crops,
        stride,
        dilation,
        *channels,
        flip_kernel=draw(st.booleans()),
        framework="test",
    )


@settings(max_examples=40, deadline=None)
@given(framework_geometries(), st.integers(0, 2**32 - 1))
def test_printed_pytorch_jax_and_onnx_code_computes_the_geometry(g, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, g.in_channels, *g.in_shape))
    weight = rng.standard_normal(g.weight_shape)
    expected = g.apply(x, weight)
    torch_function = _execute(FRAMEWORKS["pytorch"].to_code(g))
    y = torch_function(torch.from_numpy(x), torch.from_numpy(weight)).numpy()
    np.testing.assert_allclose(y, expected, atol=1e-10)
    if g.groups == 1:
        import jax

        jax.config.update("jax_enable_x64", True)
        jax_function = _execute(FRAMEWORKS["jax"].to_code(g))
        np.testing.assert_allclose(np.asarray(jax_function(x, weight)), expected, atol=1e-9)
    try:
        found = attributes(g)
    except ValueError as error:  # a zero-extension ONNX's attributes cannot say
        assert "add a Pad node" in str(error)
        assert any(lo < 0 or -hi >= s for (lo, hi), s in zip(g.crops, g.stride, strict=True))
        return
    _check_onnx(g, found, x, weight, expected)


def _check_onnx(g, found, x, weight, expected):
    import onnx
    import onnxruntime
    from onnx import TensorProto, helper

    # ONNX Runtime's CPU ConvTranspose computes in float32 only
    x, weight = x.astype(np.float32), weight.astype(np.float32)
    w = np.flip(weight, axis=tuple(range(2, 2 + g.ndim))) if g.flip_kernel else weight
    node = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], **found)
    graph = helper.make_graph(
        [node],
        "t",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(x.shape))],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, list(expected.shape))],
        [
            helper.make_tensor(
                "W", TensorProto.FLOAT, list(w.shape), np.ascontiguousarray(w).ravel()
            )
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    (y,) = session.run(None, {"X": x})
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)


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


def test_packaging_metadata_and_readme_links():
    from pathlib import Path

    import tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    for key in ("urls", "classifiers", "keywords", "authors", "license-files"):
        assert project[key], key
    for extra, requirements in project["optional-dependencies"].items():
        assert not [r for r in requirements if "==" in r], f"exact pin in the {extra} extra"
    for name in ("LICENSE", "CITATION.cff", "CHANGELOG.md", "constraints.txt"):
        assert (root / name).is_file()
    readme = (root / "README.md").read_text(encoding="utf-8")
    links = __import__("re").findall(r"\]\(([^)]+)\)", readme)
    local = [link for link in links if not link.startswith(("https://", "#"))]
    assert links and all((root / link).exists() for link in local), links  # render in a clone
    assert "License ::" not in " ".join(project["classifiers"])  # the SPDX expression only
    assert project["license"] == "MIT"
    assert all((root / link).is_file() for link in local)
    assert (
        readme.index("## Install")
        < readme.index("## Two commands")
        < readme.index("## The worked example")
    )
