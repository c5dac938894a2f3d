"""``tconvmat matrix``: print C (or Cᵀ), numeric or symbolic."""

from __future__ import annotations

import argparse

import numpy as np

from tconvmat import _text
from tconvmat.cli._common import GRID_HELP, add_problem_arguments, problem

MAX_MATRIX_ENTRIES = 40 * 60
"""Matrices with more entries print a summary instead of flooding the terminal."""


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "matrix",
        help="print the matrix C (or Cᵀ), numeric or symbolic",
        description=f"Print C, numeric or with kernel symbols. Grids: {GRID_HELP}.",
    )
    add_problem_arguments(parser)
    parser.add_argument(
        "--symbolic", action="store_true", help="kernel symbols k_{i,j} instead of values"
    )
    parser.add_argument("--transpose", action="store_true", help="print Cᵀ instead of C")
    parser.add_argument("--latex", action="store_true", help="print LaTeX")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    task = problem(args)
    geometry, kernel = task.geometry, task.kernel
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
