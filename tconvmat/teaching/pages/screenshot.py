"""A screenshot of the explorable page in headless Chromium, with one number pointed at.

``python -m tconvmat.teaching.pages.screenshot figures/page.png`` draws the README's picture: the
worked example with output y[1,2] hovered. Needs Playwright for Python and a Chromium
(Debian's ``chromium-headless-shell`` is used where installed; nothing is downloaded).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tconvmat.core.optional import require

__all__ = ["browser_path", "screenshot"]

CHROMIUM = "/usr/bin/chromium-headless-shell"


def browser_path() -> str | None:
    """Debian's headless Chromium if installed (else Playwright's own browser, if any)."""
    return shutil.which("chromium-headless-shell") or (
        CHROMIUM if Path(CHROMIUM).is_file() else None
    )


def screenshot(
    view: Any, path: Any, *, hover: str | None = None, width: int = 1280, height: int = 800
) -> Path:
    """Render a :class:`~tconvmat.teaching.pages.Page`, save a PNG of it (``hover``: CSS selector).

    ``height`` is the smallest height; the picture grows to the whole page.
    """
    sync_playwright = require("playwright.sync_api", "a screenshot of the page").sync_playwright
    target = Path(path)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        page_file = view.save(Path(folder) / "page.html")
        executable = browser_path()
        browser = playwright.chromium.launch(executable_path=executable)
        try:
            tab = browser.new_page(viewport={"width": width, "height": height})
            tab.goto(page_file.as_uri())
            tab.wait_for_selector("[data-tconvmat-page][data-state]")
            if hover:
                tab.hover(hover)
            tab.screenshot(path=str(target), full_page=True, animations="disabled")
        finally:
            browser.close()
    return target


def main(argv: list[str] | None = None) -> None:
    from tconvmat.teaching.pages import page

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="the PNG to write")
    parser.add_argument("--hover", default='[data-view="y"][data-index="1,2"]')
    parser.add_argument("--width", type=int, default=1280)
    args = parser.parse_args(argv)
    print(screenshot(page(), args.out, hover=args.hover, width=args.width))


if __name__ == "__main__":
    main()
