"""The ``tconvmat`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np

from tconvmat import _parse
from tconvmat.explain import WORKED_INPUT, WORKED_KERNEL, explain
from tconvmat.geometry import ConvTranspose

GRID_HELP = "values: ',' between numbers, ';' between rows, '|' between 2-D slices (3-D)"


class _Parser(argparse.ArgumentParser):
    """argparse with the error format ``tconvmat: error: ...`` and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"tconvmat: error: {message}\n")


def _add_problem_arguments(parser: argparse.ArgumentParser) -> None:
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--input", help=f"input values, e.g. '3,2,1;0,5,2;1,4,7' ({GRID_HELP})")
    data.add_argument("--input-shape", help="input shape with values 1, 2, 3, ... e.g. 3x3")
    kernel = parser.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", help="kernel values, e.g. '1,2;3,4'")
    kernel.add_argument("--kernel-shape", help="kernel shape with values 1, 2, 3, ... e.g. 2x2")
    parser.add_argument("--stride", default="2", help="int or per axis, e.g. 2 or 2,1 (default 2)")
    parser.add_argument(
        "--padding",
        default="1",
        help="int, per axis (1,0) or per side low:high (0:1,1:0) (default 1)",
    )
    parser.add_argument("--dilation", default="1", help="int or per axis (default 1)")
    parser.add_argument("--output-padding", default="0", help="int or per axis (default 0)")


def _counting(shape: tuple[int, ...]) -> np.ndarray:
    return np.arange(1, int(np.prod(shape)) + 1).reshape(shape)


def _problem(args: argparse.Namespace) -> tuple[ConvTranspose, np.ndarray, np.ndarray]:
    if args.input is not None:
        x = _parse.numeric_grid(args.input, "--input")
    elif args.input_shape is not None:
        x = _counting(_parse.shape(args.input_shape, "--input-shape"))
    else:
        x = WORKED_INPUT
    if args.kernel is not None:
        kernel = _parse.numeric_grid(args.kernel, "--kernel")
    elif args.kernel_shape is not None:
        kernel = _counting(_parse.shape(args.kernel_shape, "--kernel-shape"))
    else:
        kernel = WORKED_KERNEL
    if x.ndim != kernel.ndim:
        raise ValueError(
            f"the input has {x.ndim} dimension(s) and the kernel {kernel.ndim}; they must match"
        )
    geometry = ConvTranspose(
        x.shape,
        kernel.shape,
        stride=_parse.per_axis(args.stride, "--stride"),
        padding=_parse.padding(args.padding),
        dilation=_parse.per_axis(args.dilation, "--dilation"),
        output_padding=_parse.per_axis(args.output_padding, "--output-padding"),
    )
    return geometry, x, kernel


def _run_explain(args: argparse.Namespace) -> int:
    geometry, x, kernel = _problem(args)
    print(explain(geometry, x, kernel), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tconvmat`` command."""
    parser = _Parser(
        prog="tconvmat",
        description="Transposed convolution written down as a matrix: y = Cᵀx.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    explain_parser = commands.add_parser(
        "explain",
        help="walk through one transposed convolution (default: the worked example)",
        description="Explain y = Cᵀx step by step; defaults to the worked example "
        "(input 3,2,1;0,5,2;1,4,7, kernel 1,2;3,4, stride 2, padding 1).",
    )
    _add_problem_arguments(explain_parser)
    explain_parser.set_defaults(run=_run_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (ValueError, TypeError) as error:
        print(f"tconvmat: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
