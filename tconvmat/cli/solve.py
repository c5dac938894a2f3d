"""``tconvmat solve``: which parameters take one size to another, per axis."""

from __future__ import annotations

import argparse

from tconvmat.cli._common import UsageError, integer, print_json
from tconvmat.text import notation, parsing

HEADER = [
    "kernel",
    "stride",
    "padding",
    "output_padding",
    "dilation",
    "overlap",
    "PyTorch",
    "crops",
]


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "solve",
        help="list the parameters that map one size to another",
        description="Every (kernel, stride, padding, output_padding, dilation) that maps IN to "
        "OUT, even overlap (no checkerboard) first, then the least cropped away. Shapes may "
        "be N-D (16x16 32x32): each axis is solved on its own. --json prints a list with one "
        "object per axis: {axis, in, out, count, solutions: [{kernel, stride, padding, "
        "output_padding, dilation, even_overlap, pytorch_representable, crops}]}.",
    )
    parser.add_argument("in_shape", metavar="IN", help="input size or shape, e.g. 16 or 16x16")
    parser.add_argument("out_shape", metavar="OUT", help="output size or shape, e.g. 32 or 32x32")
    parser.add_argument(
        "--max-kernel",
        metavar="N",
        default="7",
        help="kernels 1 … N are tried (default 7, at most 64)",
    )
    parser.add_argument(
        "--strides",
        metavar="LIST",
        default="1,2,3,4",
        help="strides tried, comma-separated (default 1,2,3,4)",
    )
    parser.add_argument(
        "--dilations",
        metavar="LIST",
        default="1,2",
        help="dilations tried, comma-separated (default 1,2)",
    )
    parser.add_argument(
        "--framework",
        choices=["pytorch", "any"],
        default="pytorch",
        help="pytorch: symmetric padding and PyTorch's output_padding rule; any: also the "
        "asymmetric crops TensorFlow, JAX and ONNX allow (default pytorch)",
    )
    parser.add_argument(
        "--limit", metavar="N", default="20", help="rows to print per axis (default 20)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON (see above)")
    parser.set_defaults(run=run)


def ints(text: str, name: str) -> list[int]:
    value = parsing.per_axis(text, name)
    return list(value) if isinstance(value, tuple) else [value]


def _solution(r) -> dict:  # type: ignore[no-untyped-def]
    return {
        "kernel": r.kernel,
        "stride": r.stride,
        "padding": r.padding,
        "output_padding": r.output_padding,
        "dilation": r.dilation,
        "even_overlap": r.even_overlap,
        "pytorch_representable": r.pytorch_representable,
        "crops": list(r.crops),
    }


def run(args: argparse.Namespace) -> int:
    from tconvmat.analysis.solver import solve

    ins, outs = parsing.shape(args.in_shape, "IN"), parsing.shape(args.out_shape, "OUT")
    if len(ins) != len(outs):
        raise UsageError(f"IN {args.in_shape} and OUT {args.out_shape} have different dimensions")
    limit = integer(args.limit, "--limit")
    if limit < 0:
        raise UsageError(f"--limit ({limit}) must be >= 0")
    options = {
        "max_kernel": integer(args.max_kernel, "--max-kernel"),
        "strides": ints(args.strides, "--strides"),
        "dilations": ints(args.dilations, "--dilations"),
        "framework": args.framework,
    }
    report = []
    for axis, (size_in, size_out) in enumerate(zip(ins, outs, strict=True)):
        found = solve(size_in, size_out, **options)
        report.append((axis, size_in, size_out, found))
    if args.json:
        print_json(
            [
                {
                    "axis": a,
                    "in": i,
                    "out": o,
                    "count": len(found),
                    "solutions": [_solution(r) for r in found[:limit]],
                }
                for a, i, o, found in report
            ]
        )
        return 0
    for axis, size_in, size_out, found in report:
        where = f" on axis {axis}" if len(ins) > 1 else ""
        if not found:
            print(f"no transposed convolution maps {size_in} to {size_out}{where} in this search")
            continue
        rows = [
            [
                r.kernel,
                r.stride,
                r.padding,
                r.output_padding,
                r.dilation,
                "even" if r.even_overlap else "uneven",
                "yes" if r.pytorch_representable else "no",
                f"{r.crops[0]}/{r.crops[1]}",
            ]
            for r in found[:limit]
        ]
        print(f"{len(found)} ways from {size_in} to {size_out}{where} (even overlap first):")
        if rows:
            print(
                notation.table(
                    rows, col_labels=HEADER, row_labels=[str(n + 1) for n in range(len(rows))]
                )
            )
        if len(found) > limit:
            print(f"... {len(found) - limit} more (--limit)")
    return 0
