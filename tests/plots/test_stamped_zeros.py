"""A stamped zero is written "0" on the scatter's canvas; a cell no stamp reached stays blank
(teacher review 2, P1): in the step figure, its 1-D form and the animation's frames."""

from __future__ import annotations

import numpy as np

from tconvmat import ConvTranspose, plots
from tconvmat.plots.animation import _scatter_frames
from tconvmat.plots.stamped import stamped

WORKED_X = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
WORKED_W = np.array([[1, 2], [3, 4]])


def _panel(figure, start: str):
    return next(p for p in figure.panels if p.title.startswith(start))


def test_the_worked_canvas_writes_the_stamp_of_x10_as_zeros():
    """x[1,0] = 0 stamps 0·w on canvas rows 2–3, columns 0–1 (hand-checked: i·2 + j)."""
    figure = plots.plot_scatter_steps()
    canvas = _panel(figure, "all stamps added")
    assert [row[:2] for row in canvas.labels[2:4]] == [["0", "0"], ["0", "0"]]
    step = _panel(figure, "4. + x[1,0] = 0")
    assert [row[:2] for row in step.labels[2:4]] == [["0", "0"], ["0", "0"]]
    assert step.labels[4] == [""] * 6  # no stamp has landed on row 4 yet
    assert "no stamp has landed" in figure.board.footer


def test_a_cell_no_stamp_reaches_stays_blank_and_a_stamped_zero_is_written():
    """Stride 3, kernel 2: stamps land on canvas 0, 1 | 3, 4 | 6, 7; 2 and 5 stay blank.
    x[1] = 0 stamps zeros on 3 and 4."""
    g = ConvTranspose((3,), (2,), stride=3)
    figure = plots.plot_scatter_steps(g, [1, 0, 3], [1, 2])
    (panel,) = [p for p in figure.panels if p.row_labels]
    rows = dict(zip(panel.row_labels, panel.labels, strict=True))
    assert rows["x[1] = 0"] == ["", "", "", "0", "0", "", "", ""]
    assert rows["canvas (sum)"] == ["1", "2", "", "0", "0", "", "3", "6"]
    assert rows["y (cropped)"] == ["1", "2", "0", "0", "0", "0", "3", "6"]


def test_the_animation_writes_stamped_zeros_from_the_stamp_on():
    frames = _scatter_frames(
        ConvTranspose((3, 3), (2, 2), stride=2, padding=1), WORKED_X, WORKED_W, ""
    )
    canvases = [next(p for p in b.rows[0] if p.title == "canvas (uncropped)") for b in frames]
    # frame 0 is the empty canvas, frame n the canvas after stamp n; x[1,0] is stamp 4
    assert [row[:2] for row in canvases[3].labels[2:4]] == [["", ""], ["", ""]]
    assert [row[:2] for row in canvases[4].labels[2:4]] == [["0", "0"], ["0", "0"]]
    assert [row[:2] for row in canvases[-1].labels[2:4]] == [["0", "0"], ["0", "0"]]


def test_stamped_cells_are_where_pytorch_lands_a_tap():
    """The cells stamps reach are where a transposed convolution of ones is non-zero
    (PyTorch, no crop)."""
    import torch
    import torch.nn.functional as F

    g = ConvTranspose((4, 3), (3, 2), stride=(3, 2), dilation=(1, 2))
    ones = torch.ones(1, 1, 4, 3, dtype=torch.float64)
    reached = (
        F.conv_transpose2d(
            ones, torch.ones(1, 1, 3, 2, dtype=torch.float64), stride=(3, 2), dilation=(1, 2)
        )[0, 0].numpy()
        != 0
    )
    np.testing.assert_array_equal(stamped(g).canvas, reached)
