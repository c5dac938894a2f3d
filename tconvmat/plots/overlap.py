"""Figures of overlap counts (the checkerboard effect) and of what each parameter does."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from tconvmat.analysis import axis_overlap
from tconvmat.anatomy import overlap_grid, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style

__all__ = ["plot_overlap", "plot_parameter_effects"]


def plot_overlap(
    kernel_sizes: tuple[int, ...] = (2, 3, 4),
    strides: tuple[int, ...] = (1, 2, 3),
    in_size: int = 4,
) -> Figure:
    """How many kernel taps reach each output element, for a grid of (kernel, stride) pairs.

    2-D input of ``in_size``², square kernels, padding 0. Away from the border
    the counts are even exactly when the stride divides the kernel size;
    otherwise they alternate (the checkerboard pattern of transposed
    convolutions), and a stride larger than the kernel leaves outputs no tap reaches.
    """
    counts = {
        (k, s): overlap_grid(ConvTranspose((in_size, in_size), (k, k), stride=s))
        for k in kernel_sizes
        for s in strides
    }
    top = max(int(c.max()) for c in counts.values())
    with _style.style():
        figure = _style.new_figure(5.0 * len(strides), 4.9 * len(kernel_sizes) + 0.6)
        axes = figure.subplots(len(kernel_sizes), len(strides), squeeze=False)
        for (k, s), ax in zip(counts, axes.reshape(-1), strict=True):
            grid = counts[(k, s)]
            size = _style.fit_fontsize(grid.shape[0], grid.shape[1], base=11)
            _style.draw_values(ax, grid, "", vmax=top, fontsize=size, index_labels=False)
            axis = axis_overlap(k, s)
            verdict = "gaps" if axis.untouched else "even" if axis.even else "uneven: checkerboard"
            ax.set_title(f"kernel {k}, stride {s}: {verdict}", fontsize=13)
        figure.suptitle(
            f"Overlap counts: taps reaching each output (input {in_size}×{in_size}, padding 0)\n"
            "even away from the border exactly when the stride divides the kernel"
        )
    return figure


def _uncropped(g: ConvTranspose) -> tuple[ConvTranspose, slice]:
    """The geometry without its positive crops, and where g's output sits in it."""
    full = ConvTranspose.from_crops(
        g.in_shape,
        g.kernel_shape,
        [(min(lo, 0), min(hi, 0)) for lo, hi in g.crops],
        stride=g.stride,
        dilation=g.dilation,
    )
    start = max(g.crops[0][0], 0)
    return full, slice(start, start + g.out_shape[0])


def plot_parameter_effects(in_size: int = 4, kernel_size: int = 3) -> Figure:
    """Small multiples: what stride, padding, kernel size, dilation and output_padding do.

    Each row varies one parameter of a 1-D transposed convolution (the others
    at stride 1, padding 0, dilation 1, output_padding 0) and shows C, its
    non-zeros coloured by tap, with the output size in the title. Columns that
    the padding crops away are shown in grey, so every panel has the same cell size.
    """
    rows = [
        ("stride", [{"stride": s} for s in (1, 2, 3)]),
        ("padding", [{"padding": p} for p in (0, 1, 2)]),
        ("kernel size", [{"kernel": k} for k in (2, 3, 4)]),
        ("dilation", [{"dilation": d} for d in (1, 2, 3)]),
        ("output_padding", [{"stride": 2, "padding": 1, "output_padding": op} for op in (0, 1)]),
    ]
    grid = [
        [
            ConvTranspose(
                (in_size,),
                (v.get("kernel", kernel_size),),
                **{key: value for key, value in v.items() if key != "kernel"},
            )
            for v in variants
        ]
        for _, variants in rows
    ]
    widest = max(_uncropped(g)[0].out_shape[0] for row in grid for g in row)
    with _style.style():
        figure = _style.new_figure(18, 12.5)
        axes = figure.subplots(len(rows), 3)
        for r, (_, variants) in enumerate(rows):
            for c in range(3):
                ax = axes[r, c]
                if c >= len(variants):
                    ax.set_axis_off()
                    continue
                g = grid[r][c]
                full, window = _uncropped(g)
                taps = tap_matrix(full)
                colors = np.array(_style.tap_colors(g.kernel_shape[0]), dtype=object)
                faces = np.where(taps >= 0, colors[np.maximum(taps, 0)], _style.EMPTY)
                outside = np.ones(taps.shape[1], dtype=bool)
                outside[window] = False
                faces[:, outside] = np.where(taps[:, outside] >= 0, _style.CROPPED, _style.INSERTED)
                _style.draw_cells(ax, faces, fontsize=9)
                ax.set_xlim(-0.5, widest - 0.5)
                for spine in ax.spines.values():
                    spine.set_visible(False)
                setting = ", ".join(f"{key} {v}" for key, v in variants[c].items())
                ax.set_title(f"{setting}: L_out = {g.out_shape[0]}", fontsize=13)
        figure.suptitle(
            f"What each parameter does to C (1-D, input {in_size}, kernel {kernel_size})\n"
            "rows = inputs, columns = outputs, colour = kernel tap, grey = cropped by the padding"
        )
    return figure
