"""The explanation as users receive it (issues 11, 19, 22): Jupyter's display protocols, the
HTML page in a real browser, ``--brief`` writing only what it prints, each figure built once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import tconvmat
from tconvmat.cli import main

CHROMIUM = shutil.which("chromium-headless-shell")


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
