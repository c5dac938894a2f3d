"""The figure every plot function returns: shown inline in Jupyter, saved deterministically."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from tconvmat import budget
from tconvmat.formats import FORMATS
from tconvmat.plots import _style

__all__ = ["FORMATS", "MAX_PIXELS", "TconvFigure", "new_figure"]


MAX_PIXELS = 6_000_000
"""A figure is saved at a lower dpi rather than above this many pixels (Pillow and slides cope)."""

MIN_DPI = 10
"""Below this resolution no text is legible (and FreeType refuses to draw it): refused."""

_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
"""No dates or versions in the files, so reruns give identical bytes."""


class TconvFigure(Figure):
    """A matplotlib ``Figure`` that renders inline in Jupyter without ``%matplotlib``.

    The figures are built without pyplot (no global state), so IPython's
    pyplot hook never sees them; ``_repr_png_`` makes them display anyway.
    Saving applies tconvmat's style (fonts, dpi, SVG hash salt) and leaves out
    dates, so the same figure gives the same bytes in every format.

    Examples
    --------
    >>> from tconvmat.plots import plot_matrix
    >>> plot_matrix().to_bytes("png")[:4]
    b'\\x89PNG'
    """

    def dpi_for(self, dpi: float | None = None) -> float:
        """The dpi to save at: ``dpi`` (default the style's), lowered to stay under MAX_PIXELS."""
        wanted = float(dpi if dpi is not None else _style.RC["savefig.dpi"])
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
        buffer = io.BytesIO()
        with _style.style():
            self.savefig(buffer, format=format, dpi=self.dpi_for(dpi), metadata=_METADATA[format])
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.to_bytes("png")


def new_figure(width: float, height: float) -> TconvFigure:
    """A figure not registered with pyplot (no global state, no ``plt.show``)."""
    return TconvFigure(figsize=(width, height), layout="constrained")
