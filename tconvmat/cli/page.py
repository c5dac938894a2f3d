"""``tconvmat page``: one HTML file where every number shows where it comes from."""

from __future__ import annotations

import argparse
import sys

from tconvmat.cli._common import (
    GRID_HELP,
    add_problem_arguments,
    output_file,
    problem,
    writing_file,
)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "page",
        help="write the explorable page: linked views of x, w, the canvas, y, C and Cᵀ",
        description="Write one self-contained HTML file (no network, opens from file://) "
        "with linked views of a 1-D or 2-D problem: the input, the kernel, the scatter canvas "
        "and its crop, the output, C and Cᵀ, the zero-insertion grid and the phases. Point at, "
        "click or tab to any number to frame everything it is made of or makes; an output "
        "shows its sum. Sliders move input size, kernel size, stride, padding, dilation and "
        "output_padding in 1-D and 2-D; every state is computed when the page is written. "
        f"Grids: {GRID_HELP}.",
    )
    add_problem_arguments(parser)
    parser.add_argument(
        "--out", metavar="FILE", help="the page to write (default tconvmat-page.html)"
    )
    parser.add_argument(
        "--no-sliders", action="store_true", help="the problem alone, without sliders (smaller)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tconvmat.teaching.pages import page_of

    task = problem(args)
    path = output_file(
        args.out or "tconvmat-page.html", "--out", force=args.force, suffixes=(".html", ".htm")
    )
    view = page_of(task, sliders=not args.no_sliders)
    text = view.to_html()
    with writing_file(path, "--out") as place:
        place.write_text(text, encoding="utf-8")
    states = "no sliders" if view.grid is None else f"{len(view.data['chunks'])} slider chunks"
    size = len(text.encode("utf-8"))
    print(f"wrote {path} ({size / 1e6:.2f} MB, {states})", file=sys.stderr)
    return 0
