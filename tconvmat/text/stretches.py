"""How a long 1-D row of values is written in text: the stretches worth reading, one labelled
line each, and one line for each run left out (``positions 3–998: 996 zeros``).

Part of the one notation of :mod:`tconvmat.text.notation`, which re-exports :func:`stretches`.
Which cells are kept is the caller's choice (the figures' elision,
:class:`tconvmat.plots.elide.Cut`, so that text and figures cut the same runs); this module
only writes them.

Examples
--------
>>> cells = ["2", "0", "", "2", "4", "", "0", "3"]
>>> print(stretches(cells, [0, 1, -1, 999, 1000, -1, 1998, 1999], ["997 zeros", "997 zeros"]))
positions 0–1:        2  0
positions 2–998:      997 zeros
positions 999–1000:   2  4
positions 1001–1997:  997 zeros
positions 1998–1999:  0  3
"""

from __future__ import annotations

from collections.abc import Sequence

from tconvmat.text.axis_words import AXIS_NAMES, axis_items

__all__ = ["CELLS_WIDE", "stretches"]

CELLS_WIDE = 56
"""Characters of values on one line (a long stretch continues on the next line)."""


def _span(first: int, last: int) -> str:
    """``positions 3–998``, ``position 5``."""
    if first == last:
        return f"{axis_items(1)[0]} {first}"
    return f"{AXIS_NAMES[1][0]} {first}–{last}"


def stretches(cells: Sequence[str], index: Sequence[int], notes: Sequence[str]) -> str:
    """A 1-D row written as labelled stretches.

    Parameters
    ----------
    cells : sequence of str
        The written value of each entry of ``index`` (anything at a break).
    index : sequence of int
        The kept positions in order, ``-1`` where a run is left out.
    notes : sequence of str
        What each left-out run holds (``"996 zeros"``, ``"991 more"``), one per ``-1``.

    Examples
    --------
    >>> print(stretches([str(v) for v in range(12)], list(range(12)), []))
    positions 0–11:  0  1  2  3  4  5  6  7  8  9  10  11
    """
    width = max((len(c) for c, i in zip(cells, index, strict=True) if i >= 0), default=1)
    per_line = max(1, CELLS_WIDE // (width + 2))
    lines: list[tuple[str, str]] = []
    run: list[tuple[int, str]] = []
    breaks = iter(notes)

    def close() -> None:
        for start in range(0, len(run), per_line):
            chunk = run[start : start + per_line]
            text = "  ".join(c.rjust(width) for _, c in chunk)
            lines.append((_span(chunk[0][0], chunk[-1][0]), text))
        run.clear()

    previous = -1
    for position, cell in zip(index, cells, strict=True):
        if position < 0:
            close()
            lines.append(("", next(breaks)))
        else:
            if lines and lines[-1][0] == "":  # the break's span: up to this kept cell
                lines[-1] = (_span(previous + 1, position - 1), lines[-1][1])
            run.append((position, cell))
            previous = position
    close()
    label = max(len(span) for span, _ in lines) + 1
    return "\n".join(f"{span + ':':<{label}}  {text}".rstrip() for span, text in lines)
