"""PyTorch's ``ConvTranspose{1,2,3}d``, and the PyTorch call that reproduces any geometry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common
from tconvmat.core import arrays, rules, validation
from tconvmat.core.geometry import Geometry

__all__ = ["PyTorchCall", "from_options", "from_pytorch", "to_code", "to_pytorch"]


def from_pytorch(
    in_shape: Any,
    kernel_shape: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    output_size: Any = None,
) -> ConvTranspose:
    """``torch.nn.ConvTranspose{N}d``: crops ``(p, p − output_padding)``.

    ``output_size`` (as in ``ConvTranspose.forward(x, output_size=...)``)
    chooses ``output_padding`` instead; it must lie in PyTorch's range
    ``[min, min + stride − 1]`` with ``min = (I − 1)·s − 2p + d·(k − 1) + 1``.

    Examples
    --------
    >>> from_pytorch((16,), (3,), stride=2, padding=1, output_size=(32,)).crops
    ((1, 0),)
    """
    in_shape, kernel_shape, stride, dilation = common(
        in_shape, kernel_shape, stride, dilation, layers="PyTorch's ConvTranspose1d-3d"
    )
    ndim = len(in_shape)
    pads = validation.per_axis("padding", padding, ndim, minimum=0)
    if output_size is not None:
        sizes = validation.per_axis("output_size", output_size, ndim, minimum=1)
        extra = []
        for a, line in enumerate(zip(in_shape, kernel_shape, stride, dilation, pads, strict=True)):
            allowed = rules.pytorch_output_sizes(*line)
            if sizes[a] not in allowed:
                i, k, s, _, p = line
                raise ValueError(
                    f"output_size[{a}] ({sizes[a]}) must be between {allowed.start} and "
                    f"{allowed.stop - 1} for input {i}, kernel {k}, stride {s}, padding {p} "
                    "(PyTorch's rule)"
                )
            extra.append(sizes[a] - allowed.start)
        output_padding = tuple(extra)
    return ConvTranspose(
        in_shape, kernel_shape, stride, pads, dilation, output_padding, framework="pytorch"
    )


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_pytorch` from the command line's options."""
    return from_pytorch(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        options.padding,
        0 if options.output_padding is None else options.output_padding,
        options.dilation,
        options.output_shape,
    )


@dataclass(frozen=True)
class PyTorchCall:
    """How to reproduce a geometry with ``torch.nn.functional.conv_transpose{N}d``.

    Attributes
    ----------
    padding, output_padding : tuple of int
        The arguments of the closest PyTorch call.
    adjust : tuple of (int, int)
        Per axis, what to cut (positive) or zero-pad (negative) at the start
        and end of PyTorch's output afterwards; all zeros when ``exact``.
    exact : bool
        Whether PyTorch's call alone reproduces the geometry.
    flip_kernel : bool
        Whether the kernel must be reversed on its spatial axes first.
    explanation : str
        Why, in a sentence per axis that needs more than the call.
    """

    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    adjust: tuple[tuple[int, int], ...]
    exact: bool
    flip_kernel: bool
    explanation: str

    def _repr_markdown_(self) -> str:
        flip = "; reverse the kernel first" if self.flip_kernel else ""
        after = "" if self.exact else f", then cut/pad `{self.adjust}` (low, high per axis)"
        return (
            f"**PyTorch**: `conv_transpose(..., padding={self.padding}, "
            f"output_padding={self.output_padding})`{after}{flip}.\n\n{self.explanation}\n"
        )

    def finish(self, y: np.ndarray) -> np.ndarray:
        """Apply ``adjust`` to PyTorch's output (trailing spatial axes)."""
        return arrays.crop(np.asarray(y), list(self.adjust))


def to_pytorch(geometry: Geometry) -> PyTorchCall:
    """The PyTorch parameters that reproduce a geometry, or the closest call plus a fix.

    PyTorch crops ``(p, p − op)`` with ``p >= 0`` and ``0 <= op < max(s, d)``:
    it can cut at most as much at the end as at the start. Where a crop needs
    more at the end (TensorFlow's 'SAME'), or a zero-extension, the closest call
    uses the smaller crop and the rest is cut or padded afterwards.

    Examples
    --------
    >>> from tconvmat.conventions.tensorflow import from_tensorflow
    >>> call = to_pytorch(from_tensorflow((16,), (3,), strides=2, padding="SAME"))
    >>> call.padding, call.output_padding, call.adjust, call.exact
    ((0,), (0,), ((0, 1),), False)
    """
    padding, extra, adjust, notes = [], [], [], []
    for a, ((lo, hi), s, d) in enumerate(
        zip(geometry.crops, geometry.stride, geometry.dilation, strict=True)
    ):
        p, op, fix = rules.pytorch_call((lo, hi), s, d)
        padding.append(p)
        extra.append(op)
        adjust.append(fix)
        if fix == (0, 0):
            continue
        if hi > lo:
            why = (
                f"axis {a}: the crop ({lo}, {hi}) cuts more at the end than at the start, "
                "which PyTorch's symmetric padding cannot do"
            )
        elif lo < 0:
            why = f"axis {a}: the crop ({lo}, {hi}) extends the start with zeros"
        else:
            why = (
                f"axis {a}: the crop ({lo}, {hi}) needs output_padding {lo - hi}, but PyTorch "
                f"requires output_padding < stride ({s}) or dilation ({d})"
            )
        notes.append(
            f"{why}; call PyTorch with padding {p} and then cut {fix[0]} at the start and "
            f"{fix[1]} at the end (negative: pad zeros)."
        )
    if geometry.flip_kernel:
        notes.append("Reverse the kernel on its spatial axes (this framework correlates with it).")
    exact = all(a == (0, 0) for a in adjust)
    explanation = " ".join(notes) if notes else "PyTorch's call reproduces it exactly."
    return PyTorchCall(
        tuple(padding), tuple(extra), tuple(adjust), exact, geometry.flip_kernel, explanation
    )


def to_code(geometry: Geometry) -> str:
    """Runnable PyTorch code that computes this geometry (the call, then any crop it needs).

    Examples
    --------
    >>> from tconvmat.conventions.tensorflow import from_tensorflow
    >>> same = from_tensorflow((16,), (3,), strides=2, padding="SAME")
    >>> print(to_code(same))  # doctest: +ELLIPSIS
    # PyTorch code from tconvmat: ...
    import torch.nn.functional as F
    <BLANKLINE>
    <BLANKLINE>
    def conv_transpose(x, weight):
        # x: (N, C_in, *in_shape); weight: (C_in, C_out // groups, *kernel_shape), PyTorch's
        y = F.conv_transpose1d(x, weight, stride=(2,), padding=(0,), ...)
        y = y[..., :-1]
        return y
    <BLANKLINE>
    """
    code.check_dimensions(geometry, "PyTorch")
    call = to_pytorch(geometry)
    body = []
    if call.flip_kernel:
        axes = code.spatial_axes(geometry)
        body.append(f"weight = weight.flip(dims={axes})  # {geometry.framework}'s orientation")
    body.append(
        f"y = F.conv_transpose{geometry.ndim}d(x, weight, stride={geometry.stride}, "
        f"padding={call.padding}, output_padding={call.output_padding}, "
        f"groups={geometry.groups}, dilation={geometry.dilation})"
    )

    def pad(widths: list[tuple[int, int]]) -> str:
        flat = [v for pair in reversed(widths) for v in pair]  # F.pad: last axis first
        return f"y = F.pad(y, {flat})"

    body += code.fix_up(call.adjust, pad, channels_last=False)
    body.append("return y")
    layout = "x: (N, C_in, *in_shape); weight: (C_in, C_out // groups, *kernel_shape), PyTorch's"
    return code.function(geometry, "PyTorch", ["import torch.nn.functional as F"], layout, body)
