"""The explanation as plain text for a file or a pipe: no Markdown markup, no line longer than
the width (tables become aligned columns, or one row per line group when too wide).

Examples
--------
>>> from tconvmat.teaching.explanation.parts import Section, Text
>>> print(plain("T", (Section("S", (Text("A **bold** and *shaped* word."),)),), 40))
T
=
<BLANKLINE>
S
-
<BLANKLINE>
A bold and shaped word.
<BLANKLINE>
"""

from __future__ import annotations

import re
import textwrap

from tconvmat.teaching.explanation.layout import fit
from tconvmat.teaching.explanation.parts import Code, Math, Part, Section, Text

__all__ = ["plain", "strip_markup"]


def strip_markup(text: str) -> str:
    """``**stride**``, ``*shape*`` and ```code``` as plain words.

    Examples
    --------
    >>> strip_markup("**stride** 2, its *shape*, `tconvmat matrix`, 2·3*4")
    'stride 2, its shape, tconvmat matrix, 2·3*4'
    """
    text = re.sub(r"\*\*(\S(?:.*?\S)?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(\S(?:.*?\S)?)\*(?![\w*])", r"\1", text)
    return re.sub(r"`([^`]+)`", r"\1", text)


def _fill(line: str, width: int) -> str:
    marker = re.match(r"([-*]|\d+\.) ", line)
    indent = " " * len(marker.group(0)) if marker else ""
    return textwrap.fill(
        line, width, subsequent_indent=indent, break_long_words=True, break_on_hyphens=False
    )


def _table(lines: list[str], width: int) -> str:
    rows = [[strip_markup(c.strip()) for c in line.strip().strip("|").split("|")] for line in lines]
    rows = [r for r in rows if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    if sum(widths) + 2 * (len(widths) - 1) <= width:
        text = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
        ]
        text.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(text)
    header, out = rows[0], []
    for r in rows[1:]:  # too wide: each row as its own small list
        first = r[0] or header[0]
        items = [f"{h}: {c}" for h, c in zip(header[1:], r[1:], strict=True) if h or c]
        out.append(_fill(first, width))
        out += [_fill(f"- {item}", width) for item in items]
    return "\n".join(out)


def prose(markdown: str, width: int) -> str:
    """Markdown paragraphs, lists and tables as plain text of at most ``width`` columns."""
    blocks = []
    for paragraph in markdown.split("\n\n"):
        lines = paragraph.split("\n")
        if lines[0].startswith("|"):
            blocks.append(_table(lines, width))
        elif lines[0].startswith("```"):
            blocks.append(fit("\n".join(lines[1:-1]), width))
        else:
            blocks.append("\n".join(_fill(strip_markup(line), width) for line in lines))
    return "\n\n".join(blocks)


def _part(part: Part, width: int) -> str:
    if isinstance(part, Text):
        return prose(part.markdown, width)
    if isinstance(part, Code):
        caption = f"{prose(part.caption, width)}\n\n" if part.caption else ""
        return caption + part.laid_out(width)
    if isinstance(part, Math):
        return fit(part.text, width)
    return ""  # figures live in files (--out) and pages (--html)


def plain(title: str, sections: tuple[Section, ...], width: int) -> str:
    """Title, section headings underlined, then every part as plain text."""
    heading = textwrap.fill(title, width)
    out = [heading, "=" * min(len(title), width), ""]
    for section in sections:
        heading = textwrap.fill(section.title, width)
        out += [heading, "-" * min(len(section.title), width), ""]
        for part in section.parts:
            text = _part(part, width)
            if text:
                out += [text, ""]
    return "\n".join(out)
