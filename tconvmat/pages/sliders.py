"""The page's slider grid: every state computed by the engine when the page is written.

Each slider position (dimensions, input size, kernel size, stride, padding, dilation,
output_padding) is one square problem; the page holds all of them, so a slider step
needs no Python. States are grouped into chunks of one (dimensions, input size, kernel
size); each chunk is JSON, gzip-compressed and base64-encoded, and the browser unpacks
a chunk the first time a slider reaches it (``DecompressionStream``, built into every
current browser, nothing fetched). Invalid combinations hold the library's message.
"""

from __future__ import annotations

import base64
import gzip
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from tconvmat import axis, budget
from tconvmat.api import ConvTranspose
from tconvmat.pages.state import state
from tconvmat.problem import Problem, counting

__all__ = ["DEFAULT_RANGES", "SLIDERS", "Grid", "key", "slider_values"]

SLIDERS = ("input size", "kernel size", "stride", "padding", "dilation", "output_padding")
"""The sliders, in the page's order; a state's key lists its values in this order."""

DEFAULT_RANGES: dict[str, range] = {
    "input size": range(1, 6),
    "kernel size": range(1, 5),
    "stride": range(1, 4),
    "padding": range(0, 3),
    "dilation": range(1, 3),
    "output_padding": range(0, 3),
}
"""Slider ranges (each widened to hold the problem's own value), for 1-D and 2-D."""

MAX_STATES = 20_000
"""Most slider positions one page holds (each is one problem the engine works out)."""
MAX_OUTPUTS = 2_000_000
"""Most output elements summed over the states, checked before any state is computed."""


def key(ndim: int, values: tuple[int, ...]) -> str:
    """A state's key: ``"2:3,2,2,1,1,0"`` (dimensions, then the slider values in order)."""
    return f"{ndim}:" + ",".join(str(v) for v in values)


def slider_values(problem: Problem) -> tuple[int, ...] | None:
    """The slider position of a problem, or None when sliders cannot describe it.

    Sliders describe square problems with one value per parameter and the same
    padding on both sides, PyTorch's conventions (no flipped kernel).

    Examples
    --------
    >>> slider_values(Problem.build())
    (3, 2, 2, 1, 1, 0)
    >>> slider_values(Problem.build(input_shape=(3, 4))) is None
    True
    """
    g = problem.geometry
    per_axis = (
        g.in_shape,
        g.kernel_shape,
        g.stride,
        tuple(lo for lo, _ in g.padding),
        g.dilation,
        g.output_padding,
    )
    if g.flip_kernel or any(lo != hi for lo, hi in g.padding):
        return None
    if any(len(set(values)) != 1 for values in per_axis):
        return None
    return tuple(int(values[0]) for values in per_axis)


@dataclass(frozen=True)
class Grid:
    """The slider positions of one page, around one problem.

    Attributes
    ----------
    problem : Problem
        Where the sliders start; states with its input and kernel shapes use its values,
        the others counting numbers 1, 2, 3, …
    ranges : dict
        Slider name → range of values (the same for 1-D and 2-D).
    dims : tuple of int
        The numbers of spatial dimensions the page offers.
    """

    problem: Problem
    ranges: Mapping[str, range]
    dims: tuple[int, ...] = (1, 2)

    @classmethod
    def around(
        cls,
        problem: Problem,
        ranges: Mapping[str, Any] | None = None,
        dims: tuple[int, ...] = (1, 2),
    ) -> Grid:
        """The default ranges (or ``ranges``), each widened to hold the problem's value."""
        chosen = dict(DEFAULT_RANGES)
        for name, values in (ranges or {}).items():
            if name not in DEFAULT_RANGES:
                raise ValueError(f"sliders: unknown slider {name!r}; the sliders are {SLIDERS}")
            values = range(values.start, values.stop) if isinstance(values, range) else values
            chosen[name] = _as_range(name, values)
        start = slider_values(problem)
        if start is not None:
            for name, value in zip(SLIDERS, start, strict=True):
                r = chosen[name]
                chosen[name] = range(min(r.start, value), max(r.stop, value + 1))
        for d in dims:
            if d not in (1, 2):
                raise ValueError(f"sliders: dims {dims!r} must hold 1 and/or 2")
        return cls(problem, chosen, tuple(sorted(set(dims))))

    def positions(self) -> Iterator[tuple[int, tuple[int, ...]]]:
        """Every (dimensions, slider values) of the grid."""
        for ndim in self.dims:
            for values in itertools.product(*(self.ranges[name] for name in SLIDERS)):
                yield ndim, values

    def check_size(self, limit: Any = None) -> None:
        """Refuse, before any state is computed, a grid too large for one page."""
        count = sum(1 for _ in self.positions())
        budget.check(
            "the page's slider grid",
            count,
            "elements",
            "states",
            limit if limit is not None else MAX_STATES,
            "narrow the slider ranges (sliders={...}) or leave the sliders out",
        )
        outputs = 0
        for ndim, (n, k, s, p, d, op) in self.positions():
            length = axis.output_length(n, k, s, d, axis.pytorch_crop((p, p), op))
            outputs += max(length, 0) ** ndim
        budget.check(
            "the page's slider grid",
            outputs,
            "elements",
            "output elements",
            MAX_OUTPUTS,
            "narrow the slider ranges (sliders={...}) or leave the sliders out",
        )

    def problem_at(self, ndim: int, values: tuple[int, ...]) -> Problem:
        """The problem at one slider position (raises the library's error if invalid)."""
        n, k, s, p, d, op = values
        geometry = ConvTranspose((n,) * ndim, (k,) * ndim, s, p, d, op)
        base = self.problem
        x = base.x if base.x.shape == geometry.in_shape else counting(geometry.in_shape)
        same_kernel = base.kernel.shape == geometry.kernel_shape
        kernel = base.kernel if same_kernel else counting(geometry.kernel_shape)
        return Problem(geometry, x, kernel)

    def chunks(self) -> tuple[dict[str, str], set[tuple[int, ...]]]:
        """Chunk name (``"2:3,2"``: dimensions, input size, kernel size) → packed states.

        Also returns the shapes of every x, kernel and y (their position names are
        stored once per page).
        """
        groups: dict[str, dict[str, Any]] = {}
        shapes: set[tuple[int, ...]] = set()
        for ndim, values in self.positions():
            try:
                found = state(self.problem_at(ndim, values))
            except (ValueError, TypeError) as error:
                found = {"error": f"Not a valid transposed convolution: {error}"}
            else:
                shapes.update(tuple(found["shape"][v]) for v in ("x", "kernel", "y"))
            groups.setdefault(key(ndim, values[:2]), {})[key(ndim, values)] = found
        return {name: pack(states) for name, states in groups.items()}, shapes

    def describe(self) -> dict[str, Any]:
        """The sliders for the page: names, ranges, and where they start."""
        start = slider_values(self.problem)
        return {
            "names": list(SLIDERS),
            "ranges": [[self.ranges[n].start, self.ranges[n].stop - 1] for n in SLIDERS],
            "dims": list(self.dims),
            "start": None if start is None else [self.problem.geometry.ndim, *start],
        }


def _as_range(name: str, values: Any) -> range:
    try:
        low, high = (int(v) for v in (values[0], values[-1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(
            f"sliders: {name} takes a range of integers such as range(1, 6), got {values!r}"
        ) from None
    minimum = 0 if name in ("padding", "output_padding") else 1
    if low < minimum or high < low:
        raise ValueError(
            f"sliders: {name} from {low} to {high}; it must start at {minimum} or above and "
            "not end below its start"
        )
    return range(low, high + 1)


def pack(value: Any) -> str:
    """JSON, gzip (no timestamp, so the same page gives the same bytes), base64."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 6, mtime=0)).decode("ascii")


def unpack(text: str) -> Any:
    """The inverse of :func:`pack` (for tests and scripts)."""
    return json.loads(gzip.decompress(base64.b64decode(text)).decode("utf-8"))
