"""Bad input: a clear error naming the parameter, the value and the rule."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tconvmat
from tconvmat import ConvTranspose, functional


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"stride": 0}, ValueError, r"stride \(0\) must be >= 1"),
        ({"stride": (1, -2)}, ValueError, r"stride\[1\] \(-2\) must be >= 1"),
        ({"dilation": 0}, ValueError, r"dilation \(0\) must be >= 1"),
        ({"padding": -1}, ValueError, r"padding \(-1\) must be >= 0"),
        ({"padding": (0, -1)}, ValueError, r"padding\[1\] \(-1, -1\) must be >= 0"),
        ({"padding": ((0, 1), (2, -1))}, ValueError, r"padding\[1\] \(2, -1\) must be >= 0"),
        ({"output_padding": -1}, ValueError, r"output_padding \(-1\) must be >= 0"),
        (
            {"stride": 2, "output_padding": 2},
            ValueError,
            r"output_padding \(2\) must be smaller than stride \(2\) or dilation \(1\)",
        ),
        ({"stride": (1, 2, 3)}, ValueError, r"stride \(1, 2, 3\) has 3 entries .* 2 spatial"),
        ({"padding": (1, 2, 3)}, ValueError, r"padding \(1, 2, 3\) has 3 entries"),
        ({"padding": ((1, 2, 3), 0)}, ValueError, r"padding\[0\] \(1, 2, 3\) must be an int or a"),
        ({"stride": 1.5}, TypeError, r"stride must be an integer, got 1.5 of type float"),
        ({"stride": True}, TypeError, r"stride must be an integer, got True of type bool"),
        ({"padding": "same"}, TypeError, r"padding must be an integer, got 'same' of type str"),
        ({"dilation": (1, "2")}, TypeError, r"dilation\[1\] must be an integer, got '2'"),
        (
            {"in_channels": 3, "groups": 2, "out_channels": 2},
            ValueError,
            r"in_channels \(3\) must be divisible by groups \(2\)",
        ),
        (
            {"out_channels": 3, "groups": 2, "in_channels": 2},
            ValueError,
            r"out_channels \(3\) must be divisible by groups \(2\)",
        ),
        ({"groups": 0}, ValueError, r"groups \(0\) must be >= 1"),
        ({"in_channels": 0}, ValueError, r"in_channels \(0\) must be >= 1"),
        ({"padding": 3}, ValueError, r"output size on axis 0 would be -2.*reduce the padding"),
    ],
)
def test_geometry_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        ConvTranspose((3, 3), (2, 2), **kwargs)


def test_shape_errors():
    with pytest.raises(ValueError, match=r"kernel_shape \(2,\) has 1 dimension\(s\) but in_shape"):
        ConvTranspose((3, 3), (2,))
    with pytest.raises(ValueError, match=r"in_shape\[1\] \(0\) must be >= 1"):
        ConvTranspose((3, 0), (2, 2))
    with pytest.raises(ValueError, match=r"in_shape must have at least one spatial dimension"):
        ConvTranspose((), ())
    with pytest.raises(TypeError, match=r"kernel_shape\[0\] must be an integer, got 2.0"):
        ConvTranspose((3,), (2.0,))


def test_data_errors():
    g = ConvTranspose((3, 3), (2, 2), stride=2, in_channels=2, out_channels=4, groups=2)
    x = np.ones((2, 3, 3))
    with pytest.raises(
        ValueError, match=r"kernel has shape \(2, 2\), but this geometry needs \(2, 2, 2, 2\)"
    ):
        g.apply(x, np.ones((2, 2)))
    with pytest.raises(
        ValueError, match=r"x has shape \(3, 3\), but this geometry needs \(batch, 2"
    ):
        g.apply(np.ones((3, 3)), np.ones((2, 2, 2, 2)))
    with pytest.raises(ValueError, match=r"method must be one of 'auto', 'matrix', .*; got 'fast'"):
        g.apply(x, np.ones((2, 2, 2, 2)), method="fast")
    with pytest.raises(
        TypeError, match=r"x must hold integers, floats or complex numbers, got dtype <U1"
    ):
        tconvmat.conv_transpose(["a"], [1])
    with pytest.raises(TypeError, match=r"kernel holds booleans \(dtype bool\)"):
        tconvmat.conv_transpose([1.0], [True])
    with pytest.raises(TypeError, match=r"dtype object; for symbols .*use the symbolic routes"):
        tconvmat.conv_transpose(np.array([1], dtype=object), [1])
    with pytest.raises(TypeError, match=r"float16"):
        tconvmat.conv_transpose(np.ones(2, np.float16), [1.0])
    with pytest.raises(ValueError, match=r"x has 2 dimension\(s\) and kernel 1"):
        tconvmat.conv_transpose(np.ones((2, 2)), [1.0])


def test_functional_errors():
    with pytest.raises(
        ValueError, match=r"conv_transpose2d expects input of 3 dimensions \(unbatched\) or 4"
    ):
        functional.conv_transpose2d(np.ones((3, 3)), np.ones((1, 1, 2, 2)))
    with pytest.raises(
        ValueError, match=r"conv2d expects weight of 4 dimensions, got shape \(2, 2\)"
    ):
        functional.conv2d(np.ones((1, 3, 3)), np.ones((2, 2)))
    with pytest.raises(
        ValueError, match=r"input has 2 channels, but weight.shape\[0\] \(in_channels\) is 1"
    ):
        functional.conv_transpose1d(np.ones((2, 3)), np.ones((1, 1, 2)))
    with pytest.raises(
        ValueError, match=r"input has 1 channels, but weight.shape\[1\] \* groups is 2"
    ):
        functional.conv1d(np.ones((1, 3)), np.ones((2, 1, 2)), groups=2)
    with pytest.raises(ValueError, match=r"bias has shape \(3,\), but the output has 2 channels"):
        functional.conv_transpose1d(np.ones((1, 3)), np.ones((1, 2, 2)), bias=np.ones(3))
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1"):
        functional.conv1d(np.ones((1, 5)), np.ones((1, 1, 2)), stride=2, padding="same")
    with pytest.raises(ValueError, match=r"padding must be one of 'valid', 'same'; got 'full'"):
        functional.conv1d(np.ones((1, 5)), np.ones((1, 1, 2)), padding="full")
    with pytest.raises(
        ValueError,
        match=r"input size 2 with padding \(0, 0\) is smaller than the dilated kernel extent 3",
    ):
        functional.conv1d(np.ones((1, 2)), np.ones((1, 1, 3)))


def test_messages_name_the_right_thing():
    with pytest.raises(ValueError, match=r"^groups \(0\) must be >= 1$"):
        functional.conv_transpose2d(np.ones((1, 2, 3, 3)), np.ones((2, 1, 2, 2)), groups=0)
    with pytest.raises(ValueError, match=r"conv2d: weight.shape\[0\] is 0"):
        functional.conv2d(np.ones((1, 2, 3, 3)), np.ones((0, 2, 2, 2)))
    assert tconvmat.ConvTranspose(np.array([3, 3]), (2, 2)).in_shape == (3, 3)
    with pytest.raises(ValueError, match=r"in_shape\[1\] \(0\) must be >= 1"):
        tconvmat.ConvTranspose(np.array([3, 0]), (2, 2))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: ConvTranspose(np.array(3), np.array(2)), ConvTranspose((3,), (2,))),
        (lambda: ConvTranspose(torch.tensor([3, 3]), (2, 2)), ConvTranspose((3, 3), (2, 2))),
        (lambda: ConvTranspose(torch.Size([3, 3]), (2, 2)), ConvTranspose((3, 3), (2, 2))),
        (
            lambda: ConvTranspose((3, 3), (2, 2), stride=torch.tensor(2), dilation=np.int8(1)),
            ConvTranspose((3, 3), (2, 2), stride=2),
        ),
        (
            lambda: ConvTranspose((3, 3), (2, 2), padding=np.array([[1, 0], [0, 1]])),
            ConvTranspose((3, 3), (2, 2), padding=((1, 0), (0, 1))),
        ),
        (
            lambda: ConvTranspose((3, 3), (2, 2), padding=torch.tensor([[1, 0], [0, 1]])),
            ConvTranspose((3, 3), (2, 2), padding=((1, 0), (0, 1))),
        ),
    ],
)
def test_arrays_and_tensors_that_hold_integers_are_integers(make, expected):
    assert make() == expected


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: ConvTranspose((3.5, 3), (2, 2)),
            r"^in_shape\[0\] must be an integer, got 3\.5 of type float$",
        ),
        (
            lambda: ConvTranspose(np.array(3.0), 2),
            r"^in_shape\[0\] must be an integer, got 3\.0 of type ndarray of dtype float64$",
        ),
        (
            lambda: ConvTranspose(torch.tensor([3.0, 3.0]), (2, 2)),
            r"^in_shape\[0\] must be an integer, got 3\.0 of type float$",
        ),
        (lambda: ConvTranspose(True, 2), r"^in_shape\[0\] must be an integer, got True"),
        (
            lambda: ConvTranspose((3, 3), (2, 2), padding=np.zeros((2, 2, 2), int)),
            r"^padding\[0\]\[0\] must be an integer, got \[0, 0\]",
        ),
        (
            lambda: tconvmat.explain(input_shape=(3.5, 3)),
            r"^in_shape\[0\] must be an integer, got 3\.5 of type float$",
        ),
    ],
)
def test_what_is_not_an_integer_is_named_with_its_value_and_never_truncated(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_groups_zero_is_reported_as_groups():
    with pytest.raises(ValueError, match=r"^groups \(0\) must be >= 1$"):
        ConvTranspose((3, 3), (2, 2), in_channels=2, out_channels=2, groups=0)
    with pytest.raises(ValueError, match=r"^groups \(0\) must be >= 1$"):
        tconvmat.conventions.from_onnx((3, 3), (2, 2), group=0)
