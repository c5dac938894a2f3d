"""Animations (issue 11): the same GIF every run (the committed one for the worked example), a
frame per step in each mode, refusals, and long animations that end with the whole result."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from repository import ROOT

from tconvmat.cli import main


def test_animations_are_deterministic_and_refuse_what_they_cannot_draw(tmp_path, capsys):
    gif = tmp_path / "s.gif"
    assert main(["animate", "--out", str(gif)]) == 0
    first = gif.read_bytes()
    assert main(["animate", "--out", str(gif), "--force"]) == 0
    assert gif.read_bytes() == first == (ROOT / "figures" / "scatter_animation.gif").read_bytes()
    image = Image.open(gif)
    assert image.n_frames == 9 + 3  # empty canvas, nine stamps, the crop, the result
    slide = tmp_path / "z.gif"
    assert main(["animate", "--mode", "zero-insertion", "--out", str(slide)]) == 0
    assert Image.open(slide).n_frames == 16  # one per output
    cube = tmp_path / "t.gif"  # 3-D: the slices side by side
    assert (
        main(["animate", "--input-shape", "2x2x2", "--kernel-shape", "2x2x2", "--out", str(cube)])
        == 0
    )
    assert Image.open(cube).n_frames == 8 + 3
    channels = ["--in-channels", "2", "--out-channels", "2", "--out", str(tmp_path / "c.gif")]
    assert main(["animate", *channels]) == 2
    assert "one input and one output channel" in capsys.readouterr().err


def test_long_animations_end_with_the_whole_result(monkeypatch):
    from tconvmat.plots import animation

    monkeypatch.setattr(animation, "MAX_FRAMES", 5)
    gif = animation.animate(mode="zero-insertion")  # the worked example: 16 outputs
    assert len(gif.frames) == 5  # 4 outputs one by one, then the other 12 at once

    def coloured_in_y(frame: bytes) -> int:  # the right third holds "y so far"
        image = np.asarray(Image.open(io.BytesIO(frame)).convert("RGB")).astype(int)
        right = image[:, 2 * image.shape[1] // 3 :]
        return int(((right.max(axis=2) - right.min(axis=2)) > 40).sum())  # saturated pixels

    assert coloured_in_y(gif.frames[-1]) > 3 * coloured_in_y(gif.frames[-2])  # 16 cells vs 4
