"""Draw a laid-out board as vectors: SVG text written directly, or a matplotlib Figure (PDF).

SVG numbers and titles stay text (searchable, crisp at any zoom, a few kB); large
grids embed their cell colours as one pixelated image. The matplotlib Figure is
built only when asked for (PDF, or ``TconvFigure.figure`` to edit with
matplotlib): one axes in points, one image per grid, one text per label.
"""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import numpy as np

from tconvmat.plots import palette
from tconvmat.plots.board import Box, Cells, Label, Laid, Line

__all__ = ["matplotlib_figure", "svg"]

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
MAX_SVG_RECTS = 256
"""Grids with more cells are embedded as one pixelated image instead of one rect per cell."""


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _hex(rgb: np.ndarray) -> str:
    return "#{:02X}{:02X}{:02X}".format(*(int(v) for v in rgb))


def _cells_svg(item: Cells) -> list[str]:
    rows, columns, _ = item.rgb.shape
    s = item.size
    out = []
    if rows * columns > MAX_SVG_RECTS:
        from PIL import Image

        buffer = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(item.rgb), "RGB").save(buffer, format="PNG")
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        out.append(
            f'<image x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(columns * s)}" '
            f'height="{_n(rows * s)}" preserveAspectRatio="none" '
            f'style="image-rendering:pixelated;image-rendering:crisp-edges" '
            f'href="data:image/png;base64,{data}"/>'
        )
    else:
        for r in range(rows):
            for c in range(columns):
                out.append(
                    f'<rect x="{_n(item.x + c * s)}" y="{_n(item.y + r * s)}" width="{_n(s)}" '
                    f'height="{_n(s)}" fill="{_hex(item.rgb[r, c])}"/>'
                )
    if item.hatched is not None:
        for r, c in zip(*np.nonzero(item.hatched), strict=True):
            out.append(
                f'<rect x="{_n(item.x + c * s)}" y="{_n(item.y + r * s)}" width="{_n(s)}" '
                f'height="{_n(s)}" fill="url(#pending)"/>'
            )
    return out


def _label_svg(item: Label) -> str:
    weight = ' font-weight="bold"' if item.bold else ""
    anchor = {"left": "start", "center": "middle", "right": "end"}[item.ha]
    text = html.escape(item.text)
    common = f'font-size="{_n(item.size)}"{weight} text-anchor="{anchor}" fill="{item.color}"'
    if item.rotation == 0:
        return f'<text x="{_n(item.x)}" y="{_n(item.y)}" {common}>{text}</text>'
    across = item.x + 0.37 * item.size  # the baseline, so the line's middle sits on x
    return (
        f'<text transform="translate({_n(across)} {_n(item.y)}) rotate(-90)" {common}>{text}</text>'
    )


def svg(laid: Laid) -> bytes:
    """The board as a standalone SVG document (sizes in points)."""
    w, h = _n(laid.width), _n(laid.height)
    body = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" '
        f'viewBox="0 0 {w} {h}" font-family="{FONT}">',
        "<defs>"
        '<pattern id="pending" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{palette.PENDING_HATCH}" stroke-width="1.5"/>'
        "</pattern></defs>",
        f'<rect width="{w}" height="{h}" fill="#FFFFFF"/>',
    ]
    ramps = 0
    for item in laid.items:
        if isinstance(item, Cells):
            body += _cells_svg(item)
        elif isinstance(item, Line):
            dash = ' stroke-dasharray="4 3"' if item.dashed else ""
            body.append(
                f'<line x1="{_n(item.x0)}" y1="{_n(item.y0)}" x2="{_n(item.x1)}" '
                f'y2="{_n(item.y1)}" stroke="{item.color}" stroke-width="{_n(item.width)}"{dash}/>'
            )
        elif isinstance(item, Box):
            fill = item.fill or "none"
            stroke = f' stroke="{item.edge}" stroke-width="{_n(item.width)}"' if item.edge else ""
            dash = ' stroke-dasharray="6 4"' if item.dashed else ""
            body.append(
                f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
                f'height="{_n(item.h)}" fill="{fill}"{stroke}{dash}/>'
            )
        elif isinstance(item, Label):
            body.append(_label_svg(item))
        else:
            ramps += 1
            stops = "".join(
                f'<stop offset="{_n(n / (len(item.stops) - 1))}" stop-color="{c}"/>'
                for n, c in enumerate(item.stops)
            )
            body.append(
                f'<linearGradient id="ramp{ramps}" x1="0" y1="1" x2="0" y2="0">{stops}'
                "</linearGradient>"
                f'<rect x="{_n(item.x)}" y="{_n(item.y)}" width="{_n(item.w)}" '
                f'height="{_n(item.h)}" fill="url(#ramp{ramps})"/>'
            )
    body.append("</svg>\n")
    return "\n".join(body).encode("utf-8")


def matplotlib_figure(laid: Laid) -> Any:
    """A matplotlib Figure drawing the board (one axes in points, y down)."""
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(laid.width / 72, laid.height / 72))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, laid.width)
    ax.set_ylim(laid.height, 0)
    ax.set_axis_off()
    lines: dict[tuple[str, float, bool], list] = {}
    for item in laid.items:
        if isinstance(item, Cells):
            rows, columns, _ = item.rgb.shape
            extent = (item.x, item.x + columns * item.size, item.y + rows * item.size, item.y)
            ax.imshow(item.rgb, extent=extent, interpolation="none", aspect="auto", clip_on=False)
            if item.hatched is not None:
                for r, c in zip(*np.nonzero(item.hatched), strict=True):
                    ax.add_patch(
                        Rectangle(
                            (item.x + c * item.size, item.y + r * item.size),
                            item.size,
                            item.size,
                            fill=False,
                            hatch="///",
                            edgecolor=palette.PENDING_HATCH,
                            linewidth=0,
                            clip_on=False,
                        )
                    )
        elif isinstance(item, Line):
            key = (item.color, item.width, item.dashed)
            lines.setdefault(key, []).append([(item.x0, item.y0), (item.x1, item.y1)])
        elif isinstance(item, Box):
            ax.add_patch(
                Rectangle(
                    (item.x, item.y),
                    item.w,
                    item.h,
                    fill=item.fill is not None,
                    facecolor=item.fill or "none",
                    edgecolor=item.edge or "none",
                    linewidth=item.width if item.edge else 0,
                    linestyle="--" if item.dashed else "-",
                    clip_on=False,
                )
            )
        elif isinstance(item, Label):
            if item.rotation:
                options: dict[str, Any] = {"va": "center", "rotation_mode": "anchor"}
            else:
                options = {"va": "baseline"}
            ax.text(
                item.x,
                item.y,
                item.text,
                fontsize=item.size,
                color=item.color,
                fontweight="bold" if item.bold else "normal",
                ha=item.ha,
                rotation=item.rotation,
                family="DejaVu Sans",
                clip_on=False,
                **options,
            )
        else:
            ramp = np.array([palette.hex_to_rgb(c) for c in item.stops[::-1]], dtype=np.uint8)
            extent = (item.x, item.x + item.w, item.y + item.h, item.y)
            ax.imshow(ramp[:, None, :], extent=extent, interpolation="bilinear", aspect="auto")
    for (color, width, dashed), segments in lines.items():
        ax.add_collection(
            LineCollection(
                segments,
                colors=color,
                linewidths=width,
                linestyles="--" if dashed else "-",
                clip_on=False,
            ),
            autolim=False,
        )
    return figure
