"""Figures as files and displays (issue 11): PNG at the style's dpi, byte-identical formats,
the figures command on any problem, the pixel cap."""

from __future__ import annotations

import io

import pytest
from PIL import Image

import tconvmat
from tconvmat import plots
from tconvmat.cli import main
from tconvmat.plots._figure import FORMATS, MAX_PIXELS, TconvFigure


def _every_plot():
    g3 = tconvmat.ConvTranspose((2, 2, 2), (2, 2, 2), stride=2)
    return {
        name: getattr(plots, name)(g3) if name == "plot_slices" else getattr(plots, name)()
        for name in plots.__all__
        if name.startswith("plot_")
    }


def test_every_figure_shows_itself_as_png_at_the_style_dpi():
    for name, figure in _every_plot().items():
        assert isinstance(figure, TconvFigure), name
        png = figure._repr_png_()
        image = Image.open(io.BytesIO(png))
        width, height = figure.get_size_inches()
        dpi = figure.dpi_for()
        expected = (width * dpi, height * dpi)
        assert all(abs(a - b) <= 1 for a, b in zip(image.size, expected, strict=True)), name
        assert image.size[0] * image.size[1] <= MAX_PIXELS


@pytest.mark.parametrize("format", FORMATS)
def test_every_format_is_byte_identical_across_runs(format):
    first = plots.plot_matrix().to_bytes(format)
    assert plots.plot_matrix().to_bytes(format) == first
    assert first.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[format])


def test_figures_command_any_problem_any_format_deterministic(tmp_path):
    args = ["figures", "--input-shape", "4", "--kernel-shape", "3", "--format", "svg"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "scatter_steps.svg" in names and "scatter_animation.gif" in names
    differ = [
        n for n in names if (tmp_path / "a" / n).read_bytes() != (tmp_path / "b" / n).read_bytes()
    ]
    if differ:  # show the first differing line of each, for the record
        import difflib

        for name in differ:
            a = (tmp_path / "a" / name).read_bytes().decode("latin-1").split(">")
            b = (tmp_path / "b" / name).read_bytes().decode("latin-1").split(">")
            print(name, list(difflib.unified_diff(a, b, lineterm="", n=0))[2:6])
    assert differ == []
    assert main(["figures", "--format", "pdf", "--dpi", "50", "--out", str(tmp_path / "c")]) == 0
    assert len(list((tmp_path / "c").glob("*.pdf"))) == 10


def test_a_large_problem_stays_under_the_pixel_cap(tmp_path):
    explanation = tconvmat.explain(input_shape=(8, 8), kernel_shape=(4, 4), stride=2, padding=1)
    for path in explanation.save(tmp_path)[1:]:
        width, height = Image.open(path).size
        assert width * height <= MAX_PIXELS, path.name
