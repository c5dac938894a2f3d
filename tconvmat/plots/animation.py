"""Transposed convolution in motion: the scatter stamp by stamp, or the kernel sliding.

Frames are boards (:mod:`tconvmat.plots.board`) drawn by Pillow and assembled into a
GIF by Pillow; no matplotlib. Every frame has the same panels in the same places. A
cell of y not yet computed is hatched, so a computed 0 (written "0") never looks like
it. The same arguments give the same bytes.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from tconvmat.analysis.anatomy import scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style, palette, raster, zoom
from tconvmat.plots._defaults import position, resolve, stride_text
from tconvmat.plots.board import Board, Panel
from tconvmat.plots.placement import layout
from tconvmat.plots.places import canvas_cuts, inserted_cuts, output_cuts, visited
from tconvmat.plots.stamped import stamped, write_zeros
from tconvmat.plots.steps import crop_note, reversed_kernel_panel, window_sum
from tconvmat.routes.compiled import interpreted

__all__ = ["MODES", "Animation", "animate"]

MODES = ("scatter", "zero-insertion")
MAX_FRAMES = 30
"""Longer animations show the stamps of a zoom window (or the first outputs) one by one."""
FRAME_DPI = 110
"""Default resolution of the frames: the figures' (numbers of three digits stay crisp)."""
MIN_DPI, MAX_DPI = 10, 600
FRAME_CELL = 26.0
"""Cells of a frame, in points (a GIF is a little smaller than a figure)."""


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


def _render(boards: list[Board], dpi: float) -> list[Image.Image]:
    """The frames, drawn by Pillow, all one size with their panels in the same places
    (every board laid out to the widest one's width)."""
    width = max(layout(board).width for board in boards)
    for board in boards:
        board.min_width = width
    laid = [layout(board) for board in boards]
    scale = dpi / 72
    size = (
        max(round(item.width * scale) for item in laid),
        max(round(item.height * scale) for item in laid),
    )
    return [raster.render(item, dpi, size) for item in laid]


def _heading(subject: str, what: str, step: str) -> str:
    """A frame's title: the pair (with channels), what the animation shows, this step."""
    return "\n".join(line for line in (subject, what, step) if line)


def _scatter_frames(
    geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray, subject: str
) -> list[Board]:
    window, region = zoom.scatter_window(geometry, MAX_FRAMES - 4)
    steps = scatter_steps(geometry, x, kernel, elements=None if window is None else window.inputs)
    lines = geometry.axes
    whole_canvas = region == tuple(slice(0, n) for n in steps.canvas.shape)
    if window is None:
        seen = tuple(slice(0, n) for n in geometry.in_shape)
        elements = list(np.ndindex(*geometry.in_shape))
    else:
        seen = window.inputs
        elements = [
            tuple(s.start + i for s, i in zip(seen, p, strict=True))
            for p in np.ndindex(*window.input_shape)
        ]
    box = (
        window.outputs
        if window is not None and not whole_canvas
        else tuple(slice(0, n) for n in geometry.out_shape)
    )
    accumulated = steps.accumulated[(slice(None), *region)]
    reached = stamped(geometry, elements=None if window is None else window.inputs)
    y = steps.result[box]
    top = _style.scale(x[seen], steps.canvas[region], accumulated, y)
    origin = tuple(r.start for r in region)
    crop = tuple(  # the crop window inside the part of the canvas drawn
        slice(max(w.start, r.start) - r.start, min(w.stop, r.stop) - r.start)
        for w, r in zip(steps.window, region, strict=True)
    )
    extent = tuple(line.extent for line in lines)
    on_canvas = canvas_cuts(geometry, None if window is None else window.inputs, region)
    on_output = output_cuts(geometry, region=box)
    what = f"Scatter: each input value stamps value·w at stride {stride_text(geometry)}; "
    what += "overlaps add"
    if window is not None:
        what += f"\nzoomed: the stamps of {window.text()} alone"
    frames: list[Board] = []

    def frame(
        step: str,
        canvas: np.ndarray,
        landed: np.ndarray,
        element: tuple[int, ...] | None,
        cropped: bool,
        done: bool,
    ) -> None:
        local = (
            None
            if element is None
            else tuple(e - s.start for e, s in zip(element, seen, strict=True))
        )
        left = _style.marked_panel(
            x[seen], "input x", local, top, origin=tuple(s.start for s in seen)
        )
        middle = _style.value_panel(
            canvas,
            "canvas (uncropped)",
            vmax=top,
            show_zero=False,
            legend=False,
            origin=origin,
            cuts=on_canvas,
        )
        write_zeros(middle, landed, on_canvas)
        if element is not None:
            corner = tuple(
                line.on_canvas(i, 0) - o for line, i, o in zip(lines, element, origin, strict=True)
            )
            middle.outlines += _style.flat_outlines(corner, extent, canvas.shape, on_canvas)
        if cropped:
            middle.outlines += _style.flat_outlines(
                tuple(c.start for c in crop),
                tuple(c.stop - c.start for c in crop),
                canvas.shape,
                on_canvas,
                color=_style.ACCENT,
                dashed=True,
            )
        right = _style.value_panel(
            y,
            "y (the canvas cropped)",
            vmax=top,
            legend=False,
            origin=tuple(b.start for b in box),
            cuts=on_output,
        )
        if not done:
            _style.hatch_pending(right, np.zeros(y.shape, dtype=bool), on_output)
        kernel_panel = _style.kernel_panel(kernel)
        rows: list[list[Panel | None]] = (
            [[left, kernel_panel], [middle], [right]]  # 1-D: long rows, one above the other
            if geometry.ndim == 1
            else [[left, kernel_panel, middle, right]]
        )
        frames.append(
            Board(
                rows,
                title=_heading(subject, what, step),
                align_columns=False,
                cell=FRAME_CELL,
            )
        )

    empty = 0 * accumulated[0]
    start = "Start: an empty canvas (y hatched: not yet computed)"
    frame(start, empty, empty != 0, None, False, False)
    for n, element in enumerate(elements):
        value = _style.value_label(x[element])
        step = f"Stamp {n + 1}: x{position(element)} = {value} adds {value}·w"
        frame(step, accumulated[n], reached.steps[n][region], element, False, False)
    canvas, landed = steps.canvas[region], reached.canvas[region]
    n_in = int(np.prod(geometry.in_shape))
    if window is not None:
        step = f"All {n_in:,} stamps added (the others the same way)"
        frame(step, canvas, landed, None, False, False)
    frame(f"Crop: {crop_note(geometry)}; the window is y", canvas, landed, None, True, False)
    frame("The result y", canvas, landed, None, True, True)
    return frames


def _zero_insertion_frames(
    geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray, subject: str
) -> list[Board]:
    view = zero_insertion(geometry, x, kernel)
    extent = view.dilated_kernel.shape
    window = zoom.interior(geometry) if zoom.is_large(view.padded.shape) else None
    box = tuple(slice(0, n) for n in view.result.shape) if window is None else window.outputs
    grid = tuple(slice(b.start, b.stop + e - 1) for b, e in zip(box, extent, strict=True))
    padded, result = view.padded[grid], view.result[box]
    top = _style.scale(x, view.result)
    faces = _style.value_faces(padded, vmax=top)
    faces[~view.holds_input[grid]] = _style.INSERTED
    on_output = output_cuts(geometry, region=box)
    shown = visited(result.shape, on_output, MAX_FRAMES)  # in the box's own coordinates
    at_box = [tuple(i + b.start for i, b in zip(index, box, strict=True)) for index in shown]
    on_grid = inserted_cuts(geometry, at_box, grid)
    flipped = reversed_kernel_panel(geometry, view.dilated_kernel, "kernel, reversed")
    computed = np.zeros(result.shape, dtype=bool)
    what = "Zero insertion: the reversed kernel slides at stride 1"
    if zoomed := zoom.zoomed("y", box, view.result.shape):
        what += f" ({zoomed})"
    frames: list[Board] = []

    def frame(index: tuple[int, ...], caption: str) -> None:
        panel = _style.value_panel(
            padded,
            "zero-inserted input",
            faces=faces,
            origin=tuple(g.start for g in grid),
            cuts=on_grid,
        )
        panel.outlines += _style.flat_outlines(
            index, extent, padded.shape, on_grid, color=_style.ACCENT
        )
        so_far = _style.value_panel(
            result,
            "y so far (hatched: not yet computed)",
            vmax=top,
            legend=False,
            origin=tuple(b.start for b in box),
            cuts=on_output,
        )
        _style.hatch_pending(so_far, computed, on_output)
        so_far.outlines += _style.flat_outlines(
            index, (1,) * geometry.ndim, result.shape, on_output, color=_style.ACCENT
        )
        frames.append(
            Board(
                [[panel, flipped, so_far]],
                title=_heading(subject, what, ""),
                footer=caption,
                align_columns=False,
                cell=FRAME_CELL,
            )
        )

    for index, at in zip(shown, at_box, strict=True):
        under = padded[tuple(slice(i, i + e) for i, e in zip(index, extent, strict=True))]
        terms = window_sum(under, view.dilated_kernel, geometry, nonzero=True)
        computed[index] = True
        frame(index, f"y{position(at)} = {terms} = {_style.value_label(result[index])}")
    if len(shown) < result.size:  # the rest at once
        computed[...] = True
        last = tuple(n - 1 for n in result.shape)
        frame(last, f"… and {result.size - len(shown):,} more outputs: the whole y")
    return frames


def animate(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    *,
    mode: str = "scatter",
    duration: int = 900,
    dpi: float | None = None,
    subject: str = "",
) -> Animation:
    """Animate a single-channel problem in 1-D, 2-D or 3-D (the worked example by default).

    Every frame holds the same panels in the same places (the input with the element
    being stamped filled and outlined, the kernel in its tap colours, the canvas, and y
    hatched until it is computed), so the GIF never jumps; one value scale throughout.
    A large problem is animated through a zoom window (:mod:`tconvmat.plots.zoom`).

    Parameters
    ----------
    mode : {'scatter', 'zero-insertion'}
        ``'scatter'``: one frame per input element stamping its scaled kernel
        into the canvas, then the crop window, then the result.
        ``'zero-insertion'``: the reversed kernel sliding over the zero-inserted
        input, one frame per output, each with its sum of products.
    duration : int
        Milliseconds per frame (the last one shows three times as long).
    dpi : float, optional
        Resolution of the frames (default 110, as the figures; 10 to 600).
    subject : str
        A first title line on every frame (which channel pair of a layer is drawn).

    Examples
    --------
    >>> gif = animate().to_gif()
    >>> gif[:6], animate().to_gif() == gif
    (b'GIF89a', True)
    """
    from tconvmat.core import validation

    validation.choice("mode", mode, MODES)
    geometry, x, kernel = resolve(geometry, x, kernel)
    if not geometry.single_channel:
        raise ValueError(
            f"animate draws problems with one input and one output channel; this one has "
            f"{geometry.in_channels} → {geometry.out_channels} channels"
        )
    if x.dtype.kind not in "iuf" or kernel.dtype.kind not in "iuf":
        raise TypeError("animate draws numbers; give numeric input and kernel values")
    duration = validation.as_int("duration", duration)
    if not 20 <= duration <= 60_000:
        raise ValueError(f"duration ({duration} ms) must be between 20 and 60000")
    resolution = float(FRAME_DPI if dpi is None else dpi)
    if not MIN_DPI <= resolution <= MAX_DPI:
        raise ValueError(f"dpi ({resolution:g}) must be between {MIN_DPI} and {MAX_DPI}")
    draw = _scatter_frames if mode == "scatter" else _zero_insertion_frames
    with interpreted():  # an animation's numbers never wait for a compiled kernel to load
        frames = _render(draw(geometry, x, kernel, subject), resolution)
    durations = [duration] * (len(frames) - 1) + [3 * duration]
    return Animation(tuple(frames), tuple(durations))
