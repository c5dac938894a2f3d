"""The teacher's review of what users see (/work/reviews/teacher.md): each text finding has a
test that would have caught it, against PyTorch or a hand-checkable literal (findings 4, 8 and 9
are checked with their feature: tests/analysis/test_checkerboard.py, test_variations.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from explain_cases import ELEVEN, _args
from hypothesis import given, settings
from hypothesis import strategies as st

import tconvmat
from tconvmat import ConvTranspose
from tconvmat.cli import main
from tconvmat.problem import Problem
from tconvmat.teaching.exercise_sheet import WHY
from tconvmat.teaching.explanation import autoencoder, homework

CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def _piped(args: list[str], capsys) -> str:
    assert main(["explain", *args]) == 0
    return capsys.readouterr().out


def _flat(text: str) -> str:
    return " ".join(text.split())


def _conv_size(length: int, k: int, s: int, p: tuple[int, int], d: int) -> int:
    """PyTorch's forward convolution of a map of ``length`` (padding per side as given)."""
    u = F.pad(torch.zeros(1, 1, length), p)
    return F.conv1d(u, torch.zeros(1, 1, k), stride=s, dilation=d).shape[-1]


# --- finding 2: the autoencoder paragraph with output_padding ≥ stride ----------------------


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(1, 5),
    k=st.integers(1, 3),
    s=st.integers(1, 3),
    d=st.integers(1, 4),
    p=st.integers(0, 2),
    data=st.data(),
)
def test_every_encoder_size_the_autoencoder_names_is_pytorchs(size, k, s, d, p, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    try:
        g = ConvTranspose((size,), (k,), s, p, d, op)
    except ValueError:
        return
    text = _flat(str(autoencoder.autoencoder(Problem.build(input_shape=(size,), geometry=g))))
    for claim in re.finditer(
        r"⌊\((\d+) \+ (\d+) \+ (\d+) − \d+·\(\d+ − 1\) − 1\) / \d+⌋ \+ 1 = (\d+)", text
    ):
        length, lo, hi, result = map(int, claim.groups())
        assert _conv_size(length, k, s, (lo, hi), d) == result
    out = g.out_shape[0]
    back = _conv_size(out, k, s, (p, p), d)
    if op >= s:  # the layer's output goes back to a larger size: no encoder size matches
        assert back == size + op // s != size
        assert f"takes this layer's output (length {out}) to length {back}" in text
        assert "nothing to choose" not in text and "restores the *shape*" in text
    else:
        assert back == size
        assert f"takes a feature map of length {out} to a map of length {size}" in text


@pytest.mark.parametrize(("s", "d", "op"), [(1, 2, 1), (2, 3, 2), (1, 3, 2), (2, 4, 3)])
def test_the_model_answer_on_output_padding_is_pytorchs(s, d, op):
    """WHY: from s on, the convolution takes the output to (input size) + ⌊op / s⌋."""
    size, k = 3, 2
    y = F.conv_transpose1d(
        torch.ones(1, 1, size), torch.ones(1, 1, k), stride=s, dilation=d, output_padding=op
    )
    assert _conv_size(y.shape[-1], k, s, (0, 0), d) == size + op // s
    answer = dict(WHY)[next(q for q, _ in WHY if q.startswith("Why does output_padding"))]
    assert "(input size) + ⌊output_padding / s⌋" in answer
    assert "dilated kernel's reach allows more" not in answer


def test_the_size_bullet_says_when_output_padding_has_no_encoder(capsys):
    args = "--input 1,2,3 --kernel 1,1 --stride 1 --padding 0 --dilation 2 --output-padding 1"
    text = _flat(_piped(args.split(), capsys))
    assert "Here output_padding 1 is not smaller than the stride 1" in text
    assert "to length 4, not back to length 3" in text
    assert "positions: ⌊(6 + 0 + 0 − 2·(2 − 1) − 1) / 1⌋ + 1 = 4" in text


# --- finding 3: the cross-reference appears only with its paragraph --------------------------


@pytest.mark.parametrize("name", [*ELEVEN, "16×16 k3 s2 p1"], ids=lambda n: n.replace(" ", "_"))
def test_the_measured_gap_is_referred_to_only_where_it_is_printed(name, capsys):
    args = ELEVEN.get(name, "--input-shape 16x16 --kernel-shape 3x3 --stride 2 --padding 1")
    text = _flat(_piped(_args(args), capsys))
    if "--brief" in _args(args):
        return
    printed = "Transposed is not inverse." in text
    assert ("the measured gap is in the section above" in text) == printed
    assert printed or "the gap is not measured here:" in text


# --- finding 7: the least-squares inverse is the best for all inputs at once -----------------


def test_the_least_squares_inverse_is_not_overstated():
    text = _flat(str(tconvmat.explain()))
    assert "the best any linear map can do" not in text
    assert "the best a single linear map can do for all inputs at once" in text


# --- finding 11: the summary says how many outputs no tap reaches, and why ------------------


def test_the_dilation_summary_names_the_unreached_outputs(capsys):
    text = _flat(_piped(["--dilation", "2"], capsys).split("What a transposed")[0])
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1, dilation=2)
    reached = g.matrix(np.ones((2, 2))).toarray().astype(bool).any(axis=0)
    assert (~reached).sum() == 21
    assert (
        "21 of the 25 outputs receive no tap at all (stride 2 and dilation 2 share the factor 2)"
        in text
    )


# --- finding 12 (text): the pair a channel problem walks is named ---------------------------


def test_the_sections_of_a_pair_say_which_pair(capsys):
    args = ["--input-shape", "3x3", "--in-channels", "2", "--out-channels", "4", "--groups", "2"]
    text = _piped(args, capsys)
    pair = "(input channel 0 → output channel 0)"
    for title in (
        "How it up-samples: stamp, add up, crop",
        "The matrix view",
        "How each parameter changes the result",
        "Overlap and the checkerboard",
    ):
        assert f"{title} {pair}" in text
    assert "The same input (the pair input channel 0 → output channel 0) re-run" in _flat(text)


# --- findings 23, 25, 26: small text ---------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in ELEVEN if n not in ("brief", "symbolic")])
def test_the_pytorch_lines_run_and_give_the_explained_y(name):
    args = _args(ELEVEN[name])
    options = dict(zip(args[::2], args[1::2], strict=True))
    problem = _problem(options)
    code = homework.pytorch_lines(problem)
    lines = [line for line in code.splitlines() if not line.startswith("    [")]  # values
    assert all(len(line) <= homework.CODE_WIDTH for line in lines)
    assert "if y.shape[1] == 1" not in code
    printed: list = []
    exec(code, {"print": printed.append})  # the snippet as a student pastes it
    np.testing.assert_allclose(printed[0].numpy(), problem.output())


def _problem(options: dict[str, str]) -> Problem:
    from tconvmat.text import parsing

    def shape(key):
        return parsing.shape(options[key], key) if key in options else None

    return Problem.build(
        options.get("--input"),
        options.get("--kernel"),
        input_shape=shape("--input-shape"),
        kernel_shape=shape("--kernel-shape"),
        stride=parsing.per_axis(options["--stride"], "s") if "--stride" in options else None,
        padding=parsing.padding(options["--padding"]) if "--padding" in options else None,
        in_channels=int(options.get("--in-channels", 1)),
        out_channels=int(options.get("--out-channels", 1)),
        groups=int(options.get("--groups", 1)),
        dilation=int(options.get("--dilation", 1)),
        output_padding=int(options.get("--output-padding", 0)),
    )


def test_a_1d_scatter_is_not_row_major(capsys):
    text = _flat(_piped(_args(ELEVEN["1-D"]), capsys))
    assert "Each input value, in order, adds" in text and "row-major order, adds" not in text


def test_defaults_taken_from_the_worked_example_are_named(capsys):
    text = _flat(_piped(["--input", "1,2,3", "--kernel", "1,2,3"], capsys))
    assert "(Stride 2 and padding 1 on every side: the worked example's" in text
    assert "PyTorch's defaults are stride 1 and padding 0.)" in text
    text = _flat(_piped(["--input", "1,2,3", "--kernel", "1,2,3", "--stride", "1"], capsys))
    assert "(Padding 1 on every side: the worked example's, kept because it was" in text
    assert "the worked example's, kept" not in _flat(_piped([], capsys))


def test_zero_insertion_is_not_said_to_be_never_used(capsys):
    text = _flat(_piped([], capsys))
    assert "libraries do not compute it this way" not in text
    assert "efficient libraries usually don't compute it this way" in text


# --- finding 5: the polyphase sub-kernel, as printed, reproduces its phase with F.conv ------


def _printed_phases(problem: Problem) -> list[tuple[tuple[slice, ...], list, np.ndarray | None]]:
    """(phase slice, pads, sliding kernel values) read back from the printed blocks."""
    from tconvmat.teaching.explanation import steps

    values = {
        f"w{tconvmat.text.notation.position(t)}": v for t, v in np.ndenumerate(problem.kernel)
    }
    found = []
    parts = steps.phase_blocks(problem)
    blocks = [b for p in parts if hasattr(p, "blocks") for b in p.blocks]
    said = " ".join(p.markdown for p in parts if hasattr(p, "markdown"))
    blocks += [(f"{phase} ← no tap (stays 0)", "") for phase in re.findall(r"y\[[^\]]+\]", said)]
    for title, body in blocks:
        inside = re.match(r"y\[(.+?)\] ←", title)[1]
        window = tuple(
            slice(None)
            if part == ":"
            else slice(int(part.split("::")[0]), None, int(part.split("::")[1]))
            for part in inside.split(", ")
        )
        if not body:
            assert "no tap (stays 0)" in title
            found.append((window, [], None))
            continue
        head, *rows = body.split("\n")
        pads = [tuple(map(int, pair)) for pair in re.findall(r"\((-?\d+), (-?\d+)\)", head)]
        grid = [
            [values.get(c, 0) if c != "0" else 0 for c in row.split()]
            for row in rows
            if row and not row.startswith("slice")
        ]
        array = np.array(grid, dtype=float)
        found.append((window, pads, array.reshape(-1) if problem.geometry.ndim == 1 else array))
    return found


def _check_phases(problem: Problem) -> None:
    g = problem.geometry
    y = problem.output()
    x = torch.tensor(np.asarray(problem.x, float)).reshape(1, 1, *g.in_shape)
    for window, pads, grid in _printed_phases(problem):
        expected = y[window]
        if grid is None:
            assert (expected == 0).all()
            continue
        flat_pads = [n for pair in reversed(pads) for n in pair]  # F.pad: last axis first
        padded = F.pad(x, flat_pads)
        kernel = torch.tensor(grid).reshape(1, 1, *grid.shape)
        phase = CONV[g.ndim](padded, kernel)[0, 0].numpy()
        np.testing.assert_allclose(phase, expected)


@pytest.mark.parametrize(
    "options",
    [
        {},
        dict(input_shape=(4, 4), kernel_shape=(3, 3), padding=1, output_padding=1),
        dict(dilation=2),
        dict(input_shape=(3, 5), kernel_shape=(2, 3), stride=(2, 1)),
        dict(input="1,10,3,7", kernel="1,2,3", padding=0),
        dict(input_shape=(8, 8), kernel_shape=(4, 4), padding=1),
        dict(input_shape=(4, 4), kernel_shape=(3, 3), stride=3, padding=2, dilation=2),
        dict(geometry=ConvTranspose((3, 4), (2, 3), stride=2, padding=1, flip_kernel=True)),
    ],
)
def test_each_printed_phase_is_an_f_conv_of_x(options):
    _check_phases(Problem.build(**options))


@settings(max_examples=30, deadline=None)
@given(
    size=st.integers(2, 5),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    d=st.integers(1, 3),
    p=st.integers(0, 3),
    data=st.data(),
)
def test_every_phase_is_an_f_conv_of_x_in_1d(size, k, s, d, p, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    try:
        g = ConvTranspose((size,), (k,), s, p, d, op)
    except ValueError:
        return
    _check_phases(
        Problem.build(
            input=np.arange(1, size + 1) ** 2, kernel=np.arange(1, k + 1) * 3 - 5, geometry=g
        )
    )


# --- finding 6: the crop's slice, applied with NumPy to the printed canvas, gives y ---------


def _grid(text: str) -> np.ndarray:
    return np.array([[float(v) for v in line.split()] for line in text.strip().splitlines()])


@pytest.mark.parametrize(
    "options",
    [
        {},
        dict(padding=0, output_padding=1),
        dict(
            input_shape=(3, 5), kernel_shape=(2, 3), stride=(2, 1), padding=0, output_padding=(1, 0)
        ),
        dict(geometry=ConvTranspose.from_crops((3, 3), (2, 2), [(-1, 2), (0, -2)], stride=2)),
    ],
)
def test_the_crop_slice_applied_to_the_printed_canvas_gives_y(options):
    from tconvmat.teaching.explanation import steps

    problem = Problem.build(**options)
    parts = steps.scatter(problem).parts
    canvas = next(p for p in parts if getattr(p, "caption", "").startswith("The whole canvas"))
    crop = next(p for p in parts if getattr(p, "caption", "").startswith("Crop: keep canvas["))
    window = re.match(r"Crop: keep canvas\[(.+?)\]", crop.caption)[1]
    slices = tuple(slice(*(int(n) for n in part.split(":"))) for part in window.split(", "))
    np.testing.assert_array_equal(_grid(canvas.text)[slices], _grid(crop.text))
    np.testing.assert_array_equal(_grid(crop.text), problem.output())
    if options and "geometry" not in options:
        said = _flat(" ".join(getattr(p, "markdown", "") for p in parts))
        assert f"{tconvmat.text.notation.shape(_grid(canvas.text).shape)} in all" in said
