"""Figures of overlap counts (the checkerboard effect) and of what each parameter does."""

from __future__ import annotations

import dataclasses

import numpy as np

from tconvmat import _text
from tconvmat.analysis import axis_overlap
from tconvmat.anatomy import overlap_grid, tap_matrix
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["plot_overlap", "plot_overlap_counts", "plot_parameter_effects"]


def plot_overlap(
    kernel_sizes: tuple[int, ...] = (2, 3, 4),
    strides: tuple[int, ...] = (1, 2, 3),
    in_size: int = 4,
) -> TconvFigure:
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
        figure = new_figure(5.0 * len(strides), 4.9 * len(kernel_sizes) + 0.6)
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


def _around(value: int, lowest: int) -> list[int]:
    """Three values centred on ``value`` where possible, none below ``lowest``."""
    return [value - 1, value, value + 1] if value - 1 >= lowest else [value, value + 1, value + 2]


def _effect_rows(geometry: ConvTranspose | None) -> list[tuple[str, list[dict[str, int]]]]:
    if geometry is None:
        return [
            ("stride", [{"stride": s} for s in (1, 2, 3)]),
            ("padding", [{"padding": p} for p in (0, 1, 2)]),
            ("kernel size", [{"kernel": k} for k in (2, 3, 4)]),
            ("dilation", [{"dilation": d} for d in (1, 2, 3)]),
            (
                "output_padding",
                [{"stride": 2, "padding": 1, "output_padding": op} for op in (0, 1)],
            ),
        ]
    s, d, k = geometry.stride[0], geometry.dilation[0], geometry.kernel_shape[0]
    p = max(geometry.crops[0][0], 0)
    ops = [{"output_padding": op} for op in range(min(max(s, d), 3))]
    if len(ops) == 1:
        ops = [{"stride": 2, "padding": max(p, 1), "output_padding": op} for op in (0, 1)]
    return [
        ("stride", [{"stride": v} for v in _around(s, 1)]),
        ("padding", [{"padding": v} for v in _around(p, 0)]),
        ("kernel size", [{"kernel": v} for v in _around(k, 1)]),
        ("dilation", [{"dilation": v} for v in (d, d + 1, d + 2)]),
        ("output_padding", ops),
    ]


def plot_parameter_effects(
    geometry: ConvTranspose | None = None, in_size: int = 4, kernel_size: int = 3
) -> TconvFigure:
    """Small multiples: what stride, padding, kernel size, dilation and output_padding do.

    Each row varies one parameter of a 1-D transposed convolution and shows C,
    its non-zeros coloured by tap, with the output size in the title. Columns
    that the padding crops away are shown in grey, so every panel has the same
    cell size. Without a geometry the others sit at stride 1, padding 0,
    dilation 1, output_padding 0; with one, the rows vary each parameter around
    that geometry's first axis (its input length, kernel size, stride, padding
    and dilation).
    """
    if geometry is not None:
        in_size, kernel_size = geometry.in_shape[0], geometry.kernel_shape[0]
        base = {
            "stride": geometry.stride[0],
            "padding": max(geometry.crops[0][0], 0),
            "dilation": geometry.dilation[0],
        }
    else:
        base = {}
    rows: list[tuple[str, list[tuple[dict[str, int], ConvTranspose]]]] = []
    for name, variants in _effect_rows(geometry):
        valid = []
        for variant in variants:
            settings = {**base, **{k: v for k, v in variant.items() if k != "kernel"}}
            try:
                g = ConvTranspose((in_size,), (variant.get("kernel", kernel_size),), **settings)
            except ValueError:
                continue  # no output left for this value
            valid.append((variant, g))
        rows.append((name, valid))
    widest = max(_uncropped(g)[0].out_shape[0] for _, row in rows for _, g in row)
    with _style.style():
        figure = new_figure(18, 12.5)
        axes = figure.subplots(len(rows), 3)
        for r, (_, drawn) in enumerate(rows):
            for c in range(3):
                ax = axes[r, c]
                if c >= len(drawn):
                    ax.set_axis_off()
                    continue
                variant, g = drawn[c]
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
                setting = ", ".join(f"{key} {v}" for key, v in variant.items())
                ax.set_title(f"{setting}: L_out = {g.out_shape[0]}", fontsize=13)
        around = "" if geometry is None else ", around this problem's first axis"
        figure.suptitle(
            f"What each parameter does to C (1-D, input {in_size}, kernel {kernel_size}{around})\n"
            "rows = inputs, columns = outputs, colour = kernel tap, grey = cropped by the padding"
        )
    return figure


def _counts_panel(geometry: ConvTranspose) -> np.ndarray:
    """The overlap counts as a 2-D grid (1-D as one row, 3-D as its middle slice)."""
    counts = overlap_grid(geometry)
    if counts.ndim == 3:
        counts = counts[counts.shape[0] // 2]
    return np.atleast_2d(counts)


def plot_overlap_counts(geometry: ConvTranspose | None = None) -> TconvFigure:
    """Taps per output for this geometry, and with kernels of stride + 1 and 2·stride.

    The second panel makes stamps overlap unevenly (the stride does not divide
    the kernel: checkerboard or stripes), the third evenly (it does): the same
    input size, stride, padding and dilation.
    """
    from tconvmat.overlap import overlap_counts

    geometry = geometry if geometry is not None else ConvTranspose((4, 4), (2, 2), stride=2)
    cases = [("this problem", geometry)]
    for label, shape in (
        ("kernel stride + 1", tuple(s + 1 for s in geometry.stride)),
        ("kernel 2·stride", tuple(2 * s for s in geometry.stride)),
    ):
        if shape == geometry.kernel_shape:
            continue
        try:
            cases.append((label, dataclasses.replace(geometry, kernel_shape=shape)))
        except ValueError:
            continue
    grids = [_counts_panel(g) for _, g in cases]
    top = max(int(grid.max()) for grid in grids) or 1
    widths = [grid.shape[1] for grid in grids]
    with _style.style():
        figure = new_figure(
            max(9.0, 0.55 * sum(widths) + 3.0 * len(cases)),
            0.6 * max(grid.shape[0] for grid in grids) + 2.4,
        )
        axes = figure.subplots(1, len(cases), squeeze=False, width_ratios=widths)[0]
        for ax, (label, g), grid in zip(axes, cases, grids, strict=True):
            size = _style.fit_fontsize(grid.shape[0], grid.shape[1], base=12)
            _style.draw_values(ax, grid, "", vmax=top, fontsize=size)
            kernel = _text.shape(g.kernel_shape)
            ax.set_title(f"{label}: kernel {kernel}\n{overlap_counts(g).pattern}", fontsize=13)
        middle = " (middle slice)" if geometry.ndim == 3 else ""
        rule = (
            "with dilation d, taps reach only every gcd(s, d)-th output,\n"
            "and those evenly only where s / gcd(s, d) divides the kernel"
            if max(geometry.dilation) > 1
            else "even only where the stride divides the kernel"
        )
        figure.suptitle(f"Taps reaching each output{middle}: {rule}")
    return figure
