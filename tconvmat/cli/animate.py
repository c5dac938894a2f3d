"""``tconvmat animate``: the scatter, or the kernel sliding over zero-inserted input, as a GIF."""

from __future__ import annotations

import argparse
import sys

from tconvmat.cli._common import (
    add_problem_arguments,
    integer,
    output_file,
    problem,
    writing_file,
)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "animate",
        help="animate the scatter or the zero-insertion view as a GIF",
        description="Animate a 1-D, 2-D or 3-D problem (3-D: its slices side by side): "
        "'scatter' stamps one input element per frame into the canvas, then shows the crop and "
        "the result; 'zero-insertion' slides the reversed kernel over the zero-inserted input, "
        "one output per frame with its sum. The same arguments give the same bytes.",
    )
    add_problem_arguments(parser)
    parser.add_argument(
        "--mode", choices=["scatter", "zero-insertion"], default="scatter", help="(default scatter)"
    )
    parser.add_argument(
        "--out", metavar="FILE", help="the GIF to write (default tconvmat-MODE.gif)"
    )
    parser.add_argument(
        "--duration", metavar="MS", default="900", help="milliseconds per frame (default 900)"
    )
    parser.add_argument(
        "--dpi", metavar="N", type=float, help="resolution of the frames (default 110)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    task = problem(args)  # refuses a problem beyond the view budget before matplotlib loads
    from tconvmat.plots.animation import animate

    path = output_file(
        args.out or f"tconvmat-{args.mode}.gif", "--out", force=args.force, suffixes=(".gif",)
    )
    duration = integer(args.duration, "--duration")
    movie = animate(
        task.geometry, task.x, task.kernel, mode=args.mode, duration=duration, dpi=args.dpi
    )
    with writing_file(path, "--out") as place:
        movie.save(place)
    print(f"wrote {path} ({len(movie.frames)} frames)", file=sys.stderr)
    return 0
