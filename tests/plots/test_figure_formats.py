"""The explanation and figures in Jupyter, a browser page, motion and sliders (issue 11)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from repository import ROOT

import tconvmat
from tconvmat import plots
from tconvmat.cli import main
from tconvmat.plots._figure import FORMATS, MAX_PIXELS, TconvFigure

CHROMIUM = shutil.which("chromium-headless-shell")


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


def test_explanation_renders_in_jupyter_protocols():
    explanation = tconvmat.explain()
    assert str(explanation).startswith("# Transposed convolution, step by step")
    assert "$$" in explanation._repr_markdown_()
    assert repr(explanation).startswith("<Explanation of ConvTranspose (3, 3) → (4, 4)")
    from tconvmat import conventions as cv

    same = cv.from_tensorflow((16,), (3,), 2, "SAME")
    for report in (
        tconvmat.overlap_counts(tconvmat.ConvTranspose((4, 4), (3, 3), stride=2)),
        tconvmat.transpose_versus_inverse(tconvmat.ConvTranspose((3,), (2,), stride=2), [1.0, 2]),
        tconvmat.ConvTranspose((3,), (2,)),
        tconvmat.solve(16, 32),
        cv.to_pytorch(same),
        cv.compare(same, cv.from_pytorch((16,), (3,), 2, 1, 1)),
    ):
        assert report._repr_markdown_().startswith("**"), type(report)
    formula = tconvmat.latex(tconvmat.output_size())
    assert isinstance(formula, str) and formula._repr_latex_().startswith("$$")


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium-headless-shell is not installed (CI installs it)",
)
def test_the_page_renders_in_a_real_browser(tmp_path):
    page = tmp_path / "explanation.html"
    assert main(["explain", "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<link" not in html and not re.search(r"<script[^>]*\bsrc=", html)  # nothing to fetch
    assert not re.search(r'(src|href)="https?:', html)
    shot = tmp_path / "shot.png"
    result = _chromium(
        "--window-size=1200,2400", f"--screenshot={shot}", page.as_uri(), profile=tmp_path / "p1"
    )
    assert shot.is_file(), result.stderr
    pixels = np.asarray(Image.open(shot).convert("L"))
    assert pixels.std() > 20 and (pixels < 128).mean() > 0.01  # text and figures, not blank
    dom = _chromium("--dump-dom", page.as_uri(), profile=tmp_path / "p2").stdout
    explanation = tconvmat.explain()
    for figure in explanation.figures:
        assert f'id="figure-{figure.name}"' in dom
    assert dom.count("<svg") >= len(explanation.figures)
    assert "<math" in dom and "12" in dom
    assert 'id="linked"' in dom and dom.count('data-view="y"') == 16  # the linked views ran


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


def test_the_tutorial_notebook_runs_from_a_clean_kernel():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "examples" / "tutorial.ipynb", as_version=4)
    stored = {k for c in notebook.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert {"image/png", "text/markdown", "text/latex"} <= stored  # it reads without running
    for cell in notebook.cells:
        cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "examples")}},
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = [k for o in outputs for k in o.get("data", {})]
    assert kinds.count("image/png") >= 8  # every figure inline, no %matplotlib needed
    assert "text/markdown" in kinds and "text/latex" in kinds
    pages = [o["data"]["text/html"] for o in outputs if "data-tconvmat-page" in str(o.get("data"))]
    assert len(pages) == 1 and "data-states" in pages[0]  # explore(): the page, inline


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


def test_brief_writes_only_what_it_prints(tmp_path):
    """Issue 19/22: --brief applies to --out and --html, and draws no figure."""
    out, page = tmp_path / "notes", tmp_path / "page.html"
    assert main(["explain", "--brief", "--out", str(out), "--html", str(page)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["explanation.md"]
    text = (out / "explanation.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 1  # the summary alone
    assert "<svg" not in page.read_text(encoding="utf-8")


def test_each_figure_is_built_once_and_rendered_once_per_format(tmp_path, monkeypatch):
    """Issue 22: --out (PNG) and --html (SVG) and a Jupyter display share one build."""
    from tconvmat.plots import _figure

    calls: list[str] = []
    render = _figure.TconvFigure.to_bytes

    def counted(self, format="png", **kwargs):
        calls.append(format)
        return render(self, format, **kwargs)

    monkeypatch.setattr(_figure.TconvFigure, "to_bytes", counted)
    explanation = tconvmat.explain()
    built = [f.figure() for f in explanation.figures]
    explanation.save(tmp_path)
    explanation.to_html()
    for part in explanation.figures:
        assert part._repr_png_() == (tmp_path / f"{part.name}.png").read_bytes()
        assert part.figure() is built[explanation.figures.index(part)]
    assert calls.count("png") == calls.count("svg") == len(explanation.figures)
