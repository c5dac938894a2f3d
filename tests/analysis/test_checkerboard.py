"""Checkerboards have two causes (issue 19 item 1): uneven overlap and unequal sub-kernel sums
per output phase. Every number is checked against PyTorch on an input of ones."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat.analysis import checkerboard
from tconvmat.analysis.overlap import overlap_counts, phase_sums
from tconvmat.cli import main

WORKED = tconvmat.ConvTranspose((3, 3), (2, 2), stride=2, padding=1)


def _ones_through_torch(shape, kernel, **settings) -> np.ndarray:
    kernel = torch.as_tensor(np.asarray(kernel, dtype=float))[None, None]
    function = getattr(F, f"conv_transpose{kernel.ndim - 2}d")
    return function(torch.ones(1, 1, *shape, dtype=torch.float64), kernel, **settings)[0, 0].numpy()


def test_the_worked_example_is_a_checkerboard_although_its_overlap_is_even():
    ones = _ones_through_torch((3, 3), [[1, 2], [3, 4]], stride=2, padding=1)
    expected = [[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]
    np.testing.assert_array_equal(ones, expected)
    np.testing.assert_array_equal(checkerboard.constant_response(WORKED, [[1, 2], [3, 4]]), ones)
    report = overlap_counts(WORKED, [[1, 2], [3, 4]])
    assert report.pattern == "even" and report.checkerboard is True
    assert report.phase_sums == {(0, 0): 4, (0, 1): 3, (1, 0): 2, (1, 1): 1}
    assert "no checkerboard" not in report.verdict
    # the two questions answered apart (review finding 8): even taps, yet not flat
    assert report.taps == "even" and report.flat is False
    assert report.verdict.startswith("taps per output: even")
    assert "ones → flat? no, even so" in report.verdict
    assert "comes out as a checkerboard" in report.verdict
    # without the kernel the counts alone cannot promise a flat output, and do not say so
    alone = overlap_counts(WORKED)
    assert "no checkerboard from overlap" not in alone.verdict
    assert "unequal sub-kernel sums per phase can pattern" in alone.verdict
    assert alone.checkerboard is None


@pytest.mark.parametrize(
    ("in_shape", "kernel_shape", "stride", "padding", "dilation"),
    [
        ((7, 7), (3, 3), 2, 1, 1),
        ((7, 7), (4, 4), 2, 1, 1),
        ((6, 6), (3, 2), (3, 2), 0, 1),
        ((9,), (5,), 3, 2, 1),
        ((8,), (3,), 2, 0, 2),
        ((4, 4, 4), (3, 3, 3), 2, 1, 1),
    ],
)
def test_each_phase_of_ones_is_its_sub_kernel_sum_away_from_the_borders(
    in_shape, kernel_shape, stride, padding, dilation
):
    kernel = np.random.default_rng(5).integers(-3, 6, kernel_shape)
    g = tconvmat.ConvTranspose(in_shape, kernel_shape, stride, padding, dilation)
    ones = _ones_through_torch(in_shape, kernel, stride=stride, padding=padding, dilation=dilation)
    sums = phase_sums(g, kernel)
    assert len(sums) == np.prod(g.stride)
    for first, total in sums.items():
        where = np.ones(g.out_shape, dtype=bool)
        for n, (length, k, s, d) in enumerate(
            zip(g.in_shape, g.kernel_shape, g.stride, g.dilation, strict=True)
        ):
            # this phase, and only outputs all of whose taps land on an input (no border)
            t = np.arange(g.out_shape[n])
            sources = t[:, None] + g.crops[n][0] - np.arange(k)[None, :] * d
            keep = (t % s == first[n]) & ((sources >= 0) & (sources <= (length - 1) * s)).all(1)
            shape = [1] * g.ndim
            shape[n] = -1
            where &= keep.reshape(shape)
        assert where.any()
        np.testing.assert_array_equal(ones[where], total)


def test_uneven_overlap_with_equal_sums_comes_out_flat():
    # kernel 3, stride 2 overlaps unevenly, but [1, 2, 1] sums 1 + 1 and 2 alike
    g = tconvmat.ConvTranspose((5,), (3,), stride=2)
    ones = _ones_through_torch((5,), [1, 2, 1], stride=2)
    np.testing.assert_array_equal(ones, [1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1])
    report = overlap_counts(g, [1, 2, 1])
    assert report.pattern == "alternating" and report.checkerboard is False
    assert "an input of ones comes out constant away from the borders" in report.verdict
    assert report.taps == "uneven" and report.flat is True


def _nearest_then_conv(x: torch.Tensor, kernel: np.ndarray) -> np.ndarray:
    up = F.interpolate(x, scale_factor=2, mode="nearest")
    return F.conv2d(up, torch.as_tensor(kernel)[None, None], padding=1)[0, 0].numpy()


def test_the_demo_against_pytorch():
    cases = {(c.label, c.kernel): c for c in checkerboard.demo()}
    ones = torch.ones(1, 1, 12, 12, dtype=torch.float64)
    box3, box4 = torch.ones(1, 1, 3, 3, dtype=torch.float64), torch.ones(1, 1, 4, 4).double()
    k3 = F.conv_transpose2d(ones, box3, stride=2, padding=1, output_padding=1)[0, 0].numpy()
    k4 = F.conv_transpose2d(ones, box4, stride=2, padding=1)[0, 0].numpy()
    stacked = F.conv_transpose2d(
        F.conv_transpose2d(ones, box3, stride=2, padding=1, output_padding=1),
        box3,
        stride=2,
        padding=1,
        output_padding=1,
    )[0, 0].numpy()
    for label, expected, spread in (
        ("kernel 3, stride 2", k3, 4.0),
        ("kernel 4, stride 2", k4, 1.0),
        ("two stacked k3 s2 layers", stacked, 9.0),
    ):
        case = cases[(label, "ones")]
        np.testing.assert_allclose(case.constant, expected)
        assert case.spread == pytest.approx(spread)
    # resize then convolve is flat for any kernel: here a random one, as PyTorch computes it
    random3 = np.random.default_rng(3).uniform(0.05, 1.0, (3, 3))
    flat = _nearest_then_conv(ones, random3)
    np.testing.assert_allclose(cases[("resize ×2, then 3×3 conv.", "random")].constant, flat)
    assert checkerboard.spread(flat, 3) == pytest.approx(1.0)
    # a kernel the stride divides still makes a pattern when its phases sum differently
    assert cases[("kernel 4, stride 2", "random")].spread > 1.3


def test_the_explanation_names_both_causes_shows_the_ones_and_says_when_fixes_work():
    explanation = tconvmat.explain()
    text = " ".join(str(explanation).split())
    assert "(no checkerboard from overlap)" not in text
    assert "1. **Uneven overlap.**" in text and "2. **Unequal sub-kernel sums.**" in text
    assert "y for an input of ones: ``` 4 3 4 3 2 1 2 1 4 3 4 3 2 1 2 1 ```" in text
    assert "y[0::2, 0::2]: 4 y[0::2, 1::2]: 3 y[1::2, 0::2]: 2 y[1::2, 1::2]: 1" in text
    assert "It works when the sub-kernel sums are also equal" in text
    assert "*whatever the kernel*" in text
    names = {f.name for f in explanation.figures}
    assert {"constant_response", "checkerboard_demo"} <= names


def test_the_demo_figure_labels_are_the_text_numbers():
    explanation = tconvmat.explain()
    text = str(explanation)
    table = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| ([^|]+?) \| (\d+\.\d\d) \| (\d+\.\d\d) \|$", text, flags=re.M)
    }
    figure = next(f for f in explanation.figures if f.name == "checkerboard_demo").draw()
    titles = [panel.title for panel in figure.panels]
    assert len(titles) == 8
    for n, title in enumerate(titles):
        label, number = title.split("\n")
        assert number.endswith(table[label][n // 4])


def test_the_constant_input_figure_says_the_texts_sums():
    explanation = tconvmat.explain(input_shape=(8, 8), kernel_shape=(4, 4), padding=1)
    text = str(explanation)
    sums = dict(re.findall(r"^(y\[[^\]]+\]): (\d+)$", text, flags=re.M))
    assert sums == {
        "y[0::2, 0::2]": "44",
        "y[0::2, 1::2]": "40",
        "y[1::2, 0::2]": "28",
        "y[1::2, 1::2]": "24",
    }
    figure = next(f for f in explanation.figures if f.name == "constant_response").draw()
    footer = figure.board.footer
    assert all(f"{phase} = {value}" in footer for phase, value in sums.items())
    ones = _ones_through_torch((8, 8), np.arange(1, 17).reshape(4, 4), stride=2, padding=1)
    assert (ones[2:-2:2, 2:-2:2] == 44).all() and (ones[1:-2:2, 1:-2:2] == 24).all()


def test_sums_that_vary_along_one_axis_draw_stripes_not_a_checkerboard():
    kernel = np.arange(1, 7).reshape(2, 3)
    ones = _ones_through_torch((3, 5), kernel, stride=(2, 1), padding=1)
    assert (ones[::2, 1:-1] == 15).all() and (ones[1::2, 1:-1] == 6).all()  # rows alternate
    g = tconvmat.ConvTranspose((3, 5), (2, 3), stride=(2, 1), padding=1)
    report = overlap_counts(g, kernel)
    assert report.verdict.startswith("taps per output: even")
    assert report.verdict.endswith("an input of ones comes out as stripes")
    text = " ".join(
        str(tconvmat.explain(input_shape=(3, 5), kernel_shape=(2, 3), stride=(2, 1))).split()
    )
    assert "this layer alone draws stripes on a flat input" in text


def _piped(args: list[str], capsys) -> str:
    assert main(["explain", *args]) == 0
    return capsys.readouterr().out


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- finding 4: the demonstration is fixed, 2-D, with positive uniform kernels --------------


def test_the_checkerboard_demo_says_what_it_is(capsys):
    text = _flat(_piped(["--input", "1,10,3,7", "--kernel", "1,2,3", "--padding", "0"], capsys))
    assert "A fixed 2-D demonstration, not this layer" in text
    assert "uniform between 0.05 and 1" in text
    assert "as at initialisation" not in text and "smooth image" not in text
    kernel = checkerboard._kernel("random", 3, 1)
    assert (kernel >= checkerboard.RANDOM_LOW).all() and (kernel < checkerboard.RANDOM_HIGH).all()
