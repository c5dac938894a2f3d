"""Teacher review 2 on the figures' layout and words: a refused variant keeps its place in
parameter_effects (P4), "zoomed" only when rows or columns are left out (P5), 3-D slices
apart in every panel and legible at slide width (P2), the overlap figures in the text's two
questions (finding 8), one value scale for x and y in the animations (finding 18)."""

from __future__ import annotations

import numpy as np
import pytest

from tconvmat import ConvTranspose, plots
from tconvmat.plots import _style, palette
from tconvmat.plots.animation import _scatter_frames, _zero_insertion_frames
from tconvmat.plots.board import Box

OWN = "(this problem)"


def _columns(figure) -> list[int]:
    return [
        next(i for i, p in enumerate(row) if p is not None and OWN in p.title)
        for row in figure.board.rows
    ]


def test_a_refused_variant_keeps_its_place_and_the_problem_forms_a_column():
    """4×4, kernel 3×3, stride 2, output_padding 1: PyTorch refuses stride 1 (output_padding
    must be smaller than the stride); its cell says so, left of the problem."""
    g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    figure = plots.plot_parameter_effects(g)
    stride_row = figure.board.rows[0]
    assert stride_row[0].title.startswith("stride 1: not allowed")
    assert OWN in stride_row[1].title
    assert set(_columns(figure)) == {1}
    assert "stride 1, output_padding 1 must be smaller" in figure.board.footer


def test_the_problem_forms_a_column_when_a_parameter_is_at_its_minimum():
    figure = plots.plot_parameter_effects(ConvTranspose((3, 3), (2, 2), stride=2, padding=1))
    assert len(set(_columns(figure))) == 1  # dilation 1 has no lower variant: a blank first


def test_zoomed_only_when_rows_or_columns_are_left_out():
    far = ConvTranspose((3,), (2,), stride=1000, padding=1)
    wide = plots.plot_matrix(far, [1, 2])
    assert not any("zoomed" in p.title for p in wide.panels)
    assert any("columns of zeros cut out" in p.title for p in wide.panels)
    assert not any("zoomed" in p.title for p in plots.plot_zero_insertion(far).panels)
    frames = _zero_insertion_frames(far, np.array([1, 2, 3]), np.array([1, 2]), "")
    assert not any("zoomed" in b.title for b in frames)
    large = ConvTranspose((16, 16), (3, 3), stride=2, padding=1)
    assert any("zoomed: rows x[7:10, 7:10]" in p.title for p in plots.plot_matrix(large).panels)
    assert any("zoomed" in p.title for p in plots.plot_zero_insertion(large).panels)


def test_3d_slices_stand_apart_in_every_panel_and_are_legible_at_slide_width():
    g = ConvTranspose((4, 4, 4), (2, 2, 2), stride=2, padding=1)
    figure = plots.plot_scatter_steps(g)
    x_panel, kernel_panel = figure.panels[:2]
    assert (x_panel.col_groups, kernel_panel.col_groups) == (2, 2)
    assert all(p.slice_gaps for p in figure.panels)
    laid = figure.laid
    gaps = [i for i in laid.items if isinstance(i, Box) and i.fill == palette.EMPTY]
    # one gap between the 2 slices of x and of w; 3 in each 4-slice step panel
    assert len(gaps) >= 2 + 3 * 8
    numbers = [i.size for i in laid.items if type(i).__name__ == "Label" and i.text.isdigit()]
    width_px = laid.width * 110 / 72
    assert max(numbers) * 1600 / width_px >= 9  # the cells' numbers at 1600 px wide


def test_overlap_panels_answer_the_texts_two_questions():
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    titles = [p.title for p in plots.plot_overlap_counts(g, [[1, 2], [3, 4]]).panels]
    # the worked example: even taps, yet an input of ones is not flat (sums 4, 3, 2, 1)
    assert titles[0] == "this problem: kernel 2×2\ntaps per output: even; ones → flat? no"
    assert all("checkerboard" not in t for t in titles)
    gallery = [p.title for p in plots.plot_overlap().panels]
    assert "kernel 3, stride 2\ntaps per output: uneven" in gallery
    assert all("checkerboard" not in t for t in gallery)


@pytest.mark.parametrize("frames", ["scatter", "zero-insertion"])
def test_a_value_has_one_colour_in_every_frame(frames):
    """The 5 of x and the 5 of y (the worked example) have one colour in a frame."""
    g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    x, w = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]]), np.array([[1, 2], [3, 4]])
    make = _scatter_frames if frames == "scatter" else _zero_insertion_frames
    board = make(g, x, w, "")[-1]
    states = (
        set(palette.TAPS)
        | set(palette.tap_colors(4))
        | {
            _style.EMPTY,
            _style.INSERTED,
            _style.ACCENT,
            _style.PENDING,
        }
    )
    seen: dict[str, set[str]] = {}
    for row in board.rows:
        for p in row:
            if p is None or p.labels is None:
                continue
            for texts, faces in zip(p.labels, p.faces.tolist(), strict=True):
                for text, face in zip(texts, faces, strict=True):
                    if text and face not in states:
                        seen.setdefault(text, set()).add(face)
    assert len(seen["5"]) == 1 and len(seen["7"]) == 1, seen
