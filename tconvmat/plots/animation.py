"""Transposed convolution in motion: the scatter stamp by stamp, or the kernel sliding.

Frames are boards (:mod:`tconvmat.plots.board`) drawn by Pillow and assembled into a
GIF by Pillow; no matplotlib. A cell of y not yet computed is hatched, so a computed
0 (written "0") never looks like it. The same arguments give the same bytes.
"""

from __future__ import annotations

import base64
import io
import itertools
import math
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tconvmat import palette
from tconvmat.anatomy import scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style, raster
from tconvmat.plots._defaults import position, resolve
from tconvmat.plots.board import Board
from tconvmat.plots.elide import Cut, cuts_of
from tconvmat.plots.placement import layout
from tconvmat.plots.places import canvas_cuts, inserted_cuts, output_cuts
from tconvmat.plots.steps import window_sum

__all__ = ["MODES", "Animation", "animate"]

MODES = ("scatter", "zero-insertion")
MAX_FRAMES = 30
"""Longer animations show the first stamps (or outputs) one by one, then the rest at once."""
FRAME_DPI = 96
FRAME_CELL = 24.0
"""Cells of a frame, in points (a GIF is smaller than a figure)."""


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames (Pillow images) and how long each shows; a GIF in Jupyter and on disk."""

    images: tuple[Image.Image, ...]
    durations: tuple[int, ...]

    @cached_property
    def frames(self) -> tuple[bytes, ...]:
        """Each frame as PNG bytes."""
        encoded = []
        for image in self.images:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", compress_level=1)
            encoded.append(buffer.getvalue())
        return tuple(encoded)

    def _palette(self) -> Image.Image:
        """One palette for every frame: quantized from the first, middle and last frames
        and every colour of the palette module (so intermediate values keep their colour)."""
        samples = [self.images[0], self.images[len(self.images) // 2], self.images[-1]]
        ramp = np.rint(palette.value_rgb(np.linspace(1, 64, 64), 64)).astype(np.uint8)
        named = [palette.hex_to_rgb(c) for c in (*palette.TAPS, *palette.PHASES)]
        named += [
            palette.hex_to_rgb(c)
            for c in (palette.ACCENT, palette.INSERTED, palette.PENDING, palette.PENDING_HATCH)
        ]
        strip = np.concatenate([ramp, np.array(named, dtype=np.uint8)])
        width = max(image.width for image in samples)
        swatches = Image.fromarray(np.repeat(np.repeat(strip[None], 8, 0), 4, 1), "RGB")
        height = sum(image.height for image in samples) + swatches.height
        sheet = Image.new("RGB", (max(width, swatches.width), height), (255, 255, 255))
        top = 0
        for image in (*samples, swatches):
            sheet.paste(image, (0, top))
            top += image.height
        return sheet.quantize(
            colors=255, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )

    def to_gif(self) -> bytes:
        """The animation as GIF bytes (Pillow; one shared palette, no dithering)."""
        shared = self._palette()
        images = [image.quantize(palette=shared, dither=Image.Dither.NONE) for image in self.images]
        buffer = io.BytesIO()
        images[0].save(
            buffer,
            format="GIF",
            save_all=True,
            append_images=images[1:],
            duration=list(self.durations),
            loop=0,
            optimize=False,
        )
        return buffer.getvalue()

    def save(self, path: str | Path) -> Path:
        """Write the GIF."""
        path = Path(path)
        path.write_bytes(self.to_gif())
        return path

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.to_gif()).decode("ascii")
        return f'<img src="data:image/gif;base64,{data}" alt="tconvmat animation">'


def _render(boards: list[Board]) -> list[Image.Image]:
    """The frames, drawn by Pillow (a frame is a few rectangles and numbers), all one size."""
    laid = [layout(board) for board in boards]
    scale = FRAME_DPI / 72
    size = (
        max(round(item.width * scale) for item in laid),
        max(round(item.height * scale) for item in laid),
    )
    return [raster.render(item, FRAME_DPI, size) for item in laid]


def _scatter_frames(
    geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray
) -> list[Image.Image]:
    steps = scatter_steps(geometry, x, kernel, max_steps=MAX_FRAMES - 3)
    accumulated, lines = steps.accumulated, geometry.axes
    vmax = float(np.max(np.abs(steps.canvas))) or 1.0
    elements = list(islice(np.ndindex(*geometry.in_shape), MAX_FRAMES - 3))
    total = math.prod(geometry.in_shape)
    extent = tuple(line.extent for line in lines)
    on_canvas, on_output = canvas_cuts(geometry), output_cuts(geometry)
    frames: list[Board] = []

    def frame(title: str, canvas: np.ndarray, element: tuple[int, ...] | None, crop: bool) -> None:
        faces = _style.flat(_style.value_faces(x))
        if element is not None:
            faces[_style.flat_index(element, geometry.in_shape)] = _style.ACCENT
        left = _style.value_panel(x, "input x", faces=faces)
        cuts = on_canvas if canvas.shape == steps.canvas.shape else on_output
        right = _style.value_panel(canvas, "canvas", vmax=vmax, show_zero=False, cuts=cuts)
        if element is not None:
            start = tuple(line.on_canvas(i, 0) for line, i in zip(lines, element, strict=True))
            right.outlines += _style.flat_outlines(start, extent, canvas.shape, cuts)
        if crop:
            start, size = (
                tuple(w.start for w in steps.window),
                tuple(w.stop - w.start for w in steps.window),
            )
            right.outlines += _style.flat_outlines(
                start, size, canvas.shape, cuts, color=_style.ACCENT, dashed=True
            )
        frames.append(Board([[left, right]], title=title, align_columns=False, cell=FRAME_CELL))

    frame("Start: an empty canvas", np.zeros_like(steps.canvas), None, False)
    for n, element in enumerate(elements):
        value = _style.value_label(x[element])
        frame(
            f"Stamp {n + 1}: x{position(element)} = {value} adds {value}·w",
            accumulated[n],
            element,
            False,
        )
    if len(elements) < total:
        frame(f"… and {total - len(elements):,} more stamps", steps.canvas, None, False)
    frame("Crop the padding (dashed): the window is y", steps.canvas, None, True)
    frame("The result y", steps.result, None, False)
    return _render(frames)


def _visited(geometry: ConvTranspose, cuts: tuple[Cut, ...]) -> list[tuple[int, ...]]:
    """The outputs the sliding kernel visits one frame each: every output when they fit,
    else the first that are drawn (around the stamps, when y is drawn elided)."""
    drawn = [cut.index[cut.index >= 0].tolist() for cut in cuts]
    every = math.prod(geometry.out_shape) <= MAX_FRAMES
    return list(islice(itertools.product(*drawn), None if every else MAX_FRAMES - 1))


def _zero_insertion_frames(
    geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray
) -> list[Image.Image]:
    view = zero_insertion(geometry, x, kernel)
    padded, reversed_kernel, result = view.padded, view.dilated_kernel, view.result
    faces = _style.value_faces(padded, vmax=float(np.max(np.abs(x))) or 1.0)
    faces[~view.holds_input] = _style.INSERTED
    on_output = output_cuts(geometry)
    shown = _visited(geometry, on_output)
    on_grid = inserted_cuts(geometry, shown)
    taps = [np.arange(k) * d for k, d in zip(geometry.kernel_shape, geometry.dilation, strict=True)]
    on_kernel = cuts_of(reversed_kernel.shape, taps)
    vmax = float(np.max(np.abs(result))) or 1.0
    extent = reversed_kernel.shape
    computed = np.zeros(result.shape, dtype=bool)
    frames: list[Board] = []

    def frame(index: tuple[int, ...], caption: str) -> None:
        grid = _style.value_panel(padded, "zero-inserted input", faces=faces, cuts=on_grid)
        grid.outlines += _style.flat_outlines(
            index, extent, padded.shape, on_grid, color=_style.ACCENT
        )
        values = np.where(computed, result, 0)
        so_far = _style.value_panel(
            values, "y so far (hatched: not yet computed)", vmax=vmax, cuts=on_output
        )
        so_far.hatched = _style.flat(_style.take(~computed, on_output, False))
        so_far.faces[so_far.hatched] = _style.PENDING
        if so_far.labels is not None:  # a computed 0 is written; a pending cell is blank
            so_far.labels = [
                [t if not p else "" for t, p in zip(row, prow, strict=True)]
                for row, prow in zip(so_far.labels, so_far.hatched.tolist(), strict=True)
            ]
        so_far.outlines += _style.flat_outlines(
            index, (1,) * geometry.ndim, result.shape, on_output, color=_style.ACCENT
        )
        kernel_panel = _style.value_panel(
            reversed_kernel, "kernel, reversed", show_zero=False, cuts=on_kernel
        )
        board = Board(
            [[grid, kernel_panel, so_far]],
            title="Zero insertion: the reversed kernel slides at stride 1",
            footer=caption,
            align_columns=False,
            cell=FRAME_CELL,
        )
        frames.append(board)

    for index in shown:
        window = padded[tuple(slice(i, i + e) for i, e in zip(index, extent, strict=True))]
        terms = window_sum(window, reversed_kernel, geometry, nonzero=True)
        computed[index] = True
        frame(index, f"y{position(index)} = {terms} = {_style.value_label(result[index])}")
    if len(shown) < result.size:  # the rest at once
        computed[...] = True
        last = tuple(n - 1 for n in result.shape)
        frame(last, f"… and {result.size - len(shown):,} more outputs: the whole y")
    return _render(frames)


def animate(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    *,
    mode: str = "scatter",
    duration: int = 900,
) -> Animation:
    """Animate a single-channel problem in 1-D, 2-D or 3-D (the worked example by default).

    Parameters
    ----------
    mode : {'scatter', 'zero-insertion'}
        ``'scatter'``: one frame per input element stamping its scaled kernel
        into the canvas, then the crop window, then the result.
        ``'zero-insertion'``: the reversed kernel sliding over the zero-inserted
        input, one frame per output, each with its sum of products.
    duration : int
        Milliseconds per frame (the last one shows three times as long).

    Examples
    --------
    >>> gif = animate().to_gif()
    >>> gif[:6], animate().to_gif() == gif
    (b'GIF89a', True)
    """
    from tconvmat import _validate

    _validate.choice("mode", mode, MODES)
    geometry, x, kernel = resolve(geometry, x, kernel)
    if not geometry.single_channel:
        raise ValueError(
            f"animate draws problems with one input and one output channel; this one has "
            f"{geometry.in_channels} → {geometry.out_channels} channels"
        )
    if x.dtype.kind not in "iuf" or kernel.dtype.kind not in "iuf":
        raise TypeError("animate draws numbers; give numeric input and kernel values")
    duration = _validate.as_int("duration", duration)
    if not 20 <= duration <= 60_000:
        raise ValueError(f"duration ({duration} ms) must be between 20 and 60000")
    draw = _scatter_frames if mode == "scatter" else _zero_insertion_frames
    from tconvmat.routes.compiled import interpreted

    with interpreted():  # an animation's numbers never wait for a compiled kernel to load
        frames = draw(geometry, x, kernel)
    durations = [duration] * (len(frames) - 1) + [3 * duration]
    return Animation(tuple(frames), tuple(durations))
