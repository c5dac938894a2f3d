"""What every command shares: the error format, the problem options, safe output paths."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tconvmat.problem import WORKED_PADDING, WORKED_STRIDE, Problem
from tconvmat.text import parsing

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
    data.add_argument(
        "--input",
        metavar="VALUES",
        help=f"input values, e.g. '3,2,1;0,5,2;1,4,7' ({GRID_HELP})",
    )
    data.add_argument(
        "--input-shape",
        metavar="SHAPE",
        help="spatial input shape, filled with 1, 2, 3, ...: e.g. 3x3",
    )
    kernel = group.add_mutually_exclusive_group()
    kernel.add_argument(
        "--kernel", metavar="VALUES", help="kernel values, e.g. '1,2;3,4' or 'a,b;c,d'"
    )
    kernel.add_argument(
        "--kernel-shape",
        metavar="SHAPE",
        help="spatial kernel shape, filled with 1, 2, 3, ...: e.g. 2x2",
    )
    group.add_argument(
        "--stride",
        metavar="S",
        help=f"int or per axis, e.g. 2 or 2,1 (default {WORKED_STRIDE}, the worked example's)",
    )
    group.add_argument(
        "--padding",
        metavar="P",
        help="int, per axis (1,0) or per side low:high (0:1,1:0) "
        f"(default {WORKED_PADDING}, the worked example's)",
    )
    group.add_argument("--dilation", metavar="D", default="1", help="int or per axis (default 1)")
    group.add_argument(
        "--output-padding", metavar="OP", default="0", help="int or per axis (default 0)"
    )
    group.add_argument("--in-channels", metavar="C", default="1", help="input channels (default 1)")
    group.add_argument(
        "--out-channels", metavar="C", default="1", help="output channels (default 1)"
    )
    group.add_argument("--groups", metavar="G", default="1", help="channel groups (default 1)")


def integer(text: str, name: str) -> int:
    """One integer option, parsed (never evaluated)."""
    value = parsing.per_axis(text, name)
    if isinstance(value, tuple):
        raise UsageError(f"{name}: {text!r} must be one integer")
    return value


def problem(args: argparse.Namespace, *, values: bool = True) -> Problem:
    """The problem the options describe (``values=False``: an input shape is not filled in)."""

    def shape(text: str | None, name: str) -> tuple[int, ...] | None:
        return None if text is None else parsing.shape(text, name)

    def grid(text: str | None, name: str) -> Any:
        return None if text is None else parsing.value_grid(text, name)

    return Problem.build(
        grid(args.input, "--input"),
        grid(args.kernel, "--kernel"),
        input_shape=shape(args.input_shape, "--input-shape"),
        kernel_shape=shape(args.kernel_shape, "--kernel-shape"),
        stride=None if args.stride is None else parsing.per_axis(args.stride, "--stride"),
        padding=None if args.padding is None else parsing.padding(args.padding),
        dilation=parsing.per_axis(args.dilation, "--dilation"),
        output_padding=parsing.per_axis(args.output_padding, "--output-padding"),
        in_channels=integer(args.in_channels, "--in-channels"),
        out_channels=integer(args.out_channels, "--out-channels"),
        groups=integer(args.groups, "--groups"),
        values=values,
    )


def _missing_root(path: Path) -> Path | None:
    """The highest folder of ``path`` (itself included) that does not exist yet, if any."""
    missing = None
    for candidate in (path, *path.parents):
        if candidate.exists():
            return missing
        missing = candidate
    return missing


def _probe(folder: Path, text: str, name: str) -> None:
    """Refuse an unwritable place before any work (by writing there, as root does too)."""
    try:
        Path(tempfile.mkdtemp(prefix=".tconvmat-probe-", dir=folder)).rmdir()
    except OSError as error:
        raise UsageError(
            f"{name} {text!r}: cannot write in {str(folder)!r} ({error.strerror or error})"
        ) from None


def output_folder(text: str, name: str, *, replaces: list[str], force: bool) -> Path:
    """A folder to write into, checked before any work: not a file, writable, no overwrite.

    ``replaces`` are the file names the command will write; if any exists already the
    command refuses unless ``force``. Nothing is created here: :func:`writing_into`
    writes beside the folder and moves the files in at the end.
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
    missing = _missing_root(folder.absolute())
    _probe(folder.absolute() if missing is None else missing.parent, text, name)
    return folder


def output_file(
    text: str,
    name: str,
    *,
    force: bool,
    suffixes: tuple[str, ...],
    created: Path | None = None,
) -> Path:
    """A file to write, checked before any work: its folder is writable (missing folders are
    created when it is written), no silent overwrite. ``created`` is a folder the command
    writes first (already checked)."""
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
    if created is not None and parent.absolute() == created.absolute():
        return path
    for folder in (parent, *parent.parents):
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{name} {text!r}: {str(folder)!r} is a file, not a folder")
    missing = _missing_root(parent.absolute())
    _probe(parent.absolute() if missing is None else missing.parent, text, name)
    return path


PARTIAL = ".tconvmat-partial"
"""Suffix of the temporary file or folder a command writes before moving it into place."""


def _usual_mode(path: Path, base: int) -> None:
    """Give a temporary file or folder the mode a plain create would (mkstemp makes it private)."""
    mask = os.umask(0)
    os.umask(mask)
    path.chmod(base & ~mask)


@contextlib.contextmanager
def _naming(name: str, stage: Path) -> Iterator[None]:
    """An error while writing the stage names the option that chose the place."""
    try:
        yield
    except OSError as error:
        where = Path(error.filename) if error.filename else None
        if where is None or stage not in (where, *where.parents):
            raise
        raise UsageError(f"{name}: writing failed ({error.strerror or error})") from None


@contextlib.contextmanager
def writing_into(folder: Path, name: str) -> Iterator[Path]:
    """Write a folder's files all at once: into a temporary folder beside it, moved in at the end.

    The block writes into the yielded folder. When it ends well, a folder that did not
    exist appears at once (one rename), and in an existing folder each file replaces its
    namesake; when it fails or is interrupted (Ctrl-C), nothing is left behind.
    """
    target = folder.absolute()
    missing = _missing_root(target)
    if missing is None:  # stage inside the folder: it is the one place known to be writable
        stage = Path(tempfile.mkdtemp(prefix=".tconvmat-", suffix=PARTIAL, dir=target))
    else:
        stage = Path(
            tempfile.mkdtemp(prefix=f".{missing.name}.", suffix=PARTIAL, dir=missing.parent)
        )
    try:
        _usual_mode(stage, 0o777)
        inner = stage if missing is None else stage / target.relative_to(missing)
        with _naming(name, stage):
            inner.mkdir(parents=True, exist_ok=True)
            yield inner
            if missing is not None:
                os.rename(stage, missing)
            else:
                for item in sorted(stage.iterdir()):
                    os.replace(item, target / item.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def writing_file(path: Path, name: str) -> Iterator[Path]:
    """Write a file all at once: into a temporary file beside it, renamed over it at the end.

    A missing folder on the way is written the same way (all of it appears at the end).
    """
    if not path.parent.is_dir():
        with writing_into(path.parent, name) as folder:
            yield folder / path.name
        return
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f"{PARTIAL}{path.suffix}", dir=path.parent
    )
    os.close(handle)
    stage = Path(temporary)
    try:
        _usual_mode(stage, 0o666)
        with _naming(name, stage):
            yield stage
            os.replace(stage, path)
    finally:
        stage.unlink(missing_ok=True)


def print_json(value: Any) -> None:
    """Strict JSON on standard output (non-finite numbers as strings; ``tconvmat.text.json``)."""
    from tconvmat.text.json import dumps

    print(dumps(value))
