"""inspect finds the skip that does not fit (issue 18): U-Nets of 2 to 4 levels on odd inputs,
the failing join named with its two sizes, the layer that made the wrong size, why, and fixes
that make the model run once applied as written (PyTorch runs the fixed model)."""

from __future__ import annotations

import sys

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn
from torch_reference import real_conv_shapes
from unets import UNet, apply, level_of

import tconvmat


def test_the_broken_skip_of_a_four_level_unet_on_101():
    model = UNet(levels=4)
    with pytest.raises(RuntimeError, match="Expected size 24 but got size 25"):
        model(torch.zeros(1, 1, 101, 101))  # PyTorch's own message: the reference
    report = tconvmat.inspect(model, (1, 1, 101, 101))
    assert not report.runs and not report.failure
    first, second = report.mismatches
    assert first.op == "torch.cat" and first.sizes == ((24, 24), (25, 25))
    assert first.changed == (1, 8, 24, 24) and first.other == (1, 8, 25, 25)
    assert first.culprit.name == "ups.1" and first.culprit.op == "ConvTranspose2d"
    assert first.encoder.name == "downs.2.0" and first.encoder.op == "MaxPool2d"
    assert "x = torch.cat([x, skip], dim=1)" in first.where
    text = first.describe()
    assert "size 24×24 vs 25×25" in text and "ups.1 (ConvTranspose2d) made 12×12 → 24×24" in text
    assert "took 25×25 → 12×12, rounding down, and 12×12 × 2 is 24×24, not 25×25" in text
    assert "101×101 → 50×50 → 25×25 → 12×12 → 6×6 → 12×12 → 24×24" in text
    assert second.sizes == ((100, 100), (101, 101)) and second.culprit.name == "ups.3"
    assert second.encoder.name == "downs.0.0"
    # every conv row up to the failure is kept, and the rest traced as if fixed
    names = [row.name for row in report]
    assert names[:8] == [
        "inc",
        "downs.0.1",
        "downs.1.1",
        "downs.2.1",
        "downs.3.1",
        "ups.0",
        "convs.0",
        "ups.1",
    ]
    assert report[8].mismatch is first and report[-1].out_shape == (1, 2, 101, 101)
    kinds = [fix.kind for fix in first.fixes]
    assert kinds == ["output_padding", "output_size", "pad", "crop"]
    assert first.fixes[0].code == (
        "self.ups[1] = nn.ConvTranspose2d(16, 8, kernel_size=(2, 2), stride=(2, 2), "
        "output_padding=(1, 1))"
    )
    assert first.fixes[1].code == "x = self.ups[1](x, output_size=skip.shape[-2:])"
    table = report.table()
    assert "1×8×24×24 + 1×8×25×25" in table and "does not fit" in table


@st.composite
def unets(draw):
    ndim = draw(st.sampled_from([1, 2, 2, 3]))
    levels = draw(st.integers(2, 4 if ndim < 3 else 3))
    top = 120 if ndim < 3 else 40
    size = tuple(draw(st.integers(2**levels + 1, top)) for _ in range(ndim))
    down = draw(st.sampled_from(["pool", "conv"]))
    up = draw(st.sampled_from([(2, 2, 0), (3, 2, 1), (4, 2, 1)]))
    join = draw(st.sampled_from(["cat", "cat", "add"]))
    return UNet(levels, ndim, down, up, join), (1, 1, *size)


@settings(max_examples=25, deadline=None)
@given(unets(), st.sampled_from(["output_padding", "output_size", "pad"]))
def test_every_fix_makes_the_unet_run(case, kind):
    model, shape = case
    x = torch.randn(shape)
    report = tconvmat.inspect(model, shape)
    try:
        real_conv_shapes(model, x)
        runs = True
    except RuntimeError as error:
        assert "size" in str(error)
        runs = False
    assert report.runs == runs and not report.failure
    for mismatch in report.mismatches:
        got, want = mismatch.sizes
        assert got != want and mismatch.culprit.name.startswith("ups.")
        kinds = [f.kind for f in mismatch.fixes]
        if kind not in kinds:
            # PyTorch's rule: output_padding below the stride; a larger gap needs padding
            assert kind != "pad"
            return
        apply(model, mismatch, kind)
    seen, out = real_conv_shapes(model, x)  # the fixed model runs; its shapes are the report's
    rows = [r for r in report if r.mismatch is None]
    fixed = {m.culprit.name: m for m in report.mismatches}
    assert len(rows) == len(seen)
    for row, (in_shape, out_shape) in zip(rows, seen, strict=True):
        assert row.in_shape == in_shape
        if kind == "pad" or row.name not in fixed:
            assert row.out_shape == out_shape  # padded after the layer, as traced
        else:  # the layer itself now gives the skip's size
            m = fixed[row.name]
            assert [out_shape[a] for a in m.axes] == [m.other[a] for a in m.axes]
    assert tuple(out.shape[2:]) == report[-1].out_shape[2:]


@settings(max_examples=10, deadline=None)
@given(unets())
def test_cropping_the_skip_level_by_level_makes_it_run(case):
    model, shape = case
    for _ in range(len(model.ups) + 1):
        report = tconvmat.inspect(model, shape)
        if report.runs:
            break
        apply(model, report.mismatches[0], "crop")
    real_conv_shapes(model, torch.randn(shape))
    assert report.runs


def test_a_join_with_the_wrong_channels_is_a_failure_not_a_mismatch():
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose2d(2, 3, 2, stride=2)

        def forward(self, x):
            return self.up(x) + torch.ones(1, 2, 8, 8)

    model = Bad()
    report = tconvmat.inspect(model, (1, 2, 4, 4))
    assert report.failure and not report.mismatches
    assert "add" in report.failure and "1×3×8×8, 1×2×8×8" in report.failure
    assert report[0].name == "up" and report[-1].out_shape == ()


def test_input_channels_and_ranks_are_checked_as_pytorch_does():
    layer = nn.ConvTranspose2d(4, 2, 3, 2)
    with pytest.raises(RuntimeError, match="channels"):
        layer(torch.zeros(1, 3, 8, 8))
    report = tconvmat.inspect(layer, (1, 3, 8, 8))
    assert "in_channels is 4 but the input 1×3×8×8 has 3 channels" in report.failure
    (row,) = report.layers
    assert row.op == "ConvTranspose2d" and row.out_shape == () and row.geometry is None
    # unbatched input runs in PyTorch: so in inspect, with the geometry of its spatial axes
    (row,) = tconvmat.inspect(layer, (4, 8, 8)).layers
    assert row.out_shape == tuple(layer(torch.zeros(4, 8, 8)).shape) == (2, 17, 17)
    assert row.geometry.out_shape == (17, 17)
    report = tconvmat.inspect(layer, (8, 8))
    assert "takes a 4-D input (batch, channels, 2 spatial) or 3-D without the batch" in (
        report.failure
    )
    with pytest.raises(TypeError, match=r"input_shape\[1\] must be an integer, got 3.5"):
        tconvmat.inspect(layer, (1, 3.5, 8, 8))


def test_a_failure_inside_the_model_keeps_the_rows_before_it():
    class Flat(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Conv2d(1, 2, 3, stride=2)
            self.head = nn.Linear(40, 3)

        def forward(self, x):
            return self.head(self.enc(x).flatten(1))

    report = tconvmat.inspect(Flat(), (1, 1, 11, 11))
    assert [r.name for r in report] == ["enc", "head"]
    assert report[0].out_shape == (1, 2, 5, 5)
    assert "linear in head" in report.failure and "1×50" in report.failure


def test_levels_are_named_by_the_up_sampler():
    report = tconvmat.inspect(UNet(levels=2, ndim=1), (1, 1, 37))
    (mismatch,) = report.mismatches
    assert level_of(mismatch) == 1 and mismatch.sizes == ((36,), (37,))


def test_a_missing_torch_is_one_line_with_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now fails
    with pytest.raises(ImportError, match="inspecting a PyTorch module needs torch, which is not"):
        tconvmat.inspect(object(), (1, 1, 8))
