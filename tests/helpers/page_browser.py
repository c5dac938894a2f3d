"""The explorable page in a real browser: the problems, opening a page, PyTorch's y."""

from __future__ import annotations

import numpy as np
import torch

PROBLEMS = {
    "worked example": {},
    "1-D": {"input": "1,2,3,4", "kernel": "1,2,3", "stride": 2, "padding": 1},
    "dilation 2": {"input_shape": (3, 3), "kernel_shape": (2, 2), "dilation": 2},
    "output_padding 1": {"input_shape": (3, 3), "kernel_shape": (3, 3), "output_padding": 1},
    "overlapping k3 s2": {"input_shape": (3, 3), "kernel_shape": (3, 3), "padding": 0},
}


def open_page(browser, path, messages=None, width=1400):
    page = browser.new_page(viewport={"width": width, "height": 900})
    if messages is not None:
        page.on("console", lambda m: messages.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    page.goto(path.as_uri())
    page.wait_for_selector("[data-tconvmat-page][data-state]")
    return page


def torch_run(g, x, w):
    run = (
        torch.nn.functional.conv_transpose1d
        if g.ndim == 1
        else torch.nn.functional.conv_transpose2d
    )
    return run(
        x,
        w,
        stride=g.stride,
        padding=[p for p, _ in g.padding],
        output_padding=g.output_padding,
        dilation=g.dilation,
    )


def torch_output(problem):
    """y by PyTorch, as exact integers (the problems hold small integers)."""
    x = torch.tensor(problem.x, dtype=torch.float64)[None, None]
    w = torch.tensor(problem.kernel, dtype=torch.float64)[None, None]
    return np.rint(torch_run(problem.geometry, x, w)[0, 0].numpy()).astype(np.int64)


BIG = {"input_shape": (16, 16), "kernel_shape": (3, 3), "stride": 2, "padding": 1}
"""A problem whose page is taller and wider than the window."""

BOX = "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom, r.left, r.right]; }"


def box(page, selector):
    return page.eval_on_selector(selector, BOX)


def wheel_to(page, target):
    """Scroll with the mouse wheel (a real input event) until scrollY is ``target``."""
    page.mouse.move(4, 300)  # over the page's margin, not a cell
    page.mouse.wheel(0, target - page.evaluate("scrollY"))
    page.wait_for_function(f"Math.abs(scrollY - {target}) < 2")
    page.wait_for_timeout(50)
