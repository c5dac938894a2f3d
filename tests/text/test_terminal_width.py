"""Text to the reader's width (issue 19 item 5): piped output is plain text of at most 80
columns (or --width), a terminal gets rich's formatting at its own width; grids that do not
fit are split by columns or stacked, never cut."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from explain_cases import ELEVEN, _args

import tconvmat
from tconvmat.cli import main
from tconvmat.teaching.explanation.layout import fit, side_by_side
from tconvmat.text import notation


@pytest.mark.parametrize("name", list(ELEVEN))
def test_piped_output_is_plain_and_fits_80_columns(name, capsys):
    assert main(["explain", *_args(ELEVEN[name])]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "**" not in out and "```" not in out and not re.search(r"(?<![\w·])\*\w", out)
    assert "## " not in out  # headings are underlined, not Markdown


def test_width_option_and_its_bounds(capsys):
    assert main(["explain", "--input-shape", "8x8", "--kernel-shape", "4x4", "--width", "50"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 50
    assert "columns 0–" in out  # the 16-column output grid is split, not cut
    assert main(["explain", "--width", "20"]) == 2
    assert "--width (20) must be between 40 and 1000" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_rich_formatting_at_its_width():
    screen = _Terminal()
    tconvmat.explain(input_shape=(8, 8), kernel_shape=(4, 4), padding=1).print(
        width=80, file=screen
    )
    text = re.sub(r"\x1b\[[0-9;]*m", "", screen.getvalue())
    assert "\x1b[" in screen.getvalue()  # formatted
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "**" not in text


def test_a_wide_grid_is_split_by_columns_and_loses_no_number():
    y = np.arange(1, 41).reshape(2, 20) * 1000
    grid = notation.grid(y)
    laid = fit(grid, 40)
    assert max(len(line) for line in laid.splitlines()) <= 40
    numbers = [
        int(v) for line in laid.splitlines() if not line.startswith("col") for v in line.split()
    ]
    assert sorted(numbers) == sorted(y.reshape(-1).tolist())
    assert laid.startswith("columns 0–")


def test_side_by_side_grids_stack_when_they_do_not_fit():
    blocks = [("this problem", "12   6\n 0   5"), ("stride 1", "23  23"), ("stride 3", "1  2")]
    assert side_by_side(blocks).count("\n\n") == 0
    stacked = side_by_side(blocks, width=30)
    assert max(len(line) for line in stacked.splitlines()) <= 30
    assert stacked.count("\n\n") == 1  # two rows of blocks


def test_plain_text_and_markdown_say_the_same_numbers():
    explanation = tconvmat.explain()
    text = explanation.to_text(width=80)
    assert "12   6   8  3\n 0   5  10  2\n 0  15  20  6\n 2   4   8  7" in text
    assert "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    assert "- stride 2, stamps start at canvas positions 0, 2, 4." in text
