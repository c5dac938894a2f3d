"""3-D problems as slice grids: input, kernel and output, one 2-D slice per panel."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import _text
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["plot_slices"]

MAX_SLICES = 6
"""Arrays with more slices show their first ones."""


def plot_slices(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """Input x, kernel w and output y of a 3-D problem, slice by slice (one row each).

    Examples
    --------
    >>> g = ConvTranspose((2, 2, 2), (2, 2, 2), stride=2)
    >>> len(plot_slices(g).axes)
    12
    """
    geometry, x, kernel = resolve(geometry, x, kernel)
    if geometry.ndim != 3:
        raise ValueError(f"plot_slices draws 3-D geometries, got {geometry.ndim}-D")
    y = geometry.apply(x, kernel)
    arrays = [("x", x), ("w", kernel), ("y", y)]
    columns = max(min(a.shape[0], MAX_SLICES) for _, a in arrays)
    with _style.style():
        widest = max(a.shape[2] for _, a in arrays)
        figure = new_figure(max(8.0, columns * (0.5 * widest + 1.2)), 3 * (0.5 * widest + 1.6))
        axes = figure.subplots(3, columns, squeeze=False)
        for row, (name, array) in zip(axes, arrays, strict=True):
            vmax = float(np.max(np.abs(array))) or 1.0
            for n, ax in enumerate(row):
                if n >= min(array.shape[0], MAX_SLICES):
                    ax.set_axis_off()
                    continue
                _style.draw_values(ax, array[n], f"{name}[{n}, :, :]", vmax=vmax)
        figure.suptitle(
            f"3-D transposed convolution, slice by slice: x {_text.shape(x.shape)}, "
            f"w {_text.shape(kernel.shape)} → y {_text.shape(y.shape)}"
        )
    return figure
