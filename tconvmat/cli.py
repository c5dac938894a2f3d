"""The ``tconvmat`` command line: ``explain``, ``matrix`` and ``figures``.

Values on the command line are parsed as numbers or symbol names, never
evaluated as code. Errors print ``tconvmat: error: ...`` and exit with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from tconvmat import _parse, _text
from tconvmat.api import ConvTranspose
from tconvmat.worked_example import WORKED_INPUT, WORKED_KERNEL, WORKED_PADDING, WORKED_STRIDE

GRID_HELP = (
    "',' between values, ';' between rows, '|' between the 2-D slices of a 3-D grid; "
    "values are numbers (3, -0.5, 2/3) or symbol names (a, w1)"
)
MAX_MATRIX_ENTRIES = 40 * 60
"""Matrices with more entries print a summary instead of flooding the terminal."""


class _Parser(argparse.ArgumentParser):
    """argparse with the error format ``tconvmat: error: ...`` and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"tconvmat: error: {message}\n")


def _add_problem_arguments(parser: argparse.ArgumentParser) -> None:
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--input", help=f"input values, e.g. '3,2,1;0,5,2;1,4,7' ({GRID_HELP})")
    data.add_argument("--input-shape", help="input shape, filled with 1, 2, 3, ...: e.g. 3x3")
    kernel = parser.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", help="kernel values, e.g. '1,2;3,4' or 'a,b;c,d'")
    kernel.add_argument("--kernel-shape", help="kernel shape, filled with 1, 2, 3, ...: e.g. 2x2")
    parser.add_argument(
        "--stride", default=str(WORKED_STRIDE), help="int or per axis, e.g. 2 or 2,1 (default 2)"
    )
    parser.add_argument(
        "--padding",
        default=str(WORKED_PADDING),
        help="int, per axis (1,0) or per side low:high (0:1,1:0) (default 1)",
    )
    parser.add_argument("--dilation", default="1", help="int or per axis (default 1)")
    parser.add_argument("--output-padding", default="0", help="int or per axis (default 0)")


def _counting(shape: tuple[int, ...]) -> np.ndarray:
    return np.arange(1, int(np.prod(shape)) + 1).reshape(shape)


def _problem(args: argparse.Namespace) -> tuple[ConvTranspose, np.ndarray, np.ndarray]:
    if args.input is not None:
        x = _parse.value_grid(args.input, "--input")
    elif args.input_shape is not None:
        x = _counting(_parse.shape(args.input_shape, "--input-shape"))
    else:
        x = WORKED_INPUT
    if args.kernel is not None:
        kernel = _parse.value_grid(args.kernel, "--kernel")
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
    from tconvmat.explanation import explain

    geometry, x, kernel = _problem(args)
    if args.out is not None:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    text = explain(geometry, x, kernel, symbolic=args.symbolic, figures=args.out)
    print(text, end="")
    if args.out is not None:
        path = Path(args.out) / "explanation.md"
        path.write_text(text, encoding="utf-8")
        print(f"\nwrote {path} and its figures", file=sys.stderr)
    return 0


def _run_matrix(args: argparse.Namespace) -> int:
    geometry, _, kernel = _problem(args)
    symbolic = args.symbolic or kernel.dtype == object
    rows, columns = geometry.matrix_shape
    name = "Cᵀ" if args.transpose else "C"
    if rows * columns > MAX_MATRIX_ENTRIES:
        matrix = geometry.matrix(np.ones(kernel.shape, dtype=np.int64))
        per_row = np.diff(matrix.indptr)
        print(
            f"{name} is {columns if args.transpose else rows} × "
            f"{rows if args.transpose else columns} with {matrix.nnz} non-zeros "
            f"({per_row.min()}–{per_row.max()} per row of C): too large to print; "
            "use tconvmat.ConvTranspose(...).matrix(kernel) in Python."
        )
        return 0
    if symbolic:
        # Symbols given on the command line are kept; numbers become the tap symbols.
        matrix = geometry.symbolic_matrix(kernel if kernel.dtype == object else None)
        if args.transpose:
            matrix = matrix.T
        dense = np.array(matrix.tolist(), dtype=object)
    else:
        dense = geometry.matrix(kernel).toarray()
        if args.transpose:
            dense = dense.T
    if args.latex:
        import sympy

        print(sympy.latex(sympy.Matrix(dense.tolist())))
        return 0
    in_labels = [_text.position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = [_text.position(p) for p in np.ndindex(*geometry.out_shape)]
    row_labels, col_labels = (out_labels, in_labels) if args.transpose else (in_labels, out_labels)
    print(f"{name} ({dense.shape[0]} × {dense.shape[1]}), · = 0")
    print(_text.table(dense.tolist(), row_labels, col_labels, blank_zero=True))
    return 0


def _run_figures(args: argparse.Namespace) -> int:
    from tconvmat.plots.gallery import write_gallery

    for path in write_gallery(args.out):
        print(path)
    return 0


def _run_solve(args: argparse.Namespace) -> int:
    from tconvmat.solver import solve

    found = solve(
        args.in_size,
        args.out_size,
        max_kernel=args.max_kernel,
        strides=_ints(args.strides, "--strides"),
        dilations=_ints(args.dilations, "--dilations"),
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


def _ints(text: str, name: str) -> list[int]:
    value = _parse.per_axis(text, name)
    return list(value) if isinstance(value, tuple) else [value]


def _run_convert(args: argparse.Namespace) -> int:
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


def _framework_names() -> tuple[str, ...]:
    from tconvmat.conventions import FRAMEWORKS

    return tuple(FRAMEWORKS)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tconvmat`` command."""
    parser = _Parser(
        prog="tconvmat",
        description="Transposed convolution written down as a matrix: y = Cᵀx. "
        "Defaults to the worked example: input 3,2,1;0,5,2;1,4,7, kernel 1,2;3,4, "
        "stride 2, padding 1.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    explain_parser = commands.add_parser(
        "explain",
        help="walk through one transposed convolution step by step",
        description="Explain y = Cᵀx step by step, detailed enough to redo by hand. "
        f"Grids: {GRID_HELP}. 1-D: --input 1,2,3; 3-D: --input '1,2;3,4|5,6;7,8'.",
    )
    _add_problem_arguments(explain_parser)
    explain_parser.add_argument(
        "--symbolic",
        action="store_true",
        help="add the closed form in symbols and the general term",
    )
    explain_parser.add_argument(
        "--out", help="also write DIR/explanation.md with this problem's figures beside it"
    )
    explain_parser.set_defaults(run=_run_explain)

    matrix_parser = commands.add_parser(
        "matrix",
        help="print the matrix C (or Cᵀ), numeric or symbolic",
        description=f"Print C, numeric or with kernel symbols. Grids: {GRID_HELP}.",
    )
    _add_problem_arguments(matrix_parser)
    matrix_parser.add_argument(
        "--symbolic", action="store_true", help="kernel symbols k_{i,j} instead of values"
    )
    matrix_parser.add_argument("--transpose", action="store_true", help="print Cᵀ instead of C")
    matrix_parser.add_argument("--latex", action="store_true", help="print LaTeX")
    matrix_parser.set_defaults(run=_run_matrix)

    figures_parser = commands.add_parser(
        "figures",
        help="regenerate the figure gallery",
        description="Draw every gallery figure (deterministic: same bytes on every run).",
    )
    figures_parser.add_argument("--out", default="figures", help="folder (default: figures)")
    figures_parser.set_defaults(run=_run_figures)

    solve_parser = commands.add_parser(
        "solve",
        help="list the parameters that map one size to another",
        description="Every (kernel, stride, padding, output_padding, dilation) that maps IN to "
        "OUT on one axis, even overlap (no checkerboard) first.",
    )
    solve_parser.add_argument("in_size", type=int)
    solve_parser.add_argument("out_size", type=int)
    solve_parser.add_argument("--max-kernel", type=int, default=7)
    solve_parser.add_argument("--strides", default="1,2,3,4")
    solve_parser.add_argument("--dilations", default="1,2")
    solve_parser.add_argument("--framework", choices=["pytorch", "any"], default="pytorch")
    solve_parser.add_argument("--limit", type=int, default=20, help="rows to print (default 20)")
    solve_parser.set_defaults(run=_run_solve)

    convert_parser = commands.add_parser(
        "convert",
        help="a framework's transposed convolution as crops, and in PyTorch",
        description="Convert TensorFlow/Keras/JAX/ONNX/PyTorch parameters to crops and to the "
        "PyTorch call that reproduces them (with the slice or pad it needs, and why).",
    )
    convert_parser.add_argument(
        "--from", dest="source", required=True, choices=list(_framework_names())
    )
    convert_parser.add_argument("--in-shape", required=True, help="e.g. 16x16")
    convert_parser.add_argument("--kernel-shape", required=True, help="e.g. 3x3")
    convert_parser.add_argument("--stride", default="1")
    convert_parser.add_argument(
        "--padding", default="SAME", help="SAME, VALID, or numbers (per axis, low:high)"
    )
    convert_parser.add_argument(
        "--output-padding", help="int or per axis (default: the framework's own, 0 or Keras's)"
    )
    convert_parser.add_argument("--output-shape", help="output shape, e.g. 32x32")
    convert_parser.add_argument("--dilation", default="1")
    convert_parser.add_argument(
        "--transpose-kernel", action="store_true", help="JAX: transpose_kernel=True"
    )
    convert_parser.set_defaults(run=_run_convert)
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
