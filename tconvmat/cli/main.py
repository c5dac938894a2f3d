"""The ``tconvmat`` command: the parser of every subcommand, and ``main``."""

from __future__ import annotations

import argparse
import os
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


def _quiet_stdout() -> None:
    """After the reader of a pipe went away: send what is left to /dev/null, say nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (captured in tests)
        pass


EXIT_INTERRUPTED = 130
"""Ctrl-C: 128 + SIGINT, as a shell reports a program the signal ended."""

EXIT_BROKEN_PIPE = 141
"""The reader of the output went away (``| head``): 128 + SIGPIPE, as for other Unix tools."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    2 with a one-line ``tconvmat: error: ...`` on bad input; 130, quietly, on Ctrl-C;
    141, quietly, when the reader of the output goes away (``tconvmat explain | head``).
    Files and folders are written whole or not at all.
    """
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return _run(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.run(args))
    except (ValueError, TypeError, OverflowError, ZeroDivisionError) as error:
        print(f"tconvmat: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        raise
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"tconvmat: error: {error.strerror or error}{where}", file=sys.stderr)
        return 2
