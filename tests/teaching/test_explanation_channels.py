"""Channels and groups explained in full (issue 19 item 3): counts, names, the figure, a
groups = 1 example where channels add, and one pair step by step; numbers from PyTorch."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

import tconvmat
from tconvmat.problem import counting

GROUPED = tconvmat.explain(input_shape=(3, 3), in_channels=2, out_channels=4, groups=2)
TEXT = str(GROUPED)
FLAT = " ".join(TEXT.split())


def _torch(x: np.ndarray, w: np.ndarray, groups: int) -> np.ndarray:
    y = F.conv_transpose2d(
        torch.from_numpy(x[None]).double(),
        torch.from_numpy(w).double(),
        stride=2,
        padding=1,
        groups=groups,
    )
    return y.numpy()[0]


def test_counts_and_names():
    summary = TEXT[: TEXT.index("## What")]
    assert "Each of the 18 input values (2 channels of 9)" in " ".join(summary.split())
    assert "Each of the 9 input values" not in FLAT
    assert "output channel 0:\n 4   6   8   9" in summary and "slice 0" not in summary
    assert "kernel w[1, 0] (input channel 1 → output channel 2)" in TEXT
    assert "(input channels, output channels per group, kernel rows × columns)" in FLAT


def test_the_channel_case_gets_every_section_and_figure():
    keys = [s.key for s in GROUPED.sections]
    for key in ("channels", "scatter", "views", "matrix", "sums", "effects", "overlap"):
        assert key in keys
    names = {f.name for f in GROUPED.figures}
    assert {"channels", "scatter_steps", "zero_insertion", "polyphase", "matrix"} <= names
    assert "In them x is x[0], w is w[0, 0], and y is this pair's part of output channel 0" in FLAT


def test_the_pair_walked_is_output_channel_0_of_pytorch():
    p = GROUPED.problem
    expected = _torch(p.x, p.kernel, 2)
    np.testing.assert_array_equal(GROUPED.output, expected)
    pair = p.pair(0, 0)
    np.testing.assert_array_equal(pair.output(), expected[0])  # one input channel per group
    assert "y[3,3] = w[0,0]·x[2,2] = 1·9 = 9" in TEXT


def test_with_groups_1_the_channels_visibly_add():
    assert "With groups = 1 the same 2 input channels all feed every output channel" in FLAT
    x = counting((2, 3, 3))
    w = counting((2, 4, 2, 2))
    y0 = _torch(x, w, 1)[0]
    block = TEXT[TEXT.index("Output channel 0 with groups = 1:") :]
    assert "sum = y[0] = ConvT(x[0], w[0, 0]) + ConvT(x[1], w[1, 0]):" in block
    printed = block[block.index("ConvT(x[1], w[1, 0]):\n") :].split("\n")[1:5]
    np.testing.assert_array_equal(np.array([r.split() for r in printed], dtype=float), y0)


def test_the_channel_figure_draws_pytorchs_contributions():
    figure = next(f for f in GROUPED.figures if f.name == "channels").draw()
    titles = [panel.title for panel in figure.panels]
    # one input channel per group: its row shows it, then each kernel and output, once
    assert titles[:5] == [
        "input ch 0 (group 0)",
        "through w[0, 0]",
        "= output ch 0",
        "through w[0, 1]",
        "= output ch 1",
    ]
    assert "= output ch 3" in titles
    dense = tconvmat.explain(input_shape=(3, 3), in_channels=3, out_channels=2, groups=1)
    titles = [panel.title for panel in next(iter(dense.figures)).draw().panels]
    assert titles[:7] == [
        "input ch 0 (group 0)",
        "input ch 1 (group 0)",
        "input ch 2 (group 0)",
        "input ch 0 through w[0, 0]",
        "+ input ch 1 through w[1, 0]",
        "+ input ch 2 through w[2, 0]",
        "= output ch 0 (group 0)",
    ]


def test_channels_and_groups_against_pytorch():
    explanation = tconvmat.explain(
        input_shape=(3, 3),
        kernel_shape=(2, 2),
        in_channels=2,
        out_channels=4,
        groups=2,
        compare_pytorch=True,
    )
    p = explanation.problem
    expected = F.conv_transpose2d(
        torch.from_numpy(p.x[None]).double(),
        torch.from_numpy(p.kernel).double(),
        stride=2,
        padding=1,
        groups=2,
    ).numpy()[0]
    np.testing.assert_array_equal(explanation.output, expected)
    text = str(explanation)
    assert "Output channel 3 (group 1):" in text
    assert "from input channel 1 (kernel w[1, 1])" in text
    assert "- PyTorch: agrees" in text
