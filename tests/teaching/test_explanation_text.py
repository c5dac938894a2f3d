"""What the explanation says is true (issue 19, "wrong or misleading today"): names, borders,
dilation, grammar; each statement checked against an independent computation."""

from __future__ import annotations

import re

import numpy as np
import torch
import torch.nn.functional as F
from scipy.signal import correlate2d

import tconvmat
from tconvmat import plots


def flat(text: str) -> str:
    return " ".join(text.split())


WORKED = str(tconvmat.explain())


def test_the_convolution_is_not_named_with_the_transposed_convolutions_letters():
    # d2l, Dumoulin & Visin and PyTorch call the convolution's input x; ours is y = Cᵀx, so the
    # convolution gets its own letters (u in, v out) instead of "x = C·y"
    text = flat(WORKED)
    assert "x = C·y" not in text and "v = C·u, with u its input and v its output" in text
    assert "| matrix | v = C·u | y = Cᵀx |" in WORKED


def test_a_phase_shares_its_taps_only_away_from_the_borders():
    text = flat(WORKED)
    assert "away from the borders, all outputs of a phase are made by the same taps" in text
    # the claim as stated: output 0 and output 2 of a 3-tap, stride-2 kernel share a phase,
    # but output 0 gets fewer taps (the border) — counted by PyTorch on ones
    ones = F.conv_transpose1d(torch.ones(1, 1, 3), torch.ones(1, 1, 3), stride=2)[0, 0]
    assert ones.tolist() == [1.0, 1.0, 2.0, 1.0, 2.0, 1.0, 1.0]


def test_dilation_slides_a_dilated_reversed_kernel():
    explanation = tconvmat.explain(dilation=2)
    text = str(explanation)
    assert "reversed, dilated kernel\n4  0  3\n0  0  0\n2  0  1" in text
    assert "2×2 becomes 3×3" in flat(text)
    block = text[text.index("The zero-inserted, padded input") :]
    grid = block[block.index("```\n") + 4 : block.index("\n\nreversed, dilated kernel")]
    padded = np.array([[int(v) for v in row.split()] for row in grid.splitlines()])
    kernel = np.array([[4, 0, 3], [0, 0, 0], [2, 0, 1]])
    # sliding the printed kernel over the printed grid at stride 1 gives PyTorch's answer
    x = torch.tensor([[3.0, 2, 1], [0, 5, 2], [1, 4, 7]])[None, None]
    w = torch.tensor([[1.0, 2], [3, 4]])[None, None]
    expected = F.conv_transpose2d(x, w, stride=2, padding=1, dilation=2)[0, 0].numpy()
    np.testing.assert_array_equal(correlate2d(padded, kernel, mode="valid"), expected)


def test_the_inverse_claim_is_about_linear_maps_from_x_alone():
    text = flat(WORKED)
    assert "no decoder can bring them back" not in text
    assert "no linear map from x alone can bring them back" in text


def test_the_scatter_figure_does_not_crop_when_nothing_is_cropped():
    g = tconvmat.ConvTranspose((3, 3), (2, 2), stride=2, padding=0)
    title = plots.plot_scatter_steps(g).board.title
    assert "nothing is cropped (padding 0)" in title and "crops the border" not in title
    cropped = plots.plot_scatter_steps().board.title
    assert "the padding crops the border" in cropped


def test_one_dimensional_phases_and_articles_read_as_english():
    text = flat(str(tconvmat.explain(input="1,10,3,7", kernel="1,2,3", padding=0)))
    assert "There are 2 phases (2)" not in text
    assert "There are 2 phases, one per remainder modulo the stride 2" in text
    assert not re.search(r"\ba (output|input|8)", text)


def test_the_symbolic_kernel_is_w_in_every_form():
    explanation = tconvmat.explain(input_shape=(3,), kernel_shape=(3,), symbolic=True)
    section = next(s for s in explanation.sections if s.key == "symbols")
    latex = next(p for p in section.parts if hasattr(p, "lines")).lines[0]
    assert "{w}_{1}" in latex and "{k}" not in latex
