"""``tconvmat exercises``: an exercise sheet and its answer key, or JSON for a grader."""

from __future__ import annotations

import argparse
import sys

from tconvmat.cli._common import integer, output_folder, print_json, writing_into


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "exercises",
        help="write an exercise sheet and its answer key",
        description="Generate transposed convolutions to work out by hand, mixing cases with "
        "and without overlap, padding, output_padding and dilation. --out DIR writes "
        "DIR/exercises.md and DIR/answers.md (each answer with its worked steps); --json prints "
        "a list of objects with the keys number, kind, dimension, task, marked, convention, "
        "input, kernel, stride, padding, output_padding, dilation (lists, one entry per axis; "
        'padding symmetric) and answer (every output value). The sheet ends with "why" '
        "questions, answered in answers.md. "
        "The same seed gives the same sheet.",
    )
    parser.add_argument("--count", metavar="N", default="5", help="how many exercises (default 5)")
    parser.add_argument("--seed", metavar="N", default="0", help="random seed (default 0)")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="DIR", help="folder for exercises.md and answers.md")
    target.add_argument("--json", action="store_true", help="print the exercises as JSON")
    parser.add_argument("--force", action="store_true", help="overwrite an earlier sheet")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tconvmat.teaching.exercises import exercises, sheet

    count, seed = integer(args.count, "--count"), integer(args.seed, "--seed")
    folder = None
    if args.out is not None:
        replaces = ["exercises.md", "answers.md"]
        folder = output_folder(args.out, "--out", replaces=replaces, force=args.force)
    found = exercises(count, seed)
    if folder is None:
        print_json([e.to_json() for e in found])
        return 0
    questions, answers = sheet(found, seed)
    with writing_into(folder, "--out") as place:
        (place / "exercises.md").write_text(questions, encoding="utf-8")
        (place / "answers.md").write_text(answers, encoding="utf-8")
    print(f"wrote {folder / 'exercises.md'} and {folder / 'answers.md'}", file=sys.stderr)
    return 0
