"""NumPy drop-ins for ``torch.nn.functional.conv{,_transpose}{1,2,3}d``.

Same signatures, layouts and results as PyTorch: input ``(N, C, *spatial)``
or unbatched ``(C, *spatial)``; transposed weight ``(in_channels,
out_channels // groups, *kernel)``; forward weight ``(out_channels,
in_channels // groups, *kernel)``. One extra keyword, ``method``, picks the
route.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.core import arrays, rules, validation

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
]


def _check_layout(
    function: str, ndim: int, input: Any, weight: Any
) -> tuple[np.ndarray, np.ndarray]:
    input = arrays.as_numeric("input", input)
    weight = arrays.as_numeric("weight", weight)
    if input.ndim not in (ndim + 1, ndim + 2):
        raise ValueError(
            f"{function} expects input of {ndim + 1} dimensions (unbatched) or "
            f"{ndim + 2} (batched), got shape {input.shape}"
        )
    if weight.ndim != ndim + 2:
        raise ValueError(
            f"{function} expects weight of {ndim + 2} dimensions, got shape {weight.shape}"
        )
    return input, weight


def _add_bias(y: np.ndarray, bias: Any, channels: int, spatial_ndim: int) -> np.ndarray:
    if bias is None:
        return y
    bias = arrays.as_numeric("bias", bias)
    if bias.shape != (channels,):
        raise ValueError(f"bias has shape {bias.shape}, but the output has {channels} channels")
    return y + bias.reshape((channels,) + (1,) * spatial_ndim)


def _check_groups(groups: Any, weight: np.ndarray, function: str) -> int:
    """``groups`` >= 1, and a weight with at least one kernel on its first two axes."""
    groups = validation.as_int("groups", groups)
    if groups < 1:
        raise ValueError(f"groups ({groups}) must be >= 1")
    for position in (0, 1):
        if weight.shape[position] == 0:
            raise ValueError(
                f"{function}: weight.shape[{position}] is 0 (weight shape {weight.shape}); "
                "a convolution needs at least one kernel there (PyTorch refuses it too)"
            )
    return groups


def _check_channels(input: np.ndarray, expected: int, ndim: int, rule: str) -> None:
    channels = input.shape[-ndim - 1]
    if channels != expected:
        raise ValueError(f"input has {channels} channels, but {rule} is {expected}")


def _conv_transpose(
    ndim: int,
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    groups: Any,
    dilation: Any,
    method: str,
) -> np.ndarray:
    input, weight = _check_layout(f"conv_transpose{ndim}d", ndim, input, weight)
    groups = _check_groups(groups, weight, f"conv_transpose{ndim}d")
    _check_channels(input, weight.shape[0], ndim, "weight.shape[0] (in_channels)")
    key = (input.shape[-ndim:], weight.shape, stride, padding, dilation, output_padding, groups)
    try:
        geometry = _transposed(*key)
    except TypeError as error:
        if "unhashable" not in str(error):
            raise
        geometry = _transposed.__wrapped__(*key)  # a list or an array as a parameter
    y = geometry.apply(input, weight, method=method)
    return _add_bias(y, bias, geometry.out_channels, ndim)


@lru_cache(maxsize=256)
def _transposed(
    in_shape: tuple[int, ...],
    weight_shape: tuple[int, ...],
    stride: Any,
    padding: Any,
    dilation: Any,
    output_padding: Any,
    groups: int,
) -> ConvTranspose:
    """The geometry of a call, built (and validated) once per shapes and parameters."""
    return ConvTranspose(
        in_shape,
        weight_shape[2:],
        stride=stride,
        padding=padding,
        dilation=dilation,
        output_padding=output_padding,
        in_channels=weight_shape[0],
        out_channels=weight_shape[1] * groups,
        groups=groups,
    )


def _forward_padding(
    padding: Any,
    in_shape: tuple[int, ...],
    kernel: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> tuple[tuple[int, int], ...]:
    ndim = len(in_shape)
    if isinstance(padding, str):
        validation.choice("padding", padding, ("valid", "same"))
        if padding == "valid":
            return ((0, 0),) * ndim
        if any(s != 1 for s in stride):
            raise ValueError(f"padding='same' needs stride 1 on every axis, got stride {stride}")
        return tuple(
            rules.same_padding(n, k, 1, d)
            for n, k, d in zip(in_shape, kernel, dilation, strict=True)
        )
    return validation.per_side("padding", padding, ndim, minimum=0)


def _conv(
    ndim: int,
    input: Any,
    weight: Any,
    bias: Any,
    stride: Any,
    padding: Any,
    dilation: Any,
    groups: Any,
    method: str,
) -> np.ndarray:
    input, weight = _check_layout(f"conv{ndim}d", ndim, input, weight)
    groups = _check_groups(groups, weight, f"conv{ndim}d")
    _check_channels(input, weight.shape[1] * groups, ndim, "weight.shape[1] * groups")
    spatial = input.shape[-ndim:]
    kernel = weight.shape[2:]
    stride = validation.per_axis("stride", stride, ndim, minimum=1)
    dilation = validation.per_axis("dilation", dilation, ndim, minimum=1)
    pads = _forward_padding(padding, spatial, kernel, stride, dilation)
    geometry = ConvTranspose.from_conv(
        spatial, kernel, stride, pads, dilation, weight.shape[0], weight.shape[1] * groups, groups
    )
    x = geometry.conv(input, weight, method=method)
    return _add_bias(x, bias, geometry.in_channels, ndim)


def conv_transpose1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
    *,
    method: str = "auto",
) -> np.ndarray:
    """1-D transposed convolution, as ``torch.nn.functional.conv_transpose1d``.

    Examples
    --------
    >>> conv_transpose1d(np.array([[[1, 10]]]), np.array([[[1, 2]]]), stride=2)
    array([[[ 1,  2, 10, 20]]])
    """
    return _conv_transpose(
        1, input, weight, bias, stride, padding, output_padding, groups, dilation, method
    )


def conv_transpose2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
    *,
    method: str = "auto",
) -> np.ndarray:
    """2-D transposed convolution, as ``torch.nn.functional.conv_transpose2d``.

    Examples
    --------
    >>> x = np.array([[[3, 2, 1], [0, 5, 2], [1, 4, 7]]])
    >>> conv_transpose2d(x, np.array([[[[1, 2], [3, 4]]]]), stride=2, padding=1)[0]
    array([[12,  6,  8,  3],
           [ 0,  5, 10,  2],
           [ 0, 15, 20,  6],
           [ 2,  4,  8,  7]])
    """
    return _conv_transpose(
        2, input, weight, bias, stride, padding, output_padding, groups, dilation, method
    )


def conv_transpose3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    groups: int = 1,
    dilation: Any = 1,
    *,
    method: str = "auto",
) -> np.ndarray:
    """3-D transposed convolution, as ``torch.nn.functional.conv_transpose3d``.

    Examples
    --------
    >>> conv_transpose3d(np.ones((1, 1, 1, 1)), np.ones((1, 1, 2, 2, 2))).shape
    (1, 2, 2, 2)
    """
    return _conv_transpose(
        3, input, weight, bias, stride, padding, output_padding, groups, dilation, method
    )


def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    *,
    method: str = "direct",
) -> np.ndarray:
    """1-D convolution (cross-correlation), as ``torch.nn.functional.conv1d``.

    Examples
    --------
    >>> conv1d(np.array([[[1, 2, 3, 4]]]), np.array([[[1, 10]]]), stride=2)
    array([[[21, 43]]])
    """
    return _conv(1, input, weight, bias, stride, padding, dilation, groups, method)


def conv2d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    *,
    method: str = "direct",
) -> np.ndarray:
    """2-D convolution (cross-correlation), as ``torch.nn.functional.conv2d``.

    Examples
    --------
    >>> conv2d(np.ones((1, 3, 3)), np.ones((1, 1, 2, 2)), padding="same")
    array([[[4., 4., 2.],
            [4., 4., 2.],
            [2., 2., 1.]]])
    """
    return _conv(2, input, weight, bias, stride, padding, dilation, groups, method)


def conv3d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
    *,
    method: str = "direct",
) -> np.ndarray:
    """3-D convolution (cross-correlation), as ``torch.nn.functional.conv3d``.

    Examples
    --------
    >>> conv3d(np.ones((1, 2, 2, 2)), np.ones((1, 1, 2, 2, 2)))
    array([[[[8.]]]])
    """
    return _conv(3, input, weight, bias, stride, padding, dilation, groups, method)
