"""The parameter variations: one list behind the explanation's table and the figure."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tconvmat import ConvTranspose, plots
from tconvmat.analysis.variations import Refused, tried, variants
from tconvmat.cli import main
from tconvmat.plots.palette import CROPPED, INSERTED
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import effects

PROBLEMS = {
    "output_padding": dict(
        input_shape=(4, 4), kernel_shape=(3, 3), stride=2, padding=1, output_padding=1
    ),
    "asymmetric padding": dict(input_shape=(5,), kernel_shape=(3,), stride=2, padding=((0, 2),)),
    "dilation": dict(input_shape=(3, 4), kernel_shape=(2, 3), stride=(2, 1), padding=1, dilation=2),
    "3-D with output_padding": dict(
        input_shape=(2, 3, 3), kernel_shape=(2, 2, 3), stride=3, padding=1, output_padding=2
    ),
}


def _table(problem: Problem) -> dict[str, str]:
    """Label → output size, read from the explanation's markdown table."""
    section = effects.parameter_effects(problem, problem.output(), None)
    table = next(p.markdown for p in section.parts if p.markdown.startswith("| change"))
    rows = [line.split("|")[1:3] for line in table.splitlines()[2:]]
    return {label.strip(): size.strip() for label, size in rows}


def _panels(figure) -> list[tuple[str, str, int]]:
    """(label, output size in the title, output columns drawn inside the crop) per panel."""
    found = []
    for panel in figure.panels:
        match = re.fullmatch(r"(.+): output (\S+)", panel.title)
        if match is None:
            continue
        cropped = [all(cell in (INSERTED, CROPPED) for cell in column) for column in panel.faces.T]
        found.append((match[1], match[2], len(cropped) - sum(cropped)))
    return found


@pytest.mark.parametrize("name", PROBLEMS)
def test_every_panel_prints_and_draws_the_size_of_the_text_table(name):
    problem = Problem.build(**PROBLEMS[name])
    table = _table(problem)
    panels = _panels(plots.plot_parameter_effects(problem.geometry, problem.x, problem.kernel))
    changed = [label for label, _, _ in panels if not label.endswith("(this problem)")]
    # each variant once; the rows PyTorch refuses are text only (the teacher's review, 9)
    drawn = {label for label, size in table.items() if not size.startswith("not allowed")}
    assert sorted(changed) == sorted(drawn - {"(this problem)"})
    own = problem.geometry.out_shape
    for label, size, columns in panels:
        key = "(this problem)" if label.endswith("(this problem)") else label
        assert table[key] == size
        assert columns == int(size.split("×")[0])  # the first axis, as drawn
    assert table["(this problem)"] == "×".join(map(str, own))


def test_the_users_own_settings_are_labelled_with_the_real_output():
    # issue 19: input 4×4, kernel 3, stride 2, padding 1, output_padding 1 printed L_out = 7
    g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    titles = [p.title for p in plots.plot_parameter_effects(g).panels]
    assert "stride 2 (this problem): output 8×8" in titles
    # PyTorch refuses op 1 at stride 1: its place holds the refusal, no C (review 2, P4)
    assert [t for t in titles if t.startswith("stride 1")] == ["stride 1: not allowed\n(see below)"]


@pytest.mark.parametrize("name", ["output_padding", "dilation"])
def test_variant_sizes_are_pytorchs(name):
    torch = pytest.importorskip("torch")
    problem = Problem.build(**PROBLEMS[name])
    for v in variants(problem):
        g = v.geometry
        layer = torch.nn.ConvTranspose2d(
            1,
            1,
            g.kernel_shape,
            stride=g.stride,
            padding=[lo for lo, _ in g.padding],
            dilation=g.dilation,
            output_padding=g.output_padding,
            bias=False,
        )
        out = layer(torch.zeros(1, 1, *g.in_shape)).shape[2:]
        assert tuple(out) == g.out_shape, v.label
        np.testing.assert_array_equal(v.output.shape, g.out_shape)


TRANSPOSED = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _piped(args: list[str], capsys) -> str:
    assert main(["explain", *args]) == 0
    return capsys.readouterr().out


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- findings 8 and 9: two overlap columns, and the refused variations ----------------------


def _ones_flat(g: ConvTranspose, kernel: np.ndarray) -> bool | None:
    """PyTorch's answer: an input of ones, constant away from the borders? (None: the output
    is too short for every phase to show away from the borders)"""
    fn = TRANSPOSED[g.ndim]
    y = fn(
        torch.ones(1, 1, *g.in_shape, dtype=torch.float64),
        torch.tensor(np.asarray(kernel, float)).reshape(1, 1, *g.kernel_shape),
        stride=g.stride,
        padding=tuple(lo for lo, _ in g.padding),
        output_padding=g.output_padding,
        dilation=g.dilation,
    )[0, 0].numpy()
    margin = max(a.extent for a in g.axes)
    inside = y[tuple(slice(margin, n - margin) for n in y.shape)]
    if min(inside.shape, default=0) < max(g.stride):
        return None
    return bool(np.allclose(inside, inside.flat[0]))


def _taps_from_c(g: ConvTranspose) -> str | None:
    """even / uneven / gaps read off C's columns away from the borders (None: no interior)."""
    counts = g.matrix(np.ones(g.kernel_shape)).toarray().astype(bool).sum(axis=0)
    counts = counts.reshape(g.out_shape)
    margin = max(a.extent for a in g.axes)
    inside = counts[tuple(slice(margin, n - margin) for n in g.out_shape)]
    if inside.size == 0 or min(n - 2 * margin for n in g.out_shape) < max(g.stride):
        return None  # too short for every phase to show away from the borders
    if (inside == 0).any():
        return "gaps"
    return "even" if (inside == inside.flat[0]).all() else "uneven"


def _effects_table(problem: Problem) -> dict[str, list[str]]:
    """The explanation's table, row label → (output size, taps per output, ones → flat?)."""
    section = effects.parameter_effects(problem, problem.output(), None)
    table = next(p.markdown for p in section.parts if p.markdown.startswith("| change"))
    assert table.splitlines()[0] == "| change | output size | taps per output | ones → flat? |"
    return {
        cells[0]: cells[1:]
        for cells in (
            [c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]
        )
    }


TABLES = {
    "worked": {},
    "op1": dict(input_shape=(4, 4), kernel_shape=(3, 3), padding=1, output_padding=1),
    "3-D": dict(input_shape=(2, 2, 2), kernel_shape=(2, 2, 2)),
    "3×5": dict(input_shape=(3, 5), kernel_shape=(2, 3), stride=(2, 1)),
    "1-D": dict(input="1,10,3,7", kernel="1,2,3", padding=0),
    "dilation": dict(dilation=2),
}


@pytest.mark.parametrize("name", TABLES)
def test_the_table_answers_both_questions_as_pytorch_does(name):
    problem = Problem.build(**TABLES[name])
    rows = _effects_table(problem)
    for variant in tried(problem):
        size, taps, flat = rows[variant.label]
        if isinstance(variant, Refused):
            assert size == "not allowed (below)" and taps == flat == ""
            continue
        g = variant.geometry
        expected = _taps_from_c(g)
        assert expected in (None, taps), variant.label
        expected = _ones_flat(g, variant.kernel)
        assert expected is None or flat == ("yes" if expected else "no"), variant.label
    own = rows["(this problem)"]
    expected = _ones_flat(problem.geometry, problem.kernel)
    assert expected is None or own[2] == ("yes" if expected else "no")
    # the worked example: even taps, yet not flat (its verdict says the same)
    if name == "worked":
        assert own[1:] == ["even", "no"]


@pytest.mark.parametrize("name", TABLES)
def test_every_variation_pytorch_refuses_is_listed_with_its_reason(name):
    problem = Problem.build(**TABLES[name])
    section = effects.parameter_effects(problem, problem.output(), None)
    text = _flat(" ".join(getattr(p, "markdown", "") for p in section.parts))
    g = problem.geometry
    for variant in tried(problem):
        if isinstance(variant, Refused):
            said = re.search(r'\(PyTorch: "(.+?)"\)', variant.reason)
            assert said and f"- {variant.label}: {variant.reason}." in text
            with pytest.raises(RuntimeError, match=re.escape(said[1])):
                _run_variation(g, problem, variant.label)
        else:
            y = _run_variation(g, problem, variant.label)
            assert tuple(y.shape[2:]) == variant.geometry.out_shape


def _run_variation(g: ConvTranspose, problem: Problem, label: str) -> torch.Tensor:
    """PyTorch on the variation a label names (parsed from the label: what a student types)."""
    name, value = re.match(r"(\w+) ([\d,:×]+)", label).groups()
    params = dict(
        stride=g.stride,
        padding=tuple(lo for lo, _ in g.padding),
        output_padding=g.output_padding,
        dilation=g.dilation,
    )
    kernel = torch.tensor(np.asarray(problem.kernel, float))
    if name == "kernel":
        shape = tuple(int(v) for v in value.split("×"))
        kernel = torch.arange(1, int(np.prod(shape)) + 1, dtype=torch.float64).reshape(shape)
    else:
        values = tuple(int(v) for v in value.split(","))
        params[name] = values * g.ndim if len(values) == 1 else values
    return TRANSPOSED[g.ndim](
        torch.tensor(np.asarray(problem.x, float)).reshape(1, 1, *g.in_shape),
        kernel.reshape(1, 1, *kernel.shape),
        **params,
    )


def test_the_two_words_are_defined_where_the_words_are(capsys):
    text = _flat(_piped([], capsys))
    assert "- taps per output: how many (input, tap) pairs reach an output." in text
    assert "- ones → flat?: whether an input of ones comes out constant" in text
    for word in ("stripes", "alternating"):
        assert word not in text.split("Overlap and the checkerboard")[0]


def test_the_json_answers_both_questions(capsys):
    assert main(["explain", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["overlap"] == "even" and data["ones_flat"] is False
