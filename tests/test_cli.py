"""The command line through main([...]): output, parsing and error paths."""

from __future__ import annotations

import re

import pytest

from tconvmat.cli import main


def test_explain_defaults_to_the_worked_example(capsys):
    assert main(["explain"]) == 0
    out = capsys.readouterr().out
    assert "axis 0: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in out
    assert "12   6   8  3\n 0   5  10  2\n 0  15  20  6\n 2   4   8  7" in out
    for route in ("matrix", "scatter", "dilate", "polyphase", "PyTorch"):
        assert f"- {route}: agrees" in out


def test_explain_with_values_and_per_side_padding(capsys):
    args = ["explain", "--input", "1,10", "--kernel", "1,2,3", "--stride", "2", "--padding", "0:1"]
    assert main(args) == 0
    out = capsys.readouterr().out
    # full scatter [1, 2, 13, 20, 30] cropped by one on the high side
    assert "1  2  13  20" in out
    assert "axis 0: (2 − 1)·2 − 0 − 1 + 1·(3 − 1) + 0 + 1 = 4" in out
    assert "DIFFERS" not in out


def test_explain_with_shapes_and_a_large_matrix_prints_a_summary(capsys):
    assert main(["explain", "--input-shape", "8x8", "--kernel-shape", "3x3", "--padding", "0"]) == 0
    out = capsys.readouterr().out
    assert "C is too large to print" in out
    assert "DIFFERS" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", "--kernel", "1,2;3"], "not rectangular"),
        (["explain", "--kernel", "1,__import__('os')"], "is not a number"),
        (["explain", "--input-shape", "3xa"], "is not a shape"),
        (["explain", "--stride", "0"], r"stride \(0\) must be >= 1"),
        (["explain", "--stride", "two"], "must be an integer or comma-separated"),
        (["explain", "--output-padding", "2"], r"output_padding \(2\) must be smaller than stride"),
        (["explain", "--padding", "1:2:3"], "low:high pairs"),
        (["explain", "--kernel", "1,2"], r"the input has 2 dimension\(s\) and the kernel 1"),
        (["explain", "--bogus"], "unrecognized arguments"),
        ([], "the following arguments are required"),
    ],
)
def test_errors_exit_2_with_a_message_and_no_traceback(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        code = main(args)
        raise SystemExit(code)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("tconvmat: error: ")
    assert "Traceback" not in err
    assert re.search(message, err)
