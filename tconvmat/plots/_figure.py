"""The figure every plot function returns: shown inline in Jupyter, saved deterministically.

A grid figure is a :class:`~tconvmat.plots.board.Board` laid out once and drawn by
Pillow (PNG), as SVG text, or through matplotlib (PDF, and :attr:`TconvFigure.figure`
for editing). Line plots are matplotlib figures from the start.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

import numpy as np

from tconvmat.core import budget
from tconvmat.plots import _style
from tconvmat.plots.board import DPI, MAX_PIXELS, Board, Laid, Panel, Shown
from tconvmat.plots.placement import layout
from tconvmat.text.display import FORMATS

__all__ = ["FORMATS", "MAX_PIXELS", "TconvFigure", "matplotlib_figure"]


MIN_DPI = 10
"""Below this resolution no text is legible (and FreeType refuses to draw it): refused."""

_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
"""No dates or versions in the files, so reruns give identical bytes."""


class TconvFigure:
    """A figure of tconvmat: PNG in Jupyter without ``%matplotlib``, PNG/SVG/PDF on disk.

    Grid figures are drawn from their :attr:`board` (panels of cells, numbers,
    titles): PNG with Pillow, SVG as text, PDF with matplotlib. :attr:`figure`
    is the same picture as a matplotlib ``Figure`` to edit; once taken, saving
    goes through it, so the edits show. Other matplotlib attributes (``axes``,
    ``savefig``, …) are the ``figure``'s. The same figure gives the same bytes in
    every format on every run.

    Examples
    --------
    >>> from tconvmat.plots import plot_matrix
    >>> plot_matrix().to_bytes("png")[:4]
    b'\\x89PNG'
    """

    def __init__(self, board: Board | None = None, *, figure: Any = None) -> None:
        if (board is None) == (figure is None):
            raise TypeError("TconvFigure takes a board or a matplotlib figure")
        self.board = board
        self._figure = figure
        self._laid: Laid | None = None
        self._native = figure is not None  # drawn by matplotlib from the start

    @property
    def laid(self) -> Laid:
        """The board laid out (sizes in points)."""
        if self._laid is None:
            assert self.board is not None
            self._laid = layout(self.board)
        return self._laid

    @property
    def panels(self) -> list[Panel]:
        """The board's panels, row by row (empty for line plots)."""
        if self.board is None:
            return []
        return [p for row in self.board.rows for p in row if p is not None]

    def shown(self, title: str) -> Shown:
        """How the first panel whose title starts with ``title`` came out (numbers, bar)."""
        for item in self.laid.shown:
            if item.panel.title.startswith(title):
                return item
        raise KeyError(f"no panel titled {title!r}")

    def about(self, subject: str) -> TconvFigure:
        """This figure with ``subject`` as the first line of its title (which channel pair
        of a layer it draws, say); returns the figure.

        >>> from tconvmat.plots import plot_matrix
        >>> plot_matrix().about("input ch 0 → output ch 0").board.title.splitlines()[0]
        'input ch 0 → output ch 0'
        """
        if self.board is None:
            self._figure.suptitle(f"{subject}\n{self._figure.get_suptitle()}")
            return self
        self.board.title = f"{subject}\n{self.board.title}" if self.board.title else subject
        self._laid = None
        return self

    @property
    def figure(self) -> Any:
        """The picture as a matplotlib ``Figure`` (built on first use)."""
        if self._figure is None:
            from tconvmat.plots.vector import matplotlib_figure

            self._figure = matplotlib_figure(self.laid)
        return self._figure

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in {"board"}:
            raise AttributeError(name)
        return getattr(self.figure, name)

    def get_size_inches(self) -> np.ndarray:
        """Width and height in inches."""
        if self._figure is not None:
            return np.asarray(self._figure.get_size_inches())
        return np.array([self.laid.width / 72, self.laid.height / 72])

    def dpi_for(self, dpi: float | None = None) -> float:
        """The dpi to save at: ``dpi`` (default 110), lowered to stay under MAX_PIXELS."""
        wanted = float(dpi if dpi is not None else DPI)
        width, height = self.get_size_inches()
        fitting = math.floor(math.sqrt(MAX_PIXELS / (width * height)))
        if fitting < MIN_DPI:
            budget.check(
                f"the figure ({width:,.0f} × {height:,.0f} inches)",
                math.ceil(width * height * MIN_DPI**2),
                "view",
                f"pixels at {MIN_DPI} dpi",
                limit=MAX_PIXELS,
                way_out="draw a smaller input with the same kernel, stride, padding and "
                "dilation (every step is the same at any size)",
            )
        return min(wanted, fitting)

    def save(
        self, path: str | Path, *, format: str | None = None, dpi: float | None = None
    ) -> Path:
        """Write the figure; the format comes from ``format`` or the file's extension."""
        path = Path(path)
        kind = format or path.suffix.lstrip(".").lower() or "png"
        path.write_bytes(self.to_bytes(kind, dpi=dpi))
        return path

    def to_bytes(self, format: str = "png", *, dpi: float | None = None) -> bytes:
        """The figure's file content in ``format`` ('png', 'svg' or 'pdf')."""
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {format!r}")
        if self._figure is None and format != "pdf":
            from tconvmat.plots import raster, vector

            if format == "png":
                return raster.png(self.laid, self.dpi_for(dpi))
            return vector.svg(self.laid)
        buffer = io.BytesIO()
        with _style.style():
            self.figure.savefig(
                buffer, format=format, dpi=self.dpi_for(dpi), metadata=_METADATA[format]
            )
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.to_bytes("png")

    def __repr__(self) -> str:
        width, height = self.get_size_inches()
        kind = "matplotlib" if self._native else f"{len(self.panels)} panels"
        return f"<TconvFigure {width:.1f}×{height:.1f} in, {kind}>"


def matplotlib_figure(width: float, height: float) -> Any:
    """A matplotlib figure not registered with pyplot (no global state, no ``plt.show``)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")
