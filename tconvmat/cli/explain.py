"""``tconvmat explain``: the step-by-step account, in the terminal, as files or as one page."""

from __future__ import annotations

import argparse
import sys

from tconvmat.cli._common import (
    GRID_HELP,
    add_problem_arguments,
    output_file,
    output_folder,
    problem,
)
from tconvmat.plots._figure import FORMATS


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "explain",
        help="walk through one transposed convolution step by step",
        description="Explain y = Cᵀx step by step, detailed enough to redo by hand: the answer "
        "first, then the output size, every stamp, the other views, C, each output as a sum, "
        "how each parameter changes the result, overlap, the autoencoder story and the checks. "
        f"Grids: {GRID_HELP}. 1-D: --input 1,2,3; 3-D: --input '1,2;3,4|5,6;7,8'.",
    )
    add_problem_arguments(parser)
    parser.add_argument("--brief", action="store_true", help="print the summary only")
    parser.add_argument(
        "--symbolic",
        action="store_true",
        help="add the closed form in symbols and the general term",
    )
    parser.add_argument(
        "--compare-pytorch", action="store_true", help="also compare with PyTorch (imports it)"
    )
    parser.add_argument(
        "--out", help="also write DIR/explanation.md with this problem's figures beside it"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="png", help="figure format for --out (default png)"
    )
    parser.add_argument(
        "--html", help="also write FILE.html: one page, figures as SVG, formulas as MathML"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files --out/--html name")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tconvmat.explanation import build
    from tconvmat.explanation.figures import figures_for
    from tconvmat.explanation.render import terminal

    task = problem(args)
    folder = page = None
    if args.out is not None:
        names = ["explanation.md"] + [f"{n}.{args.format}" for n in figures_for(task)]
        folder = output_folder(args.out, "--out", replaces=names, force=args.force)
    if args.html is not None:
        page = output_file(args.html, "--html", force=args.force, suffixes=(".html", ".htm"))
    explanation = build(task, symbolic=args.symbolic, pytorch=args.compare_pytorch)
    terminal(explanation.to_markdown(brief=args.brief))
    if folder is not None:
        explanation.save(folder, format=args.format)
        print(f"wrote {folder / 'explanation.md'} and its figures", file=sys.stderr)
    if page is not None:
        page.write_text(explanation.to_html(), encoding="utf-8")
        print(f"wrote {page}", file=sys.stderr)
    return 0
