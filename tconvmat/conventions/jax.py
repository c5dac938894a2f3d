"""JAX's ``lax.conv_transpose``: a stride-1 correlation of the zero-inserted input.

With ``transpose_kernel=False`` (JAX's default) it correlates with the kernel
as given, which is a transposed convolution with the reversed kernel: the
geometry's ``flip_kernel`` carries that to every view.
"""

from __future__ import annotations

from typing import Any

from tconvmat import _validate, axis
from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common
from tconvmat.geometry import Geometry

__all__ = ["from_jax", "from_options", "jax_padding", "to_code"]


def jax_padding(extent: int, stride: int, padding: str) -> tuple[int, int]:
    """``lax.conv_transpose``'s padding of the zero-inserted input for 'SAME' and 'VALID'.

    As in JAX's ``_conv_transpose_padding`` (``extent`` is the dilated kernel size).

    Examples
    --------
    >>> jax_padding(3, 2, "SAME"), jax_padding(3, 2, "VALID")
    ((2, 1), (2, 2))
    """
    if padding == "SAME":
        pad_length = extent + stride - 2
        pad_a = extent - 1 if stride > extent - 1 else -(-pad_length // 2)
    else:
        pad_length = extent + stride - 2 + max(extent - stride, 0)
        pad_a = extent - 1
    return pad_a, pad_length - pad_a


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
    convolution (PyTorch's orientation).

    Examples
    --------
    >>> g = from_jax((4,), (3,), strides=(2,), padding="SAME")
    >>> g.crops, g.flip_kernel
    (((0, 1),), True)
    """
    in_shape, kernel_shape, stride, dilation = common(in_shape, kernel_shape, strides, rhs_dilation)
    ndim = len(in_shape)
    extents = [axis.extent(k, d) for k, d in zip(kernel_shape, dilation, strict=True)]
    if isinstance(padding, str):
        mode = _validate.choice("padding", padding.upper(), ("SAME", "VALID"))
        pads = [jax_padding(e, s, mode) for e, s in zip(extents, stride, strict=True)]
    else:
        pairs = list(_validate.per_side("padding", padding, ndim, minimum=None))
        if use_consistent_padding:
            pads = [(e - 1 - lo, e - 1 - hi) for e, (lo, hi) in zip(extents, pairs, strict=True)]
        else:
            pads = pairs
    crops = [(e - 1 - a, e - 1 - b) for e, (a, b) in zip(extents, pads, strict=True)]
    return ConvTranspose.from_crops(
        in_shape,
        kernel_shape,
        crops,
        stride,
        dilation,
        flip_kernel=not transpose_kernel,
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
    spec ``OI…`` takes PyTorch's weight as it is.
    """
    code.check_dimensions(geometry, "JAX")
    if geometry.groups != 1:
        raise ValueError(
            "lax.conv_transpose has no groups; use lax.conv_general_dilated with "
            "feature_group_count for grouped layers"
        )
    spatial = code.letters(geometry)
    pads = [a.zero_insertion_padding() for a in geometry.axes]
    body = []
    if geometry.flip_kernel:
        axes = tuple(range(-geometry.ndim, 0))
        body.append(
            f"weight = jnp.flip(weight, axis={axes})  # the kernel as JAX's default uses it"
        )
    body.append(
        f"return lax.conv_transpose(x, weight, strides={geometry.stride}, padding={pads}, "
        f"rhs_dilation={geometry.dilation}, dimension_numbers=('NC{spatial}', 'OI{spatial}', "
        f"'NC{spatial}'), transpose_kernel=True)"
    )
    lines = [
        "import jax.numpy as jnp",
        "from jax import lax",
        "",
        "",
        "def conv_transpose(x, weight):",
        "    # x: (N, C_in, *in_shape); weight: (C_in, C_out, *kernel_shape), PyTorch's layout",
    ]
    return "\n".join(lines + ["    " + line for line in body])
