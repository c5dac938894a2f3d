"""The polyphase figure draws, per phase, the kernel that slides over x (teacher review 2, N1):
read back from the figure's panels (their numbers and the padding in their titles), each
drawn kernel reproduces its phase of y with PyTorch's F.conv1d/conv2d/conv3d."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch_reference import conv_transpose

from tconvmat import ConvTranspose, plots
from tconvmat.plots import _style

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}

PROBLEMS = [
    ((3, 3), (2, 2), {"stride": 2, "padding": 1}),  # the worked example's sizes
    ((4, 4), (3, 3), {"stride": 2}),
    ((4, 4), (3, 3), {"stride": 2, "padding": 1, "output_padding": 1}),
    ((4, 4), (3, 3), {"stride": 2, "padding": 1, "dilation": 3}),  # zeros between taps
    ((3, 5), (2, 3), {"stride": (2, 1)}),
    ((5,), (4,), {"stride": 3, "padding": 2}),
    ((3,), (2,), {"stride": 1000, "padding": 1}),  # 998 phases receive no tap
    ((1, 2, 2), (2, 2, 2), {"stride": 2}),  # 3-D, drawn whole (slices side by side)
]


def _unflat(grid: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Undo :func:`tconvmat.plots._style.flat` for a grid of ``shape``."""
    if len(shape) == 1:
        return grid.reshape(shape)
    if len(shape) == 2:
        return grid
    depth, rows, columns = shape
    return grid.reshape(rows, depth, columns).transpose(1, 0, 2)


@pytest.mark.parametrize(("in_shape", "kernel_shape", "options"), PROBLEMS)
def test_each_drawn_sliding_kernel_reproduces_its_phase_with_pytorch(
    in_shape, kernel_shape, options
):
    g = ConvTranspose(in_shape, kernel_shape, **options)
    rng = np.random.default_rng(0)
    x = rng.integers(1, 9, in_shape)
    kernel = rng.integers(1, 9, kernel_shape)
    w = kernel.reshape(g.weight_shape).astype(float)
    y = conv_transpose(g, x.reshape(1, 1, *in_shape).astype(float), w)
    y = y[0, 0]
    figure = plots.plot_polyphase(g, x, kernel)
    slides = [p for p in figure.panels if p.title.startswith("slides over x")]
    phases = [p for p in figure.panels if re.fullmatch(r"y\[[^\]]+\]", p.title)]
    assert slides and len(slides) == len(phases)
    for slide, phase in zip(slides, phases, strict=True):
        assert not slide.breaks
        pads = [tuple(map(int, p)) for p in re.findall(r"\((-?\d+), (-?\d+)\)", slide.title)]
        assert len(pads) == g.ndim
        drawn = np.array([[float(t) for t in row] for row in slide.labels])
        ndim = g.ndim
        if ndim == 3:  # slices side by side, ``col_groups`` columns each
            depth = drawn.shape[1] // slide.col_groups
            weights = _unflat(drawn, (depth, drawn.shape[0], slide.col_groups))
        else:
            weights = drawn.reshape(-1) if ndim == 1 else drawn
        padded = F.pad(
            torch.tensor(x, dtype=torch.float64).reshape(1, 1, *in_shape),
            [n for pair in reversed(pads) for n in pair],  # F.pad: last axis first
        )
        kernel_t = torch.tensor(weights, dtype=torch.float64).reshape(1, 1, *weights.shape)
        got = CONV[ndim](padded, kernel_t)[0, 0].numpy()
        window = tuple(
            slice(int(a), None, int(s))
            for a, s in (part.split("::") for part in phase.title[2:-1].split(", "))
        )
        np.testing.assert_allclose(got, y[window], err_msg=phase.title)


def test_the_title_and_labels_say_what_the_text_says():
    figure = plots.plot_polyphase(ConvTranspose((4, 4), (3, 3), stride=2, padding=1))
    assert "stride-1 correlations with the reversed sub-kernels" in figure.board.title
    assert "convolutions with sub-kernels" not in figure.board.title
    titles = [p.title for p in figure.panels]
    assert sum(t.endswith("which taps of w") for t in titles) == 4
    # phase [0,1] of the 3×3 kernel: taps w[1,0] = 4 and w[1,2] = 6, two cells apart in w,
    # slide as the neighbours 6, 4 (reversed)
    which = [t for t in titles if t.endswith("which taps of w")]
    slides = [p for p in figure.panels if p.title.startswith("slides over x")]
    slide = slides[which.index("phase [0,1]\nwhich taps of w")]
    assert slide.labels == [["6", "4"]]
    assert slide.faces.tolist() == [_style.tap_colors(9)[5:6] + _style.tap_colors(9)[3:4]]
