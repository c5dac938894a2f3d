"""Draw a laid-out board with Pillow: PNG figures and GIF frames, no matplotlib needed.

The same board gives the same pixels on every run (no dates, no randomness).
"""

from __future__ import annotations

import io
import itertools
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from tconvmat.plots import palette
from tconvmat.plots.board import DPI, Box, Cells, Label, Laid, Line, Ramp, font_path

__all__ = ["png", "render"]


@lru_cache(maxsize=64)
def _font(pixels: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(bold), max(1, pixels))


def _rgb(color: str) -> tuple[int, int, int]:
    return palette.hex_to_rgb(color)


def _edges(start: float, count: int, size: float, scale: float) -> np.ndarray:
    return np.rint((start + np.arange(count + 1) * size) * scale).astype(int)


def _cells(image: Image.Image, item: Cells, scale: float) -> None:
    rows, columns, _ = item.rgb.shape
    xs = _edges(item.x, columns, item.size, scale)
    ys = _edges(item.y, rows, item.size, scale)
    width, height = xs[-1] - xs[0], ys[-1] - ys[0]
    if width <= 0 or height <= 0:
        return
    # each cell spans its own pixel run: index arrays map pixels to cells
    col_of = np.repeat(np.arange(columns), np.diff(xs))
    row_of = np.repeat(np.arange(rows), np.diff(ys))
    block = item.rgb[row_of[:, None], col_of[None, :]]
    if item.hatched is not None and item.hatched.any():
        yy, xx = np.mgrid[0:height, 0:width]
        pending = item.hatched[row_of[:, None], col_of[None, :]]
        stripes = ((xx + yy) % max(4, int(6 * scale)) < max(1, int(scale))) & pending
        block = block.copy()
        block[stripes] = _rgb(palette.PENDING_HATCH)
    image.paste(Image.fromarray(np.ascontiguousarray(block), "RGB"), (int(xs[0]), int(ys[0])))


def _dash(
    draw: ImageDraw.ImageDraw,
    a: tuple[float, float],
    b: tuple[float, float],
    fill,
    width: int,
    scale: float,
) -> None:
    (x0, y0), (x1, y1) = a, b
    length = max(abs(x1 - x0), abs(y1 - y0))
    step = 6 * scale
    n = 0.0
    while n < length:
        m = min(n + step * 0.6, length)
        t0, t1 = n / length, m / length
        draw.line(
            [
                (x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0),
                (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1),
            ],
            fill=fill,
            width=width,
        )
        n += step


def _line(draw: ImageDraw.ImageDraw, item: Line, scale: float) -> None:
    width = max(1, round(item.width * scale))
    a, b = (item.x0 * scale, item.y0 * scale), (item.x1 * scale, item.y1 * scale)
    if item.dashed:
        _dash(draw, a, b, _rgb(item.color), width, scale)
    else:
        draw.line([a, b], fill=_rgb(item.color), width=width)


def _box(draw: ImageDraw.ImageDraw, item: Box, scale: float) -> None:
    x0, y0 = round(item.x * scale), round(item.y * scale)
    x1, y1 = round((item.x + item.w) * scale), round((item.y + item.h) * scale)
    if item.fill is not None:
        draw.rectangle([x0, y0, x1, y1], fill=_rgb(item.fill))
    if item.edge is None:
        return
    width = max(1, round(item.width * scale))
    half = width // 2
    if item.dashed:
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        for a, b in itertools.pairwise(corners):
            _dash(draw, a, b, _rgb(item.edge), width, scale)
        return
    # centred on the cell edges, like the vector renderers' strokes
    draw.rectangle(
        [x0 - half, y0 - half, x1 + half, y1 + half], outline=_rgb(item.edge), width=width
    )


def _label(image: Image.Image, draw: ImageDraw.ImageDraw, item: Label, scale: float) -> None:
    font = _font(round(item.size * scale), item.bold)
    fill = _rgb(item.color) if item.color.startswith("#") else item.color
    if item.rotation == 0:
        anchor = {"left": "ls", "center": "ms", "right": "rs"}[item.ha]
        draw.text((item.x * scale, item.y * scale), item.text, font=font, fill=fill, anchor=anchor)
        return
    # upright text drawn on its own canvas, turned a quarter to read upwards
    width = int(font.getlength(item.text)) + 2
    ascent, descent = font.getmetrics()
    tile = Image.new("L", (width, ascent + descent), 0)
    ImageDraw.Draw(tile).text((1, 0), item.text, font=font, fill=255, anchor="la")
    turned = tile.rotate(90, expand=True)
    x = round(item.x * scale - (ascent + descent) / 2)
    if item.ha == "right":  # reading upwards, the text ends at (x, y): it hangs below
        y = round(item.y * scale)
    elif item.ha == "left":
        y = round(item.y * scale) - turned.height
    else:
        y = round(item.y * scale - turned.height / 2)
    image.paste(Image.new("RGB", turned.size, fill), (x, y), turned)


def _ramp(image: Image.Image, item: Ramp, scale: float) -> None:
    height = max(1, round(item.h * scale))
    width = max(1, round(item.w * scale))
    fractions = np.linspace(1.0, 0.0, height)
    table = np.array([palette.hex_to_rgb(c) for c in item.stops], dtype=float)
    where = fractions * (len(table) - 1)
    low = np.minimum(np.floor(where).astype(int), len(table) - 2)
    share = (where - low)[:, None]
    column = np.rint(table[low] * (1 - share) + table[low + 1] * share).astype(np.uint8)
    block = np.repeat(column[:, None, :], width, axis=1)
    image.paste(Image.fromarray(block, "RGB"), (round(item.x * scale), round(item.y * scale)))


def render(laid: Laid, dpi: float = DPI, size: tuple[int, int] | None = None) -> Image.Image:
    """The board as an RGB image at ``dpi``; on a larger white ``size``, centred across."""
    scale = dpi / 72
    own = (max(1, round(laid.width * scale)), max(1, round(laid.height * scale)))
    if size is not None and size != own:
        image = Image.new("RGB", size, (255, 255, 255))
        image.paste(render(laid, dpi), ((size[0] - own[0]) // 2, 0))
        return image
    image = Image.new("RGB", own, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for item in laid.items:
        if isinstance(item, Cells):
            _cells(image, item, scale)
        elif isinstance(item, Line):
            _line(draw, item, scale)
        elif isinstance(item, Box):
            _box(draw, item, scale)
        elif isinstance(item, Label):
            _label(image, draw, item, scale)
        else:
            _ramp(image, item, scale)
    return image


def png(laid: Laid, dpi: float = DPI, size: tuple[int, int] | None = None) -> bytes:
    """PNG bytes of the board (see :func:`render`)."""
    buffer = io.BytesIO()
    render(laid, dpi, size).save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
