"""ONNX's ``ConvTranspose``: ``pads``, ``output_padding``, ``output_shape`` and ``auto_pad``.

What a node computes is what ONNX Runtime computes (:func:`tconvmat.core.rules.onnx_crops`,
checked against ONNX Runtime 1.32 in the tests); ``W`` has PyTorch's layout and
orientation.
"""

from __future__ import annotations

from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions import code
from tconvmat.conventions._common import Options, common, from_crops
from tconvmat.core import rules, validation
from tconvmat.core.geometry import Geometry

__all__ = ["attributes", "from_onnx", "from_options", "native", "to_code"]

AUTO_PAD = ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID")


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

    With ``output_shape`` (or ``auto_pad`` 'SAME_UPPER'/'SAME_LOWER', whose output is
    ``I·s``) the total padding is derived and split (SAME_UPPER: the odd element at the
    end); an ``output_shape`` longer than the scatter zero-extends its end, as ONNX
    Runtime computes it. ``output_padding`` must be below the stride, and ``pads`` must
    not be negative, as ONNX Runtime requires.

    Examples
    --------
    >>> from_onnx((16,), (3,), strides=2, pads=[1, 1], output_padding=1).crops
    ((1, 0),)
    >>> from_onnx((16,), (3,), strides=2, auto_pad="SAME_UPPER").crops
    ((0, 1),)
    >>> from_onnx((2,), (2,), strides=3, output_shape=[7]).out_shape
    (7,)
    """
    in_shape, kernel_shape, stride, dilation = common(in_shape, kernel_shape, strides, dilations)
    ndim = len(in_shape)
    mode = validation.choice("auto_pad", auto_pad, AUTO_PAD)
    extra = validation.per_axis("output_padding", output_padding, ndim, minimum=0)
    pairs = [(0, 0)] * ndim
    if pads is not None:
        if isinstance(pads, str) or not hasattr(pads, "__len__"):
            raise TypeError(f"pads must be a list of 2·{ndim} integers, got {pads!r}")
        values = [validation.as_int(f"pads[{n}]", v) for n, v in enumerate(pads)]
        if min(values, default=0) < 0:
            raise ValueError(f"pads {values} must not be negative (ONNX Runtime's rule)")
        if mode != "NOTSET":
            raise ValueError(
                f"pads {values} cannot be used together with auto_pad {mode!r} (ONNX "
                "Runtime's rule): give one of them"
            )
        pairs = rules.onnx_pairs(values, ndim)
    sizes: tuple[int | None, ...] = (None,) * ndim
    if output_shape is not None:
        sizes = validation.per_axis("output_shape", output_shape, ndim, minimum=1)
    crops = []
    for a in range(ndim):
        where = f" on axis {a}" if ndim > 1 else ""
        rules.check_output_padding(extra[a], stride[a], dilation[a], "onnx", where=where)
        try:
            crops.append(
                rules.onnx_crops(
                    in_shape[a],
                    kernel_shape[a],
                    stride[a],
                    dilation[a],
                    pads=pairs[a],
                    output_padding=extra[a],
                    auto_pad=mode,
                    output_len=sizes[a],
                )
            )
        except ValueError as error:
            raise ValueError(f"{error}{where}") from None
    return from_crops(
        "from_onnx",
        lambda a: f"pads {pairs[a]} with output_padding {extra[a]}",
        "reduce the pads (ONNX Runtime refuses it too)",
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


def from_options(options: Options) -> ConvTranspose:
    """:func:`from_onnx` from the command line's options (a mode is ``auto_pad``)."""
    mode = options.mode
    pads = None
    if mode is None:
        ndim = len(options.in_shape)
        pads = rules.onnx_pads(
            list(validation.per_side("--padding", options.padding, ndim, minimum=0))
        )
    return from_onnx(
        options.in_shape,
        options.kernel_shape,
        options.stride,
        pads,
        0 if options.output_padding is None else options.output_padding,
        options.dilation,
        mode or "NOTSET",
        options.output_shape,
    )


def native(geometry: Geometry) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The ``ConvTranspose`` attributes closest to a geometry, and the padding still to do.

    ONNX crops ``(begin, end − output_padding)`` with ``pads >= 0`` and
    ``output_padding`` below the stride: the cut goes to ``pads``, a zero-extension of
    the end to ``output_padding`` as far as it reaches. The rest is returned per axis as
    a ``Pad`` node's (begin, end) widths: zeros to add, or (negative) positions to
    remove where the crops leave nothing of the scatter itself.

    Examples
    --------
    >>> found, rest = native(ConvTranspose.from_crops((3,), (2,), [(-1, -3)], stride=2))
    >>> found["pads"], found["output_padding"], rest
    ([0, 0], [1], [(1, 2)])
    """
    cut, extra, rest = [], [], []
    for a, crop in zip(geometry.axes, geometry.crops, strict=True):
        lo, hi = rules.crop_extension(crop)
        op = min(hi, a.stride - 1)
        kept = rules.crop_cut(crop)
        if a.full_length + op - sum(kept) < 1:  # nothing of the scatter remains: Pad cuts
            cut.append((0, 0))
            extra.append(op)
            rest.append((-crop[0], -crop[1] - op))
            continue
        cut.append(kept)
        extra.append(op)
        rest.append((lo, hi - op))
    found = {
        "kernel_shape": list(geometry.kernel_shape),
        "strides": list(geometry.stride),
        "pads": rules.onnx_pads(cut),
        "output_padding": extra,
        "dilations": list(geometry.dilation),
        "group": geometry.groups,
    }
    return found, rest


def attributes(geometry: Geometry) -> dict[str, Any]:
    """ONNX ``ConvTranspose`` attributes that reproduce this geometry on their own.

    Raises
    ------
    ValueError
        When a zero-extension remains that the attributes cannot say (a ``Pad`` node is
        needed; :func:`to_code` writes it).
    """
    found, extension = native(geometry)
    for a, (lo, hi) in enumerate(extension):
        if lo or hi:
            raise ValueError(
                f"axis {a}: the crop {geometry.crops[a]} extends the output with zeros beyond "
                "what ConvTranspose's pads and output_padding can say; add a Pad node after it"
            )
    return found


def to_code(geometry: Geometry) -> str:
    """A runnable ONNX model of this geometry, run by ONNX Runtime (float32).

    One ``ConvTranspose`` node whose ``W`` is the weight in the orientation ONNX needs
    (reversed first for a framework that correlates with the kernel as given), then a
    ``Pad`` node for what its attributes cannot say (zeros to add; negative widths cut).
    """
    found, extension = native(geometry)
    arguments = ", ".join(f"{k}={v}" for k, v in found.items())
    pad = any(lo or hi for lo, hi in extension)
    body = []
    if geometry.flip_kernel:
        body.append(
            f"weight = np.flip(weight, axis={code.spatial_axes(geometry)})"
            f"  # {geometry.framework}'s orientation reversed: ONNX uses PyTorch's"
        )
    body += [
        "x, weight = np.asarray(x, np.float32), np.asarray(weight, np.float32)",
        "nodes = [",
        f'    helper.make_node("ConvTranspose", ["X", "W"], ["{"T" if pad else "Y"}"], '
        f"{arguments}),",
        "]",
        'initializers = [numpy_helper.from_array(np.ascontiguousarray(weight), "W")]',
    ]
    if pad:
        widths = [[0, 0], [0, 0], *([lo, hi] for lo, hi in extension)]
        flat = [w[0] for w in widths] + [w[1] for w in widths]
        body += [
            'nodes.append(helper.make_node("Pad", ["T", "pads"], ["Y"]))  # zeros beyond',
            f'initializers.append(numpy_helper.from_array(np.array({flat}, np.int64), "pads"))',
        ]
    body += [
        'inputs = [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(x.shape))]',
        'outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)]',
        'graph = helper.make_graph(nodes, "conv_transpose", inputs, outputs, initializers)',
        'model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])',
        "model.ir_version = 8",
        "session = ort.InferenceSession(",
        '    model.SerializeToString(), providers=["CPUExecutionProvider"]',
        ")",
        'return session.run(None, {"X": x})[0]',
    ]
    layout = (
        "x: (N, C_in, *in_shape); weight: (C_in, C_out // groups, *kernel_shape), PyTorch's\n"
        "layout, which is ONNX's W; ONNX Runtime's CPU ConvTranspose computes in float32"
    )
    imports = [
        "import numpy as np",
        "import onnxruntime as ort",
        "from onnx import TensorProto, helper, numpy_helper",
    ]
    return code.function(geometry, "ONNX", imports, layout, body)
