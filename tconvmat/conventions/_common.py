"""What every framework converter shares: the checked shapes and the command line's options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tconvmat import _validate

Shapes = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def common(in_shape: Any, kernel_shape: Any, stride: Any, dilation: Any) -> Shapes:
    """``in_shape``, ``kernel_shape``, stride and dilation checked and expanded per axis."""
    in_shape, kernel_shape = _validate.shapes(in_shape, kernel_shape)
    ndim = len(in_shape)
    stride = _validate.per_axis("stride", stride, ndim, minimum=1)
    dilation = _validate.per_axis("dilation", 1 if dilation is None else dilation, ndim, minimum=1)
    return in_shape, kernel_shape, stride, dilation


@dataclass(frozen=True)
class Options:
    """One framework-neutral set of options (the ``tconvmat convert`` flags).

    Attributes
    ----------
    in_shape, kernel_shape : tuple of int
    stride, dilation : int or tuple of int
    padding : str, int or tuple
        A mode name (``'SAME'``, ``'VALID'``, ONNX's ``'SAME_LOWER'``, ...) or
        numbers per axis / per side.
    output_padding : int, tuple of int, or None
        None when not given (Keras then uses its own default).
    output_shape : tuple of int or None
    transpose_kernel : bool
        JAX's ``transpose_kernel``.
    """

    in_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: Any = 1
    padding: Any = 0
    output_padding: Any = None
    output_shape: tuple[int, ...] | None = None
    dilation: Any = 1
    transpose_kernel: bool = False

    @property
    def mode(self) -> str | None:
        """The padding as an upper-case mode name, or None for numbers."""
        return self.padding.upper() if isinstance(self.padding, str) else None
