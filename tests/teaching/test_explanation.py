"""The explanation teaches: pinned sentences where wording was wrong, figures per dimension,
channels against PyTorch, the fair inverse comparison, exercises (issue 10)."""

from __future__ import annotations

import re

import pytest

import tconvmat
from tconvmat.cli import main


def _prose(text: str) -> str:
    """The text outside code blocks."""
    return re.sub(r"```.*?```", "", text, flags=re.S)


def flat(text: str) -> str:
    """Prose with its line wrapping undone, for sentences that span lines."""
    return " ".join(text.split())


WORKED = flat(str(tconvmat.explain()))


def test_the_answer_comes_first():
    assert WORKED.index("## Summary") < WORKED.index("## What a transposed convolution is")
    summary = WORKED[: WORKED.index("## What")]
    assert "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in summary
    assert flat("12   6   8  3\n 0   5  10  2\n 0  15  20  6\n 2   4   8  7") in summary


def test_prose_is_wrapped_and_free_of_python_tuples():
    for text in (
        str(tconvmat.explain()),
        str(tconvmat.explain(stride=(2, 1), padding=((1, 0), (0, 1)))),
    ):
        prose = _prose(text)
        long = [line for line in prose.splitlines() if len(line) > 88 and not line.startswith("|")]
        assert long == []
        assert not re.search(r"\(\(\d|\(\d+,\)", prose), "a Python tuple in the prose"


def test_per_axis_numbers_are_each_axis_own():
    text = flat(str(tconvmat.explain(stride=(2, 1), padding=0)))
    assert "axis 0 (vertical): 2, stamps start at canvas positions 0, 2, 4" in text
    assert "axis 1 (horizontal): 1, stamps start at canvas positions 0, 1, 2" in text
    # review finding 10: "along rows" read as either way; the axis and its direction do not
    assert "stride 2 on axis 0 (vertical), 1 on axis 1 (horizontal)" in text
    assert "along rows" not in text and "along columns" not in text


def test_origin_and_the_other_words_are_defined():
    assert "the **origin**, is where input 0's first kernel tap lands" in WORKED
    for word in ("**stamp**", "**canvas**", "**crop**", "**phase**"):
        assert word in WORKED


def test_gaps_are_named_by_output_index_not_residue():
    report = tconvmat.overlap_counts(
        tconvmat.ConvTranspose((4,), (3,), stride=2, dilation=2, padding=1)
    )
    assert "positions 0, 2, 4" in report.verdict
    assert (report.counts[::2] == 0).all() and (report.counts[1::2] > 0).all()


@pytest.mark.parametrize(
    ("kernel", "pattern"), [((3, 2), "stripes"), ((3, 3), "checkerboard"), ((2, 2), "even")]
)
def test_stripes_are_not_called_a_checkerboard(kernel, pattern):
    report = tconvmat.overlap_counts(tconvmat.ConvTranspose((6, 6), kernel, stride=2))
    assert report.pattern == pattern


def test_output_padding_gives_back_real_values_when_padding_cut_them():
    text = flat(
        str(
            tconvmat.explain(
                input_shape=(4,), kernel_shape=(3,), stride=2, padding=1, output_padding=1
            )
        )
    )
    assert "gains 1 position the padding 1 would have cut (canvas index 8): a real canvas" in text
    zeros = flat(
        str(
            tconvmat.explain(
                input_shape=(4,), kernel_shape=(3,), stride=2, padding=0, output_padding=1
            )
        )
    )
    assert "gains 1 position past the canvas's end (canvas index 9): a zero." in zeros


def test_an_overlapping_companion_and_the_checkerboard_fixes():
    assert "The same input with a 3×3 kernel (1, 2, 3, …) and the same stride" in WORKED
    assert "Verdict: taps per output: uneven (interior outputs receive 1, 2 or 4 taps" in WORKED
    for fix in (
        "a kernel size the stride divides",
        "resize, then convolve",
        "sub-pixel convolution",
    ):
        assert fix in WORKED


def test_the_autoencoder_story_and_a_fair_inverse_comparison():
    assert "takes a 4×4 feature map to a 3×3 map" in WORKED
    assert (
        "rows: sizes 4, 5 both shrink to 3; output_padding 0 gives 4, output_padding 1 gives 5"
        in WORKED
    )
    # the numbers: 7.6 relative error, mostly scale (best multiple 0.83, lsqr 0.59)
    assert "Cᵀx misses by 7.6" in WORKED and "still misses by 0.826" in WORKED
    assert "misses by 0.586" in WORKED and "forgets 7 direction(s) of y" in WORKED


def test_zero_insertion_and_polyphase_in_words():
    assert "Why reversed: in the scatter, input i sends tap j to output i·s + j·d" in WORKED
    assert "There are 4 phases (2 × 2)" in WORKED
    assert "y[0::2, 0::2] ← w[1,1]" in WORKED


def test_symbolic_uses_one_notation():
    text = str(
        tconvmat.explain(input_shape=(3,), kernel_shape=(3,), stride=2, padding=1, symbolic=True)
    )
    section = text[text.index("## The closed form in symbols") :]
    section = section[: section.index("\n## ")]
    assert "k_{" not in section and "k[" not in section and "*" not in section
    assert "y[m_0] = w[1]·x[m_0/2]    when m_0 even" in section
    assert "w[0]·x[(m_0 + 1)/2] + w[2]·x[(m_0 - 1)/2]    when m_0 odd" in section


def test_three_dimensional_results_print_as_slices():
    text = str(tconvmat.explain(input_shape=(2, 2, 2), kernel_shape=(2, 2, 2), padding=0))
    assert "slice 0:\n" in text and "slice 3:\n" in text


VIEWS = {"matrix", "footprint", "scatter_steps", "zero_insertion", "polyphase"}


CHECKER = ("constant_response", "checkerboard_demo")  # issue 19: the second cause, shown


@pytest.mark.parametrize(
    ("shapes", "names"),
    [
        (((4,), (3,)), VIEWS | {"parameter_effects", "overlap", *CHECKER}),
        (((3, 3), (2, 2)), VIEWS | {"parameter_effects", "overlap", *CHECKER}),
        (((2, 2, 2), (2, 2, 2)), VIEWS | {"slices", "parameter_effects", "overlap", *CHECKER}),
    ],
)
def test_figures_per_dimension(shapes, names):
    explanation = tconvmat.explain(input_shape=shapes[0], kernel_shape=shapes[1])
    assert {f.name for f in explanation.figures} == names


def test_brief_prints_the_summary_only(capsys):
    assert main(["explain", "--brief"]) == 0
    out = capsys.readouterr().out
    # piped: plain text since issue 19, so the heading is underlined, not "## Summary"
    assert "Summary\n-------" in out and "What a transposed" not in out and len(out) < 800


def test_explaining_the_worked_example_never_compiles():
    import subprocess
    import sys

    code = (
        "import io, contextlib, sys\n"
        "from tconvmat.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['explain'])\n"
        "print('numba' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
