"""3-D problems as slice grids: input, kernel and output, one 2-D slice per panel."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import resolve
from tconvmat.plots._figure import TconvFigure
from tconvmat.plots.board import Board, Panel

__all__ = ["plot_slices"]

MAX_SLICES = 6
"""Arrays with more slices show their first ones."""


def plot_slices(
    geometry: ConvTranspose | None = None, x: Any = None, kernel: Any = None
) -> TconvFigure:
    """Input x, kernel w and output y slice by slice along the first axis (one row each).

    Made for 3-D problems (a 2-D problem is one slice; 1-D is one row). Without a
    geometry: input 2×2×2 and kernel 2×2×2 counting 1, 2, 3, …, stride 2. x and y
    share one value scale; the kernel's taps take their tap colours.

    Examples
    --------
    >>> g = ConvTranspose((2, 2, 2), (2, 2, 2), stride=2)
    >>> len(plot_slices(g).panels)
    8
    >>> [p.title for p in plot_slices().panels][:2]
    ['x[0, :, :]', 'x[1, :, :]']
    """
    if geometry is None:
        geometry = ConvTranspose((2, 2, 2), (2, 2, 2), stride=2)
    geometry, x, kernel = resolve(geometry, x, kernel)
    if not geometry.single_channel:
        raise ValueError("plot_slices draws one input and one output channel")
    y = geometry.apply(x, kernel)
    top = _style.scale(x, y)
    taps = np.arange(kernel.size).reshape(kernel.shape)

    def panel(name: str, array: np.ndarray, n: int, title: str) -> Panel:
        if name == "w":  # the kernel's taps in their tap colours, as in every figure
            block = (taps if array.ndim == 3 else taps[None])[n]
            return _style.tap_panel(
                array[n] if array.ndim == 3 else array, block, kernel.size, title
            )
        block = array[n] if array.ndim == 3 else array
        return _style.value_panel(block, title, vmax=top, legend=n == 0 and name == "x")

    rows: list[list[Panel | None]] = []
    for name, array in (("x", x), ("w", kernel), ("y", y)):
        count = array.shape[0] if array.ndim == 3 else 1
        row: list[Panel | None] = [
            panel(name, array, n, f"{name}[{n}, :, :]" if array.ndim == 3 else name)
            for n in range(min(count, MAX_SLICES))
        ]
        if count > MAX_SLICES:
            last = MAX_SLICES - 1
            row[-1] = panel(name, array, last, f"{name}[{last}, :, :] (of {count})")
        rows.append(row)
    shapes = ", ".join(f"{n} {'×'.join(map(str, a.shape))}" for n, a in (("x", x), ("w", kernel)))
    return TconvFigure(
        Board(
            rows,
            title=(
                f"Transposed convolution slice by slice: {shapes} → y {'×'.join(map(str, y.shape))}"
            ),
        )
    )
