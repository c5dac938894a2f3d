"""The pieces an explanation is made of: sections of prose, grids, formulas and figures."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tconvmat.plots._figure import TconvFigure

__all__ = ["Code", "Figure", "Math", "Part", "Section", "Text", "wrap"]

WIDTH = 88
"""Prose is wrapped to this many characters in Markdown and the terminal."""


def wrap(markdown: str, width: int = WIDTH) -> str:
    """Wrap Markdown prose (paragraphs, ``-`` and ``1.`` items) without touching tables or code.

    Examples
    --------
    >>> print(wrap("- " + "word " * 20, width=30))
    - word word word word word
      word word word word word
      word word word word word
      word word word word word
    """
    blocks = []
    for paragraph in markdown.split("\n\n"):
        lines = paragraph.split("\n")
        if lines[0].startswith(("|", "```", "    ", "#")):
            blocks.append(paragraph)
            continue
        wrapped = []
        for line in lines:
            marker = re.match(r"([-*]|\d+\.) ", line)
            wrapped.append(
                textwrap.fill(
                    line,
                    width,
                    subsequent_indent=" " * len(marker.group(0)) if marker else "",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        blocks.append("\n".join(wrapped))
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class Text:
    """Markdown prose: paragraphs, bullets, small tables."""

    markdown: str


@dataclass(frozen=True)
class Code:
    """A preformatted block: a grid of numbers, a matrix, a list of sums.

    ``blocks`` (titled texts) are laid side by side, as many to a row as the width allows;
    ``text`` is then that layout at the default width.
    """

    text: str
    caption: str = ""
    blocks: tuple[tuple[str, str], ...] = ()

    @classmethod
    def side_by_side(cls, blocks: list[tuple[str, str]], caption: str = "") -> Code:
        from tconvmat.teaching.explanation.layout import side_by_side

        return cls(side_by_side(blocks, WIDTH), caption, tuple(blocks))

    def laid_out(self, width: int = WIDTH) -> str:
        """The text with no line longer than ``width`` (grids split or stacked to fit)."""
        from tconvmat.teaching.explanation.layout import fit, side_by_side

        if self.blocks:
            return fit(side_by_side(self.blocks, width), width)
        return fit(self.text, width)


@dataclass(frozen=True)
class Math:
    """Display formulas, one per line: LaTeX for Jupyter and the page (MathML), text elsewhere."""

    lines: tuple[str, ...]
    text: str

    @property
    def latex(self) -> str:
        """All lines as one LaTeX formula."""
        if len(self.lines) == 1:
            return self.lines[0]
        return r"\begin{gathered}" + r" \\ ".join(self.lines) + r"\end{gathered}"


@dataclass(frozen=True)
class Figure:
    """A figure of this problem, built when a renderer first needs it, then kept.

    :meth:`image` renders each format once, so Jupyter, ``--out`` and ``--html``
    never build or draw the same figure twice; a part displays itself in Jupyter
    (``_repr_png_``).
    """

    name: str
    caption: str
    draw: Callable[[], TconvFigure] = field(compare=False, repr=False)
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def figure(self) -> TconvFigure:
        """The figure (built on first use)."""
        if "figure" not in self.cache:
            from tconvmat.routes.compiled import interpreted

            with interpreted():  # explaining never compiles, its figures neither
                self.cache["figure"] = self.draw()
        return self.cache["figure"]  # type: ignore[return-value]

    def image(self, format: str = "png") -> bytes:
        """The figure's file content in ``format`` (rendered on first use)."""
        if format not in self.cache:
            self.cache[format] = self.figure().to_bytes(format)
        return self.cache[format]  # type: ignore[return-value]

    def _repr_png_(self) -> bytes:
        return self.image("png")


Part = Text | Code | Math | Figure


@dataclass(frozen=True)
class Section:
    """A titled part of the explanation."""

    title: str
    parts: tuple[Part, ...]
    key: str = ""

    @property
    def anchor(self) -> str:
        return self.key or "-".join(self.title.lower().split())[:40]
