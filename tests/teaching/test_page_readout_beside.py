"""The explorable page's readout covers no grid on a wide page, and C has Cᵀ's cells (teacher
review 2: finding 21, P3), measured in a real browser after real wheel scrolling."""

from __future__ import annotations

import os
import shutil

import pytest
from page_browser import BIG, box, open_page, wheel_to

import tconvmat

pytestmark = pytest.mark.skipif(
    shutil.which("chromium-headless-shell") is None and not os.environ.get("CI"),
    reason="chromium-headless-shell is not installed (CI installs it)",
)

WIDE = 1280


def _overlap(a, b) -> bool:
    """Whether two boxes ``[top, bottom, left, right]`` share any area."""
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


SEEN = """els => els.map(e => {
  // the part of a cell its grid shows (a wide grid scrolls: cells past its edge are clipped)
  const r = e.getBoundingClientRect(), g = e.closest('[data-grid]').getBoundingClientRect();
  return [Math.max(r.top, g.top), Math.min(r.bottom, g.bottom),
          Math.max(r.left, g.left), Math.min(r.right, g.right)];
}).filter(r => r[0] < r[1] && r[2] < r[3])"""


@pytest.mark.parametrize("row", [0, 3, 7])
def test_on_a_wide_sixteen_page_the_readout_never_covers_the_pointed_row(browser, tmp_path, row):
    page = open_page(browser, tconvmat.page(**BIG, sliders=False).save(tmp_path / "p.html"), WIDE)
    cell = f'[data-view="y"][data-index="{row},1"]'
    top = box(page, cell)[0] + page.evaluate("scrollY")
    wheel_to(page, round(top - 4))  # the row at the very top of the window
    top, bottom, left, right = box(page, cell)
    assert 0 <= top < 10
    page.mouse.move((left + right) / 2, (top + bottom) / 2)
    page.wait_for_timeout(50)
    active = page.evaluate("document.querySelector('[data-active]').dataset.index")
    assert active == f"{row},1"  # the pointer reached the cell, not the readout
    readout = box(page, "[data-readout]")
    assert readout[0] == pytest.approx(0, abs=1)  # still in sight, stuck to the top
    row_cells = page.eval_on_selector_all(f'[data-view="y"][data-index^="{row},"]', SEEN)
    assert not any(_overlap(readout, c) for c in row_cells)
    assert "= " in page.inner_text("[data-readout]")  # it shows the pointed output's sum


@pytest.mark.parametrize("arguments", [{}, BIG])
def test_on_a_wide_page_the_readout_covers_no_cell_anywhere(browser, tmp_path, arguments):
    page = open_page(
        browser, tconvmat.page(**arguments, sliders=False).save(tmp_path / "p.html"), WIDE
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    for target in range(0, height, 700):
        wheel_to(page, min(target, height - 900))
        readout = box(page, "[data-readout]")
        cells = [c for c in page.eval_on_selector_all(".tcm-cell", SEEN) if c[1] > 0 and c[0] < 900]
        assert cells and not any(_overlap(readout, c) for c in cells)


SIZES = """el => { const c = el.querySelector('.tcm-cell'), r = c.getBoundingClientRect();
  return [r.width, r.height, parseFloat(getComputedStyle(c).fontSize)]; }"""


@pytest.mark.parametrize("width", [WIDE, 900])
@pytest.mark.parametrize("kernel", [2, 3])
def test_c_has_the_cells_of_ct(browser, tmp_path, width, kernel):
    page = open_page(browser, tconvmat.page().save(tmp_path / "p.html"), width)
    page.eval_on_selector(
        'input[data-slider="1"]',
        f"el => {{ el.value = {kernel}; el.dispatchEvent(new Event('input', {{bubbles: true}})); }}",
    )
    page.wait_for_function(
        "document.querySelector('[data-grid=\"C\"] .tcm-lines').style.width !== ''"
    )
    assert "C is 9 × " + ("16" if kernel == 2 else "25") in page.inner_text("[data-facts]")
    c = page.eval_on_selector('[data-grid="C"]', SIZES)
    ct = page.eval_on_selector('[data-grid="CT"]', SIZES)
    assert c == ct and c[2] >= 14  # the same cells, digits as large as Cᵀ's
