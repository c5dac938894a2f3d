"""TensorFlow's ``tf.nn.conv{1,2,3}d_transpose``, and TensorFlow code for any geometry.

The gradient of the forward convolution with 'SAME', 'VALID' or explicit padding, for an
output of a given size: a window (crops) of the uncropped scatter
(:func:`tconvmat.core.rules.tensorflow_crops`), the kernel in PyTorch's orientation.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common
from tconvmat.core import rules, validation
from tconvmat.core.geometry import Geometry

__all__ = ["from_options", "from_tensorflow", "to_code"]


def from_tensorflow(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: Any = "SAME",
    output_shape: Any = None,
    dilations: Any = 1,
) -> ConvTranspose:
    """``tf.nn.conv{1,2,3}d_transpose``: the gradient of ``tf.nn.conv*d`` with that padding.

    ``output_shape`` (the spatial part) is required by TensorFlow; when omitted here it
    defaults to ``I·s`` for 'SAME', the whole scatter for 'VALID' and the scatter less
    the padding for explicit ``((lo, hi), ...)`` (2-D only, as in TensorFlow)
    (:func:`tconvmat.core.rules.tensorflow_output_length`). A size whose convolution does not
    give back the input is refused, as TensorFlow refuses it.

    Examples
    --------
    >>> from_tensorflow((16,), (3,), strides=2, padding="SAME").crops
    ((0, 1),)
    >>> from_tensorflow((16,), (3,), strides=2, padding="VALID", output_shape=34).crops
    ((0, -1),)
    """
    in_shape, kernel_shape, stride, dilation = common(
        in_shape, kernel_shape, strides, dilations, layers="tf.nn.conv_transpose's forms"
    )
    ndim = len(in_shape)
    paddings: list[str | tuple[int, int]]
    if isinstance(padding, str):
        mode = validation.choice("padding", padding, ("SAME", "VALID"))
        paddings = [mode] * ndim
    else:
        if ndim != 2:
            raise ValueError(
                f"explicit padding {padding!r}: only tf.nn.conv2d_transpose takes explicit "
                f"padding; in {ndim}-D TensorFlow takes 'SAME' or 'VALID'"
            )
        paddings = list(validation.per_side("padding", padding, ndim, minimum=0))
    axes = list(zip(in_shape, kernel_shape, stride, dilation, paddings, strict=True))
    if output_shape is None:
        sizes = tuple(rules.tensorflow_output_length(*line) for line in axes)
    else:
        sizes = validation.per_axis("output_shape", output_shape, ndim, minimum=1)
    crops = []
    for a, (line, size) in enumerate(zip(axes, sizes, strict=True)):
        try:
            crops.append(rules.tensorflow_crops(*line, size))
        except ValueError as error:
            message = str(error).replace("output_shape", f"output_shape[{a}]", 1)
            raise ValueError(f"from_tensorflow: {message}") from None
    return ConvTranspose.from_crops(
        in_shape, kernel_shape, crops, stride, dilation, framework="tensorflow"
    )


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_tensorflow` from the command line's options."""
    return from_tensorflow(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        options.padding,
        options.output_shape,
        options.dilation,
    )


def _native_mode(geometry: Geometry) -> str | None:
    """'SAME' or 'VALID' when that padding alone gives this geometry's crops on every axis."""
    for mode in ("SAME", "VALID"):
        try:
            found = [
                rules.tensorflow_crops(a.size, a.extent, a.stride, 1, mode, a.output_length)
                for a in geometry.axes
            ]
        except ValueError:
            continue
        if found == list(geometry.crops):
            return mode
    return None


def to_code(geometry: Geometry) -> str:
    """TensorFlow code (``tf.nn.conv{N}d_transpose``) that computes this geometry.

    Where 'SAME' or 'VALID' with the geometry's own output size gives its crops, that is
    the call; otherwise 'VALID' for the whole scatter, then the crops are cut or
    zero-extended (``tf.nn.conv1d_transpose`` and ``conv3d_transpose`` take no explicit
    padding). A dilation is written into the kernel as zeros between taps, because
    TensorFlow's CPU kernels refuse dilations above 1 here. Groups run as one call per
    group. ``x`` is channels last, as TensorFlow computes on the CPU.

    Examples
    --------
    >>> same = from_tensorflow((16, 16), (3, 3), strides=2, padding="SAME")
    >>> print(to_code(same).split("def conv_transpose")[1])  # doctest: +ELLIPSIS
    (x, weight):
        # x: (N, *in_shape, C_in), channels last; weight: (C_in, C_out // groups, ...
        # returns (N, *out_shape, C_out)
        filters = tf.transpose(weight, (2, 3, 1, 0))  # (*kernel_shape, C_out, C_in): ...
        y = tf.nn.conv2d_transpose(x, filters, [tf.shape(x)[0], 32, 32, 1], ... padding="SAME"...)
        return y
    <BLANKLINE>
    """
    code.check_dimensions(geometry, "TensorFlow")
    mode = _native_mode(geometry)
    sizes = geometry.out_shape if mode else geometry.full_shape
    cout = geometry.out_channels // geometry.groups
    body = code.dilate_kernel(geometry)
    if geometry.flip_kernel:
        body.append(
            f"weight = tf.reverse(weight, axis={list(code.spatial_axes(geometry))})"
            f"  # {geometry.framework}'s orientation"
        )
    order = (*code.spatial_axes(geometry), 1, 0)
    body.append(
        f"filters = tf.transpose(weight, {order})  # (*kernel_shape, C_out, C_in): TensorFlow's"
    )
    shape = f"[tf.shape(x)[0], {', '.join(map(str, sizes))}, {cout}]"
    call = (
        f"tf.nn.conv{geometry.ndim}d_transpose({{x}}, {{w}}, {shape}, "
        f'strides={list(geometry.stride)}, padding="{mode or "VALID"}")'
    )
    body += code.channels_last_call(
        geometry,
        call,
        join="tf.concat(parts, axis=-1)",
        pad="tf.pad",
        weight="filters",
        exact=mode is not None,
    )
    imports = ["import tensorflow as tf"]
    if max(geometry.dilation) > 1:
        imports.insert(0, "import numpy as np")
    return code.function(geometry, "TensorFlow", imports, code.CHANNELS_LAST, body)
