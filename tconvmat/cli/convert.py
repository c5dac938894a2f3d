"""``tconvmat convert``: a framework's transposed convolution as crops, and as code.

Without ``--to`` it prints what the layer computes (its crops, orientation and the PyTorch
call); with ``--to FRAMEWORK`` it prints only code, runnable as saved (the summary is in
its comments), so ``tconvmat convert ... --to jax > layer.py`` works.
"""

from __future__ import annotations

import argparse
from typing import Any

from tconvmat.cli._common import UsageError, print_json
from tconvmat.text import parsing


def _framework_names() -> tuple[str, ...]:
    from tconvmat.conventions import FRAMEWORKS

    return tuple(FRAMEWORKS)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "convert",
        help="a framework's transposed convolution as crops, and as code for another",
        description="Convert TensorFlow/Keras/JAX/ONNX/PyTorch parameters to crops and to the "
        "PyTorch call that reproduces them (with the slice or pad it needs, and why); with "
        "--to, print only runnable code for that framework.",
    )
    parser.add_argument("--from", dest="source", required=True, choices=list(_framework_names()))
    parser.add_argument(
        "--input-shape", metavar="SHAPE", help="spatial input shape, e.g. 16x16 (required)"
    )
    parser.add_argument("--in-shape", dest="input_shape", help=argparse.SUPPRESS)
    parser.add_argument(
        "--kernel-shape", metavar="SHAPE", required=True, help="spatial kernel shape, e.g. 3x3"
    )
    parser.add_argument("--stride", metavar="S", default="1", help="int or per axis (default 1)")
    parser.add_argument(
        "--padding",
        metavar="P",
        help="a mode of the framework (SAME, VALID; ONNX's SAME_UPPER, SAME_LOWER, NOTSET) or "
        "numbers (per axis, low:high); default: the framework's own (PyTorch 0, TensorFlow "
        "SAME, Keras valid, ONNX NOTSET; JAX needs one)",
    )
    parser.add_argument(
        "--output-padding",
        metavar="OP",
        help="int or per axis (default: the framework's own, 0 or Keras's)",
    )
    parser.add_argument("--output-shape", metavar="SHAPE", help="output shape, e.g. 32x32")
    parser.add_argument("--dilation", metavar="D", default="1", help="int or per axis (default 1)")
    parser.add_argument(
        "--transpose-kernel", action="store_true", help="JAX: transpose_kernel=True"
    )
    parser.add_argument(
        "--to",
        choices=list(_framework_names()),
        help="print only runnable code for this framework: a function conv_transpose(x, "
        "weight), the weight in PyTorch's layout",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON: {from, to, in_shape, out_shape, crops, flip_kernel, pytorch: "
        "{padding, output_padding, adjust, exact}, code}",
    )
    parser.set_defaults(run=run)


def _padding(text: str | None, framework: Any) -> object:
    """``--padding`` as the framework's mode (any case on the command line) or numbers."""
    if text is None:
        if framework.default_padding is None:
            raise UsageError(
                f"--padding: {framework.name} has no default padding; give one of "
                f"{', '.join(framework.modes)} or numbers (low:high per axis)"
            )
        return framework.default_padding
    if not text.strip().replace("_", "").isalpha():
        return parsing.padding(text)
    for mode in framework.modes:
        if text.strip().upper() == mode.upper():
            return mode
    takes = f"one of {', '.join(framework.modes)} or numbers" if framework.modes else "numbers"
    raise UsageError(
        f"--padding: {text!r} is not a padding of {framework.name}, which takes {takes} "
        "(e.g. 1, 1,0 or 0:1 per axis)"
    )


def run(args: argparse.Namespace) -> int:
    from tconvmat.conventions import FRAMEWORKS, Options, to_pytorch

    if args.input_shape is None:
        raise UsageError("convert needs --input-shape, e.g. --input-shape 16x16")
    framework = FRAMEWORKS[args.source]
    given = {
        "output_padding": args.output_padding is not None,
        "output_shape": args.output_shape is not None,
        "transpose_kernel": args.transpose_kernel,
    }
    for option, present in given.items():
        if present and option not in framework.options:
            flag = "--" + option.replace("_", "-")
            raise UsageError(
                f"{flag}: {args.source} has no {option} (its transposed convolution takes "
                f"{', '.join(sorted(framework.options)) or 'none of those'})"
            )
    padding = _padding(args.padding, framework)
    options = Options(
        in_shape=parsing.shape(args.input_shape, "--input-shape"),
        kernel_shape=parsing.shape(args.kernel_shape, "--kernel-shape"),
        stride=parsing.per_axis(args.stride, "--stride"),
        padding=padding,
        output_padding=None
        if args.output_padding is None
        else parsing.per_axis(args.output_padding, "--output-padding"),
        output_shape=None
        if args.output_shape is None
        else parsing.shape(args.output_shape, "--output-shape"),
        dilation=parsing.per_axis(args.dilation, "--dilation"),
        transpose_kernel=args.transpose_kernel,
    )
    geometry = framework.from_options(options)
    call = to_pytorch(geometry)
    code = FRAMEWORKS[args.to].to_code(geometry) if args.to else None
    if args.json:
        print_json(
            {
                "from": args.source,
                "to": args.to,
                "in_shape": list(geometry.in_shape),
                "out_shape": list(geometry.out_shape),
                "crops": [list(c) for c in geometry.crops],
                "flip_kernel": geometry.flip_kernel,
                "pytorch": {
                    "padding": list(call.padding),
                    "output_padding": list(call.output_padding),
                    "adjust": [list(a) for a in call.adjust],
                    "exact": call.exact,
                },
                "code": code,
            }
        )
        return 0
    if code is not None:
        print(code, end="")
        return 0
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
    print("Code for another framework: add --to " + "|".join(FRAMEWORKS))
    return 0
