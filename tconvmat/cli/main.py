"""The ``tconvmat`` command: the parser of every subcommand, and ``main``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tconvmat.cli import (
    animate,
    convert,
    exercises,
    explain,
    figures,
    inspect,
    matrix,
    page,
    solve,
)
from tconvmat.cli._common import Parser

COMMANDS = (explain, matrix, figures, animate, page, exercises, solve, convert, inspect)
"""Each module adds its subcommand (``add``) and runs it (``run``)."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``tconvmat`` command."""
    from tconvmat import __version__

    parser = Parser(
        prog="tconvmat",
        description="Transposed convolution written down as a matrix: y = Cᵀx. "
        "Every problem option defaults to the worked example: input 3,2,1;0,5,2;1,4,7, "
        "kernel 1,2;3,4, stride 2, padding 1.",
    )
    parser.add_argument("--version", action="version", version=f"tconvmat {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=Parser, metavar="COMMAND")
    for command in COMMANDS:
        command.add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (2 with a one-line message on bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except (ValueError, TypeError, OverflowError, ZeroDivisionError) as error:
        print(f"tconvmat: error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"tconvmat: error: {error.strerror or error}{where}", file=sys.stderr)
        return 2
