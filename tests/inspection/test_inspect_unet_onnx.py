"""inspect finds the skip that does not fit in ONNX exports of U-Nets (issue 18): the failing
Concat/Add with its two sizes, the ConvTranspose that made the size, and fixes that make the
model run in ONNX Runtime once applied as written; every row's shapes are ONNX Runtime's."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
import torch
from onnx_runtime import conv_shapes, export, session
from unets import UNet

import tconvmat

CASES = [  # levels, ndim, down, up (k, s, p), join, input shape
    (2, 1, "pool", (2, 2, 0), "cat", (1, 1, 37)),
    (3, 2, "conv", (3, 2, 1), "add", (1, 1, 75, 101)),
    (4, 2, "pool", (2, 2, 0), "cat", (1, 1, 101, 101)),
    (3, 2, "pool", (4, 2, 1), "cat", (1, 1, 99, 99)),
    (2, 3, "pool", (2, 2, 0), "cat", (1, 1, 13, 17, 11)),
]


def _fitting(model, ndim):
    """The smallest input size the model runs on (PyTorch says), to export with."""
    for n in range(2 ** len(model.ups), 200):
        try:
            with torch.no_grad():
                model(torch.zeros(1, 1, *(n,) * ndim))
            return (1, 1, *(n,) * ndim)
        except RuntimeError:
            continue
    raise AssertionError("no input size fits this U-Net")


def _export(model, shape, path):
    ndim = len(shape) - 2
    axes = {a: f"d{a}" for a in range(2, 2 + ndim)}
    return export(model, torch.zeros(_fitting(model, ndim)), path, {"x": axes})


_session, _runtime_shapes = session, conv_shapes


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}levels-{c[1]}d-{c[2]}-{c[4]}")
def test_onnx_unets_name_the_join_and_every_fix_runs(case, tmp_path):
    levels, ndim, down, up, join, shape = case
    torch.manual_seed(0)
    model = UNet(levels, ndim, down, up, join)
    exported = _export(model, shape, tmp_path / "unet.onnx")
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    with pytest.raises(Exception, match=r"(?i)concat|add|shape|dimension"):
        _session(exported).run(None, {"x": x})  # ONNX Runtime fails on this input
    report = tconvmat.inspect(tmp_path / "unet.onnx", {"x": shape})
    expected = tconvmat.inspect(model, shape)  # the PyTorch module, traced
    assert [m.sizes for m in report.mismatches] == [m.sizes for m in expected.mismatches]
    assert report.mismatches and not report.failure
    for mismatch in report.mismatches:
        assert mismatch.op == ("Concat" if join == "cat" else "Add")
        assert mismatch.culprit.op == "ConvTranspose"
        assert mismatch.culprit.name.startswith(f"/ups.{mismatch.culprit.name.split('.')[1]}")
    for kind in ("output_padding", "pad"):
        fixed = onnx.load(str(tmp_path / "unet.onnx"))
        for mismatch in report.mismatches:
            fixes = [f for f in mismatch.fixes if f.kind == kind]
            if not fixes:
                assert kind == "output_padding" and any(
                    f.kind in ("output_shape", "none") for f in mismatch.fixes
                )
                fixes = [f for f in mismatch.fixes if f.kind == "pad"]
            exec(fixes[0].code, {"model": fixed})
        (y,) = _session(fixed).run(None, {"x": x})  # the fixed model runs
        assert y.shape[2:] == report[-1].out_shape[2:]
        if kind == "pad":  # every row's shapes are what ONNX Runtime computes
            rows = [(r.in_shape, r.out_shape) for r in report if r.mismatch is None]
            assert rows == _runtime_shapes(fixed, x)


@pytest.mark.parametrize("case", CASES[2:4], ids=["4levels", "3levels-k4"])
def test_onnx_cropping_the_skip_level_by_level_runs(case, tmp_path):
    levels, ndim, down, up, join, shape = case
    model = UNet(levels, ndim, down, up, join)
    path = tmp_path / "unet.onnx"
    fixed = _export(model, shape, path)
    for _ in range(levels + 1):
        report = tconvmat.inspect(fixed, {"x": shape})
        if report.runs:
            break
        (crop,) = [f for f in report.mismatches[0].fixes if f.kind == "crop"]
        exec(crop.code, {"model": fixed})
    assert report.runs
    x = np.zeros(shape, np.float32)
    (y,) = _session(fixed).run(None, {"x": x})
    assert y.shape == report[-1].out_shape


def test_the_onnx_table_and_json_show_the_join(tmp_path, capsys):
    import json

    from tconvmat.cli import main

    model = UNet(4)
    _export(model, (1, 1, 101, 101), tmp_path / "unet.onnx")
    assert main(["inspect", str(tmp_path / "unet.onnx"), "--model-input", "x=1x1x101x101"]) == 0
    out = capsys.readouterr().out
    assert "/Concat_1" in out and "1×8×24×24 + 1×8×25×25" in out and "does not fit" in out
    assert "size 24×24 vs 25×25 on axes 2, 3" in out
    assert "/ups.1/ConvTranspose (ConvTranspose) made 12×12 → 24×24" in out
    assert (
        main(["inspect", str(tmp_path / "unet.onnx"), "--model-input", "x=1x1x101x101", "--json"])
        == 0
    )
    rows = json.loads(capsys.readouterr().out)
    (join,) = [r for r in rows if r["name"] == "/Concat_1"]
    assert join["mismatch"]["sizes"] == [[24, 24], [25, 25]]
    assert join["mismatch"]["layer"] == "/ups.1/ConvTranspose"
    assert join["mismatch"]["encoder"] == "/downs.2/downs.2.0/MaxPool"
    assert [f["kind"] for f in join["mismatch"]["fixes"]] == ["output_padding", "pad", "crop"]
