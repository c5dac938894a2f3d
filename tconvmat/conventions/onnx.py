"""ONNX's ``ConvTranspose``: ``pads``, ``output_padding``, ``output_shape`` and ``auto_pad``."""

from __future__ import annotations

from typing import Any

from tconvmat import _validate
from tconvmat import axis as axis_math
from tconvmat.api import ConvTranspose
from tconvmat.conventions._common import Options, common
from tconvmat.geometry import Geometry

__all__ = ["attributes", "from_onnx", "from_options", "to_code"]


def from_onnx(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    pads: Any = None,
    output_padding: Any = 0,
    dilations: Any = 1,
    auto_pad: str = "NOTSET",
    output_shape: Any = None,
    *,
    in_channels: int = 1,
    out_channels: int = 1,
    group: int = 1,
) -> ConvTranspose:
    """ONNX ``ConvTranspose``: ``pads`` as ``[x1_begin, x2_begin, …, x1_end, x2_end, …]``.

    With ``output_shape`` (or ``auto_pad`` 'SAME_UPPER'/'SAME_LOWER', whose
    default output is ``I·s``) the total padding is derived and split as the
    ONNX specification says (SAME_UPPER: the odd element at the end). Where the
    specification is silent this follows ONNX Runtime: ``output_padding`` must be
    below the stride; SAME never pads less than 0 (a stride beyond the kernel's
    reach gives ``(I − 1)·s + d·(k − 1) + 1 + output_padding``, not ``I·s``); an
    explicit ``output_shape`` beyond what the scatter reaches is refused.

    Examples
    --------
    >>> from_onnx((16,), (3,), strides=2, pads=[1, 1], output_padding=1).crops
    ((1, 0),)
    >>> from_onnx((16,), (3,), strides=2, auto_pad="SAME_UPPER").crops
    ((0, 1),)
    """
    in_shape, kernel_shape, stride, dilation = common(in_shape, kernel_shape, strides, dilations)
    ndim = len(in_shape)
    mode = _validate.choice("auto_pad", auto_pad, ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"))
    extra = _validate.per_axis("output_padding", output_padding, ndim, minimum=0)
    for axis, (op, s) in enumerate(zip(extra, stride, strict=True)):
        if op >= s:
            raise ValueError(
                f"output_padding[{axis}] ({op}) must be smaller than strides[{axis}] ({s}) "
                "(ONNX Runtime's rule, whatever the dilation)"
            )
    explicit = output_shape is not None
    if output_shape is None and mode.startswith("SAME"):
        output_shape = tuple(i * s for i, s in zip(in_shape, stride, strict=True))
    if output_shape is not None:
        sizes = _validate.per_axis("output_shape", output_shape, ndim, minimum=1)
        begin_end = []
        for axis in range(ndim):
            full = axis_math.full_length(
                in_shape[axis], kernel_shape[axis], stride[axis], dilation[axis]
            )
            total = full + extra[axis] - sizes[axis]
            if total < 0 and explicit:
                raise ValueError(
                    f"output_shape[{axis}] ({sizes[axis]}) is larger than the {full + extra[axis]} "
                    "positions the scatter reaches; ONNX Runtime refuses it"
                )
            total = max(total, 0)  # SAME with a stride beyond the kernel: the runtime pads 0
            half = total // 2
            begin_end.append((half, total - half) if mode == "SAME_UPPER" else (total - half, half))
    elif mode == "VALID" or pads is None:
        begin_end = [(0, 0)] * ndim
    else:
        values = [_validate.as_int(f"pads[{n}]", v) for n, v in enumerate(pads)]
        if len(values) != 2 * ndim:
            raise ValueError(f"pads has {len(values)} entries; ONNX needs 2·{ndim} = {2 * ndim}")
        begin_end = list(zip(values[:ndim], values[ndim:], strict=True))
    crops = [axis_math.pytorch_crop(pair, op) for pair, op in zip(begin_end, extra, strict=True)]
    return ConvTranspose.from_crops(
        in_shape,
        kernel_shape,
        crops,
        stride,
        dilation,
        in_channels,
        out_channels,
        group,
        framework="onnx",
    )


ONNX_MODES = {"SAME": "SAME_UPPER", "SAME_UPPER": "SAME_UPPER", "SAME_LOWER": "SAME_LOWER"}


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_onnx` from the command line's options (``SAME`` is ``SAME_UPPER``)."""
    mode = options.mode
    pads = None
    if mode is None:
        ndim = len(options.in_shape)
        padding = options.padding
        entries = list(padding) if isinstance(padding, tuple) else [padding] * ndim
        pairs = [entry if isinstance(entry, tuple) else (entry, entry) for entry in entries]
        pads = [lo for lo, _ in pairs] + [hi for _, hi in pairs]
    return from_onnx(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        pads,
        0 if options.output_padding is None else options.output_padding,
        options.dilation,
        "NOTSET" if mode is None else ONNX_MODES.get(mode, mode),
        options.output_shape,
    )


def attributes(geometry: Geometry) -> dict[str, list[int] | int]:
    """ONNX ``ConvTranspose`` attributes that reproduce this geometry.

    ONNX crops ``(pads_begin, pads_end − output_padding)`` with non-negative pads: a
    negative end crop becomes output_padding (below the stride, as ONNX Runtime requires);
    a negative start crop has no attribute (it needs a ``Pad`` node). Both are refused
    with that advice.
    """
    begin, end, extra = [], [], []
    for a, (lo, hi) in enumerate(geometry.crops):
        if lo < 0:
            raise ValueError(
                f"axis {a}: the crop ({lo}, {hi}) extends the start with zeros, which ONNX "
                "ConvTranspose's pads cannot express; add a Pad node after it"
            )
        if -hi >= geometry.stride[a]:
            raise ValueError(
                f"axis {a}: the crop ({lo}, {hi}) extends the end by {-hi}, which needs "
                f"output_padding {-hi}, not below stride {geometry.stride[a]} as ONNX Runtime "
                "requires; add a Pad node after it"
            )
        begin.append(lo)
        end.append(max(hi, 0))
        extra.append(max(-hi, 0))
    return {
        "kernel_shape": list(geometry.kernel_shape),
        "strides": list(geometry.stride),
        "pads": begin + end,
        "output_padding": extra,
        "dilations": list(geometry.dilation),
        "group": geometry.groups,
    }


def to_code(geometry: Geometry) -> str:
    """The ``onnx.helper.make_node`` call for this geometry (weight in PyTorch's layout)."""
    found = attributes(geometry)
    flip = (
        "  # W reversed on its spatial axes: ONNX uses PyTorch's orientation"
        if geometry.flip_kernel
        else ""
    )
    arguments = ", ".join(f"{k}={v}" for k, v in found.items())
    return (
        "import onnx.helper\n\n"
        f'node = onnx.helper.make_node("ConvTranspose", ["X", "W"], ["Y"], {arguments}){flip}'
    )
