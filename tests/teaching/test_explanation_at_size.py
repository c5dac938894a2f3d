"""The explanation of a large problem reads like the worked example's (teacher review 2, N2,
N3, N4 and findings 13, 15): runs of zeros cut, every reached output's sum listed, a few
representative stamps with the canvas cropped around each, exercises that add something up.
Every number is checked against PyTorch."""

from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat.cli import main

STRIDE_1000 = ["--input", "1,2,3", "--kernel", "1,2", "--stride", "1000", "--width", "80"]
SIXTEEN = ["--input-shape", "16x16", "--kernel-shape", "3x3", "--stride", "2", "--padding", "1"]


def _piped(args: list[str], capsys) -> str:
    assert main(["explain", *args]) == 0
    return capsys.readouterr().out


def test_stride_1000_is_short_and_lists_every_reached_output_with_pytorchs_sum(capsys):
    text = _piped(STRIDE_1000, capsys)
    assert len(text.splitlines()) < 400  # 1970 lines before
    y = F.conv_transpose1d(
        torch.tensor([[[1.0, 2, 3]]]), torch.tensor([[[1.0, 2]]]), stride=1000, padding=1
    )[0, 0]
    reached = {999: 2, 1000: 4, 1999: 3, 0: 2}
    for t, value in reached.items():
        assert y[t].item() == value
        assert re.search(rf"^y\[{t}\] = w\[\d\]·x\[\d\] = \d·\d = {value}$", text, re.M), t
    assert int(torch.count_nonzero(y)) == len(reached)
    # the rest grouped, with how many: 998 between y[0] and y[999], 998 between y[1000] and y[1999]
    assert "y[1] … y[998] = 0: no stamp reaches these 998 outputs" in text
    assert "y[1001] … y[1998] = 0: no stamp reaches these 998 outputs" in text
    assert "the same way" not in text.split("Each output as a sum")[1].split("\n\n\n")[0]
    # 1-D grids speak of positions, and cut the zeros as the figures do
    assert not re.search(r"^columns? \d", text, re.M)
    assert "positions 2–997:      996 zeros" in text
    assert "positions 998–1001:   0  2  4  0" in text  # y[998..1001], PyTorch's values
    assert y[998:1002].tolist() == [0, 2, 4, 0]


def _block(text: str, caption: str) -> tuple[str, np.ndarray, list[int], list[int]]:
    """The grid printed under the caption that starts with ``caption``: its whole caption,
    its values, and the row and column numbers it is labelled with (a box of the canvas is
    numbered as the canvas is)."""
    _, _, rest = text.partition(caption)
    assert rest, caption
    title, _, body = rest.partition(":\n\n")
    header, *rows = body.split("\n\n")[0].splitlines()
    labels = [row.split()[0] for row in rows]
    assert all(label.endswith(":") for label in labels), labels
    values = np.array([[float(v) for v in row.split()[1:]] for row in rows])
    return (
        caption + title,
        values,
        [int(label[:-1]) for label in labels],
        [int(c) for c in header.split()],
    )


def test_sixteen_shows_three_stamps_each_cropped_around_it_with_pytorchs_canvas(capsys):
    text = _piped(SIXTEEN, capsys)
    assert len(text.splitlines()) < 650  # 1656 before
    x = torch.arange(1.0, 257).reshape(1, 1, 16, 16)
    w = torch.arange(1.0, 10).reshape(1, 1, 3, 3)
    steps = re.findall(r"^Step (\d+) of 256: x\[(\d+),(\d+)\]", text, re.M)
    assert steps == [("1", "0", "0"), ("137", "8", "8"), ("256", "15", "15")]
    for step, _, _ in steps:
        caption, shown, row_numbers, column_numbers = _block(text, f"Step {step} of 256")
        box = re.search(r"canvas\[(\d+):(\d+), (\d+):(\d+)\] is now", " ".join(caption.split()))
        r0, r1, c0, c1 = map(int, box.groups())
        assert row_numbers == list(range(r0, r1)) and column_numbers == list(range(c0, c1))
        before = x.flatten().clone()
        before[int(step) :] = 0  # the stamps up to this one
        canvas = F.conv_transpose2d(before.reshape(1, 1, 16, 16), w, stride=2)[0, 0]
        np.testing.assert_array_equal(shown, canvas[r0:r1, c0:c1].numpy())
    # the interior stamp shows the overlap with the row of stamps above it: 2472 at y[15,15]
    y = F.conv_transpose2d(x, w, stride=2, padding=1)[0, 0]
    assert y[15, 15].item() == 2472
    _, interior, _, _ = _block(text, "Step 137 of 256")
    assert 2472 in interior
    flat = " ".join(text.split())
    assert "its top-left corner canvas[0:8, 0:8]" in flat and "keep canvas[1:32, 1:32]" in flat


def test_three_d_steps_number_the_slices_of_the_canvas(capsys):
    text = _piped(["--input-shape", "4x4x4", "--kernel-shape", "2x2x2", "--stride", "2"], capsys)
    assert len(text.splitlines()) < 750  # 1849 before
    step = text.split("Step 43 of 64")[1].split("Step 64 of 64")[0]
    assert "canvas[3:7, 3:7, 3:7] is now" in " ".join(step.split())
    assert re.findall(r"^slice (\d+):", step, re.M) == ["3", "4", "5", "6"]


def test_output_padding_names_indices_and_counts_apart():
    """N3: ``gains 2 positions … (canvas indices 8, 9): zeros``, PyTorch's zeros there."""
    text = " ".join(
        str(
            tconvmat.explain(input="1,2,3", kernel="1,2", stride=3, padding=0, output_padding=2)
        ).split()
    )
    assert "gains 2 positions past the canvas's end (canvas indices 8, 9): zeros." in text
    y = F.conv_transpose1d(
        torch.tensor([[[1.0, 2, 3]]]), torch.tensor([[[1.0, 2]]]), stride=3, output_padding=2
    )[0, 0]
    assert y.shape[0] == 10 and y[8:].tolist() == [0, 0] and y[7].item() == 6


def _reach(exercise, x: np.ndarray) -> int:
    """How many (input, tap) pairs with ``x`` non-zero reach the marked output (PyTorch)."""
    g = exercise.problem.geometry
    n = g.ndim
    out = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[n - 1](
        torch.tensor(x, dtype=torch.float64)[None, None],
        torch.ones((1, 1, *g.kernel_shape), dtype=torch.float64),
        stride=g.stride,
        padding=tuple(lo for lo, _ in g.padding),
        output_padding=g.output_padding,
        dilation=g.dilation,
    )[0, 0]
    return int(out[exercise.marked].item())


def test_overlap_and_which_taps_exercises_mark_a_sum_of_two_non_zero_products():
    """N4 / 13: over seeds 1-5 (50 items) every "overlap" item and every "which taps" item
    of a problem that can overlap marks an output with at least 2 taps and 2 non-zero
    products; no marked answer is 0 for want of a non-zero input."""
    asked = 0
    for seed in range(1, 6):
        for exercise in tconvmat.exercises(10, seed=seed):
            if not exercise.marked:
                continue
            x = np.asarray(exercise.problem.x, dtype=float)
            taps, products = _reach(exercise, np.ones_like(x)), _reach(exercise, x != 0)
            assert products >= 1, (seed, exercise.number)
            which = exercise.task.startswith("say which input values")
            if exercise.kind == "overlap" or (which and exercise.kind != "no overlap"):
                asked += 1
                assert taps >= 2 and products >= 2, (seed, exercise.number, exercise.marked)
    assert asked >= 10
