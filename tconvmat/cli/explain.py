"""``tconvmat explain``: the step-by-step account, in the terminal, as files or as one page."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

from tconvmat.cli._common import (
    GRID_HELP,
    UsageError,
    add_problem_arguments,
    integer,
    output_file,
    output_folder,
    print_json,
    problem,
    writing_file,
    writing_into,
)
from tconvmat.text.display import FORMATS


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
    parser.add_argument(
        "--brief", action="store_true", help="the summary only (printed, and in --out/--html)"
    )
    parser.add_argument(
        "--width",
        metavar="N",
        help="print lines of at most N characters, 40 to 1000 (default: the terminal's "
        "width; 80 when piped)",
    )
    parser.add_argument(
        "--symbolic",
        action="store_true",
        help="add the closed form in symbols and the general term",
    )
    parser.add_argument(
        "--compare-pytorch", action="store_true", help="also compare with PyTorch (imports it)"
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="write DIR/explanation.md with this problem's figures beside it (and print what "
        "was written instead of the explanation)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="png", help="figure format for --out (default png)"
    )
    parser.add_argument(
        "--html",
        metavar="FILE",
        help="write FILE.html: one page, figures as SVG, formulas as MathML (and print what "
        "was written instead of the explanation)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite files --out/--html name")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print JSON instead of text: {in_shape, kernel_shape, out_shape, stride, padding, "
        "dilation, output_padding, crops, in_channels, out_channels, groups, input, kernel, "
        "output, sizes (one formula line per axis), overlap (taps per output: even, uneven or "
        "gaps), ones_flat (whether an input of ones comes out constant away from the borders; "
        "null with channels or symbols), checks: {route: difference}}; "
        'numbers that are not finite are the strings "NaN", "Infinity", "-Infinity"',
    )
    parser.set_defaults(run=run)


def summary(explanation: Any, pytorch: bool) -> dict[str, Any]:
    """The explanation's facts as strict-JSON-ready values (the schema in ``--help``)."""
    from tconvmat.analysis.overlap import overlap_counts
    from tconvmat.teaching.explanation.basics import size_terms
    from tconvmat.teaching.explanation.checks import integer_stand_ins, route_agreement
    from tconvmat.text.json import plain

    p = explanation.problem
    g = p.geometry
    x, kernel = (p.x, p.kernel) if p.numeric else integer_stand_ins(p)[:2]
    # taps per output; with one channel's numbers, whether ones come out flat (else null)
    report = overlap_counts(g, p.kernel if p.numeric and g.single_channel else None)
    return {
        "in_shape": list(g.in_shape),
        "kernel_shape": list(g.kernel_shape),
        "out_shape": list(g.out_shape),
        "stride": list(g.stride),
        "padding": [list(pair) for pair in g.padding],
        "dilation": list(g.dilation),
        "output_padding": list(g.output_padding),
        "crops": [list(pair) for pair in g.crops],
        "in_channels": g.in_channels,
        "out_channels": g.out_channels,
        "groups": g.groups,
        "input": plain(p.x),
        "kernel": plain(p.kernel),
        "output": plain(np.asarray(explanation.output)),
        "sizes": [size_terms(g, a)[0] for a in range(g.ndim)],
        "overlap": report.taps,
        "ones_flat": report.flat,
        "checks": plain(dict(route_agreement(g, x, kernel, pytorch=pytorch))),
    }


def _width(text: str | None) -> int | None:
    if text is None:
        return None
    value = integer(text, "--width")
    if not 40 <= value <= 1000:
        raise UsageError(f"--width ({value}) must be between 40 and 1000")
    return value


def run(args: argparse.Namespace) -> int:
    width = _width(args.width)
    task = problem(args)  # refuses a problem beyond the view budget before the imports below

    from tconvmat.teaching.explanation.build import build
    from tconvmat.teaching.explanation.figures import figures_for

    folder = page = None
    if args.out is not None:
        drawn = [] if args.brief else list(figures_for(task))  # --brief draws nothing
        names = ["explanation.md"] + [f"{n}.{args.format}" for n in drawn]
        folder = output_folder(args.out, "--out", replaces=names, force=args.force)
    if args.html is not None:
        page = output_file(
            args.html, "--html", force=args.force, suffixes=(".html", ".htm"), created=folder
        )
    explanation = build(task, symbolic=args.symbolic, pytorch=args.compare_pytorch)
    if args.json:
        print_json(summary(explanation, args.compare_pytorch))
    elif folder is None and page is None:
        explanation.print(brief=args.brief, width=width)
    if folder is not None:
        with writing_into(folder, "--out") as place:
            written = explanation.save(place, format=args.format, brief=args.brief)
        figures = [p.name for p in written if p.name != "explanation.md"]
        listed = f" and {len(figures)} figures beside it: {', '.join(figures)}" if figures else ""
        print(f"wrote {folder / 'explanation.md'}{listed}", file=sys.stderr)
    if page is not None:
        html = explanation.to_html(brief=args.brief)
        with writing_file(page, "--html") as place:
            place.write_text(html, encoding="utf-8")
        print(
            f"wrote {page} (one self-contained page, {len(html.encode()):,} bytes)", file=sys.stderr
        )
    return 0
