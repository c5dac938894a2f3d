"""``tconvmat matrix``: print C (or Cᵀ), numeric or symbolic; save it; or JSON."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from tconvmat.cli._common import (
    GRID_HELP,
    UsageError,
    add_problem_arguments,
    output_file,
    print_json,
    problem,
    writing_file,
)
from tconvmat.core import budget, structure
from tconvmat.text import notation
from tconvmat.text.json import dumps, plain

JSON_HELP = (
    "--json prints {shape, nnz, transpose, printed, rows, columns, entries}: entries are "
    "[row, column, value] triples of the stored non-zeros (values as numbers, or as text for "
    "symbols); rows/columns label the grid positions; printed is false (and rows, columns, "
    "entries are left out) when the matrix has more cells than the print budget. JSON is "
    'strict: a number that is not finite is the string "NaN", "Infinity" or "-Infinity".'
)


SAVE_SUFFIXES = (".npz", ".mtx", ".json")


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "matrix",
        help="print, save or export the matrix C (or Cᵀ), numeric or symbolic",
        description="Print C, numeric or with kernel symbols, or a summary when it has more "
        f"than {budget.LIMITS['cells']} cells; --out writes it as .npz (SciPy), .mtx "
        "(Matrix Market) or .json (numbers or symbols), whatever its size within the non-zero "
        f"budget ({budget.LIMITS['nnz']:,}). Grids: {GRID_HELP}. " + JSON_HELP,
    )
    add_problem_arguments(parser)
    parser.add_argument(
        "--symbolic", action="store_true", help="kernel symbols w_{i,j} instead of values"
    )
    parser.add_argument("--transpose", action="store_true", help="Cᵀ instead of C")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--latex", action="store_true", help="print LaTeX")
    output.add_argument("--json", action="store_true", help="print JSON (see above)")
    output.add_argument(
        "--out",
        metavar="FILE",
        help="write the matrix to FILE.npz (SciPy), FILE.mtx (Matrix Market) or FILE.json "
        "({shape, nnz, transpose, entries}, as --json; the format for --symbolic)",
    )
    output.add_argument("--save", dest="out", help=argparse.SUPPRESS)  # the name until 0.3
    parser.add_argument("--force", action="store_true", help="overwrite the file --out names")
    parser.set_defaults(run=run)


def _entries(matrix: Any) -> list[list[Any]]:
    """``[row, column, value]`` of every stored entry (values as strict JSON: numbers or text)."""
    if hasattr(matrix, "todok"):  # SymPy's sparse matrix
        items = sorted(matrix.todok().items())
    else:
        coo = matrix.tocoo()
        places = zip(coo.row.tolist(), coo.col.tolist(), strict=True)
        items = sorted(zip(places, coo.data.tolist(), strict=True))
    return [[int(r), int(c), plain(v)] for (r, c), v in items]


def _save(task: Any, args: argparse.Namespace) -> int:
    import scipy.io
    import scipy.sparse

    path = output_file(args.out, "--out", force=args.force, suffixes=SAVE_SUFFIXES)
    symbolic = args.symbolic or task.kernel.dtype.kind not in "iufc"
    suffix = path.suffix.lower()
    if symbolic and suffix != ".json":
        raise UsageError(
            f"--out {args.out!r}: {suffix} holds numbers; the symbolic matrix is saved as "
            "JSON (--out FILE.json: [row, column, value] entries, values as text)"
        )
    geometry = task.geometry
    if symbolic:
        kernel = task.kernel if task.kernel.dtype == object else None
        matrix = geometry.symbolic_matrix(kernel)
    else:
        matrix = geometry.matrix(task.kernel)
    if args.transpose:
        matrix = matrix.T if symbolic else matrix.T.tocsr()
    with writing_file(path, "--out") as place:
        if suffix == ".json":
            entries = _entries(matrix)
            document = {
                "shape": list(matrix.shape),
                "nnz": len(entries),
                "transpose": args.transpose,
                "entries": entries,
            }
            place.write_text(dumps(document), encoding="utf-8")
        elif suffix == ".npz":
            scipy.sparse.save_npz(place, matrix)
        else:
            scipy.io.mmwrite(place, matrix)
    name = "Cᵀ" if args.transpose else "C"
    kind = "symbolic " if symbolic else ""
    print(
        f"wrote {kind}{name} ({matrix.shape[0]} × {matrix.shape[1]}) to {path}",
        file=sys.stderr,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    task = problem(args, values=False)
    if args.out is not None:
        return _save(task, args)
    geometry, kernel = task.geometry, task.kernel
    symbolic = args.symbolic or kernel.dtype == object
    rows, columns = geometry.matrix_shape
    shape = (columns, rows) if args.transpose else (rows, columns)
    name = "Cᵀ" if args.transpose else "C"
    nnz = structure.nnz(geometry)
    if rows * columns > budget.LIMITS["cells"]:
        if args.json:
            print_json(
                {"shape": list(shape), "nnz": nnz, "transpose": args.transpose, "printed": False}
            )
            return 0
        per_row = structure.tap_bounds(geometry)
        counts = [int((high - low).max(initial=0)) for low, high in per_row]
        if nnz > budget.LIMITS["nnz"]:
            way_out = (
                f", and above the limit of {budget.LIMITS['nnz']:,} non-zeros to build or save; "
                + budget.WAY_OUT["nnz"]
            )
        else:
            way_out = (
                ". Write it with --out C.npz (or C.mtx, C.json), or use "
                "tconvmat.ConvTranspose(...).matrix(kernel) in Python."
            )
        print(
            f"{name} is {shape[0]} × {shape[1]} with {nnz:,} non-zeros (at most "
            f"{int(np.prod(counts)) * (geometry.out_channels // geometry.groups)} per row of C): "
            f"more than {budget.LIMITS['cells']} cells, too large to print{way_out}"
        )
        return 0
    if symbolic:
        # Symbols given on the command line are kept; numbers become the tap symbols.
        matrix = geometry.symbolic_matrix(kernel if kernel.dtype == object else None)
        dense = np.array((matrix.T if args.transpose else matrix).tolist(), dtype=object)
    else:
        dense = geometry.matrix(kernel).toarray()
        dense = dense.T if args.transpose else dense
    in_labels = [notation.position(p) for p in np.ndindex(*geometry.in_shape)]
    out_labels = [notation.position(p) for p in np.ndindex(*geometry.out_shape)]
    if not geometry.single_channel:
        in_labels = [f"{c}{p}" for c in range(geometry.in_channels) for p in in_labels]
        out_labels = [f"{c}{p}" for c in range(geometry.out_channels) for p in out_labels]
    row_labels, col_labels = (out_labels, in_labels) if args.transpose else (in_labels, out_labels)
    if args.json:
        entries = [
            [int(r), int(c), plain(dense[r, c])]
            for r, c in zip(*np.nonzero(dense != 0), strict=True)
        ]
        print_json(
            {
                "shape": list(shape),
                "nnz": nnz,
                "transpose": args.transpose,
                "printed": True,
                "rows": row_labels,
                "columns": col_labels,
                "entries": entries,
            }
        )
        return 0
    if args.latex:
        import sympy

        print(sympy.latex(sympy.Matrix(dense.tolist())))
        return 0
    print(f"{name} ({dense.shape[0]} × {dense.shape[1]}), · = 0")
    print(notation.table(dense.tolist(), row_labels, col_labels, blank_zero=True))
    return 0
