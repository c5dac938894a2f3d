"""Figures say what they draw (issue 19, teacher review 1, 12, 15-19, 24): the problem's own
figures in the gallery, generic ones named as generic, channel layers drawn as groups, one
colour meaning per figure set, zoom windows with true numbers, animations that stay in
place. The numbers are read from the boards' data and checked against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import geometries
from torch_reference import conv_transpose

from tconvmat import ConvTranspose, plots
from tconvmat.analysis import anatomy
from tconvmat.cli import main
from tconvmat.core.axis import Axis
from tconvmat.plots import _style, palette, zoom
from tconvmat.plots.animation import _scatter_frames, _zero_insertion_frames, animate
from tconvmat.plots.gallery import GENERAL, draw, gallery_names, skipped
from tconvmat.plots.placement import layout
from tconvmat.problem import Problem

LAYER = {"in_channels": 2, "out_channels": 4, "groups": 2}
STATES = {_style.EMPTY, _style.INSERTED, _style.CROPPED, _style.PENDING, _style.ACCENT}


def _torch_output(problem: Problem) -> np.ndarray:
    """PyTorch's y for a problem (channels first, one batch element)."""
    g = problem.geometry
    x = np.asarray(problem.x, dtype=np.float64).reshape(1, g.in_channels, *g.in_shape)
    w = np.asarray(problem.kernel, dtype=np.float64).reshape(g.weight_shape)
    return conv_transpose(g, x, w)[0]


def _torch_matrix(g: ConvTranspose, kernel: np.ndarray) -> np.ndarray:
    """C from PyTorch: row i is the transposed convolution of the i-th unit input."""
    n = g.matrix_shape[0]
    eye = np.eye(n).reshape(n, g.in_channels, *g.in_shape)
    w = np.asarray(kernel, dtype=np.float64).reshape(g.weight_shape)
    return conv_transpose(g, eye, w).reshape(n, -1)


def _title(figure) -> str:
    return figure.board.title if figure.board is not None else figure.figure.get_suptitle()


# ---------------------------------------------------------------- the gallery (finding 1)


def test_the_gallery_draws_the_problems_own_parameter_effects():
    """The sizes in parameter_effects are this problem's: PyTorch's output for every panel
    labelled as this problem, and for the stride-3 variant."""
    problem = Problem.build(
        input_shape=(4, 4), kernel_shape=(3, 3), stride=2, padding=1, output_padding=1
    )
    titles = [p.title for p in draw("parameter_effects", problem).panels]
    own = [t for t in titles if "(this problem)" in t]
    shape = "×".join(map(str, _torch_output(problem).shape[1:]))
    assert len(own) == 5 and all(t.endswith(f"output {shape}") for t in own)  # 8×8
    three = Problem.build(
        input_shape=(4, 4), kernel_shape=(3, 3), stride=3, padding=1, output_padding=1
    )
    side = _torch_output(three).shape[1]
    assert f"stride 3: output {side}×{side}" in titles
    worked = [p.title for p in draw("parameter_effects", Problem.build()).panels]
    assert "stride 2 (this problem): output 4×4" in worked  # the worked example, not 1-D 4/3


@pytest.mark.parametrize(
    "options",
    [{}, {"input_shape": (3, 3, 3), "kernel_shape": (2, 2, 2), "padding": 0}, LAYER],
)
def test_general_figures_say_so_and_never_claim_the_problem(options):
    problem = Problem.build(**options)
    for name in GENERAL:
        title = _title(draw(name, problem))
        assert "this problem" not in title and "example" in title, name
        panel_titles = [p.title for p in draw(name, problem).panels]
        assert not any("this problem" in t for t in panel_titles), name


def test_a_channel_layer_gets_its_own_figures_and_its_pair_titled(tmp_path, capsys):
    problem = Problem.build(**LAYER)
    names = gallery_names(problem)
    for name in ("channel_sums", "channel_matrix", "matrix_structure", "scatter_steps"):
        assert name in names
    assert skipped(problem) == {"slices": "only a 3-D problem has slices"}
    pair = draw("matrix_structure", problem)
    assert _title(pair).splitlines()[0] == (
        "input ch 0 → output ch 0 (one channel pair of this 2 → 4 layer)"
    )
    args = ["figures", "--in-channels", "2", "--out-channels", "4", "--groups", "2"]
    assert main([*args, "--out", str(tmp_path / "g")]) == 0
    out, err = capsys.readouterr()
    written = {line.rsplit("/", 1)[-1] for line in out.split()}
    assert {"channel_matrix.png", "polyphase.png", "scatter_animation.gif"} <= written
    assert "skipped slices.png: only a 3-D problem has slices" in err


def test_the_gallery_names_what_a_symbolic_problem_skips(capsys, tmp_path):
    assert main(["figures", "--kernel", "a,b;c,d", "--out", str(tmp_path / "s")]) == 0
    err = capsys.readouterr().err
    assert "skipped scatter_steps.png: it draws numbers and this problem has symbols" in err


# ---------------------------------------------------------------- channels (finding 12)


def test_the_layers_block_diagonal_C_shows_pytorchs_entries():
    problem = Problem.build(**LAYER)
    g, kernel = problem.geometry, problem.kernel
    C = _torch_matrix(g, kernel)
    (panel,) = plots.plot_channels(g, kernel).panels
    assert panel.faces.shape == C.shape == (18, 64)
    written = [[float(t) if t else 0.0 for t in row] for row in panel.labels]
    np.testing.assert_array_equal(written, C)
    # each group's block is outlined, and nothing lies outside the blocks
    blocks = [(o.row, o.col, o.height, o.width) for o in panel.outlines]
    assert blocks == [(0, 0, 9, 32), (9, 32, 9, 32)]
    assert not C[:9, 32:].any() and not C[9:, :32].any()


def test_a_large_layers_C_is_drawn_as_its_channel_blocks():
    g = ConvTranspose((8, 8), (4, 4), 2, 1, in_channels=4, out_channels=2, groups=2)
    (panel,) = plots.plot_channels(g).panels
    counts = np.array([[int(t) for t in row] for row in panel.labels])
    C = _torch_matrix(g, np.ones(g.weight_shape)).reshape(4, 64, 2, 256)
    np.testing.assert_array_equal(counts, (C != 0).sum(axis=(1, 3)))  # 0 outside the groups
    assert panel.row_labels[3] == "in ch 3" and panel.col_labels == ["out ch 0", "out ch 1"]


@pytest.mark.parametrize("groups", [1, 2])
def test_channel_sums_show_each_output_channel_once_and_pytorchs_numbers(groups):
    problem = Problem.build(in_channels=2, out_channels=4, groups=groups)
    y = _torch_output(problem)
    figure = plots.plot_channel_sums(problem.geometry, problem.x, problem.kernel)
    for o in range(4):
        (panel,) = [p for p in figure.panels if f"output ch {o}" in p.title.split("=")[-1]]
        np.testing.assert_array_equal([[float(t) for t in r] for r in panel.labels], y[o])
    grids = [tuple(t for r in p.labels for t in r) for p in figure.panels]
    assert len(grids) == len(set(grids))  # no panel repeats another


# ---------------------------------------------------------------- one colour meaning (18)


def _kernel_cells(figure) -> list[tuple[str, str]]:
    """(text, face) of every cell whose face is a tap colour."""
    taps = set(palette.TAPS) | set(palette.tap_colors(64))
    return [
        (t, f)
        for p in figure.panels
        if p.labels is not None
        for row, frow in zip(p.labels, p.faces.tolist(), strict=True)
        for t, f in zip(row, frow, strict=True)
        if f in taps
    ]


def test_a_tap_has_one_colour_in_every_figure():
    """The worked kernel's values 1-4 are its taps 0-3: wherever a tap is drawn (C, the
    footprint, the kernel, the flipped kernel, the sub-kernels, channel kernels) its cell
    has that tap's colour and shows its value."""
    colors = palette.tap_colors(4)
    figures = [
        plots.plot_matrix(),
        plots.plot_footprint(),
        plots.plot_scatter_steps(),
        plots.plot_zero_insertion(),
        plots.plot_polyphase(),
    ]
    for figure in figures:
        cells = _kernel_cells(figure)
        assert cells, figure
        for text, face in cells:
            assert face == colors[int(text) - 1], (figure, text)
        legend = dict((label, color) for color, label in figure.board.legend)
        assert all(
            legend.get(f"w[{j // 2},{j % 2}] = {j + 1}") in (None, colors[j]) for j in range(4)
        )


def test_no_tap_colour_is_grey_and_beyond_nine_taps_they_differ():
    for count in (4, 9, 16, 25, 49):
        colors = palette.tap_colors(count)
        assert len(set(colors)) == count
        for color in colors:
            r, g, b = palette.hex_to_rgb(color)
            assert max(r, g, b) - min(r, g, b) > 40, color  # not a grey
            assert color not in STATES and color not in palette.PHASES


@pytest.mark.parametrize(
    "name", ["plot_scatter_steps", "plot_zero_insertion", "plot_footprint", "plot_channel_sums"]
)
def test_a_value_has_one_colour_across_a_figures_panels(name):
    """Issue 19/finding 18: x, the canvas and y share one value scale in a figure."""
    figure = getattr(plots, name)()
    ramp = set(palette.TAPS) | set(palette.tap_colors(64)) | set(palette.PHASES) | STATES
    seen: dict[str, str] = {}
    for p in figure.panels:
        for row, frow in zip(p.labels or [], p.faces.tolist(), strict=True):
            for text, face in zip(row, frow, strict=True):
                if text and face not in ramp:
                    assert seen.setdefault(text, face) == face, (name, text)
    assert len(seen) > 5


def test_each_overlap_panel_has_its_own_scale():
    """Finding 17: kernel 3 stride 2 (counts 1, 2, 4) and kernel 4 stride 3 (1, 2, 4) show
    their pattern: each panel's largest count takes the top of the ramp."""
    top = palette.VALUE_STOPS[-1]
    for panel in plots.plot_overlap().panels:
        counts = np.array([[int(t) for t in row] for row in panel.labels])
        assert set(panel.faces[counts == counts.max()].tolist()) == {top}, panel.title


def test_parameter_effects_explains_its_two_greys():
    legend = {label: color for color, label in plots.plot_parameter_effects().board.legend}
    assert legend["a tap the padding crops away"] == palette.CROPPED
    assert legend["an output the padding crops (no tap)"] == palette.INSERTED


# ---------------------------------------------------------------- large problems (15, 16)


def test_a_large_matrix_is_an_interior_block_with_every_entry_numbered():
    problem = Problem.build(input_shape=(16, 16), kernel_shape=(3, 3), stride=2, padding=1)
    g, kernel = problem.geometry, problem.kernel
    figure = plots.plot_matrix(g, kernel)
    shown = figure.laid.shown[0]
    assert shown.panel.title.startswith("C (256 × 961), zoomed: rows x[7:10, 7:10]")
    C = _torch_matrix(g, kernel)
    rows = [np.ravel_multi_index(i, (16, 16)) for i in np.ndindex(3, 3)]
    rows = [r + np.ravel_multi_index((7, 7), (16, 16)) for r in rows]
    columns = [np.ravel_multi_index((13 + a, 13 + b), (31, 31)) for a, b in np.ndindex(7, 7)]
    block = C[np.ix_(rows, columns)]
    assert shown.numbers == tuple(str(int(v)) for v in block.reshape(-1) if v)  # all written
    title = figure.board.title
    for word in ("kernel 3×3", "stride 2", "padding 1", "dilation 1", "output_padding 0"):
        assert word in title


def test_the_zoomed_scatter_adds_the_windows_stamps_as_pytorch_does():
    """The step panels of a 16×16 scatter hold the stamps of x[7:10, 7:10] alone: PyTorch's
    uncropped transposed convolution of x masked to that window."""
    problem = Problem.build(input_shape=(16, 16), kernel_shape=(3, 3), stride=2, padding=1)
    figure = plots.plot_scatter_steps(problem.geometry, problem.x, problem.kernel)
    last = figure.shown("9. + x[9,9]")
    masked = np.zeros((16, 16))
    masked[7:10, 7:10] = problem.x[7:10, 7:10]
    uncropped = Problem(ConvTranspose((16, 16), (3, 3), stride=2), masked, problem.kernel)
    canvas = _torch_output(uncropped)[0]
    region = canvas[14:21, 14:21]
    assert last.numbers == tuple(str(int(v)) for v in region.reshape(-1) if v)
    assert figure.panels[2].row_labels[0] == "14"  # true canvas indices


@pytest.mark.parametrize(
    ("shape", "kernel"), [((8, 8), (4, 4)), ((16, 16), (3, 3)), ((3, 3, 3), (2, 2, 2))]
)
def test_zoomed_views_keep_their_numbers(shape, kernel):
    """Every grid of the step-by-step views of a large problem writes its numbers, except
    the whole canvas and y of the scatter (small context, with a colour bar)."""
    problem = Problem.build(input_shape=shape, kernel_shape=kernel, stride=2, padding=1)
    args = (problem.geometry, problem.x, problem.kernel)
    for figure in (
        plots.plot_matrix(problem.geometry, problem.kernel),
        plots.plot_footprint(*args),
        plots.plot_zero_insertion(*args),
        plots.plot_polyphase(*args),
        plots.plot_scatter_steps(*args),
    ):
        for shown in figure.laid.shown:
            if not any(t for row in shown.panel.labels or [] for t in row) or shown.numbers:
                continue
            context = shown.panel.title.startswith(("all ", "result y ("))  # whole canvas, y
            assert context and any(s.bar for s in figure.laid.shown), shown.panel.title


@settings(max_examples=60, deadline=None)
@given(geometries(max_dims=2, channels=False), st.data())
def test_tap_block_is_the_block_of_C(g, data):
    """anatomy.tap_block (per-axis arithmetic) against C's structure, any box."""
    inputs = tuple(
        slice(a, data.draw(st.integers(a + 1, n)))
        for n in g.in_shape
        for a in [data.draw(st.integers(0, n - 1))]
    )
    outputs = tuple(
        slice(a, data.draw(st.integers(a + 1, n)))
        for n in g.out_shape
        for a in [data.draw(st.integers(0, n - 1))]
    )
    whole = anatomy.tap_matrix(g).reshape(*g.in_shape, *g.out_shape)
    expected = whole[(*inputs, *outputs)].reshape(
        int(np.prod([s.stop - s.start for s in inputs])), -1
    )
    np.testing.assert_array_equal(anatomy.tap_block(g, inputs, outputs), expected)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 9), st.integers(1, 5), st.integers(1, 4), st.integers(1, 3), st.data())
def test_reach_is_every_output_some_tap_of_the_inputs_lands_on(size, k, s, d, data):
    lo_crop = data.draw(st.integers(0, 4))
    line = Axis(size, k, s, d, (lo_crop, 0))
    low = data.draw(st.integers(0, size - 1))
    high = data.draw(st.integers(low + 1, size))
    landed = {i * s + j * d - lo_crop for i in range(low, high) for j in range(k)} & set(
        range(line.output_length)
    )
    first, stop = line.reach(low, high)
    assert set(range(first, stop)) >= landed
    span = range(low * s - lo_crop, (high - 1) * s + d * (k - 1) + 1 - lo_crop)  # the stamps
    assert first >= max(span.start, 0) and stop <= max(span.stop, first)


def test_the_zoom_window_is_interior_and_its_canvas_holds_its_stamps():
    g = ConvTranspose((16, 16), (3, 3), stride=2, padding=1)
    window = zoom.interior(g)
    assert window.inputs == (slice(7, 10), slice(7, 10))
    steps = anatomy.scatter_steps(g, np.ones((16, 16)), np.ones((3, 3)), elements=window.inputs)
    inside = steps.contributions[(slice(None), *window.canvas)].sum()
    assert inside == steps.contributions.sum() == 9 * 9  # nine stamps of nine taps


# ---------------------------------------------------------------- animation (finding 19)


def _cells(board) -> list[tuple[float, float, tuple[int, ...]]]:
    from tconvmat.plots.board import Cells

    return [(c.x, c.y, c.rgb.shape[:2]) for c in layout(board).items if isinstance(c, Cells)]


@pytest.mark.parametrize("frames", [_scatter_frames, _zero_insertion_frames])
@pytest.mark.parametrize("shape", [(3, 3), (16, 16)])
def test_animation_frames_keep_their_panels_in_place(frames, shape):
    problem = Problem.build(input_shape=shape, kernel_shape=(3, 3) if shape[0] > 3 else None)
    boards = frames(problem.geometry, problem.x, problem.kernel, "")
    width = max(layout(b).width for b in boards)
    for board in boards:
        board.min_width = width
    first = _cells(boards[0])
    assert all(_cells(board) == first for board in boards)


def test_the_last_scatter_frame_is_y_with_its_zeros_written():
    problem = Problem.build()
    boards = _scatter_frames(problem.geometry, problem.x, problem.kernel, "")
    last = boards[-1]
    assert last.title.splitlines()[-1] == "The result y"
    (y,) = [p for p in last.rows[0] if p.title.startswith("y ")]
    assert [t for row in y.labels for t in row] == [
        str(int(v)) for v in _torch_output(problem)[0].reshape(-1)
    ]  # y[1,0] and y[2,0] are written "0"
    assert y.hatched is None
    stamp = boards[1].rows[0][0]  # the input, element [0,0] being stamped
    assert stamp.faces[0, 0] == palette.ACCENT
    assert [(o.row, o.col, o.height, o.width) for o in stamp.outlines] == [(0, 0, 1, 1)]


def test_animate_takes_a_resolution():
    small, large = animate(dpi=55), animate(dpi=110)
    assert abs(small.images[0].width * 2 - large.images[0].width) <= 2
    with pytest.raises(ValueError, match=r"dpi \(5\) must be between 10 and 600"):
        animate(dpi=5)


def test_singular_value_ticks_are_whole_numbers():
    axes = plots.plot_transpose_vs_inverse().axes[0]
    ticks = [t for t in axes.get_xticks() if axes.get_xlim()[0] <= t <= axes.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
