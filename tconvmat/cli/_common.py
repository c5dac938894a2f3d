"""What every command shares: the error format, the problem options, safe output paths."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tconvmat import _parse
from tconvmat.problem import Problem
from tconvmat.worked_example import WORKED_PADDING, WORKED_STRIDE

GRID_HELP = (
    "',' between values, ';' between rows, '|' between the 2-D slices of a 3-D grid; "
    "values are numbers (3, -0.5, 2/3) or symbol names (a, w1)"
)


class UsageError(ValueError):
    """A problem with what the user asked for (printed as ``tconvmat: error: ...``)."""


class Parser(argparse.ArgumentParser):
    """argparse with the error format ``tconvmat: error: ...`` and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"tconvmat: error: {message}\n")


def add_problem_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that describe one transposed convolution (the worked example by default)."""
    group = parser.add_argument_group(
        "the problem",
        "Every option defaults to the worked example: input 3,2,1;0,5,2;1,4,7, "
        "kernel 1,2;3,4, stride 2, padding 1.",
    )
    data = group.add_mutually_exclusive_group()
    data.add_argument("--input", help=f"input values, e.g. '3,2,1;0,5,2;1,4,7' ({GRID_HELP})")
    data.add_argument("--input-shape", help="input shape, filled with 1, 2, 3, ...: e.g. 3x3")
    kernel = group.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", help="kernel values, e.g. '1,2;3,4' or 'a,b;c,d'")
    kernel.add_argument("--kernel-shape", help="kernel shape, filled with 1, 2, 3, ...: e.g. 2x2")
    group.add_argument(
        "--stride", default=str(WORKED_STRIDE), help="int or per axis, e.g. 2 or 2,1 (default 2)"
    )
    group.add_argument(
        "--padding",
        default=str(WORKED_PADDING),
        help="int, per axis (1,0) or per side low:high (0:1,1:0) (default 1)",
    )
    group.add_argument("--dilation", default="1", help="int or per axis (default 1)")
    group.add_argument("--output-padding", default="0", help="int or per axis (default 0)")
    group.add_argument("--in-channels", default="1", help="input channels (default 1)")
    group.add_argument("--out-channels", default="1", help="output channels (default 1)")
    group.add_argument("--groups", default="1", help="channel groups (default 1)")


def integer(text: str, name: str) -> int:
    """One integer option, parsed (never evaluated)."""
    value = _parse.per_axis(text, name)
    if isinstance(value, tuple):
        raise UsageError(f"{name}: {text!r} must be one integer")
    return value


def problem(args: argparse.Namespace, *, values: bool = True) -> Problem:
    """The problem the options describe (``values=False``: an input shape is not filled in)."""

    def shape(text: str | None, name: str) -> tuple[int, ...] | None:
        return None if text is None else _parse.shape(text, name)

    def grid(text: str | None, name: str) -> Any:
        return None if text is None else _parse.value_grid(text, name)

    return Problem.build(
        grid(args.input, "--input"),
        grid(args.kernel, "--kernel"),
        input_shape=shape(args.input_shape, "--input-shape"),
        kernel_shape=shape(args.kernel_shape, "--kernel-shape"),
        stride=_parse.per_axis(args.stride, "--stride"),
        padding=_parse.padding(args.padding),
        dilation=_parse.per_axis(args.dilation, "--dilation"),
        output_padding=_parse.per_axis(args.output_padding, "--output-padding"),
        in_channels=integer(args.in_channels, "--in-channels"),
        out_channels=integer(args.out_channels, "--out-channels"),
        groups=integer(args.groups, "--groups"),
        values=values,
    )


def output_folder(text: str, name: str, *, replaces: list[str], force: bool) -> Path:
    """A folder to write into, checked before any work: not a file, writable, no overwrite.

    ``replaces`` are the file names the command will write; if any exists already the
    command refuses unless ``force``.
    """
    if not text.strip():
        raise UsageError(f"{name} is empty; give a folder name")
    folder = Path(text)
    for parent in (folder, *folder.parents):
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"{name} {text!r}: {str(parent)!r} is a file, not a folder")
    existing = [n for n in replaces if (folder / n).exists()]
    if existing and not force:
        raise UsageError(
            f"{name} {text!r} already holds {', '.join(existing[:3])}"
            f"{' …' if len(existing) > 3 else ''}; pass --force to overwrite, "
            f"or choose another {name}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / ".tconvmat-write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"{name} {text!r} is not writable: {error.strerror}") from None
    return folder


def output_file(text: str, name: str, *, force: bool, suffixes: tuple[str, ...]) -> Path:
    """A file to write, checked before any work: its folder exists, no silent overwrite."""
    if not text.strip():
        raise UsageError(f"{name} is empty; give a file name")
    path = Path(text)
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{name} {text!r} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise UsageError(f"{name} {text!r} is a folder; give a file name")
    if path.exists() and not force:
        raise UsageError(f"{name} {text!r} exists; pass --force to overwrite it")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"{name} {text!r}: the folder {str(parent)!r} does not exist")
    return path


def print_json(value: Any) -> None:
    """JSON on standard output (stable key order, non-ASCII kept)."""
    import json

    print(json.dumps(value, indent=2, ensure_ascii=False))
