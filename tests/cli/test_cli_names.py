"""One name for one idea across every command's ``--help``, and the README's synopsis."""

from __future__ import annotations

import argparse
import re

import pytest
from repository import ROOT

from tconvmat.cli import build_parser

README = ROOT / "README.md"

RETIRED = {
    ("convert", "--in-shape"): "--input-shape",
    ("matrix", "--save"): "--out",
    ("inspect", "--input-shape"): "--model-input",
}
"""Old names kept as hidden aliases for one release: (command, old name) → the name now."""

SYNONYMS = {
    "--in-shape",
    "--input-size",
    "--in-size",
    "--kernel-size",
    "--save",
    "--output",
    "--output-dir",
    "--outdir",
    "--file",
    "--strides-per-axis",
    "--pad",
    "--channels",
}
"""Names that would say an idea another option already names: never shown."""

PROBLEM = (
    "--input",
    "--input-shape",
    "--kernel",
    "--kernel-shape",
    "--stride",
    "--padding",
    "--dilation",
    "--output-padding",
    "--in-channels",
    "--out-channels",
    "--groups",
)


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _visible(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {
        option: action
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }


def test_no_command_shows_a_second_name_for_an_idea():
    for name, parser in _commands().items():
        shown = set(_visible(parser))
        assert not shown & SYNONYMS, (name, shown & SYNONYMS)


def test_an_option_shared_by_commands_means_the_same_there():
    seen: dict[str, tuple[str, str, object]] = {}
    for name, parser in _commands().items():
        for option, action in _visible(parser).items():
            metavar = action.metavar if option != "--out" else action.metavar in ("DIR", "FILE")
            if option in seen:
                first, dest, first_metavar = seen[option]
                assert action.dest == dest, (option, first, name)
                assert metavar == first_metavar, (option, first, first_metavar, name, metavar)
            else:
                seen[option] = (name, action.dest, metavar)
    # the options that take a value all say what they take
    for name, parser in _commands().items():
        for option, action in _visible(parser).items():
            if action.nargs != 0 and not action.choices:
                assert action.metavar, (name, option)


def test_the_problem_options_read_the_same_in_every_command():
    commands = _commands()
    helps = {}
    for name, parser in commands.items():
        shown = _visible(parser)
        if "--kernel" in shown:
            helps[name] = {o: (shown[o].help, shown[o].metavar) for o in PROBLEM}
    assert {"animate", "explain", "figures", "matrix", "page"} <= set(helps)
    assert all(h == helps["explain"] for h in helps.values())
    convert = _visible(commands["convert"])
    for option in ("--input-shape", "--kernel-shape", "--stride", "--padding", "--dilation"):
        assert convert[option].metavar == helps["explain"][option][1], option


@pytest.mark.parametrize(("command", "old"), sorted(RETIRED))
def test_a_retired_name_still_parses_as_the_new_one(command, old):
    new = RETIRED[(command, old)]
    base = {
        "convert": ["convert", "--from", "tensorflow", "--kernel-shape", "3x3"],
        "matrix": ["matrix"],
        "inspect": ["inspect", "model.onnx"],
    }[command]
    value = "x=1x3x8x8" if command == "inspect" else "c.npz" if command == "matrix" else "8x8"
    parser = build_parser()
    assert vars(parser.parse_args([*base, old, value])) == vars(
        parser.parse_args([*base, new, value])
    )
    assert old not in _visible(_commands()[command])


def test_the_readme_synopsis_names_every_command_and_option():
    readme = README.read_text(encoding="utf-8")
    synopsis = readme[readme.index("## Command line") :]
    synopsis = synopsis[: synopsis.index("\n```\n", synopsis.index("```") + 3)]
    for name, parser in _commands().items():
        assert re.search(rf"^tconvmat {name}\b", synopsis, re.M), name
        for option in _visible(parser):
            if option not in PROBLEM or name == "convert":
                assert option in synopsis, (name, option)
    for option in PROBLEM:
        assert option in synopsis, option
