"""``tconvmat figures``: the gallery, for the worked example or any problem, in any format."""

from __future__ import annotations

import argparse
import sys

from tconvmat.cli._common import add_problem_arguments, output_folder, problem, writing_into
from tconvmat.text.display import FORMATS

DEFAULT_OUT = "tconvmat-figures"


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "figures",
        help="draw the figure gallery for the worked example or any problem",
        description="Draw the gallery (deterministic: the same bytes on every run, in every "
        "format). Figures of the problem use the problem options (a layer with channels: "
        "its own figures and those of its first channel pair); the others are general and "
        "say so in their titles; figures a problem cannot be drawn in are listed with the "
        "reason. "
        "Refuses to overwrite existing files without --force; the committed gallery is "
        "regenerated with --out figures --force.",
    )
    add_problem_arguments(parser)
    parser.add_argument(
        "--out",
        metavar="DIR",
        default=DEFAULT_OUT,
        help=f"folder to write into (default: {DEFAULT_OUT})",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="png", help="file format (default png)"
    )
    parser.add_argument("--dpi", metavar="N", type=float, help="resolution for png (default 110)")
    parser.add_argument("--force", action="store_true", help="overwrite existing figures")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    task = problem(args)  # refuses a problem beyond the view budget before matplotlib loads
    from tconvmat.plots.gallery import animation_names, gallery_names, skipped, write_gallery

    if args.dpi is not None and not 10 <= args.dpi <= 600:
        raise ValueError(f"--dpi ({args.dpi:g}) must be between 10 and 600")
    names = [f"{name}.{args.format}" for name in gallery_names(task)]
    names += [f"{name}.gif" for name in animation_names(task)]
    folder = output_folder(args.out, "--out", replaces=names, force=args.force)
    with writing_into(folder, "--out") as place:
        written = write_gallery(place, task, format=args.format, dpi=args.dpi)
    for path in written:
        print(folder / path.name)
    for name, reason in skipped(task).items():
        print(f"skipped {name}.{args.format}: {reason}", file=sys.stderr)
    return 0
