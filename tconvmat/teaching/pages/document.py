"""The explorable page as HTML: one file, or a fragment for a notebook or the explanation.

The fragment holds its own style, the engine's states as JSON (the slider grid packed,
see :mod:`tconvmat.teaching.pages.sliders`) and the page's script (``page.js``, written for
tconvmat, no library). Nothing is fetched, so it opens from ``file://``, inside Jupyter
or Colab (the sliders need no kernel), or from any static web server.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tconvmat.core import budget
from tconvmat.problem import Problem
from tconvmat.teaching.pages.sliders import Grid, key, slider_values
from tconvmat.teaching.pages.state import check_showable, names, state

__all__ = ["MAX_BYTES", "Page", "check_size"]

MAX_BYTES = 5_000_000
"""Largest page written by default (the default slider grid fits with room to spare)."""

HERE = Path(__file__).resolve().parent
TITLE = "Transposed convolution, linked: y = Cᵀx"
NO_SCRIPT = (
    "The linked views need JavaScript: open this page in a browser (in Jupyter, trust the "
    "notebook)."
)
_serial = itertools.count()


def _asset(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


BYTES_PER_OUTPUT, BYTES_PER_ENTRY = 110, 10
"""What a state costs the page at least (its sums, stamps and C's entries, measured: about
115 to 145 bytes per output element once the entries are counted), for :func:`check_size`."""


def check_size(problem: Problem, limit: int | None = None) -> int:
    """Refuse, before any state is built, a problem whose own state alone would exceed the
    page budget (:data:`MAX_BYTES`); return the estimate in bytes.

    Examples
    --------
    >>> check_size(Problem.build(stride=10**5, input=[1, 2, 3], kernel=[1, 2]))
    Traceback (most recent call last):
    ...
    tconvmat.core.budget.SizeError: the page of an output of 200,000 elements would hold \
22,000,040 bytes at least, above the limit of 5,000,000; draw it with tconvmat figures or \
tconvmat explain (long stretches of zeros cut out), use a smaller problem (the input size, \
stride, kernel and dilation set the output's size), or pass limit=... to allow more
    """
    g = problem.geometry
    outputs = math.prod(g.out_shape)
    entries = math.prod(int(sum(high - low)) for low, high in (a.tap_range() for a in g.axes))
    return budget.check(
        f"the page of an output of {outputs:,} elements",
        BYTES_PER_OUTPUT * outputs + BYTES_PER_ENTRY * entries,
        "elements",
        "bytes at least",
        limit if limit is not None else MAX_BYTES,
        "draw it with tconvmat figures or tconvmat explain (long stretches of zeros cut out), "
        "use a smaller problem (the input size, stride, kernel and dilation set the output's "
        "size), or pass limit=... to allow more",
    )


@dataclass(frozen=True, eq=False)
class Page:
    """The linked views of one problem, with sliders over nearby problems.

    Build one with :func:`tconvmat.page`. Jupyter shows it (``_repr_html_``); the sliders
    and the highlighting run in the browser, without the kernel.

    Attributes
    ----------
    problem : Problem
        The problem the page opens on.
    grid : Grid or None
        The slider positions, or None for a page without sliders.
    note : str
        Why the page has no sliders, when it could not have them.
    limit : int or None
        The largest page in bytes (:data:`MAX_BYTES` by default).
    """

    problem: Problem
    grid: Grid | None = None
    note: str = ""
    limit: int | None = None

    def __post_init__(self) -> None:
        check_showable(self.problem)
        check_size(self.problem, self.limit)

    @property
    def geometry(self) -> Any:
        """The geometry the page opens on."""
        return self.problem.geometry

    @cached_property
    def data(self) -> dict[str, Any]:
        """What the script reads: the states by key, the packed slider grid, the sliders."""
        first = state(self.problem)
        start = "given"
        chunks: dict[str, str] = {}
        shapes = {tuple(first["shape"][v]) for v in ("x", "kernel", "y")}
        sliders = None
        if self.grid is not None:
            values = slider_values(self.problem)
            if values is not None:
                start = key(self.problem.geometry.ndim, values)
            chunks, more = self.grid.chunks()
            shapes |= more
            sliders = self.grid.describe()
        return {
            "start": start,
            "states": {start: first},
            "chunks": chunks,
            "sliders": sliders,
            "names": {",".join(map(str, s)): names(s) for s in sorted(shapes)},
        }

    def fragment(self, root_id: str = "tcm-page", *, heading: bool = True) -> str:
        """The page as one ``<div>`` with its style, data and script (for notebooks and pages).

        ``heading=False`` leaves out the title (for a section of a larger page).
        """
        payload = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        payload = payload.replace("</", "<\\/")  # never closes the script element early
        note = f'<p class="tcm-note">{html.escape(self.note)}</p>' if self.note else ""
        return (
            f'<div class="tcm" id="{root_id}" data-tconvmat-page lang="en">'
            f"<style>{_asset('page.css')}</style><style data-colours></style>"
            f"{f'<h2>{html.escape(TITLE)}</h2>' if heading else ''}"
            '<div data-controls role="group" aria-label="Parameters of the transposed convolution">'
            "</div>"
            f'{note}<p data-title role="status"></p><ul data-facts></ul>'
            '<p data-error role="alert" hidden></p>'
            '<div class="tcm-body"><p data-readout aria-live="polite"></p>'
            f'<div data-views><p class="tcm-note">{html.escape(NO_SCRIPT)}</p></div></div>'
            f'<script type="application/json" data-states>{payload}</script>'
            f"<script>{_asset('page.js')}</script></div>"
        )

    def to_html(self) -> str:
        """One self-contained HTML document (checked against the page budget)."""
        text = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(TITLE)}</title>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<style>body { margin: 1.2rem 1.6rem; }</style></head>\n<body>\n"
            f"{self.fragment()}\n</body></html>\n"
        )
        size = len(text.encode("utf-8"))
        budget.check(
            "the page",
            size,
            "elements",
            "bytes",
            self.limit if self.limit is not None else MAX_BYTES,
            "narrow the slider ranges, leave the sliders out, or pass limit=... to allow more",
        )
        return text

    def save(self, path: Any) -> Path:
        """Write :meth:`to_html` to ``path`` (UTF-8); return the path."""
        target = Path(path)
        target.write_text(self.to_html(), encoding="utf-8")
        return target

    def _repr_html_(self) -> str:
        digest = hashlib.sha1(repr(self.problem.geometry).encode()).hexdigest()[:8]
        return self.fragment(f"tcm-{digest}-{next(_serial)}")

    def __repr__(self) -> str:
        g = self.problem.geometry
        sliders = "no sliders" if self.grid is None else f"sliders over {self.grid.dims}-D"
        return f"<Page of {type(g).__name__} {g.in_shape} → {g.out_shape}, {sliders}>"
