"""Figures: the data behind each picture, checked against the numeric routes; the gallery."""

from __future__ import annotations

import filecmp

import numpy as np
import pytest
from repository import ROOT

from tconvmat import ConvTranspose, plots
from tconvmat.analysis import anatomy
from tconvmat.plots import _style
from tconvmat.plots.gallery import GALLERY, animation_names, gallery_names, write_gallery
from tconvmat.plots.palette import hex_to_rgb
from tconvmat.problem import WORKED_INPUT, WORKED_KERNEL, WORKED_OUTPUT, Problem

FIGURES = ROOT / "figures"


def _cell_texts(figure, start: str) -> list[str]:
    """The numbers written in the panel whose title starts with ``start``."""
    return list(figure.shown(start).numbers)


def test_matrix_figure_colours_and_labels_match_C():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    kernel = np.array([[1, 2], [3, 4]])  # value v sits at tap v - 1
    C = g.matrix(kernel).toarray()
    figure = plots.plot_matrix(g, kernel)
    left = figure.shown("C (9 × 16)").panel
    colors = _style.tap_colors(4)
    for (r, c), value in np.ndenumerate(C):
        expected = colors[value - 1] if value else _style.EMPTY
        assert left.faces[r, c] == expected
    assert _cell_texts(figure, "C (9 × 16)") == [str(v) for v in C.reshape(-1) if v]
    assert _cell_texts(figure, "Cᵀ (16 × 9)") == [str(v) for v in C.T.reshape(-1) if v]
    # and the picture shows those colours where the cells are
    cells = next(i for i in figure.laid.items if type(i).__name__ == "Cells")
    assert [tuple(v) for v in cells.rgb[0, :2]] == [hex_to_rgb(colors[3]), (255, 255, 255)]


def test_footprint_is_a_row_of_C_and_the_kernel_at_its_place():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    C = g.matrix(WORKED_KERNEL).toarray()
    for element in np.ndindex(3, 3):
        row = anatomy.footprint(g, WORKED_KERNEL, element)
        np.testing.assert_array_equal(row.reshape(-1), C[np.ravel_multi_index(element, (3, 3))])
    # interior element (1, 1) holds the whole kernel at rows/columns 1-2
    np.testing.assert_array_equal(
        anatomy.footprint(g, WORKED_KERNEL, (1, 1))[1:3, 1:3], WORKED_KERNEL
    )
    figure = plots.plot_footprint()
    assert _cell_texts(figure, "x[1,1] · row") == ["5", "10", "15", "20"]


def test_scatter_steps_add_up_to_the_uncropped_output_and_the_result():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    steps = anatomy.scatter_steps(g, WORKED_INPUT, WORKED_KERNEL)
    uncropped = ConvTranspose((3, 3), (2, 2), stride=2).apply(WORKED_INPUT, WORKED_KERNEL)
    np.testing.assert_array_equal(steps.contributions.sum(axis=0), uncropped)
    np.testing.assert_array_equal(steps.accumulated[-1], uncropped)
    np.testing.assert_array_equal(steps.result, WORKED_OUTPUT)
    # each step adds exactly x[i]·kernel
    for step, element in enumerate(np.ndindex(3, 3)):
        assert steps.contributions[step].sum() == WORKED_INPUT[element] * WORKED_KERNEL.sum()
    figure = plots.plot_scatter_steps()
    assert _cell_texts(figure, "result y") == [str(v) for v in WORKED_OUTPUT.reshape(-1)]
    assert _cell_texts(figure, "1. + x[0,0] = 3") == ["3", "6", "9", "12"]


def test_scatter_steps_with_negative_crop_and_dilation():
    g = ConvTranspose(
        (2, 3),
        (2, 2),
        stride=(1, 2),
        dilation=(2, 1),
        padding=((0, 0), (0, 1)),
        output_padding=(1, 1),
    )
    x, kernel = np.arange(1, 7).reshape(2, 3), np.array([[1, -1], [2, 5]])
    steps = anatomy.scatter_steps(g, x, kernel)
    np.testing.assert_array_equal(steps.result, g.apply(x, kernel, method="matrix"))


def test_zero_insertion_view_holds_x_on_the_stride_grid_and_gives_y():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    view = anatomy.zero_insertion(g, WORKED_INPUT, WORKED_KERNEL)
    assert view.padding == ((0, 0), (0, 0))
    np.testing.assert_array_equal(view.padded[::2, ::2], WORKED_INPUT)
    assert view.padded.sum() == WORKED_INPUT.sum()
    np.testing.assert_array_equal(view.flipped_kernel, [[4, 3], [2, 1]])
    np.testing.assert_array_equal(view.result, WORKED_OUTPUT)
    figure = plots.plot_zero_insertion()
    assert "y[1,1] = 0·4 + 0·3 + 0·2 + 5·1 = 5" in figure.board.footer


def test_polyphase_phases_reassemble_y_with_their_sub_kernels():
    g = ConvTranspose((4, 3), (3, 2), stride=(2, 3), padding=(1, 0), dilation=(1, 2))
    x, kernel = np.arange(12).reshape(4, 3), np.arange(1, 7).reshape(3, 2)
    y = g.apply(x, kernel, method="scatter")
    rebuilt = np.full(y.shape, -999)
    for phase in anatomy.phases(g, x, kernel):
        window = tuple(slice(f, None, s) for f, s in zip(phase.first, g.stride, strict=True))
        rebuilt[window] = phase.values
        for tap in phase.taps:
            for axis in range(2):
                residue = (phase.first[axis] + g.crops[axis][0]) % g.stride[axis]
                assert (tap[axis] * g.dilation[axis]) % g.stride[axis] == residue
    np.testing.assert_array_equal(rebuilt, y)
    assert len(plots.plot_polyphase().panels) == 1 + 3 * 4  # which taps, sliding kernel, y


@pytest.mark.parametrize(("k", "s"), [(2, 1), (3, 2), (4, 2), (2, 3), (5, 3)])
def test_overlap_counts_are_the_row_counts_of_C_transposed(k, s):
    g = ConvTranspose((6, 6), (k, k), stride=s)
    C = g.matrix(np.ones((k, k))).toarray()
    np.testing.assert_array_equal(anatomy.overlap_grid(g).reshape(-1), (C != 0).sum(axis=0))
    interior = anatomy.overlap_grid(g)[k : -k or None, k : -k or None]
    per_axis = {k // s, -(-k // s)}
    assert set(np.unique(interior).tolist()) <= {a * b for a in per_axis for b in per_axis}


def test_parameter_effects_and_structure_figures_show_the_sizes():
    titles = [p.title for p in plots.plot_parameter_effects().panels]
    assert "stride 3: output 10" in titles and "dilation 2: output 9" in titles
    assert "output_padding 1: output 8" in titles
    titles = [p.title for p in plots.plot_structure_1d().panels]
    assert titles[1].endswith("C is 5 × 11")
    titles = [p.title for p in plots.plot_channels().panels]
    assert titles[2].endswith("16 non-zeros")


def test_gallery_regenerates_the_committed_figures_byte_for_byte(tmp_path):
    written = write_gallery(tmp_path)
    problem = Problem.build()
    names = {f"{name}.png" for name in gallery_names(problem)}
    names |= {f"{name}.gif" for name in animation_names(problem)}
    assert {p.name for p in written} == names
    screenshots = {
        "page.png"
    }  # a browser's picture of the page (tconvmat.teaching.pages.screenshot)
    assert {p.name for p in FIGURES.iterdir()} - screenshots == names
    for path in written:
        assert filecmp.cmp(path, FIGURES / path.name, shallow=False), path.name


def test_readme_shows_every_gallery_figure_with_its_caption():
    readme = (FIGURES.parent / "README.md").read_text(encoding="utf-8")
    for name in gallery_names(Problem.build()):
        caption = GALLERY[name][1]
        assert f"figures/{name}.png" in readme and caption in readme


def test_transpose_vs_inverse_figure_draws_the_report():
    from tconvmat.analysis import transpose_versus_inverse

    figure = plots.plot_transpose_vs_inverse()
    g = ConvTranspose((16,), (4,), stride=2, padding=1)
    report = transpose_versus_inverse(g, np.array([1.0, 3.0, 3.0, 1.0]) / 4)
    bars = [patch.get_height() for patch in figure.axes[0].patches]
    np.testing.assert_allclose(bars, report.singular_values)
    lines = figure.axes[1].get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), report.u[0])
    np.testing.assert_allclose(lines[1].get_ydata(), report.transposed[0])
    np.testing.assert_allclose(lines[2].get_ydata(), report.least_squares[0])


def test_large_grids_trade_unreadable_numbers_for_a_colour_bar():
    g = ConvTranspose((12, 12), (3, 3), stride=2, padding=1)
    x = np.random.default_rng(0).standard_normal((12, 12))
    figure = plots.plot_scatter_steps(g, x, np.ones((3, 3)))
    shown = figure.shown("input x")
    assert shown.numbers == () and shown.bar  # 144 numbers of 4 characters do not fit
    assert figure.shown("kernel w").numbers == ("1",) * 9 and not figure.shown("kernel w").bar
    bars = [s for s in figure.laid.shown if s.bar]
    assert len(bars) == 2  # the input's scale and the shared scale of canvas and result
    # beyond 11 inputs the stamps drawn are those of the interior 3 × 3 window, x[5:8, 5:8]
    assert figure.panels[2].title == f"1. + x[5,5] = {_style.value_label(x[5, 5])} · w"
    ticks = [
        i.text
        for i in figure.laid.items
        if type(i).__name__ == "Label" and i.size == 10.0 and i.rotation == 0
    ]
    assert len(ticks) < 2 * (12 + 12 + 3 + 3 + 25 * 2 * 7)  # thinned, not every index


@pytest.mark.parametrize(
    ("shape", "kernel", "stride"),
    [
        ((3, 3), (2, 2), 2),
        ((8, 8), (4, 4), 2),
        ((16, 16), (3, 3), 2),
        ((6,), (3,), 2),
        ((2, 3, 3), (2, 2, 2), 2),
    ],
)
def test_every_view_is_legible_at_every_size(shape, kernel, stride):
    """Issue 19: numbers at 8 pt or more (else a colour bar), every title within the figure,
    no more than 6 megapixels; 1-D, 2-D and 3-D problems all get every view."""
    from tconvmat.plots.board import MAX_PIXELS, MIN_FONT, Label, text_width
    from tconvmat.teaching.explanation.figures import figures_for

    problem = Problem.build(input_shape=shape, kernel_shape=kernel, stride=stride, padding=1)
    parts = figures_for(problem)
    assert {"matrix", "footprint", "scatter_steps", "zero_insertion", "polyphase"} <= set(parts)
    for name, part in parts.items():
        laid = part.figure().laid
        assert laid.width * laid.height * (110 / 72) ** 2 <= MAX_PIXELS, name
        for item in laid.items:
            if isinstance(item, Label):
                assert item.size >= MIN_FONT, (name, item.text)
                if item.rotation == 0:
                    half = text_width(item.text, item.size, item.bold) / 2
                    left = {"left": 0, "center": half, "right": 2 * half}[item.ha]
                    assert item.x - left >= -0.5 and item.x - left + 2 * half <= laid.width + 0.5
        for shown in laid.shown:
            numeric = shown.panel.bar is not None
            if (
                numeric
                and not shown.numbers
                and any(t for r in shown.panel.labels or [] for t in r)
            ):
                assert shown.bar or any(s.bar for s in laid.shown), (name, shown.panel.title)
