"""One self-contained HTML page: the explanation's prose, grids, MathML formulas and SVG figures.

Prose goes through markdown-it-py (CommonMark with tables), formulas through
latex2mathml, figures are inlined as SVG, and the explorable page's linked views
(:mod:`tconvmat.teaching.pages`) sit in a section of their own with their inline script: the page
needs no network and no files beside it, so it can be mailed or hosted as is.
"""

from __future__ import annotations

import html
import re

from tconvmat.teaching.explanation.parts import Code, Figure, Math, Part, Section, Text

__all__ = ["mathml", "page"]

STYLE = """
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1 { font-size: 1.9rem; } h2 { font-size: 1.4rem; margin-top: 2.2rem;
     border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
pre { background: #f6f8fa; padding: .7rem 1rem; overflow-x: auto; line-height: 1.3; }
table { border-collapse: collapse; margin: .8rem 0; }
td, th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
figure { margin: 1.2rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-style: italic; color: #444; margin-top: .3rem; }
math { font-family: "STIX Two Math", "Cambria Math", "Latin Modern Math", "DejaVu Math TeX Gyre",
       math; }
math[display="block"] { margin: .8rem 0; font-size: 1.15rem; }
nav ol { columns: 2; }
"""


def _markdown() -> object:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def _svg(part: Figure) -> str:
    svg = part.image("svg").decode("utf-8")
    svg = svg[svg.index("<svg") :]
    # the RDF metadata block names namespaces only; inline, it is dead weight
    return re.sub(r"<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)


# latex2mathml writes \mathrm{out} as one <mi> per letter: o·u·t, each its own identifier
_UPRIGHT_LETTERS = re.compile(r'(?:<mi mathvariant="normal">(?:[^<&]|&#x[0-9A-Fa-f]+;)</mi>){2,}')
_LETTER = re.compile(r'<mi mathvariant="normal">([^<]+)</mi>')


def mathml(latex: str) -> str:
    r"""One LaTeX formula as a block of MathML; an upright name (``\mathrm{output\_padding}``,
    :func:`tconvmat.text.notation.size_formula`) is one identifier, read and drawn as a word.

    Examples
    --------
    >>> mathml(r"\mathrm{out} + s")  # doctest: +ELLIPSIS
    '<math ...><mrow><mrow><mi mathvariant="normal">out</mi></mrow><mo>&#x0002B;</mo><mi>s</mi>...'
    """
    from latex2mathml.converter import convert

    def word(run: re.Match[str]) -> str:
        return f'<mi mathvariant="normal">{"".join(_LETTER.findall(run.group(0)))}</mi>'

    return _UPRIGHT_LETTERS.sub(word, convert(latex, display="block"))


def _part(part: Part, renderer: object) -> str:
    if isinstance(part, Text):
        return renderer.render(part.markdown)  # type: ignore[attr-defined,no-any-return]
    if isinstance(part, Code):
        caption = f"<p>{html.escape(part.caption)}</p>" if part.caption else ""
        return f"{caption}<pre>{html.escape(part.text)}</pre>"
    if isinstance(part, Math):
        return "\n".join(mathml(line) for line in part.lines)
    return (
        f'<figure id="figure-{part.name}">{_svg(part)}'
        f"<figcaption>{html.escape(part.caption)}</figcaption></figure>"
    )


def _section(section: Section, renderer: object) -> str:
    body = "\n".join(_part(p, renderer) for p in section.parts)
    return f'<section id="{section.anchor}"><h2>{html.escape(section.title)}</h2>\n{body}</section>'


LINKED_TITLE = "Every number, linked"
LINKED_TEXT = (
    "Point at, click or tab to any number: everything it is made of, or makes, is framed in "
    "every view, and an output shows its sum. `tconvmat page` writes the same view with "
    "sliders for every parameter."
)


def page(title: str, sections: tuple[Section, ...], linked: str = "") -> str:
    """An explanation's title and sections as one HTML document (a string).

    ``linked`` is the explorable page's fragment (:mod:`tconvmat.teaching.pages`): it goes in a
    section of its own after the first.
    """
    renderer = _markdown()
    entries = [(s.anchor, s.title) for s in sections]
    parts = [_section(s, renderer) for s in sections]
    if linked:
        entries.insert(1, ("linked", LINKED_TITLE))
        parts.insert(
            1,
            f'<section id="linked"><h2>{LINKED_TITLE}</h2>\n'
            f"{renderer.render(LINKED_TEXT)}{linked}</section>",  # type: ignore[attr-defined]
        )
    contents = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in entries)
    body = "\n".join(parts)
    title = html.escape(title)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>{STYLE}</style></head>\n<body>\n<h1>{title}</h1>\n"
        f"<nav><ol>{contents}</ol></nav>\n{body}\n"
        "<footer><p><small>Made by tconvmat.</small></p></footer>\n</body></html>\n"
    )
