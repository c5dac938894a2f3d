"""The one palette of tconvmat's pictures: static figures, GIF frames and the HTML page.

Every colour has one meaning across the whole figure set, so a reader who learnt
"light blue is tap w[0,0]" in the matrix figure never meets light blue meaning
something else in the next figure:

- **kernel taps**: pastel colours (Paul Tol's colour-blind-safe "light" scheme,
  its pale grey replaced by lavender: grey means a state, never a tap), dark text on
  top; beyond nine taps, pastel hues spread round the colour wheel (successive taps
  far apart). Figures write each tap's value or index on it, so no reader depends
  on telling two taps apart by colour alone.
- **output phases** (polyphase): dark, saturated colours with white text, none of
  them a tap colour; beyond eight phases, samples of magma's dark half. A tap drawn
  along one axis of an N-D kernel (a kernel row, numbered) is dark slate.
- **values**: the viridis ramp (from 15 % to 95 %, so the lowest value is not
  black and the highest not pale), by magnitude; zero is white.
- **states of a cell**: white = empty or zero, light grey = an inserted zero or a
  cropped cell, mid grey = a tap the padding crops away, a light hatch = not yet
  computed (animations), red = the window, crop or element being pointed at,
  black = an outline of the stamp or row in question.
- **lines** (signals in 1-D plots): Okabe and Ito's colour-blind-safe set.

Only numpy is needed here (no matplotlib), so the page and Pillow-drawn frames
share the exact colours of the figures.

Examples
--------
>>> tap_colors(2)
['#77AADD', '#EE8866']
>>> value_hex(0.0, 10.0), value_hex(10.0, 10.0)
('#FFFFFF', '#DFE318')
>>> set(tap_colors(9)).isdisjoint(phase_colors(8))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "ACCENT",
    "AXIS_TAP",
    "CELL_BORDER",
    "CROPPED",
    "EMPTY",
    "GRID",
    "HIGHLIGHT",
    "INSERTED",
    "LINES",
    "NOTE",
    "PENDING",
    "PENDING_HATCH",
    "PHASES",
    "TAPS",
    "VALUE_STOPS",
    "css_variables",
    "hex_to_rgb",
    "phase_colors",
    "tap_colors",
    "text_color",
    "value_hex",
    "value_rgb",
]

TAPS = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#BB99DD",
)
"""Kernel taps, in row-major tap order (Paul Tol's "light" scheme, lavender for its grey)."""

PHASES = (
    "#332288",
    "#117733",
    "#882255",
    "#997700",
    "#AA4499",
    "#225555",
    "#555555",
    "#661100",
)
"""Output phases of the polyphase view, in row-major phase order (dark; white text)."""

AXIS_TAP = "#3D5A80"
"""A kernel tap drawn along one axis of an N-D kernel (a whole kernel row, numbered), so
never one tap's colour (white text)."""

EMPTY = "#FFFFFF"
"""An empty cell, or a value of zero."""
INSERTED = "#E4E4E4"
"""A zero inserted between inputs, or a cell the padding crops from the output."""
CROPPED = "#A8A8A8"
"""A kernel tap that lands in the cropped border."""
PENDING = "#F2F2F2"
"""A cell not yet computed (animations); drawn with :data:`PENDING_HATCH` lines on top."""
PENDING_HATCH = "#A8A8A8"
GRID = "#888888"
"""Heavier lines between the rows of a flattened grid; legend edges."""
CELL_BORDER = "#CCCCCC"
"""Thin lines between cells."""
HIGHLIGHT = "#000000"
"""The outline of the stamp, row or column in question."""
ACCENT = "#CC3311"
"""The window, crop or element being pointed at (Tol's vibrant red)."""
NOTE = "#555555"
"""A note on a figure: the ``⋯`` of a break in an elided grid and how many cells it skips."""

LINES = {"reference": "#000000", "transposed": "#E69F00", "least_squares": "#0072B2"}
"""Line colours of signal plots (Okabe and Ito)."""

VALUE_STOPS = (
    "#463480",
    "#414487",
    "#3B528B",
    "#355F8D",
    "#2F6C8E",
    "#2A788E",
    "#25848E",
    "#21918C",
    "#1E9C89",
    "#22A884",
    "#2FB47C",
    "#44BF70",
    "#5EC962",
    "#7AD151",
    "#9BD93C",
    "#BDDF26",
    "#DFE318",
)
"""Viridis from 15 % to 95 %, evenly spaced: a value's colour by ``|value| / top``."""

_PHASE_FALLBACK = ("#140E36", "#3B0F70", "#641A80", "#8C2981", "#B73779")  # magma 10-50 %


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``'#77AADD'`` → ``(119, 170, 221)``."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _ramp(stops: tuple[str, ...], fractions: np.ndarray) -> np.ndarray:
    """Linear interpolation in RGB between evenly spaced stops: (..., 3) floats 0-255."""
    table = np.array([hex_to_rgb(c) for c in stops], dtype=float)
    where = np.clip(fractions, 0.0, 1.0) * (len(stops) - 1)
    low = np.minimum(np.floor(where).astype(int), len(stops) - 2)
    share = (where - low)[..., None]
    return table[low] * (1 - share) + table[low + 1] * share


def _hex(rgb: np.ndarray) -> str:
    r, g, b = (round(float(c)) for c in rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def _sampled(fixed: tuple[str, ...], fallback: tuple[str, ...], count: int) -> list[str]:
    if count <= len(fixed):
        return list(fixed[:count])
    fractions = np.linspace(0.0, 1.0, count)
    return [_hex(rgb) for rgb in _ramp(fallback, fractions)]


def _pastel_wheel(count: int) -> list[str]:
    """``count`` pastel hues, each the golden angle round the wheel from the one before."""
    import colorsys

    golden = (5**0.5 - 1) / 2
    hues = [(0.58 + n * golden) % 1.0 for n in range(count)]
    return [_hex(np.array(colorsys.hsv_to_rgb(h, 0.42, 0.95)) * 255) for h in hues]


def tap_colors(count: int) -> list[str]:
    """One colour per kernel tap (pastel; beyond nine, pastel hues round the wheel).

    No tap colour is grey (grey marks inserted zeros and cropped cells), and every
    one takes dark text.

    >>> len(tap_colors(16)), tap_colors(16)[:2]
    (16, ['#8DC1F2', '#DFF28D'])
    >>> {text_color(c) for c in tap_colors(25)}
    {'black'}
    """
    return list(TAPS[:count]) if count <= len(TAPS) else _pastel_wheel(count)


def phase_colors(count: int) -> list[str]:
    """One colour per output phase (dark, saturated; never a tap colour).

    >>> phase_colors(4)
    ['#332288', '#117733', '#882255', '#997700']
    """
    return _sampled(PHASES, _PHASE_FALLBACK, count)


def value_rgb(values: Any, top: float) -> np.ndarray:
    """RGB (0-255 floats, shape ``values.shape + (3,)``) of values on the value ramp.

    ``|value| / top`` picks the colour; zeros are white; NaN and ±inf take the top colour.
    """
    values = np.asarray(values, dtype=float)
    fractions = np.nan_to_num(np.abs(values) / max(float(top), 1e-12), nan=1.0, posinf=1.0)
    rgb = _ramp(VALUE_STOPS, fractions)
    rgb[values == 0] = hex_to_rgb(EMPTY)
    return rgb


def value_hex(value: float, top: float) -> str:
    """The colour of one value, as ``#RRGGBB``."""
    return _hex(value_rgb(np.array([value]), top)[0])


def text_color(face: str) -> str:
    """``'black'`` or ``'white'``, whichever reads better on ``face`` (``#RRGGBB``).

    >>> text_color("#77AADD"), text_color("#332288")
    ('black', 'white')
    """
    r, g, b = hex_to_rgb(face)
    return "black" if (0.299 * r + 0.587 * g + 0.114 * b) / 255 > 0.5 else "white"


def css_variables() -> str:
    """The palette as CSS custom properties (``--tap-0``, ``--phase-0``, ``--value-0``, …)."""
    named = {
        "empty": EMPTY,
        "inserted": INSERTED,
        "cropped": CROPPED,
        "pending": PENDING,
        "grid": GRID,
        "cell-border": CELL_BORDER,
        "highlight": HIGHLIGHT,
        "accent": ACCENT,
    }
    lines = [f"--{name}: {color};" for name, color in named.items()]
    for kind, colors in (("tap", TAPS), ("phase", PHASES), ("value", VALUE_STOPS)):
        lines += [f"--{kind}-{i}: {color};" for i, color in enumerate(colors)]
    return ":root { " + " ".join(lines) + " }"
