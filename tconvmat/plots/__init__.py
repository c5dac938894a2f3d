"""Figures of transposed convolution. Each function returns a :class:`TconvFigure`.

A figure draws what the library computed (:mod:`tconvmat.analysis.anatomy`), defaulting to the
worked example, for 1-D, 2-D and 3-D problems (3-D grids as their slices side by
side). It shows itself in Jupyter, saves PNG, SVG or PDF, and is a matplotlib
``Figure`` on demand (``.figure``). Grid figures are boards (:mod:`tconvmat.plots.board`)
drawn without matplotlib, so they take milliseconds; the one line plot
(:func:`plot_transpose_vs_inverse`) is drawn by matplotlib.
"""

from tconvmat.plots._figure import FORMATS, TconvFigure
from tconvmat.plots.channels import plot_channel_sums, plot_channels
from tconvmat.plots.checkerboard import plot_checkerboard_demo, plot_constant_response
from tconvmat.plots.inverse import plot_transpose_vs_inverse
from tconvmat.plots.matrix import plot_footprint, plot_matrix, plot_structure_1d
from tconvmat.plots.overlap import plot_overlap, plot_overlap_counts, plot_parameter_effects
from tconvmat.plots.polyphase import plot_polyphase
from tconvmat.plots.slices import plot_slices
from tconvmat.plots.steps import plot_scatter_steps, plot_zero_insertion

__all__ = [
    "FORMATS",
    "TconvFigure",
    "plot_channel_sums",
    "plot_channels",
    "plot_checkerboard_demo",
    "plot_constant_response",
    "plot_footprint",
    "plot_matrix",
    "plot_overlap",
    "plot_overlap_counts",
    "plot_parameter_effects",
    "plot_polyphase",
    "plot_scatter_steps",
    "plot_slices",
    "plot_structure_1d",
    "plot_transpose_vs_inverse",
    "plot_zero_insertion",
]
