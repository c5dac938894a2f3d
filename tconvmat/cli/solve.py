"""``tconvmat solve``: which parameters take one size to another."""

from __future__ import annotations

import argparse

from tconvmat import _parse, _text


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "solve",
        help="list the parameters that map one size to another",
        description="Every (kernel, stride, padding, output_padding, dilation) that maps IN to "
        "OUT on one axis, even overlap (no checkerboard) first.",
    )
    parser.add_argument("in_size", type=int)
    parser.add_argument("out_size", type=int)
    parser.add_argument("--max-kernel", type=int, default=7)
    parser.add_argument("--strides", default="1,2,3,4")
    parser.add_argument("--dilations", default="1,2")
    parser.add_argument("--framework", choices=["pytorch", "any"], default="pytorch")
    parser.add_argument("--limit", type=int, default=20, help="rows to print (default 20)")
    parser.set_defaults(run=run)


def ints(text: str, name: str) -> list[int]:
    value = _parse.per_axis(text, name)
    return list(value) if isinstance(value, tuple) else [value]


def run(args: argparse.Namespace) -> int:
    from tconvmat.solver import solve

    found = solve(
        args.in_size,
        args.out_size,
        max_kernel=args.max_kernel,
        strides=ints(args.strides, "--strides"),
        dilations=ints(args.dilations, "--dilations"),
        framework=args.framework,
    )
    if not found:
        print(f"no transposed convolution maps {args.in_size} to {args.out_size} in this search")
        return 0
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
        for r in found[: args.limit]
    ]
    header = [
        "kernel",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "overlap",
        "PyTorch",
        "crops",
    ]
    print(f"{len(found)} ways from {args.in_size} to {args.out_size} (even overlap first):")
    print(_text.table(rows, col_labels=header, row_labels=[str(n + 1) for n in range(len(rows))]))
    if len(found) > args.limit:
        print(f"... {len(found) - args.limit} more (--limit)")
    return 0
