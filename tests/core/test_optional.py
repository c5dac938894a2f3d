"""A missing optional package (ipywidgets, playwright, torch, onnx, numba) is one line with the
install command, never a traceback."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import tconvmat
from tconvmat import ConvTranspose
from tconvmat.cli import main
from tconvmat.core.optional import MissingDependency


def _hide(monkeypatch, *names):
    """Make ``import NAME`` fail as if the package were not installed."""
    for name in names:
        for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            monkeypatch.delitem(sys.modules, loaded)
        monkeypatch.setitem(sys.modules, name, None)


def test_explore_needs_no_ipywidgets_and_a_missing_playwright_is_one_line(monkeypatch):
    _hide(monkeypatch, "ipywidgets", "playwright")
    assert "data-tconvmat-page" in tconvmat.explore(sliders=False)._repr_html_()
    from tconvmat.teaching.pages.screenshot import screenshot

    with pytest.raises(MissingDependency) as caught:
        screenshot(tconvmat.page(sliders=False), "page.png")
    assert str(caught.value) == (
        "a screenshot of the page needs playwright, which is not installed: pip install playwright"
    )
    assert isinstance(caught.value, ImportError)


def test_a_missing_torch_is_one_line_with_the_install_command(monkeypatch):
    from tconvmat.routes.reference import torch_conv_transpose

    _hide(monkeypatch, "torch")
    g = ConvTranspose((3,), (2,))
    with pytest.raises(MissingDependency, match=r"^comparing with PyTorch needs torch, which is"):
        torch_conv_transpose(g, np.ones((1, 1, 3)), np.ones((1, 1, 2)))


def test_a_missing_onnx_on_the_command_line_is_one_line_and_status_2(monkeypatch, capsys, tmp_path):
    model = tmp_path / "model.onnx"
    model.write_bytes(b"\x08\x07")  # an ir_version field: a start of a model
    _hide(monkeypatch, "onnx")
    assert main(["inspect", str(model)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tconvmat: error: ")
    assert (
        "needs onnx, which is not installed: pip install onnx (in tconvmat's source folder: "
        'pip install -e ".[onnx]")' in err
    )


def test_the_compiled_route_without_numba_is_one_line_with_the_install_command(monkeypatch):
    from tconvmat.routes import compiled

    monkeypatch.setattr(compiled, "AVAILABLE", False)
    _hide(monkeypatch, "numba")
    g = ConvTranspose((3,), (2,))
    for call in (
        lambda: g.apply([1, 2, 3], [1, 2], method="fused"),
        lambda: g.conv([1, 2, 3, 4], [1, 2], method="fused"),
    ):
        with pytest.raises(MissingDependency, match=r'^method="fused" needs numba, which is not'):
            call()
