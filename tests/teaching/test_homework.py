"""For the homework (issue 19 item 6): the PyTorch line reproduces y when run, the autoencoder
walk's sizes are PyTorch's, output_size= picks the size, and the name is explained."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import tconvmat
from tconvmat.problem import Problem
from tconvmat.teaching.explanation.homework import WALK, pytorch_lines, shape_walk

PROBLEMS = {
    "worked": {},
    "channels": {"input_shape": (3, 3), "in_channels": 2, "out_channels": 4, "groups": 2},
    "3-D": {"input_shape": (2, 2, 2), "kernel_shape": (2, 2, 2)},
    "1-D dilated": {"input": "1,10,3,7", "kernel": "1,2,3", "padding": 0, "dilation": 2},
    "op and asymmetric stride": {
        "input_shape": (3, 5),
        "kernel_shape": (2, 3),
        "stride": (2, 1),
        "output_padding": (1, 0),
    },
    "floats": {"input": "0.5,-1.25;2,3", "kernel": "1,-2;0.5,4"},
}


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_the_printed_pytorch_code_gives_this_y(name):
    problem = Problem.build(**PROBLEMS[name])
    code = pytorch_lines(problem)
    assert code is not None
    assert code in str(tconvmat.explain(**PROBLEMS[name]))
    scope: dict = {}
    exec(code, scope)  # the code as printed, run by PyTorch
    y = scope["y"].numpy()[0]
    y = y[0] if problem.geometry.single_channel else y
    np.testing.assert_allclose(y, problem.output())


def test_the_autoencoder_walk_is_pytorchs():
    rows = shape_walk()
    assert [size for *_, size in rows] == [28, 14, 7, 13, 14, 27, 28]
    h = torch.zeros(1, 1, 28, 28)
    for name, module, size in rows[1:]:
        layer = eval(module, {"nn": nn})  # our own table's text, not user input
        out = layer(h)  # "as is" and its output_padding twin both read the same h
        assert out.shape[-1] == size, (name, module)
        if name == "encoder" or "output_padding" in name:
            h = out
    first = nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1)
    code = torch.zeros(1, 32, 7, 7)
    assert first(code, output_size=[14, 14]).shape[-1] == 14
    assert first(code, output_size=[13, 13]).shape[-1] == 13
    with pytest.raises(ValueError):
        first(code, output_size=[15, 15])
    text = " ".join(str(tconvmat.explain()).split())
    assert (
        "output_size=skip.shape[-2:]" in text and "(for the first decoder layer 13 or 14)" in text
    )
    assert "28 and 27 both give 14; 14 and 13 both give 7" in text
    assert WALK.size == 28


def test_why_deconvolution_is_a_misnomer():
    text = " ".join(str(tconvmat.explain()).split())
    assert 'Why "deconvolution" is a misnomer' in text
    assert "here C is 9 × 16, not even square, so it has no inverse at all" in text
