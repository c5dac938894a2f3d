"""JAX's ``lax.conv_transpose``: the zero-inserted input's padding and the kernel's orientation."""

from __future__ import annotations

from tconvmat.core import axis
from tconvmat.core.rules._types import Pair

__all__ = ["jax_crops", "jax_flips_kernel", "jax_padding"]


def jax_padding(extent: int, stride: int, padding: str) -> Pair:
    """``lax.conv_transpose``'s padding of the zero-inserted input for 'SAME' and 'VALID'.

    As in JAX's ``_conv_transpose_padding`` (``extent`` is the dilated kernel size).

    Examples
    --------
    >>> jax_padding(3, 2, "SAME"), jax_padding(3, 2, "VALID")
    ((2, 1), (2, 2))
    """
    if padding == "SAME":
        total = extent + stride - 2
        start = extent - 1 if stride > extent - 1 else -(-total // 2)
    else:
        total = extent + stride - 2 + max(extent - stride, 0)
        start = extent - 1
    return start, total - start


def jax_crops(extent: int, pads: Pair) -> Pair:
    """Crops of padding the zero-inserted input by ``(a, b)``: ``(e − 1 − a, e − 1 − b)``.

    The relation is its own inverse (:func:`tconvmat.core.axis.zero_insertion_padding`):
    JAX's explicit padding is the zero-insertion padding.

    Examples
    --------
    >>> jax_crops(3, (2, 1))
    (0, 1)
    """
    return axis.zero_insertion_padding(extent, pads)


def jax_flips_kernel(transpose_kernel: bool) -> bool:
    """Whether JAX's ``conv_transpose`` uses the kernel reversed relative to PyTorch's.

    With ``transpose_kernel=False`` (JAX's default) it correlates the
    zero-inserted input with the kernel as given: a transposed convolution with
    the reversed kernel. ``True`` is the gradient of the convolution (PyTorch's
    orientation).

    Examples
    --------
    >>> jax_flips_kernel(False), jax_flips_kernel(True)
    (True, False)
    """
    return not transpose_kernel
