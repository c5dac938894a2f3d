"""Keras 3's ``Conv{1,2,3}DTranspose``, and Keras code for any geometry.

Keras computes these layers with its own padding of the zero-inserted input
(:func:`tconvmat.core.rules.keras_padding`), not TensorFlow's SAME: with ``output_padding``
given, 'same' layers differ from ``tf.nn.conv_transpose``. The rules are Keras's own
(``keras.src.backend.common.backend_utils``) as its JAX backend runs them; its
TensorFlow backend passes the same sizes to ``tf.nn.conv_transpose``, which refuses
some that the JAX backend computes.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common, from_crops
from tconvmat.core import rules, validation
from tconvmat.core.geometry import Geometry

__all__ = ["from_keras", "from_options", "to_code"]


def from_keras(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    dilation_rate: Any = 1,
) -> ConvTranspose:
    """``keras.layers.Conv{1,2,3}DTranspose``: Keras's own crops and output length.

    Refuses what Keras refuses (``output_padding >= strides``, strides above 1 together
    with a dilation above 1, more than 3 dimensions), and the empty outputs Keras returns
    for some 'same' layers with an explicit ``output_padding``.

    Examples
    --------
    >>> from_keras((16,), (3,), strides=2, padding="same").out_shape
    (32,)
    >>> from_keras((3,), (4,), strides=1, padding="same", output_padding=0).crops
    ((2, 2),)
    """
    in_shape, kernel_shape, stride, dilation = common(
        in_shape, kernel_shape, strides, dilation_rate, layers="Keras's Conv1DTranspose-3D"
    )
    if not isinstance(padding, str):
        raise TypeError(f"padding must be 'same' or 'valid', got {padding!r}")
    mode = validation.choice("padding", padding.lower(), ("same", "valid"))
    ndim = len(in_shape)
    extra: tuple[int | None, ...] = (None,) * ndim
    if output_padding is not None:
        extra = validation.per_axis("output_padding", output_padding, ndim, minimum=0)
        for a, (op, s) in enumerate(zip(extra, stride, strict=True)):
            rules.check_output_padding(
                op, s, framework="keras", where=f" on axis {a}" if ndim > 1 else ""
            )
    if max(stride) > 1 and max(dilation) > 1:
        raise ValueError(
            f"strides {stride} above 1 together with dilation_rate {dilation} above 1: Keras "
            "refuses the combination"
        )
    crops = [
        rules.keras_crops(k, s, d, mode, op)
        for k, s, d, op in zip(kernel_shape, stride, dilation, extra, strict=True)
    ]
    return from_crops(
        "from_keras",
        lambda a: f"padding {mode!r} with output_padding {extra[a]}",
        "Keras returns an empty output here; tconvmat describes outputs of at least one "
        "position (a larger output_padding or 'valid' gives one)",
        in_shape,
        kernel_shape,
        crops,
        stride,
        dilation,
        framework="keras",
    )


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_keras` from the command line's options (an explicit 0 means 0)."""
    return from_keras(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        str(options.padding),
        options.output_padding,
        options.dilation,
    )


def _native(geometry: Geometry) -> tuple[str, tuple[int, ...] | None] | None:
    """Keras's ``(padding, output_padding)`` that gives this geometry's crops, if any."""
    axes = list(
        zip(geometry.kernel_shape, geometry.stride, geometry.dilation, geometry.crops, strict=True)
    )
    for mode in ("same", "valid"):
        if all(rules.keras_crops(k, s, d, mode, None) == crop for k, s, d, crop in axes):
            return mode, None
        extra = [
            next((op for op in range(s) if rules.keras_crops(k, s, d, mode, op) == crop), None)
            for k, s, d, crop in axes
        ]
        if None not in extra:
            return mode, tuple(op for op in extra if op is not None)
    return None


def to_code(geometry: Geometry) -> str:
    """Keras 3 code (``keras.ops.conv_transpose``, any backend) that computes this geometry.

    The padding and ``output_padding`` Keras itself would take when they give the crops;
    otherwise 'valid' with ``output_padding`` 0 (the whole scatter), then the crops are
    cut or zero-extended. ``x`` is channels last (Keras's default); groups run as one
    call per group.

    Examples
    --------
    >>> print(to_code(from_keras((16,), (3,), strides=2, padding="same")))  # doctest: +ELLIPSIS
    # Keras code from tconvmat: ...
    y = keras.ops.conv_transpose(x, kernel, strides=(2,), padding="same", ...
    """
    code.check_dimensions(geometry, "Keras")
    native = _native(geometry)
    mode, extra = native if native else ("valid", (0,) * geometry.ndim)
    body = []
    if geometry.flip_kernel:
        body.append(
            f"weight = keras.ops.flip(weight, axis={code.spatial_axes(geometry)})"
            f"  # {geometry.framework}'s orientation"
        )
    order = (*code.spatial_axes(geometry), 1, 0)
    body.append(
        f"kernel = keras.ops.transpose(weight, {order})  # (*kernel_shape, C_out, C_in): Keras's"
    )
    call = (
        f"keras.ops.conv_transpose({{x}}, {{w}}, strides={geometry.stride}, "
        f'padding="{mode}", output_padding={extra}, dilation_rate={geometry.dilation})'
    )
    body += code.channels_last_call(
        geometry,
        call,
        join="keras.ops.concatenate(parts, axis=-1)",
        pad="keras.ops.pad",
        weight="kernel",
        exact=native is not None,
    )
    return code.function(geometry, "Keras", ["import keras"], code.CHANNELS_LAST, body)
