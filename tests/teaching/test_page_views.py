"""The explorable page's layout and its zero-insertion view, in a real browser.

- The sticky readout never covers the row of the cell pointed at or focused, after the
  page is scrolled with the wheel (real input events), and pointing never changes its
  height (so the views never move under the pointer); an invalid slider combination
  leaves no empty readout box under the message.
- The reversed kernel the zero-insertion view shows is the one PyTorch's equivalent
  convolution slides: correlating the page's zero-inserted grid with the page's reversed
  kernel (``torch.nn.functional.conv1d``/``conv2d``, dilated) gives ``conv_transpose``'s y.
- An output frames its whole row of Cᵀ (column of C), an input its column (row of C).
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest
import torch
from page_browser import BIG, PROBLEMS, box, open_page, torch_output, wheel_to

import tconvmat

pytestmark = pytest.mark.skipif(
    shutil.which("chromium-headless-shell") is None and not os.environ.get("CI"),
    reason="chromium-headless-shell is not installed (CI installs it)",
)


def under_readout(page, grid, row, share):
    """The scroll position that leaves ``share`` of a grid row's height under the readout."""
    cell = f'[data-grid="{grid}"] .tcm-cell:nth-child(1)'
    top, bottom, *_ = box(page, cell)
    height = bottom - top
    readout = page.eval_on_selector("[data-readout]", "el => el.offsetHeight")
    row_top = top + page.evaluate("scrollY") + row * height
    return round(row_top + share * height - readout)


@pytest.mark.parametrize("grid", ["y", "zero-insertion", "canvas"])
def test_the_readout_never_covers_the_pointed_row_after_scrolling(browser, tmp_path, grid):
    view = tconvmat.page(**BIG, sliders=False)
    # narrow: the readout sits above the views (a wide page puts it beside them)
    page = open_page(browser, view.save(tmp_path / "page.html"), width=900)
    idle = page.eval_on_selector("[data-readout]", "el => el.offsetHeight")
    for row, share in [(0, 0.5), (3, 0.7), (6, 0.3)]:
        wheel_to(page, under_readout(page, grid, row, share))
        readout = box(page, "[data-readout]")
        assert readout[0] == pytest.approx(0, abs=1)  # stuck at the top, over the grid
        # point just under the readout's edge, at the grid's second column: a real move
        left = box(page, f'[data-grid="{grid}"] .tcm-cell:nth-child(2)')[2]
        x, y = left + 5, readout[1] + 2
        pointed = page.evaluate(
            f"(() => {{ const c = document.elementFromPoint({x}, {y}).closest('.tcm-cell');"
            " return c.dataset.view + ' ' + c.dataset.index; })()"
        )
        assert pointed.startswith(f"{grid} {row},")  # a row half under the readout
        page.mouse.move(x, y)
        page.wait_for_timeout(50)
        active = page.evaluate(
            "(() => { const a = document.querySelector('[data-active]');"
            " return a.dataset.view + ' ' + a.dataset.index; })()"
        )
        assert active == pointed  # the row moved out from under the readout, not the pointer
        top, *_ = box(page, "[data-active]")
        readout = box(page, "[data-readout]")
        assert top >= readout[1] - 1, (grid, row, top, readout)
        assert page.eval_on_selector("[data-readout]", "el => el.offsetHeight") == idle


def test_arrow_keys_never_hide_the_focused_row_under_the_readout(browser, tmp_path):
    view = tconvmat.page(**BIG, sliders=False)
    page = open_page(browser, view.save(tmp_path / "page.html"), width=900)  # readout above
    page.locator('[data-view="y"][data-index="0,0"]').focus()  # the grid's tab stop
    for key in ["ArrowDown"] * 8 + ["ArrowRight"] * 4:
        page.keyboard.press(key)
    assert page.evaluate("document.activeElement.dataset.index") == "8,4"
    wheel_to(page, under_readout(page, "y", 7, 0.6))  # the row above is under the readout
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.dataset.index") == "7,4"
    top, *_ = box(page, '[data-view="y"][data-index="7,4"]')
    assert top >= box(page, "[data-readout]")[1] - 1


HEIGHTS = """root => {
  const readout = root.querySelector('[data-readout]'), heights = new Set();
  const cells = root.querySelectorAll('[data-view="y"], [data-view="x"], [data-view="kernel"]');
  cells.forEach((el, n) => {
    if (n % 5) return;
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    heights.add(readout.offsetHeight);
  });
  return [...heights];
}"""


@pytest.mark.parametrize("arguments", [{}, BIG, {"input_shape": 4, "kernel_shape": 4}])
def test_pointing_never_changes_the_readout_height(browser, tmp_path, arguments):
    view = tconvmat.page(**arguments, sliders=False)
    page = open_page(browser, view.save(tmp_path / "page.html"), width=900)
    idle = page.eval_on_selector("[data-readout]", "el => el.offsetHeight")
    heights = page.evaluate(HEIGHTS, page.query_selector("[data-tconvmat-page]"))
    assert heights == [idle]


def test_an_invalid_combination_leaves_no_empty_readout(browser, tmp_path):
    view = tconvmat.page(dims=(2,))
    page = open_page(browser, view.save(tmp_path / "page.html"))
    readout = page.locator("[data-readout]")
    stride = page.locator("input[type=range]").nth(2)
    stride.focus()
    page.keyboard.press("ArrowLeft")  # stride 1: output_padding 1 will be invalid
    page.wait_for_selector('[data-tconvmat-page][data-state="2:3,2,1,1,1,0"]')
    op = page.locator("input[type=range]").nth(5)
    op.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector('[data-tconvmat-page][data-state="2:3,2,1,1,1,1"]')
    assert page.locator("[data-error]").is_visible()
    assert readout.is_hidden() and readout.bounding_box() is None
    page.keyboard.press("ArrowLeft")  # valid again: the readout is back, with the hint
    page.wait_for_selector('[data-tconvmat-page][data-state="2:3,2,1,1,1,0"]')
    assert readout.is_visible() and readout.text_content().startswith("Point at")


GRIDS = """root => {
  const read = view => Array.from(root.querySelectorAll(`[data-view="${view}"]`),
    c => [c.dataset.index.split(',').map(Number), c.textContent, c.getAttribute('aria-label')]);
  return {zero: read('zero-insertion'), kernel: read('reversed-kernel')};
}"""


def as_array(cells, shape):
    array = np.zeros(shape, dtype=np.float64)
    for index, text, _ in cells:
        array[tuple(index)] = float(text)
    return array


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_the_reversed_kernel_slides_to_pytorchs_output(browser, tmp_path, name):
    view = tconvmat.page(**PROBLEMS[name], sliders=False)
    g = view.problem.geometry
    page = open_page(browser, view.save(tmp_path / "page.html"))
    shown = page.evaluate(GRIDS, page.query_selector("[data-tconvmat-page]"))
    kernel = as_array(shown["kernel"], g.kernel_shape)
    zero_shape = tuple(max(i[a] for i, *_ in shown["zero"]) + 1 for a in range(g.ndim))
    grid = as_array(shown["zero"], zero_shape)
    assert len(shown["kernel"]) == int(np.prod(g.kernel_shape))
    correlate = torch.nn.functional.conv1d if g.ndim == 1 else torch.nn.functional.conv2d
    slid = correlate(
        torch.tensor(grid)[None, None], torch.tensor(kernel)[None, None], dilation=g.dilation
    )[0, 0].numpy()
    np.testing.assert_array_equal(slid, torch_output(view.problem))
    w = view.problem.kernel
    for index, text, aria in shown["kernel"]:  # each cell names the tap it is, flipped
        tap = tuple(k - 1 - i for k, i in zip(g.kernel_shape, index, strict=True))
        assert (
            aria
            == f"reversed kernel[{','.join(map(str, index))}] = w[{','.join(map(str, tap))}] = {text}"
        )
        assert float(text) == w[tap]


BANDS = """root => {
  const out = [];
  const rect = el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; };
  for (const el of root.querySelectorAll('[data-view="y"], [data-view="x"]')) {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    const bands = {};
    for (const view of ['C', 'CT']) {
      const shown = [...root.querySelectorAll(`[data-section="${view}"] .tcm-band`)]
        .filter(b => getComputedStyle(b).visibility === 'visible');
      const band = shown.length === 1 ? shown[0] : null;
      const plane = root.querySelector(`[data-section="${view}"] .tcm-lines`);
      bands[view] = {band: band && rect(band), plane: rect(plane),
        cells: Array.from(root.querySelectorAll(`[data-view="${view}"]`), c => [c.dataset.index, rect(c)])};
    }
    out.push({view: el.dataset.view, index: el.dataset.index, bands});
  }
  return out;
}"""


@pytest.mark.parametrize("name", ["worked example", "dilation 2"])
def test_an_output_frames_its_whole_row_of_ct(browser, tmp_path, name):
    view = tconvmat.page(**PROBLEMS[name], sliders=False)
    g = view.problem.geometry
    page = open_page(browser, view.save(tmp_path / "page.html"))
    found = page.evaluate(BANDS, page.query_selector("[data-tconvmat-page]"))
    assert len(found) == int(np.prod(g.out_shape)) + int(np.prod(g.in_shape))
    for hovered in found:
        shape = g.out_shape if hovered["view"] == "y" else g.in_shape
        n = int(np.ravel_multi_index(tuple(map(int, hovered["index"].split(","))), shape))
        # an output is row n of Cᵀ and column n of C; an input is column n of Cᵀ and row n of C
        along = {"CT": 0, "C": 1} if hovered["view"] == "y" else {"CT": 1, "C": 0}
        for matrix, axis in along.items():
            found_band = hovered["bands"][matrix]
            band, plane = found_band["band"], found_band["plane"]
            assert band is not None, hovered
            across = (2, 3) if axis == 0 else (0, 1)  # a row spans the plane's width
            for side in across:
                assert band[side] == pytest.approx(plane[side], abs=1)
            for index, cell in found_band["cells"]:
                inside = int(index.split(",")[axis]) == n
                lo, hi = (0, 1) if axis == 0 else (2, 3)
                centre = (cell[lo] + cell[hi]) / 2
                assert (band[lo] < centre < band[hi]) == inside, (hovered, matrix, index)
