"""``tconvmat convert``: a framework's transposed convolution as crops, and in PyTorch."""

from __future__ import annotations

import argparse

from tconvmat import _parse


def _framework_names() -> tuple[str, ...]:
    from tconvmat.conventions import FRAMEWORKS

    return tuple(FRAMEWORKS)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "convert",
        help="a framework's transposed convolution as crops, and in PyTorch",
        description="Convert TensorFlow/Keras/JAX/ONNX/PyTorch parameters to crops and to the "
        "PyTorch call that reproduces them (with the slice or pad it needs, and why).",
    )
    parser.add_argument("--from", dest="source", required=True, choices=list(_framework_names()))
    parser.add_argument("--in-shape", required=True, help="e.g. 16x16")
    parser.add_argument("--kernel-shape", required=True, help="e.g. 3x3")
    parser.add_argument("--stride", default="1")
    parser.add_argument(
        "--padding", default="SAME", help="SAME, VALID, or numbers (per axis, low:high)"
    )
    parser.add_argument(
        "--output-padding", help="int or per axis (default: the framework's own, 0 or Keras's)"
    )
    parser.add_argument("--output-shape", help="output shape, e.g. 32x32")
    parser.add_argument("--dilation", default="1")
    parser.add_argument(
        "--transpose-kernel", action="store_true", help="JAX: transpose_kernel=True"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tconvmat.conventions import FRAMEWORKS, Options, to_pytorch

    padding: object = args.padding
    if not args.padding.strip().replace("_", "").isalpha():
        padding = _parse.padding(args.padding)
    options = Options(
        in_shape=_parse.shape(args.in_shape, "--in-shape"),
        kernel_shape=_parse.shape(args.kernel_shape, "--kernel-shape"),
        stride=_parse.per_axis(args.stride, "--stride"),
        padding=padding,
        output_padding=None
        if args.output_padding is None
        else _parse.per_axis(args.output_padding, "--output-padding"),
        output_shape=None
        if args.output_shape is None
        else _parse.shape(args.output_shape, "--output-shape"),
        dilation=_parse.per_axis(args.dilation, "--dilation"),
        transpose_kernel=args.transpose_kernel,
    )
    geometry = FRAMEWORKS[args.source].from_options(options)
    call = to_pytorch(geometry)
    print(f"{args.source}: input {geometry.in_shape} → output {geometry.out_shape}")
    print(f"crops of the uncropped scatter (low, high per axis): {geometry.crops}")
    print(f"kernel flipped: {'yes' if geometry.flip_kernel else 'no'}")
    print(
        f"PyTorch: conv_transpose{geometry.ndim}d(..., stride={geometry.stride}, "
        f"padding={call.padding}, output_padding={call.output_padding}, "
        f"dilation={geometry.dilation})"
        + ("" if call.exact else f", then cut/pad {call.adjust} (low, high per axis)")
    )
    print(call.explanation)
    return 0
