"""Figure: the transposed convolution is not the inverse of the convolution."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat.analysis import transpose_versus_inverse
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._figure import TconvFigure, matplotlib_figure

__all__ = ["plot_transpose_vs_inverse"]

from tconvmat.plots.palette import LINES

TRUE, TRANSPOSED, LEAST_SQUARES = LINES["reference"], LINES["transposed"], LINES["least_squares"]


def plot_transpose_vs_inverse(
    geometry: ConvTranspose | None = None, kernel: Any = None, seed: int = 0
) -> TconvFigure:
    """Singular values of C, and a signal u against Cᵀ(C u) and the least-squares inverse.

    Defaults: 1-D input 16, kernel [1, 3, 3, 1]/4, stride 2, padding 1 (a
    bilinear-like up-sampler). A 1-D geometry with one channel.
    """
    example = geometry is None
    if geometry is None:
        geometry = ConvTranspose((16,), (4,), stride=2, padding=1)
        kernel = np.array([1.0, 3.0, 3.0, 1.0]) / 4
    if geometry.ndim != 1 or geometry.in_channels != 1 or geometry.out_channels != 1:
        raise ValueError(
            "plot_transpose_vs_inverse draws 1-D single-channel geometries (its signals are "
            "curves along one axis); for any geometry, tconvmat.transpose_versus_inverse "
            "gives the same numbers"
        )
    report = transpose_versus_inverse(geometry, kernel, seed=seed)
    from matplotlib.ticker import MaxNLocator

    with _style.style():
        figure = matplotlib_figure(16, 5.4)
        values, signals = figure.subplots(1, 2, width_ratios=[1, 2])
        n = np.arange(1, report.singular_values.size + 1)
        values.bar(n, report.singular_values, color=LEAST_SQUARES)
        values.xaxis.set_major_locator(MaxNLocator(integer=True))  # an index is a whole number
        values.set_xlabel("index (largest first)")
        values.set_ylabel("singular value of C")
        values.set_title(
            f"C is {geometry.matrix_shape[0]} × {geometry.matrix_shape[1]}: rank {report.rank}, "
            f"\n‖CᵀC − I‖₂ = {report.gram_error:.2f}"
        )
        t = np.arange(geometry.out_shape[0])
        signals.plot(t, report.u[0], color=TRUE, linewidth=2.5, label="u (what was convolved)")
        signals.plot(
            t,
            report.transposed[0],
            color=TRANSPOSED,
            linewidth=2,
            linestyle="--",
            label=f"Cᵀ(C u), transposed: error {report.transpose_error:.2f}",
        )
        signals.plot(
            t,
            report.least_squares[0],
            color=LEAST_SQUARES,
            linewidth=2,
            marker="o",
            markersize=4,
            label=f"least squares (lsqr): error {report.least_squares_error:.2f}",
        )
        signals.set_xlabel("output index t")
        signals.set_title("Does the transposed convolution undo the convolution? No")
        signals.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=3, fontsize=11)
        figure.suptitle(
            ("Transposed is not inverse" if example else "Transposed is not inverse, this layer")
            + f": stride {geometry.stride[0]}, kernel "
            f"{np.round(np.asarray(kernel, dtype=float), 2).tolist()}, "
            f"padding {geometry.padding[0][0]}"
            + (" (an example, not your problem)" if example else "")
        )
    return TconvFigure(figure=figure)
