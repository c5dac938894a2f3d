"""A large problem's text numbers every box as the canvas does and says truly what it leaves
out (a hostile review of the large-problem text: /work/reviews/large_text.md, findings 1-6).
Every number is checked against PyTorch."""

from __future__ import annotations

import itertools
import re

import numpy as np
import torch
import torch.nn.functional as F

from tconvmat.cli import main


def _piped(args: list[str], capsys) -> str:
    assert main(["explain", "--width", "80", *args]) == 0
    return capsys.readouterr().out


def _sums_section(text: str) -> str:
    return text.split("Each output as a sum of products")[1].split("How each parameter")[0]


def test_a_sparse_problem_lists_every_reached_output_and_counts_the_rest_truly(capsys):
    x = [5, -2, 5, 3, 2, 1, 2, 2, 3, 3, 0, 7, 2, -1, -1, 0, 2, 5, -2, -2, 2, 0, 7, 5, 5]
    args = ["--input", ",".join(map(str, x)), "--kernel", "1,2", "--stride", "5000"]
    sums = _sums_section(_piped([*args, "--padding", "0"], capsys))
    y = F.conv_transpose1d(
        torch.tensor([[x]], dtype=torch.float64),
        torch.tensor([[[1.0, 2]]], dtype=torch.float64),
        stride=5000,
    )[0, 0]
    listed = {
        int(t): float(v) for t, v in re.findall(r"^y\[(\d+)\] = .* = (-?[\d.]+)$", sums, re.M)
    }
    assert len(listed) == 2 * len(x)  # every (input, tap) lands on its own output: all listed
    for t, v in listed.items():
        assert y[t].item() == v
    assert "more output" not in sums and "same way" not in sums


def test_the_outputs_left_out_are_counted_as_pytorch_reaches_them(capsys):
    args = ["--input-shape", "10x10", "--kernel-shape", "2x2", "--stride", "50", "--padding", "1"]
    sums = " ".join(_sums_section(_piped(args, capsys)).split())
    found = re.search(
        r"\(([\d,]+) more outputs: ([\d,]+) of them sums of products like those above, "
        r"([\d,]+) reached by no stamp \(0\)\.\)",
        sums,
    )
    assert found, sums[-300:]
    rest, summed, zeros = (int(g.replace(",", "")) for g in found.groups())
    # which outputs a stamp reaches: PyTorch on ones (no cancellation with positive values)
    ones = F.conv_transpose2d(
        torch.ones(1, 1, 10, 10), torch.ones(1, 1, 2, 2), stride=50, padding=1
    )
    reached = (ones[0, 0] > 0).flatten().numpy()
    written = [int(t) * ones.shape[-1] + int(u) for t, u in re.findall(r"y\[(\d+),(\d+)\] =", sums)]
    shown = max(written) + 1
    assert rest == reached.size - shown
    assert summed == int(np.count_nonzero(reached[shown:])) and zeros == rest - summed


def test_a_1d_box_numbers_positions_as_the_canvas_does(capsys):
    x, w = [2, 3, 5, 5, 7, 1, 2, 7, 5, -1, 2, 5, -1], [1, 2, 3, 4, 5, 6, 7]
    args = ["--input", ",".join(map(str, x)), "--kernel", ",".join(map(str, w))]
    text = _piped([*args, "--stride", "70", "--padding", "0", "--dilation", "7"], capsys)
    step = text.split("Step 7 of 13")[1].split("Step 13 of 13")[0]
    assert "every stamp before it in order" in " ".join(text.split())  # 1-D: no row-major
    before = torch.tensor([[x[:7] + [0] * 6]], dtype=torch.float64)
    kernel = torch.tensor([[w]], dtype=torch.float64)
    canvas = F.conv_transpose1d(before, kernel, stride=70, dilation=7)[0, 0]
    lines = re.findall(r"^positions? (\d+)(?:–(\d+))?: +(.+)$", step, re.M)
    assert lines and int(lines[0][0]) == 378  # canvas[378:505], numbered from 378
    for first, last, values in lines:
        if "zeros" in values:
            assert not canvas[int(first) : int(last) + 1].any()
        else:
            numbers = [float(v) for v in values.split()]
            assert canvas[int(first) : int(first) + len(numbers)].tolist() == numbers
    assert int(first) >= 378 and "x[6] = 2 adds 2·w at canvas positions 420–462" in text


def test_a_wide_2d_box_split_by_columns_names_the_canvas_columns(capsys):
    args = ["--input-shape", "24x24", "--kernel-shape", "7x7", "--stride", "2", "--padding", "3"]
    text = _piped(args, capsys)
    step = text.split("Step 301 of 576")[1].split("Step 576 of 576")[0]
    box = re.search(r"canvas\[(\d+):(\d+), (\d+):(\d+)\]", " ".join(step.split()))
    c0, c1 = int(box[3]), int(box[4])
    spans = [(int(a), int(b)) for a, b in re.findall(r"^columns (\d+)–(\d+):$", step, re.M)]
    assert spans[0][0] == c0 and spans[-1][1] == c1 - 1
    assert all(b + 1 == a for (_, b), (a, _) in itertools.pairwise(spans))


def test_a_wide_dilated_stamp_box_starts_at_the_stamp(capsys):
    args = ["--input-shape", "10x10", "--kernel-shape", "7x7", "--stride", "5", "--padding", "2"]
    text = _piped([*args, "--dilation", "7"], capsys)
    step = " ".join(text.split("Step 56 of 100")[1].split("Step 100 of 100")[0].split())
    assert "at canvas rows 25–67 every 7, columns 25–67 every 7; canvas[25:" in step
