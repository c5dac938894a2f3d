"""JAX's ``lax.conv_transpose``: a stride-1 correlation of the zero-inserted input.

With ``transpose_kernel=False`` (JAX's default) it correlates with the kernel
as given, which is a transposed convolution with the reversed kernel: the
geometry's ``flip_kernel`` carries that to every view.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common, from_crops
from tconvmat.core import axis, rules, validation
from tconvmat.core.geometry import Geometry

__all__ = ["from_jax", "from_options", "to_code"]


def from_jax(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any,
    padding: Any,
    rhs_dilation: Any = None,
    transpose_kernel: bool = False,
    use_consistent_padding: bool = False,
) -> ConvTranspose:
    """``jax.lax.conv_transpose``: a stride-1 correlation of the zero-inserted input.

    JAX pads the zero-inserted input by ``(a, b)`` and correlates; that is the
    crop ``(extent − 1 − a, extent − 1 − b)``. Explicit ``(a, b)`` pairs are
    those pads themselves, unless ``use_consistent_padding`` (then they are the
    forward convolution's padding, i.e. the crops). With
    ``transpose_kernel=False`` (JAX's default) the kernel is used as given, so
    the geometry flips it; ``transpose_kernel=True`` gives the gradient of the
    convolution (PyTorch's orientation). As ``lax.conv_transpose``, it takes ``strides``
    and ``rhs_dilation`` as sequences and the modes spelled 'SAME' and 'VALID'; a padding
    that leaves no output (JAX returns an empty array) is refused.

    Examples
    --------
    >>> g = from_jax((4,), (3,), strides=(2,), padding="SAME")
    >>> g.crops, g.flip_kernel
    (((0, 1),), True)
    """
    for name, value in (("strides", strides), ("rhs_dilation", rhs_dilation)):
        if value is not None and not validation.is_sequence(value):
            raise TypeError(
                f"{name} must be a sequence, one int per spatial axis (as lax.conv_transpose "
                f"takes it), got {value!r}"
            )
    in_shape, kernel_shape, stride, dilation = common(in_shape, kernel_shape, strides, rhs_dilation)
    ndim = len(in_shape)
    extents = [axis.extent(k, d) for k, d in zip(kernel_shape, dilation, strict=True)]
    if isinstance(padding, str):
        mode = validation.choice("padding", padding, ("SAME", "VALID"))
        pads = [rules.jax_padding(e, s, mode) for e, s in zip(extents, stride, strict=True)]
    else:
        if not validation.is_sequence(padding) or not all(
            validation.is_sequence(p) for p in padding
        ):
            raise TypeError(
                f"padding must be 'SAME', 'VALID' or a sequence of (low, high) pairs, one per "
                f"spatial axis (as lax.conv_transpose takes it), got {padding!r}"
            )
        pairs = list(validation.per_side("padding", padding, ndim, minimum=None))
        # consistent padding is the forward convolution's: the crops themselves
        pads = [
            rules.jax_crops(e, p) if use_consistent_padding else p
            for e, p in zip(extents, pairs, strict=True)
        ]
    crops = [rules.jax_crops(e, p) for e, p in zip(extents, pads, strict=True)]
    return from_crops(
        "from_jax",
        lambda a: f"padding {pads[a]} of the zero-inserted input",
        "a larger padding gives a longer output (JAX itself returns an empty array here)",
        in_shape,
        kernel_shape,
        crops,
        stride,
        dilation,
        flip_kernel=rules.jax_flips_kernel(transpose_kernel),
        framework="jax",
    )


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_jax` from the command line's options."""
    ndim = len(options.in_shape)
    stride = options.stride if isinstance(options.stride, tuple) else (options.stride,) * ndim
    return from_jax(
        options.in_shape,
        options.kernel_shape,
        stride,
        options.padding,
        options.dilation,
        options.transpose_kernel,
    )


def to_code(geometry: Geometry) -> str:
    """Runnable JAX code (``lax.conv_transpose``, PyTorch's weight layout) for this geometry.

    Padding ``(extent − 1 − crop_lo, extent − 1 − crop_hi)`` of the zero-inserted input
    reproduces any crops, negative ones too; ``transpose_kernel=True`` with the kernel
    spec ``OI…`` takes PyTorch's weight as it is. Groups run as one call per group.

    Examples
    --------
    >>> print(to_code(from_jax((4,), (3,), strides=(2,), padding="SAME")))  # doctest: +ELLIPSIS
    # JAX code from tconvmat: ...
        weight = jnp.flip(weight, axis=(2,))  # jax's orientation
        y = lax.conv_transpose(x, weight, strides=(2,), padding=[(2, 1)], ...
    """
    code.check_dimensions(geometry, "JAX")
    spatial = code.letters(geometry)
    pads = [a.zero_insertion_padding() for a in geometry.axes]
    body = []
    if geometry.flip_kernel:
        body.append(
            f"weight = jnp.flip(weight, axis={code.spatial_axes(geometry)})"
            f"  # {geometry.framework}'s orientation"
        )
    call = (
        f"lax.conv_transpose({{x}}, {{w}}, strides={geometry.stride}, padding={pads}, "
        f"rhs_dilation={geometry.dilation}, dimension_numbers=('NC{spatial}', 'OI{spatial}', "
        f"'NC{spatial}'), transpose_kernel=True)"
    )
    body += code.group_loop(geometry, call, "jnp.concatenate(parts, axis=1)", channels_last=False)
    body.append("return y")
    layout = "x: (N, C_in, *in_shape); weight: (C_in, C_out // groups, *kernel_shape), PyTorch's"
    return code.function(
        geometry, "JAX", ["import jax.numpy as jnp", "from jax import lax"], layout, body
    )
