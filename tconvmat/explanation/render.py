"""Renderers of an explanation: Markdown, files on disk, the terminal and Jupyter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tconvmat.explanation.parts import Code, Figure, Math, Part, Section, Text, wrap

__all__ = ["jupyter", "markdown", "save", "terminal"]


def _part(part: Part, math: str, images: str, image_format: str = "png") -> str:
    if isinstance(part, Text):
        return wrap(part.markdown)
    if isinstance(part, Code):
        caption = f"{wrap(part.caption)}\n\n" if part.caption else ""
        return f"{caption}```\n{part.text}\n```"
    if isinstance(part, Math):
        return f"$${part.latex}$$" if math == "latex" else f"```\n{part.text}\n```"
    if images:
        return f"![{part.caption}]({images}{part.name}.{image_format})\n\n*{part.caption}*"
    return ""


def _section(section: Section, math: str, images: str, image_format: str) -> str:
    parts = (_part(p, math, images, image_format) for p in section.parts)
    body = "\n\n".join(filter(None, parts))
    return f"## {section.title}\n\n{body}"


def markdown(
    title: str,
    sections: tuple[Section, ...],
    *,
    math: str = "text",
    images: str = "",
    image_format: str = "png",
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
    """
    body = "\n\n".join(_section(s, math, images, image_format) for s in sections)
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


def terminal(text: str, *, file: Any = None) -> None:
    """Print Markdown for a reader: rich's formatting on a terminal, plain text when piped."""
    import sys

    stream = sys.stdout if file is None else file
    if not stream.isatty():
        stream.write(text)
        return
    from rich.console import Console
    from rich.markdown import Markdown as RichMarkdown

    Console(file=stream).print(RichMarkdown(text, code_theme="ansi_light"))
