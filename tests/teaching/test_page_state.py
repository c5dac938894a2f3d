"""The page's states, built axis by axis, against the engine's other routes (issue 22).

:func:`tconvmat.teaching.pages.state.state` finds each axis's facts once and forms a problem's
facts as products of axes, and writes sums and stamps in bulk. Here every part is
checked against a route that builds the whole problem at once: the scatter's canvas
(:func:`tconvmat.analysis.anatomy.scatter_steps`), y from the routes and PyTorch, the
zero-inserted grid (:func:`tconvmat.routes.dilate.zero_inserted`), C's entries
(:mod:`tconvmat.core.structure`), and the explanation's wording one element at a time.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import any_crops, geometries

from tconvmat.analysis import anatomy
from tconvmat.core import kernels, structure
from tconvmat.problem import Problem
from tconvmat.routes.dilate import zero_inserted
from tconvmat.teaching.explanation import stamps, steps
from tconvmat.teaching.pages import packing, state
from tconvmat.text import notation


@st.composite
def problems(draw, crops=False, per_side=True, complex_kernel=True):
    """1-D and 2-D problems, one channel, with integer or float values (negatives too), or
    an integer input with a complex kernel.

    Floats are quarters, so every route's sums are exact and their text agrees.
    """
    if crops:
        g = draw(any_crops(max_dims=2))
    else:
        g = draw(geometries(max_dims=2, channels=False, per_side=per_side))
    if not g.single_channel:
        g = type(g).from_crops(
            g.in_shape, g.kernel_shape, g.crops, g.stride, g.dilation, flip_kernel=g.flip_kernel
        )
    floats = draw(st.booleans())
    numbers = st.integers(-200, 200).map(lambda v: v / 4) if floats else st.integers(-9, 9)

    def values(shape):
        n = math.prod(shape)
        return np.array(draw(st.lists(numbers, min_size=n, max_size=n))).reshape(shape)

    x, w = values(g.in_shape), values(g.kernel_shape)
    if complex_kernel and draw(st.booleans()):  # an integer input, a complex kernel
        x, w = np.rint(x).astype(np.int64), w + 1j * values(g.kernel_shape)
    return Problem.build(x, w, geometry=g)


@settings(max_examples=60, deadline=None)
@given(problems(crops=True))
def test_every_part_of_a_state_is_what_the_whole_problem_routes_give(problem):
    g = problem.geometry
    s = state.state(problem)
    # the canvas and y: the scatter of the whole problem, and the routes' y
    scatter = anatomy.scatter_steps(g, problem.x, problem.kernel, max_steps=0)
    assert s["value"]["canvas"] == notation.values(scatter.canvas)
    assert s["shape"]["canvas"] == list(scatter.canvas.shape)
    assert s["window"] == [[w.start, w.stop] for w in scatter.window]
    y = problem.output()
    np.testing.assert_allclose(scatter.result, y, atol=1e-9)
    assert s["value"]["y"] == notation.values(y)
    cells = np.arange(scatter.canvas.size).reshape(scatter.canvas.shape)[scatter.window]
    assert s["output_canvas"] == cells.reshape(-1).tolist()
    # the zero-inserted grid: the route's array, and where each input sits on it
    padded = zero_inserted(g, problem.x)
    assert s["value"]["zero-insertion"] == notation.values(padded)
    held = zero_inserted(g, np.arange(1, problem.x.size + 1).reshape(g.in_shape)).reshape(-1)
    for i, cell in enumerate(s["zero_insertion"]["inputs"]):
        assert (held[cell] == i + 1) if cell >= 0 else (i + 1 not in held)
    # the pairs that land inside the output are C's stored entries
    taps = s["pairs"]["taps"]
    landed = {
        (n // len(taps), taps[n % len(taps)], t)
        for n, t in enumerate(s["pairs"]["output"])
        if t >= 0
    }
    layout = structure.single_channel_structure(g)
    rows = np.repeat(np.arange(layout.shape[0]), np.diff(layout.indptr))
    user = kernels.tap_order(g)[layout.weight_index]
    assert landed == set(zip(rows.tolist(), user.tolist(), layout.indices.tolist(), strict=True))
    assert f"with {len(landed)} non-zeros" in s["facts"][-1]
    # sums and stamps: the explanation's wording, one output and one input at a time
    assert s["sums"] == steps.sum_lines(problem, y)
    inputs = list(np.ndindex(*g.in_shape))
    assert list(s["stamp_text"]) == [stamps.stamp_phrase(problem, e) for e in inputs]
    # phases: the outputs y[first::stride]
    outputs = np.arange(y.size).reshape(y.shape)
    for phase in s["phases"]:
        first = tuple(int(v) for v in phase["first"].split(","))
        window = tuple(slice(f, None, st) for f, st in zip(first, g.stride, strict=True))
        assert phase["outputs"] == outputs[window].reshape(-1).tolist()


@settings(max_examples=40, deadline=None)
@given(problems(per_side=False, complex_kernel=False))
def test_state_sums_are_pytorchs_numbers(problem):
    """Each sum line ends in PyTorch's value of that output (integers: exactly)."""
    g = problem.geometry
    x = torch.tensor(problem.x, dtype=torch.float64)[None, None]
    w = torch.tensor(problem.kernel, dtype=torch.float64)[None, None]
    conv = getattr(torch.nn.functional, f"conv_transpose{g.ndim}d")
    y = conv(
        x,
        w,
        stride=g.stride,
        padding=[lo for lo, _ in g.padding],
        output_padding=g.output_padding,
        dilation=g.dilation,
    )[0, 0].numpy()
    for line, value in zip(state.state(problem)["sums"], y.reshape(-1).tolist(), strict=True):
        if line.endswith("(no stamp reaches it)"):
            assert value == 0
        else:
            assert line.rsplit(" = ", 1)[1] == notation.value(value)


@settings(max_examples=60, deadline=None)
@given(any_crops(max_dims=3))
def test_zero_inserted_places_are_the_routes_grid(geometry):
    for line in geometry.axes:
        # the grid holds 1, 2, 3, … where the inputs sit (dilation changes only the border)
        alone = type(geometry).from_crops(
            (line.size,), (line.kernel,), [line.crop], line.stride, line.dilation
        )
        grid = zero_inserted(alone, np.arange(1, line.size + 1))
        length, where = line.zero_inserted()
        assert length == grid.size
        for i, cell in enumerate(where.tolist()):
            assert grid[cell] == i + 1 if cell >= 0 else i + 1 not in grid


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=20), st.booleans())
def test_values_are_value_of_each_entry(numbers, as_float32):
    with np.errstate(over="ignore"):  # beyond float32: inf, written "inf"
        array = np.array(numbers, dtype=np.float32 if as_float32 else np.float64)
    assert notation.values(array) == [notation.value(v) for v in array]
    ints = np.array([int(v) for v in numbers if np.isfinite(v) and abs(v) < 2**62], dtype=np.int64)
    assert notation.values(ints) == [notation.value(v) for v in ints]
    both = np.array([complex(v, -v) for v in numbers if np.isfinite(v)], dtype=complex)
    assert notation.values(both) == [notation.value(v) for v in both]


@pytest.mark.parametrize("shape", [(1,), (4,), (2, 3), (3, 1, 2)])
def test_positions_are_position_of_each_index(shape):
    assert notation.positions(shape) == tuple(notation.position(p) for p in np.ndindex(*shape))


def test_sum_lines_of_a_large_problem_name_only_what_they_show():
    """The explanation prints 64 sums of a 300×300 output: names come one by one."""
    problem = Problem.build(input_shape=(150, 150), kernel_shape=(3, 3), padding=1)
    lines = steps.sum_lines(problem, problem.output(), limit=3)
    assert lines[2] == "y[0,2] = w[1,1]·x[0,1] = 5·2 = 10"  # (0 + 1, 2 + 1) = 2·(0, 1) + (1, 1)
    assert lines == steps.sum_lines(problem, problem.output())[:3]


def test_packed_chunk_is_the_states_with_shared_fields_written_once():
    problem = Problem.build(input_shape=(3, 3), kernel_shape=(2, 2))
    states = {}
    for stride, padding in itertools.product((1, 2), (0, 1)):
        p = Problem.build(problem.x, problem.kernel, stride=stride, padding=padding)
        states[f"{stride},{padding}"] = state.state(p)
    shared = packing.share(states)
    assert shared["1,1"]["stamp_text"] == {"same": "1,0"}  # padding moves no stamp
    assert shared["2,0"]["value"]["x"] == {"same": "1,0"}
    assert packing.unpack(packing.pack(states)) == json.loads(json.dumps(states))
