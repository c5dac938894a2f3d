"""TensorFlow's ``tf.nn.conv{1,2,3}d_transpose`` and Keras's ``Conv{1,2,3}DTranspose``.

Both are the gradient of the forward convolution with 'SAME', 'VALID' or
explicit padding, for an output of a given size: a window (crops) of the
uncropped scatter, the kernel in PyTorch's orientation.
"""

from __future__ import annotations

from typing import Any

from tconvmat import _validate
from tconvmat import axis as axis_math
from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common
from tconvmat.geometry import Geometry

__all__ = [
    "from_keras",
    "from_keras_options",
    "from_options",
    "from_tensorflow",
    "keras_output_length",
    "to_code",
]


def _tensorflow_crops(
    in_shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    padding: Any,
    output_shape: Any,
    name: str,
) -> list[tuple[int, int]]:
    """Crops of the gradient of ``conv(y; padding)`` for ``y`` of ``output_shape``."""
    ndim = len(in_shape)
    explicit = None
    if isinstance(padding, str):
        mode = padding.upper()
        _validate.choice("padding", mode, ("SAME", "VALID"))
    else:
        explicit = _validate.per_side("padding", padding, ndim, minimum=0)
        mode = "EXPLICIT"
    crops = []
    for axis in range(ndim):
        i, s = in_shape[axis], stride[axis]
        full = axis_math.full_length(i, kernel_shape[axis], s, dilation[axis])
        if output_shape is None:
            size = {"SAME": i * s, "VALID": full}.get(mode)
            if size is None:
                assert explicit is not None
                size = full - explicit[axis][0] - explicit[axis][1]
        else:
            size = _validate.per_axis("output_shape", output_shape, ndim, minimum=1)[axis]
        if mode == "SAME":
            forward = -(-size // s)  # SAME: one window per stride
            low, _ = axis_math.same_padding(size, kernel_shape[axis], s, dilation[axis])
        else:
            low, high = (0, 0) if explicit is None else explicit[axis]
            forward, _ = axis_math.forward_length(
                size, kernel_shape[axis], s, dilation[axis], (low, high)
            )
        if forward != i:
            raise ValueError(
                f"{name}: output_shape[{axis}] ({size}) is not consistent with input {i}: a "
                f"{mode.lower()} convolution of size {size} with kernel {kernel_shape[axis]}, "
                f"stride {s} gives {forward}, not {i}"
            )
        crops.append((low, full - low - size))
    return crops


def from_tensorflow(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: Any = "SAME",
    output_shape: Any = None,
    dilations: Any = 1,
) -> ConvTranspose:
    """``tf.nn.conv{1,2,3}d_transpose``: the gradient of ``tf.nn.conv*d`` with that padding.

    ``output_shape`` (the spatial part) is required by TensorFlow; when
    omitted here it defaults to ``I·s`` for 'SAME' and the full length for
    'VALID'. 'SAME' pads the forward convolution with the odd element at the
    end, so the crop is ``(pad_total // 2, L − pad_total // 2 − output)``.

    Examples
    --------
    >>> from_tensorflow((16,), (3,), strides=2, padding="SAME").crops
    ((0, 1),)
    """
    in_shape, kernel_shape, stride, dilation = common(in_shape, kernel_shape, strides, dilations)
    crops = _tensorflow_crops(
        in_shape, kernel_shape, stride, dilation, padding, output_shape, "from_tensorflow"
    )
    return ConvTranspose.from_crops(
        in_shape, kernel_shape, crops, stride, dilation, framework="tensorflow"
    )


def keras_output_length(
    in_len: int,
    kernel_len: int,
    stride: int,
    padding: str,
    output_padding: int | None,
    dilation: int,
) -> int:
    """Keras's ``deconv_output_length`` (Conv*Transpose): the output length it asks for.

    Examples
    --------
    >>> keras_output_length(16, 3, 2, "same", None, 1)
    32
    >>> keras_output_length(16, 3, 2, "valid", None, 1)
    33
    """
    extent = axis_math.extent(kernel_len, dilation)
    if output_padding is None:
        if padding == "valid":
            return in_len * stride + max(extent - stride, 0)
        return in_len * stride
    pad = extent // 2 if padding == "same" else 0
    return axis_math.output_length(
        in_len, kernel_len, stride, dilation, axis_math.pytorch_crop((pad, pad), output_padding)
    )


def from_keras(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    dilation_rate: Any = 1,
) -> ConvTranspose:
    """``keras.layers.Conv{1,2,3}DTranspose``: Keras's output length, then TensorFlow's crops.

    Examples
    --------
    >>> from_keras((16,), (3,), strides=2, padding="same").out_shape
    (32,)
    """
    in_shape, kernel_shape, stride, dilation = common(
        in_shape, kernel_shape, strides, dilation_rate
    )
    mode = _validate.choice("padding", str(padding).lower(), ("same", "valid"))
    ndim = len(in_shape)
    extra = (
        None
        if output_padding is None
        else _validate.per_axis("output_padding", output_padding, ndim, minimum=0)
    )
    sizes = tuple(
        keras_output_length(
            in_shape[a],
            kernel_shape[a],
            stride[a],
            mode,
            None if extra is None else extra[a],
            dilation[a],
        )
        for a in range(ndim)
    )
    crops = _tensorflow_crops(in_shape, kernel_shape, stride, dilation, mode, sizes, "from_keras")
    return ConvTranspose.from_crops(
        in_shape, kernel_shape, crops, stride, dilation, framework="keras"
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


def from_keras_options(options: Options) -> ConvTranspose:
    """:func:`from_keras` from the command line's options (an explicit 0 means 0)."""
    return from_keras(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        str(options.padding),
        options.output_padding,
        options.dilation,
    )


def to_code(geometry: Geometry) -> str:
    """TensorFlow code (``tf.nn.conv{N}d_transpose``, explicit padding) for this geometry.

    TensorFlow is not installed where tconvmat is tested, so this code is checked
    against the documented semantics only: the gradient of ``conv{N}d`` with explicit
    padding equal to the crops; negative crops become ``tf.pad`` afterwards.
    """
    code.check_dimensions(geometry, "TensorFlow")
    if geometry.groups != 1:
        raise ValueError("tf.nn.conv_transpose has no groups")
    spatial = code.letters(geometry)
    padding = [[0, 0], *([max(lo, 0), max(hi, 0)] for lo, hi in geometry.crops), [0, 0]]
    out = [
        "x.shape[0]",
        *(
            str(n + min(lo, 0) + min(hi, 0))
            for n, (lo, hi) in zip(geometry.out_shape, geometry.crops, strict=True)
        ),
        "weight.shape[1]",
    ]
    order = [*range(2, 2 + geometry.ndim), 1, 0]
    body = [
        f"filters = tf.transpose(weight, {order})  # (*kernel, C_out, C_in): TensorFlow's layout",
    ]
    if geometry.flip_kernel:
        body.append(f"filters = tf.reverse(filters, axis={list(range(geometry.ndim))})")
    body.append(
        f"y = tf.nn.conv{geometry.ndim}d_transpose(x, filters, output_shape=[{', '.join(out)}], "
        f"strides={list(geometry.stride)}, padding={padding}, "
        f"dilations={list(geometry.dilation)})"
    )
    extend = [[0, 0], *([max(-lo, 0), max(-hi, 0)] for lo, hi in geometry.crops), [0, 0]]
    if any(v for pair in extend for v in pair):
        body.append(f"y = tf.pad(y, {extend})")
    body.append("return y")
    lines = [
        "import tensorflow as tf",
        "",
        "",
        "def conv_transpose(x, weight):",
        f"    # x: (N, *in_shape, C_in), N{spatial}C; weight: (C_in, C_out, *kernel_shape)",
    ]
    return "\n".join(lines + ["    " + line for line in body])
