"""The explanation as data, and how it shows itself.

Content is built once (:mod:`tconvmat.teaching.explanation.build`) from the pieces of
:mod:`tconvmat.teaching.explanation.parts` and shown by separate renderers: Markdown
(``str()``, files, the terminal when piped), the terminal (rich), HTML (one
self-contained page) and Jupyter (the display protocol, figures as images).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tconvmat.problem import Problem
from tconvmat.teaching.explanation import html, render
from tconvmat.teaching.explanation.parts import WIDTH, Figure, Section

__all__ = ["Explanation"]


@dataclass(frozen=True, eq=False)
class Explanation:
    """A step-by-step account of one transposed convolution.

    ``str(explanation)`` is Markdown; in Jupyter it displays as formatted text
    with its formulas typeset and its figures inline; :meth:`to_html` is one
    self-contained page; :meth:`save` writes Markdown with the figures beside it.

    Attributes
    ----------
    problem : Problem
        The geometry, input and kernel explained.
    output : numpy.ndarray
        ``y = Cᵀx``.
    title : str
    summary : Section
        The answer first: the size formula with the numbers and the output grid.
    sections : tuple of Section
        The steps, in reading order (the summary not included).
    """

    problem: Problem
    output: Any
    title: str
    summary: Section
    sections: tuple[Section, ...]

    @property
    def figures(self) -> list[Figure]:
        """Every figure of the explanation, in order."""
        return [p for s in (self.summary, *self.sections) for p in s.parts if isinstance(p, Figure)]

    def sections_for(self, brief: bool = False) -> tuple[Section, ...]:
        """The summary alone (``brief``) or the summary and every section."""
        return (self.summary,) if brief else (self.summary, *self.sections)

    def to_markdown(
        self, *, brief: bool = False, math: str = "text", images: str = "", width: int = WIDTH
    ) -> str:
        """Markdown text; see :func:`tconvmat.teaching.explanation.render.markdown`."""
        return render.markdown(
            self.title, self.sections_for(brief), math=math, images=images, width=width
        )

    def to_text(self, *, brief: bool = False, width: int = render.PIPED_WIDTH) -> str:
        """Plain text (no Markdown markup), no line longer than ``width``."""
        from tconvmat.teaching.explanation.plain import plain

        return plain(self.title, self.sections_for(brief), width)

    def print(self, *, brief: bool = False, width: int | None = None, file: Any = None) -> None:
        """Print for a reader: formatted on a terminal (its width), plain text when piped
        (80 columns); ``width`` overrides either."""
        render.terminal(self.title, self.sections_for(brief), width=width, file=file)

    def to_html(self, *, brief: bool = False) -> str:
        """One self-contained HTML page: figures as inline SVG, formulas as MathML.

        A 1-D or 2-D problem with one channel and numbers also gets the explorable
        page's linked views (:func:`tconvmat.page`, without sliders); ``brief`` is the
        summary alone.
        """
        from tconvmat.teaching.pages import page_of

        linked = ""
        if not brief:
            try:
                linked = page_of(self.problem, sliders=False).fragment("tcm-linked", heading=False)
            except ValueError:  # 3-D, channels or symbols: the page does not draw those
                linked = ""
        return html.page(self.title, self.sections_for(brief), linked)

    def save(
        self, folder: Any, *, figures: bool = True, format: str = "png", brief: bool = False
    ) -> list[Path]:
        """Write ``explanation.md`` and its figures into ``folder``; return the paths.

        With ``brief``, the summary alone (and no figure is drawn).
        """
        sections = self.sections_for(brief)
        return render.save(self.title, sections, folder, figures=figures, format=format)

    def __str__(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        g = self.problem.geometry
        return (
            f"<Explanation of {type(g).__name__} {g.in_shape} → {g.out_shape}: "
            f"{len(self.sections)} sections, {len(self.figures)} figures>"
        )

    def _repr_markdown_(self) -> str:
        return self.to_markdown(math="latex")

    def _ipython_display_(self) -> None:
        render.jupyter(self.title, self.sections_for())
