"""The explanation page's formulas in a real browser: names read as words, one font.

A name of more than one letter (``out``, ``low``, ``output_padding``) must be one upright
MathML identifier, not a row of italic letters o·u·t·p·u·t; single letters stay italic
variables; the formula line and the line with its numbers are drawn in one font (asked of
Chromium itself, through the DevTools protocol).
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

import tconvmat

CHROMIUM = shutil.which("chromium-headless-shell")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium-headless-shell is not installed (CI installs it)",
)

# Every identifier of every formula; `spelled`: it and the next one are upright letters.
IDENTIFIERS = """() => {
  const letter = (mi) => mi && mi.localName === 'mi' && mi.textContent.length === 1 &&
    mi.getAttribute('mathvariant') === 'normal';
  return Array.from(document.querySelectorAll('math'), (m) => Array.from(m.querySelectorAll('mi'),
    (mi) => ({text: mi.textContent, variant: mi.getAttribute('mathvariant'),
              spelled: letter(mi) && letter(mi.nextElementSibling)})));
}"""


def upright_names(latex: str) -> list[str]:
    """The names the LaTeX writes upright, ``\\mathrm{…}``, as they read."""
    return [n.replace(r"\_", "_") for n in re.findall(r"\\mathrm\{([^}]*)\}", latex)]


@pytest.mark.parametrize(
    "arguments",
    [{}, {"input_shape": 5, "kernel_shape": 3, "padding": [(2, 1)]}],
    ids=["worked example", "uneven padding"],
)
def test_names_render_as_upright_words_in_one_font(browser, tmp_path, arguments):
    explanation = tconvmat.explain(**arguments)
    path = tmp_path / "explanation.html"
    path.write_text(explanation.to_html(), encoding="utf-8")
    formula = next(
        line for s in explanation.sections for p in s.parts for line in getattr(p, "lines", ())
    )
    expected = upright_names(formula)
    assert "output_padding" in expected and "out" in expected
    page = browser.new_page()
    page.goto(path.as_uri())
    lines = page.evaluate(IDENTIFIERS)
    names = lines[0]
    words = [n["text"] for n in names if len(n["text"]) > 1]
    assert words == expected  # each name one identifier, in the formula's order
    for n in names:
        if len(n["text"]) > 1:
            assert n["variant"] == "normal"
    # no name is spelled out letter by letter anywhere (two one-letter upright identifiers)
    assert not [n for line in lines for n in line if n["spelled"]]
    letters = {n["text"]: n["variant"] for n in names if len(n["text"]) == 1}
    assert letters["s"] is None and letters["d"] is None  # single letters stay italic variables
    # the formula line and the numbers line: one font, as Chromium draws them
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    families = set()
    leaves = session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "mi, mn, mo, mtext"})
    assert len(leaves["nodeIds"]) > 20
    for node in leaves["nodeIds"]:
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        families |= {f["familyName"] for f in fonts}
    assert len(families) == 1, families
    page.close()
