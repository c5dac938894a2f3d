"""The page's slider grid: every state computed by the engine when the page is written.

Each slider position (dimensions, input size, kernel size, stride, padding, dilation,
output_padding) is one square problem; the page holds all of them, so a slider step
needs no Python. States are grouped into chunks of one (dimensions, input size, kernel
size); each chunk is JSON with each repeated value once, gzip-compressed and base64-encoded
(:mod:`tconvmat.teaching.pages.packing`), and the browser unpacks a chunk the first time a slider
reaches it (``DecompressionStream``, built into every
current browser, nothing fetched). Invalid combinations hold the library's message.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.core import budget, rules
from tconvmat.core.axis import Axis
from tconvmat.problem import Problem, counting
from tconvmat.teaching.pages import cache
from tconvmat.teaching.pages.packing import pack, unpack
from tconvmat.teaching.pages.state import state

__all__ = ["DEFAULT_RANGES", "SLIDERS", "Grid", "key", "pack", "slider_values", "unpack"]

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

PAGE_BUDGET = 4_500_000
"""Bytes the packed slider states may take by default (the page's limit is 5 MB)."""
SHRINK_ORDER = {
    "input size": 0.3,
    "kernel size": 0.2,
    "stride": 0.1,
    "dilation": 0.05,
    "padding": 0.0,
    "output_padding": 0.0,
}
"""Tie-breaks when narrowing: the sliders that grow a state the most go first."""
_MINIMUM = {name: 0 if name in ("padding", "output_padding") else 1 for name in DEFAULT_RANGES}


def key(ndim: int, values: tuple[int, ...]) -> str:
    """A state's key: ``"2:3,2,2,1,1,0"`` (dimensions, then the slider values in order)."""
    return f"{ndim}:" + ",".join(map(str, values))


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
        dims: tuple[int, ...] | None = None,
        max_bytes: int = PAGE_BUDGET,
    ) -> Grid:
        """The sliders around a problem.

        Each range is the default one (or ``ranges[name]``); a problem value outside it
        moves the default window over to hold it. Without ``ranges``, windows are then
        narrowed, dropping the values farthest from the problem's, until the estimated
        page fits ``max_bytes``; explicit ``ranges`` are refused when they do not fit.
        ``dims`` defaults to 1-D and 2-D when the problem sits inside the default ranges,
        else to the problem's own number of dimensions.
        """
        start = slider_values(problem)
        if start is None:
            raise ValueError("sliders describe square problems with one value per parameter")
        if dims is None:
            inside = all(v in DEFAULT_RANGES[n] for n, v in zip(SLIDERS, start, strict=True))
            dims = (1, 2) if inside else (problem.geometry.ndim,)
        for d in dims:
            if d not in (1, 2):
                raise ValueError(f"sliders: dims {dims!r} must hold 1 and/or 2")
        chosen = dict(DEFAULT_RANGES)
        for name, values in (ranges or {}).items():
            if name not in DEFAULT_RANGES:
                raise ValueError(f"sliders: unknown slider {name!r}; the sliders are {SLIDERS}")
            chosen[name] = _as_range(name, values)
        for name, value in zip(SLIDERS, start, strict=True):
            r = chosen[name]
            if value not in r:
                low = max(_MINIMUM[name], value - len(r) // 2)
                chosen[name] = range(low, max(low + len(r), value + 1))
        grid = cls(problem, chosen, tuple(sorted({*dims, problem.geometry.ndim})))
        if ranges is None:
            grid = grid.fitted(max_bytes)
        if grid.estimated_bytes() > max_bytes:
            raise budget.SizeError(
                f"the page's slider grid would take about {grid.estimated_bytes():,} bytes, "
                f"above the page budget of {max_bytes:,}; narrow the slider ranges or leave "
                "the sliders out"
            )
        return grid

    def fitted(self, max_bytes: int) -> Grid:
        """This grid narrowed, value by value, until its estimated page fits ``max_bytes``."""
        start = dict(zip(SLIDERS, slider_values(self.problem) or (), strict=True))
        ranges = dict(self.ranges)
        grid = self
        while grid.estimated_bytes() > max_bytes:
            # the slider whose farthest value is farthest from the problem's, larger first
            name = max(
                (n for n in SLIDERS if len(ranges[n]) > 1),
                key=lambda n: max(abs(v - start[n]) for v in ranges[n]) + SHRINK_ORDER[n],
                default=None,
            )
            if name is None:
                break
            r = ranges[name]
            top_far = abs(r[-1] - start[name]) >= abs(r[0] - start[name])
            ranges[name] = range(r.start, r.stop - 1) if top_far else range(r.start + 1, r.stop)
            grid = Grid(self.problem, dict(ranges), self.dims)
        return grid

    def positions(self) -> Iterator[tuple[int, tuple[int, ...]]]:
        """Every (dimensions, slider values) of the grid."""
        for ndim in self.dims:
            for values in itertools.product(*(self.ranges[name] for name in SLIDERS)):
                yield ndim, values

    def estimated_bytes(self) -> int:
        """About how many bytes the packed states take (fitted on the default grid).

        Counted from the sizes alone (:mod:`tconvmat.core.axis`), before any state is built:
        an output costs about 10 bytes packed and a stored entry of C (a term of a sum)
        about 14, plus about 30 per state (measured on the default grid and on 8×8; large
        states compress less well than small ones, so the estimate errs high for small).
        """
        total = 0.0
        for ndim in self.dims:
            for values in itertools.product(*(self.ranges[name] for name in SLIDERS)):
                length, entries = _axis_sizes(*values)
                total += 30 + 10 * length**ndim + 14 * entries**ndim
        return int(total)

    def problem_at(
        self, ndim: int, values: tuple[int, ...], arrays: tuple[Any, Any] | None = None
    ) -> Problem:
        """The problem at one slider position (raises the library's error if invalid).

        ``arrays`` is :meth:`arrays_at` of its dimensions and sizes, when the caller has it.
        """
        n, k, s, p, d, op = values
        x, kernel = self.arrays_at(ndim, n, k) if arrays is None else arrays
        return Problem.build(x, kernel, stride=s, padding=p, dilation=d, output_padding=op)

    def arrays_at(self, ndim: int, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Input and kernel at a slider position: the problem's own where the shapes fit,
        else counting numbers 1, 2, 3, … (fixed: every state of a chunk shares them)."""
        base = self.problem
        x = base.x if base.x.shape == (n,) * ndim else counting((n,) * ndim)
        kernel = base.kernel if base.kernel.shape == (k,) * ndim else counting((k,) * ndim)
        for array in (x, kernel):
            if array is not base.x and array is not base.kernel:
                array.flags.writeable = False
        return x, kernel

    def chunks(self) -> tuple[dict[str, str], set[tuple[int, ...]]]:
        """Chunk name (``"2:3,2"``: dimensions, input size, kernel size) → packed states.

        Also returns the shapes of every x, kernel and y (their position names are
        stored once per page). Chunks come from the disk cache
        (:mod:`tconvmat.teaching.pages.cache`) when this version of tconvmat computed them before.
        """
        groups: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for ndim, values in self.positions():
            groups.setdefault(key(ndim, values[:2]), []).append((ndim, values))
        chunks: dict[str, str] = {}
        shapes: set[tuple[int, ...]] = set()
        with _no_cycle_collection():
            for name, members in groups.items():
                packed, found = self._chunk(name, members)
                chunks[name] = packed
                shapes.update(tuple(s) for s in found)
        return chunks, shapes

    def _chunk(
        self, name: str, members: list[tuple[int, tuple[int, ...]]]
    ) -> tuple[str, list[list[int]]]:
        ndim, (n, k) = members[0][0], members[0][1][:2]
        base = self.problem
        what = {
            "chunk": name,
            "ranges": [[r.start, r.stop] for n_, r in self.ranges.items() if n_ in SLIDERS[2:]],
            "x": base.x.tolist() if base.x.shape == (n,) * ndim else "counting",
            "kernel": base.kernel.tolist() if base.kernel.shape == (k,) * ndim else "counting",
            "dtypes": [str(base.x.dtype), str(base.kernel.dtype)],
        }
        cached = cache.load(what)
        if cached is not None:
            try:
                entry = json.loads(cached)
                return str(entry["packed"]), [list(s) for s in entry["shapes"]]
            except (ValueError, KeyError, TypeError):  # a damaged entry: computed again
                pass
        states: dict[str, Any] = {}
        shapes: set[tuple[int, ...]] = set()
        arrays = self.arrays_at(ndim, n, k)
        for position in members:
            try:
                found = state(self.problem_at(*position, arrays))
            except (ValueError, TypeError) as error:
                found = {"error": f"Not a valid transposed convolution: {error}"}
            else:
                shapes.update(tuple(found["shape"][v]) for v in ("x", "kernel", "y"))
            states[key(*position)] = found
        packed = pack(states)
        cache.store(what, json.dumps({"packed": packed, "shapes": sorted(shapes)}))
        return packed, [list(s) for s in sorted(shapes)]

    def describe(self) -> dict[str, Any]:
        """The sliders for the page: names, ranges, and where they start."""
        start = slider_values(self.problem)
        return {
            "names": list(SLIDERS),
            "ranges": [[self.ranges[n].start, self.ranges[n].stop - 1] for n in SLIDERS],
            "dims": list(self.dims),
            "start": None if start is None else [self.problem.geometry.ndim, *start],
        }


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while the states are built.

    States are plain lists, dicts and strings without cycles, hundreds of thousands of
    them: the collector would walk them again and again and free nothing (about a tenth
    of the time). Reference counting still frees everything as usual.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


@functools.lru_cache(maxsize=65536)
def _axis_sizes(n: int, k: int, s: int, p: int, d: int, op: int) -> tuple[int, int]:
    """Output length and stored entries of one axis; (0, 0) where the geometry is invalid.

    The sliders' values are integers in range, so a geometry refuses only an
    output_padding beyond the rule and an output shorter than 1 (checked here alone).
    """
    line = Axis(n, k, s, d, rules.pytorch_crops((p, p), op))
    if op >= rules.output_padding_limit(s, d) or line.output_length < 1:
        return 0, 0
    low, high = line.tap_range()
    return line.output_length, int(np.sum(high - low))


def _as_range(name: str, values: Any) -> range:
    try:
        low, high = (int(v) for v in (values[0], values[-1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(
            f"sliders: {name} takes a range of integers such as range(1, 6), got {values!r}"
        ) from None
    minimum = _MINIMUM[name]
    if low < minimum or high < low:
        raise ValueError(
            f"sliders: {name} from {low} to {high}; it must start at {minimum} or above and "
            "not end below its start"
        )
    return range(low, high + 1)
