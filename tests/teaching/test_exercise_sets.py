"""Exercise sets for teaching (issue 19 item 6, issue 23): tconvmat.exercises(...) is the
function, sets display in Jupyter without their answers, exercises label their dimension,
state the convention, vary their task, end with "why" questions; answers are PyTorch's."""

from __future__ import annotations

import json
import re

import numpy as np
import torch
import torch.nn.functional as F

import tconvmat
import tconvmat.teaching.exercises as module
from tconvmat.cli import main
from tconvmat.teaching.exercise_sheet import CONVENTION, TASKS, WHY
from tconvmat.teaching.exercises import KINDS, Exercise, exercises


def _torch(exercise: Exercise) -> np.ndarray:
    data = exercise.to_json()
    x, w = np.array(data["input"], dtype=float), np.array(data["kernel"], dtype=float)
    function = getattr(F, f"conv_transpose{x.ndim}d")
    y = function(
        torch.from_numpy(x[None, None]),
        torch.from_numpy(w[None, None]),
        stride=data["stride"],
        padding=data["padding"],
        output_padding=data["output_padding"],
        dilation=data["dilation"],
    )
    return y.numpy()[0, 0]


def test_tconvmat_exercises_is_the_function_and_the_module_path_still_works():
    found = tconvmat.exercises(5, seed=1)
    assert [e.kind for e in found] == [e.kind for e in exercises(5, seed=1)]
    assert tconvmat.teaching.exercises.exercises is exercises and module.Exercise is Exercise
    assert isinstance(found, list) and len(found) == 5


def test_a_set_displays_its_questions_but_never_its_answers():
    found = tconvmat.exercises(8, seed=4)
    shown = [repr(found), found._repr_markdown_(), found._repr_html_(), repr(found[0])]
    for text in shown:
        assert "Model answer" not in text and "Answer:" not in text
    for exercise in found:
        if exercise.answer.size > 3:  # a grid this size could not appear by chance
            assert tconvmat.text.notation.grid(exercise.answer) not in shown[1]
    assert "<h2>Exercise 1 (" in shown[2] and "Why?" in shown[2]
    assert "Model answer" in found.answers()


def test_exercises_label_their_dimension_state_the_convention_and_vary():
    found = tconvmat.exercises(12, seed=0)
    sheet = found.sheet()
    assert CONVENTION in sheet
    headings = re.findall(r"^## Exercise \d+ \((\d)-D, ([a-z_ ]+)\)$", sheet, flags=re.M)
    assert len(headings) == 12 and {d for d, _ in headings} >= {"1", "2"}
    assert {e.task for e in found} == set(TASKS)
    why = sheet[sheet.index("## Why?") :]
    assert len(re.findall(r"^\d\. ", why, flags=re.M)) == 4  # one per three exercises
    assert all(q in found.answers() and a in found.answers() for q, a in WHY if q in why)


def test_answers_and_marked_values_are_pytorchs():
    found = tconvmat.exercises(10, seed=7)
    answers = found.answers()
    for exercise in found:
        expected = _torch(exercise)
        np.testing.assert_array_equal(exercise.answer, expected)
        if exercise.task in (TASKS[1], TASKS[2]):
            position = tconvmat.text.notation.position(exercise.marked)
            value = tconvmat.text.notation.value(expected[exercise.marked].item())
            assert f"At the marked position: y{position} = {value}." in answers


def test_every_exercise_shows_what_it_asks_about():
    """The teacher's review, 13: no 1-tap kernels, no zero taps, no "which taps" on a gap, no
    marked position where the task does not use one (50 exercises over seeds 1-5)."""
    for seed in range(1, 6):
        for exercise in tconvmat.exercises(10, seed=seed):
            g, w = exercise.problem.geometry, exercise.problem.kernel
            assert np.count_nonzero(w) == w.size >= 2 and min(g.kernel_shape) >= 2
            data = exercise.to_json()
            if exercise.task in (TASKS[1], TASKS[2]):
                # a tap reaches the marked output: C's column there is not empty (PyTorch's
                # gradient of that output with respect to x is not zero everywhere)
                x = torch.tensor(np.asarray(exercise.problem.x, float))[None, None]
                x.requires_grad_(True)
                y = getattr(F, f"conv_transpose{g.ndim}d")(
                    x,
                    torch.ones(1, 1, *g.kernel_shape, dtype=torch.float64),
                    stride=g.stride,
                    padding=data["padding"],
                    output_padding=g.output_padding,
                    dilation=g.dilation,
                )
                y[(0, 0, *exercise.marked)].backward()
                assert x.grad.abs().sum() > 0
                assert data["marked"] == list(exercise.marked)
            else:
                assert "marked" not in data and exercise.marked == ()


def test_the_which_taps_key_names_the_taps():
    found = tconvmat.exercises(10, seed=2)
    answers = found.answers()
    for exercise in found:
        if exercise.task == TASKS[2]:
            position = tconvmat.text.notation.position(exercise.marked)
            own = answers.split(f"## Exercise {exercise.number} (")[1].split("## Exercise")[0]
            block = own.split(f"At the marked position: y{position}")[1]
            line = block.split("The inputs and taps that make it:\n\n```\n")[1].split("\n")[0]
            assert line.startswith(f"y{position} = w[") and "·x[" in line


def test_exercises_are_reproducible_mixed_and_right(tmp_path, capsys):
    assert main(["exercises", "--count", "10", "--seed", "3", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["exercises", "--count", "10", "--seed", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert {e["kind"] for e in first} == set(KINDS)
    for e in first:
        x, w = np.array(e["input"], dtype=float), np.array(e["kernel"], dtype=float)
        function = getattr(F, f"conv_transpose{x.ndim}d")
        y = function(
            torch.from_numpy(x[None, None]),
            torch.from_numpy(w[None, None]),
            stride=e["stride"],
            padding=e["padding"],
            output_padding=e["output_padding"],
            dilation=e["dilation"],
        )
        np.testing.assert_array_equal(y.numpy()[0, 0], e["answer"])
    assert main(["exercises", "--count", "3", "--seed", "3", "--out", str(tmp_path)]) == 0
    answers = (tmp_path / "answers.md").read_text(encoding="utf-8")
    assert answers.count("## Exercise") == 3 and "Each output as a sum of products" in answers
    assert [e.to_json() for e in exercises(3, 3)] == first[:3]
