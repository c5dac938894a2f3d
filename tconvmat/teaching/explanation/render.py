"""Renderers of an explanation: Markdown, files on disk, the terminal and Jupyter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tconvmat.teaching.explanation.layout import fit
from tconvmat.teaching.explanation.parts import WIDTH, Code, Figure, Math, Part, Section, Text, wrap

__all__ = ["jupyter", "markdown", "save", "terminal", "terminal_width"]

PIPED_WIDTH = 80
"""Lines printed to a file or a pipe are at most this long (``--width`` changes it)."""
MIN_WIDTH = 40
"""Narrower widths are taken as this (grids need some room)."""


def _part(
    part: Part,
    math: str,
    images: str,
    image_format: str = "png",
    width: int = WIDTH,
    code_width: int | None = None,
) -> str:
    if isinstance(part, Text):
        return wrap(part.markdown, width)
    if isinstance(part, Code):
        caption = f"{wrap(part.caption, width)}\n\n" if part.caption else ""
        text = part.text if code_width is None else part.laid_out(code_width)
        return f"{caption}```\n{text}\n```"
    if isinstance(part, Math):
        if math == "latex":
            return f"$${part.latex}$$"
        if not part.text:  # a formula only typeset (Jupyter, HTML), with no text form
            return ""
        return f"```\n{part.text if code_width is None else fit(part.text, code_width)}\n```"
    if images:
        return f"![{part.caption}]({images}{part.name}.{image_format})\n\n*{part.caption}*"
    return ""


def _section(
    section: Section, math: str, images: str, image_format: str, width: int, code: int | None
) -> str:
    parts = (_part(p, math, images, image_format, width, code) for p in section.parts)
    body = "\n\n".join(filter(None, parts))
    return f"## {section.title}\n\n{body}"


def markdown(
    title: str,
    sections: tuple[Section, ...],
    *,
    math: str = "text",
    images: str = "",
    image_format: str = "png",
    width: int = WIDTH,
    code_width: int | None = None,
) -> str:
    """An explanation's title and sections as Markdown.

    Parameters
    ----------
    math : {'text', 'latex'}
        Formulas as plain text blocks (terminals) or ``$$…$$`` (Jupyter, GitHub).
    images : str
        Prefix of figure links (``""`` leaves figures out; ``"./"`` links files beside
        the text, as :func:`save` writes them).
    image_format : str
        Extension of the linked figure files.
    width : int
        Prose is wrapped to this many characters (tables and figure links excepted).
    code_width : int, optional
        Preformatted blocks are fitted to this many characters (wide grids split by
        columns, long lines wrapped); by default they are left whole.
    """
    body = "\n\n".join(_section(s, math, images, image_format, width, code_width) for s in sections)
    return f"# {title}\n\n{body}\n"


def save(
    title: str,
    sections: tuple[Section, ...],
    folder: Any,
    *,
    figures: bool = True,
    format: str = "png",
) -> list[Path]:
    """Write ``folder/explanation.md`` and, with ``figures``, every figure beside it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if figures:
        for section in sections:
            for part in section.parts:
                if isinstance(part, Figure):
                    path = folder / f"{part.name}.{format}"
                    path.write_bytes(part.image(format))
                    written.append(path)
    text = markdown(title, sections, images="./" if figures else "", image_format=format)
    path = folder / "explanation.md"
    path.write_text(text, encoding="utf-8")
    return [path, *written]


def jupyter(title: str, sections: tuple[Section, ...]) -> None:
    """Show the explanation in IPython: Markdown text, typeset formulas, figures as images."""
    from IPython.display import Markdown, display
    from IPython.display import Math as LaTeX

    pending: list[str] = [f"# {title}"]

    def flush() -> None:
        if pending:
            display(Markdown("\n\n".join(pending)))
            pending.clear()

    for section in sections:
        pending.append(f"## {section.title}")
        for part in section.parts:
            if isinstance(part, Math):
                flush()
                display(LaTeX(part.latex))
            elif isinstance(part, Figure):
                flush()
                display(part)  # its PNG, rendered once
                pending.append(f"*{part.caption}*")
            else:
                pending.append(_part(part, "latex", ""))
    flush()


def terminal_width(file: Any = None) -> int:
    """The reader's width: the terminal's columns, or 80 when the output is not a terminal."""
    import shutil
    import sys

    stream = sys.stdout if file is None else file
    if not stream.isatty():
        return PIPED_WIDTH
    return max(MIN_WIDTH, shutil.get_terminal_size((PIPED_WIDTH, 24)).columns)


def terminal(
    title: str, sections: tuple[Section, ...], *, width: int | None = None, file: Any = None
) -> None:
    """Print for a reader: rich's formatting on a terminal, plain text when piped; no line
    longer than ``width`` (by default the terminal's, 80 when piped)."""
    import sys

    stream = sys.stdout if file is None else file
    width = terminal_width(stream) if width is None else max(MIN_WIDTH, width)
    if not stream.isatty():
        from tconvmat.teaching.explanation.plain import plain

        stream.write(plain(title, sections, width))
        return
    from rich.console import Console
    from rich.markdown import Markdown as RichMarkdown

    # rich pads code blocks by one column each side; prose and tables it wraps itself
    text = markdown(title, sections, width=width - 2, code_width=width - 2)
    Console(file=stream, width=width).print(RichMarkdown(text, code_theme="ansi_light"))
