"""The command line through main([...]): output, parsing and error paths."""

from __future__ import annotations

import re

import pytest

from tconvmat.cli import main


def test_explain_defaults_to_the_worked_example(capsys):
    assert main(["explain", "--compare-pytorch"]) == 0
    out = capsys.readouterr().out
    assert "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in out
    assert "12   6   8  3\n 0   5  10  2\n 0  15  20  6\n 2   4   8  7" in out
    for route in ("matrix", "scatter", "dilate", "polyphase", "PyTorch"):
        assert f"- {route}: agrees" in out


def test_explain_with_values_and_per_side_padding(capsys):
    args = ["explain", "--input", "1,10", "--kernel", "1,2,3", "--stride", "2", "--padding", "0:1"]
    assert main(args) == 0
    out = capsys.readouterr().out
    # full scatter [1, 2, 13, 20, 30] cropped by one on the high side
    assert "1  2  13  20" in out
    assert "positions: (2 − 1)·2 − 0 − 1 + 1·(3 − 1) + 0 + 1 = 4" in out
    assert "DIFFERS" not in out


def test_explain_with_shapes_and_a_large_matrix_prints_a_summary(capsys):
    assert main(["explain", "--input-shape", "8x8", "--kernel-shape", "3x3", "--padding", "0"]) == 0
    out = capsys.readouterr().out
    assert "too wide to print" in out
    assert "DIFFERS" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["explain", "--kernel", "1,2;3"], "not rectangular"),
        (["explain", "--kernel", "1,__import__('os')"], "is not a number or a symbol"),
        (["explain", "--input-shape", "3xa"], "is not a shape"),
        (["explain", "--stride", "0"], r"stride \(0\) must be >= 1"),
        (["explain", "--stride", "two"], "must be an integer or comma-separated"),
        (["explain", "--output-padding", "2"], r"output_padding \(2\) must be smaller than stride"),
        (["explain", "--padding", "1:2:3"], "low:high pairs"),
        (
            ["explain", "--kernel", "1,2"],
            r"the input has 2 spatial dimension\(s\) and the kernel 1",
        ),
        (["explain", "--bogus"], "unrecognized arguments"),
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


def test_explain_prints_every_canvas_and_the_sums(capsys):
    assert main(["explain"]) == 0
    out = capsys.readouterr().out
    assert out.count("\nStep ") == 9
    assert "Crop: keep canvas[1:5, 1:5]" in out
    assert "y[0,0] = w[1,1]·x[0,0] = 4·3 = 12" in out
    # piped output is plain text since issue 19: the table as aligned columns, no Markdown
    assert re.search(r"\nstride s +down-samples by s +up-samples by s\n", out)


def test_explain_symbolic_and_symbols_in_values(capsys):
    assert main(["explain", "--symbolic"]) == 0
    out = capsys.readouterr().out
    assert "y[0,0] = w[1,1]·x[0,0]" in out
    assert "y[m_0, m_1] = w[1,1]·x[m_0/2, m_1/2]    when m_0 even, m_1 even" in out
    assert main(["explain", "--kernel", "a,b;c,d"]) == 0
    out = capsys.readouterr().out
    assert "y[0,0] = w[1,1]·x[0,0] = d·3 = 3·d" in out
    assert "Symbols replaced by integers" in out and "DIFFERS" not in out


def test_explain_writes_markdown_and_every_referenced_image(tmp_path, capsys):
    assert main(["explain", "--out", str(tmp_path)]) == 0
    text = (tmp_path / "explanation.md").read_text(encoding="utf-8")
    assert "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    for canvas in ("3   6  0  0  0  0", "3   4  12  16  21  28"):
        assert canvas in text
    assert "12   6   8  3\n 0   5  10  2\n 0  15  20  6\n 2   4   8  7" in text
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) == 9  # 7, and since issue 19 the constant-input response and the demo
    assert all((tmp_path / name).is_file() for name in images)
    # a second run refuses to overwrite, and says how to
    assert main(["explain", "--out", str(tmp_path)]) == 2
    assert "pass --force" in capsys.readouterr().err


def test_explain_one_and_three_dimensional(capsys):
    assert main(["explain", "--input", "1,10", "--kernel", "1,2,3", "--padding", "0"]) == 0
    assert "1  2  13  20  30" in capsys.readouterr().out
    args = [
        "explain",
        "--input",
        "1,2;3,4|5,6;7,8",
        "--kernel",
        "1,1;1,1|1,1;1,1",
        "--padding",
        "0",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "slice 1:" in out and "y[2,2,2] = w[0,0,0]·x[1,1,1] = 1·8 = 8" in out
    assert "DIFFERS" not in out


def test_matrix_command(capsys):
    assert main(["matrix", "--input", "1,2", "--kernel", "1,2,3", "--padding", "0"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "C (2 × 5), · = 0"
    assert out.splitlines()[2].split() == ["[0]", "1", "2", "3", "·", "·"]
    assert main(["matrix", "--symbolic", "--transpose"]) == 0
    assert "w_{1,1}" in capsys.readouterr().out
    assert main(["matrix", "--latex", "--kernel", "a,b;c,d"]) == 0
    latex = capsys.readouterr().out
    assert latex.startswith(r"\left[\begin{array}") and latex.count(r"\\") == 8
    assert main(["matrix", "--input-shape", "64x64", "--kernel-shape", "3x3"]) == 0
    assert "too large to print" in capsys.readouterr().out


def test_figures_command_writes_the_gallery(tmp_path, capsys):
    assert main(["figures", "--out", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.png"))) == 10
    assert main(["figures", "--out", str(tmp_path)]) == 2  # no silent overwrite
    assert "pass --force" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["explain", "matrix", "figures", "solve", "convert"])
def test_every_command_has_help(capsys, command):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: tconvmat" in capsys.readouterr().out


def test_solve_command(capsys):
    assert main(["solve", "16", "32", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].endswith("ways from 16 to 32 (even overlap first):")
    assert lines[2].split() == ["1", "2", "2", "0", "0", "1", "even", "yes", "0/0"]
    assert (
        main(["solve", "20", "3", "--strides", "1", "--dilations", "1", "--max-kernel", "1"]) == 0
    )
    assert "no transposed convolution maps 20 to 3" in capsys.readouterr().out


def test_convert_command_explains_the_tensorflow_shift(capsys):
    args = [
        "convert",
        "--from",
        "tensorflow",
        "--in-shape",
        "16x16",
        "--kernel-shape",
        "3x3",
        "--stride",
        "2",
        "--padding",
        "SAME",
    ]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "crops of the uncropped scatter (low, high per axis): ((0, 1), (0, 1))" in out
    assert "then cut/pad ((0, 1), (0, 1))" in out
    assert "cuts more at the end than at the start" in out
    args = [
        "convert",
        "--from",
        "pytorch",
        "--in-shape",
        "4",
        "--kernel-shape",
        "3",
        "--stride",
        "2",
        "--padding",
        "1",
        "--output-padding",
        "1",
    ]
    assert main(args) == 0
    assert "PyTorch's call reproduces it exactly." in capsys.readouterr().out
    assert (
        main(
            [
                "convert",
                "--from",
                "pytorch",
                "--in-shape",
                "4",
                "--kernel-shape",
                "3",
                "--output-padding",
                "3",
                "--padding",
                "0",
            ]
        )
        == 2
    )
    assert (
        "output_padding (3) must be smaller than stride (1) or dilation (1)"
        in capsys.readouterr().err
    )


def test_explain_says_what_the_matrix_says(capsys):
    assert main(["explain", "--kernel-shape", "3x3", "--input-shape", "4x4"]) == 0
    out = capsys.readouterr().out
    assert "Verdict: taps per output: uneven (interior outputs receive 1, 2 or 4" in out
    assert "Transposed is not inverse." in out


def test_6_explain_symbolic_out_creates_its_folder(tmp_path, capsys):
    out = tmp_path / "new" / "folder"
    args = ["explain", "--input", "a,b;c,d", "--kernel", "p,q;r,s", "--symbolic", "--out", str(out)]
    assert main(args) == 0
    assert (out / "explanation.md").read_text(encoding="utf-8").startswith("#")
