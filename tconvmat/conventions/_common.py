"""What every framework converter shares: the checked shapes and the command line's options."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.core import axis, validation

Shapes = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def common(
    in_shape: Any, kernel_shape: Any, stride: Any, dilation: Any, *, layers: str = ""
) -> Shapes:
    """``in_shape``, ``kernel_shape``, stride and dilation checked and expanded per axis.

    ``layers`` names a framework whose transposed convolutions exist in 1-D to 3-D only
    (``"PyTorch's ConvTranspose1d-3d"``); more dimensions are refused with it.
    """
    in_shape, kernel_shape = validation.shapes(in_shape, kernel_shape)
    ndim = len(in_shape)
    if layers and ndim > 3:
        raise ValueError(f"in_shape {in_shape} has {ndim} spatial dimensions; {layers} take 1 to 3")
    stride = validation.per_axis("stride", stride, ndim, minimum=1)
    dilation = validation.per_axis("dilation", 1 if dilation is None else dilation, ndim, minimum=1)
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


def from_crops(
    caller: str,
    given: Callable[[int], str],
    advice: str,
    in_shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    crops: list[tuple[int, int]],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    *channels: int,
    **fields: Any,
) -> ConvTranspose:
    """The converter's geometry, refusing crops that leave no output in its own words.

    ``given(a)`` says what the user gave on axis ``a`` (``"padding (1, -3)"``);
    ``advice`` says which way to change it.
    """
    for a, line in enumerate(zip(in_shape, kernel_shape, stride, dilation, strict=True)):
        length = axis.output_length(*line, crops[a])
        if length < 1:
            i, k, s, d = line
            raise ValueError(
                f"{caller}: {given(a)} on axis {a} leaves an output of length {length} "
                f"(input {i}, kernel {k}, stride {s}, dilation {d}); {advice}"
            )
    return ConvTranspose.from_crops(
        in_shape, kernel_shape, crops, stride, dilation, *channels, **fields
    )
