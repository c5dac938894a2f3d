"""Transposed convolution in motion: the scatter stamp by stamp, or the kernel sliding.

Frames are drawn with tconvmat's figure style and assembled into a GIF by
Pillow. The same arguments give the same bytes.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tconvmat.anatomy import scatter_steps, zero_insertion
from tconvmat.api import ConvTranspose
from tconvmat.plots import _style
from tconvmat.plots._defaults import position, resolve
from tconvmat.plots._figure import TconvFigure, new_figure

__all__ = ["MODES", "Animation", "animate"]

MODES = ("scatter", "zero-insertion")
MAX_FRAMES = 30
"""Longer animations show the first stamps (or outputs) one by one, then the rest at once."""
FRAME_DPI = 80


@dataclass(frozen=True, eq=False)
class Animation:
    """Frames (PNG bytes) and how long each shows; a GIF in Jupyter and on disk."""

    frames: tuple[bytes, ...]
    durations: tuple[int, ...]

    def to_gif(self) -> bytes:
        """The animation as GIF bytes (Pillow; each frame with its own adaptive palette)."""
        from PIL import Image

        images = [
            Image.open(io.BytesIO(frame))
            .convert("RGB")
            .convert("P", palette=Image.Palette.ADAPTIVE, colors=255)
            for frame in self.frames
        ]
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


def _render(figure: TconvFigure) -> bytes:
    return figure.to_bytes("png", dpi=FRAME_DPI)


def _as_grid(array: np.ndarray) -> np.ndarray:
    return np.atleast_2d(array)


def _scatter_frames(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray) -> list[bytes]:
    steps = scatter_steps(geometry, x, kernel, max_steps=MAX_FRAMES - 3)
    accumulated, lines = steps.accumulated, geometry.axes
    vmax = float(np.max(np.abs(steps.canvas))) or 1.0
    elements = list(np.ndindex(*geometry.in_shape))
    shown = elements[: MAX_FRAMES - 3]
    canvas_shape = _as_grid(steps.canvas).shape
    width = 3.2 + 0.55 * (_as_grid(x).shape[1] + canvas_shape[1])
    height = 2.2 + 0.55 * max(canvas_shape[0], _as_grid(x).shape[0])
    frames = []

    def frame(title: str, canvas: np.ndarray, element: tuple[int, ...] | None, crop: bool) -> None:
        with _style.style():
            figure = new_figure(max(8.0, width), max(4.0, height))
            left, right = figure.subplots(
                1, 2, width_ratios=[_as_grid(x).shape[1], canvas_shape[1]]
            )
            faces = _style.value_faces(_as_grid(x))
            if element is not None:
                faces[(0, *element) if geometry.ndim == 1 else element] = _style.ACCENT
            _style.draw_values(left, _as_grid(x), "input x", faces=faces)
            _style.draw_values(right, _as_grid(canvas), "canvas", vmax=vmax, show_zero=False)
            if element is not None:
                starts = [line.on_canvas(i, 0) for line, i in zip(lines, element, strict=True)]
                extents = [line.extent for line in lines]
                if geometry.ndim == 1:
                    starts, extents = [0, *starts], [1, *extents]
                _style.outline(right, starts[0], starts[1], extents[0], extents[1])
            if crop:
                window = steps.window if geometry.ndim == 2 else (slice(0, 1), *steps.window)
                _style.outline(
                    right,
                    window[0].start,
                    window[1].start,
                    window[0].stop - window[0].start,
                    window[1].stop - window[1].start,
                    edgecolor=_style.ACCENT,
                    linestyle="--",
                )
            figure.suptitle(title)
        frames.append(_render(figure))

    frame("Start: an empty canvas", np.zeros_like(steps.canvas), None, False)
    for n, element in enumerate(shown):
        value = _style.value_label(x[element])
        frame(
            f"Stamp {n + 1}: x{position(element)} = {value} adds {value}·w",
            accumulated[n],
            element,
            False,
        )
    if len(shown) < len(elements):
        frame(f"… and {len(elements) - len(shown)} more stamps", steps.canvas, None, False)
    frame("Crop the padding (dashed): the window is y", steps.canvas, None, True)
    frame("The result y", steps.result, None, False)
    return frames


def _zero_insertion_frames(
    geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray
) -> list[bytes]:
    view = zero_insertion(geometry, x, kernel)
    padded, reversed_kernel = _as_grid(view.padded), _as_grid(view.dilated_kernel)
    result = _as_grid(view.result)
    faces = _style.value_faces(padded, vmax=float(np.max(np.abs(x))) or 1.0)
    faces[~_as_grid(view.holds_input)] = _style.INSERTED
    outputs = list(np.ndindex(*result.shape))
    shown = outputs[: MAX_FRAMES - 1] if len(outputs) > MAX_FRAMES else outputs
    vmax = float(np.max(np.abs(result))) or 1.0
    frames = []

    def frame(done: np.ndarray, r: int, c: int, caption: str) -> None:
        with _style.style():
            columns = padded.shape[1] + reversed_kernel.shape[1] + result.shape[1]
            figure = new_figure(
                max(10.0, 4.5 + 0.55 * columns), max(5.0, 3.4 + 0.55 * padded.shape[0])
            )
            left, middle, right = figure.subplots(
                1, 3, width_ratios=[padded.shape[1], reversed_kernel.shape[1], result.shape[1]]
            )
            _style.draw_values(left, padded, "zero-inserted input", faces=faces)
            _style.outline(left, r, c, *reversed_kernel.shape, edgecolor=_style.ACCENT)
            _style.draw_values(middle, reversed_kernel, "kernel, reversed", show_zero=False)
            _style.draw_values(right, done, "y so far", vmax=vmax, show_zero=False)
            _style.outline(right, r, c, 1, 1, edgecolor=_style.ACCENT)
            figure.suptitle("Zero insertion: the reversed kernel slides at stride 1")
            figure.supxlabel(caption)
        frames.append(_render(figure))

    for n, (r, c) in enumerate(shown):
        window = padded[r : r + reversed_kernel.shape[0], c : c + reversed_kernel.shape[1]]
        terms = (
            " + ".join(
                f"{_style.value_label(a)}·{_style.value_label(b)}"
                for a, b in zip(window.reshape(-1), reversed_kernel.reshape(-1), strict=True)
                if a != 0
            )
            or "0"
        )
        done = np.zeros_like(result)
        done.reshape(-1)[: n + 1] = result.reshape(-1)[: n + 1]
        index = (c,) if geometry.ndim == 1 else (r, c)
        frame(done, r, c, f"y{position(index)} = {terms} = {_style.value_label(result[r, c])}")
    if len(shown) < len(outputs):  # the rest at once
        r, c = outputs[-1]
        frame(result, r, c, f"… and {len(outputs) - len(shown)} more outputs: the whole y")
    return frames


def animate(
    geometry: ConvTranspose | None = None,
    x: Any = None,
    kernel: Any = None,
    *,
    mode: str = "scatter",
    duration: int = 900,
) -> Animation:
    """Animate a 1-D or 2-D single-channel problem (the worked example by default).

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
    if geometry.ndim > 2 or not geometry.single_channel:
        raise ValueError(
            f"animate draws 1-D and 2-D problems with one channel; this one is "
            f"{geometry.ndim}-D with {geometry.in_channels} → {geometry.out_channels} channels"
        )
    if x.dtype.kind not in "iuf" or kernel.dtype.kind not in "iuf":
        raise TypeError("animate draws numbers; give numeric input and kernel values")
    duration = _validate.as_int("duration", duration)
    if not 20 <= duration <= 60_000:
        raise ValueError(f"duration ({duration} ms) must be between 20 and 60000")
    draw = _scatter_frames if mode == "scatter" else _zero_insertion_frames
    frames = draw(geometry, x, kernel)
    durations = [duration] * (len(frames) - 1) + [3 * duration]
    return Animation(tuple(frames), tuple(durations))
