"""The parameter variations: one list behind the explanation's table and the figure."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tconvmat import ConvTranspose, plots
from tconvmat.analysis.variations import variants
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
    assert not any(t.startswith("stride 1") for t in titles)  # PyTorch refuses op 1 at stride 1


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
