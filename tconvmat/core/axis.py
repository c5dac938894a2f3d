"""One axis of a transposed convolution: the index arithmetic, in one place.

Per spatial axis, with input length ``I``, kernel length ``k``, stride ``s``,
dilation ``d`` and crops ``(lo, hi)``, the uncropped scatter is::

    full[i*s + j*d] += x[i] * w[j]          length L = (I - 1)*s + d*(k - 1) + 1

and the output is ``full[lo : L - hi]`` (a negative crop extends by zeros).
So input element ``i`` meets kernel tap ``j`` at output index
``t = i*s + j*d - lo`` (:meth:`Axis.landing`), and output ``t`` reads input
``i = (t + lo - j*d) / s`` wherever that is an integer (:meth:`Axis.source`).
Every view of tconvmat (the sparse and symbolic matrices, the routes, the
general term, the figures, the explanation) takes its indices from here.

The functions are plain integer arithmetic and also accept SymPy expressions
where noted, so the symbolic size formulas are these same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Axis",
    "AxisPhase",
    "CanvasAxis",
    "extent",
    "forward_count",
    "forward_length",
    "full_length",
    "output_length",
    "phase_tap_counts",
    "phase_taps",
    "zero_insertion_padding",
]


def extent(kernel_len: Any, dilation: Any) -> Any:
    """Span ``d·(k − 1) + 1`` of a dilated kernel (numbers or SymPy expressions).

    Examples
    --------
    >>> extent(3, 2)
    5
    """
    return dilation * (kernel_len - 1) + 1


def full_length(in_len: Any, kernel_len: Any, stride: Any, dilation: Any) -> Any:
    """Length ``(I − 1)·s + d·(k − 1) + 1`` of the uncropped scatter on one axis.

    Examples
    --------
    >>> full_length(3, 2, stride=2, dilation=1)
    6
    """
    return (in_len - 1) * stride + extent(kernel_len, dilation)


def output_length(
    in_len: Any, kernel_len: Any, stride: Any, dilation: Any, crop: tuple[Any, Any]
) -> Any:
    """Output length ``L − crop_lo − crop_hi`` on one axis (may be <= 0 if invalid).

    Examples
    --------
    >>> output_length(3, 2, stride=2, dilation=1, crop=(1, 1))
    4
    """
    return full_length(in_len, kernel_len, stride, dilation) - crop[0] - crop[1]


def zero_insertion_padding(extent: int, crop: tuple[int, int]) -> tuple[int, int]:
    """Padding ``(e − 1 − lo, e − 1 − hi)`` of the zero-inserted input that gives ``crop``.

    A stride-1 correlation of the zero-inserted input padded so, with the reversed
    kernel, is the transposed convolution cropped so. The relation is its own
    inverse: the crops of a padding are the same formula.

    Examples
    --------
    >>> zero_insertion_padding(3, (1, 0)), zero_insertion_padding(3, (1, 2))
    ((1, 2), (1, 0))
    """
    return extent - 1 - crop[0], extent - 1 - crop[1]


def forward_count(
    size: Any, kernel_len: Any, stride: Any, dilation: Any, padding: tuple[Any, Any] = (0, 0)
) -> Any:
    """``⌊(size + p_lo + p_hi − d·(k − 1) − 1) / s⌋ + 1``: windows of the forward convolution.

    Works on SymPy expressions (``//`` becomes ``floor``); see :func:`forward_length`
    for the checked integer version.

    Examples
    --------
    >>> forward_count(8, 3, 2, 1, (1, 1))
    4
    """
    return (size + padding[0] + padding[1] - extent(kernel_len, dilation)) // stride + 1


def forward_length(
    size: int, kernel_len: int, stride: int, dilation: int, padding: tuple[int, int] = (0, 0)
) -> tuple[int, int]:
    """Output length of the forward convolution on one axis, and the positions it never reads.

    :func:`forward_count` windows fit; the remainder of the division is how
    many trailing padded positions no window reaches (0 length when the padded
    input is shorter than the dilated kernel).

    Examples
    --------
    >>> forward_length(8, 3, stride=2, dilation=1, padding=(1, 1))
    (4, 1)
    """
    span = size + padding[0] + padding[1] - extent(kernel_len, dilation)
    if span < 0:
        return 0, 0
    return forward_count(size, kernel_len, stride, dilation, padding), span % stride


def phase_taps(kernel_len: int, stride: int, dilation: int, residue: int) -> np.ndarray:
    """The taps ``j`` with ``j·d ≡ residue (mod s)``: those that reach one output phase.

    Output ``t`` receives tap ``j`` exactly when ``t + crop_lo − j·d`` is a multiple
    of ``s``, so the residue of ``t + crop_lo`` picks the sub-kernel. With ``g = gcd(d, s)``
    they are ``j ≡ (r/g)·(d/g)⁻¹ (mod s/g)`` (none unless ``g`` divides ``r``): found in
    work that grows with the taps found, never with the stride or the kernel.

    >>> phase_taps(3, 2, 1, 0).tolist(), phase_taps(3, 2, 1, 1).tolist(), phase_taps(9, 6, 4, 2)
    ([0, 2], [1], array([2, 5, 8]))
    """
    g, r = int(np.gcd(dilation, stride)), int(residue) % stride
    period = stride // g
    first = (r // g) * pow(dilation // g, -1, period) % period
    return np.arange(first, kernel_len, period, dtype=np.int64)[: None if r % g == 0 else 0]


def phase_tap_counts(kernel_len: int, stride: int, dilation: int = 1) -> tuple[int, ...]:
    """How many taps each residue ``(t + crop_lo) mod s`` receives away from the borders.

    Examples
    --------
    >>> phase_tap_counts(3, 2), phase_tap_counts(3, 2, dilation=2)
    ((2, 1), (3, 0))
    """
    residues = (np.arange(kernel_len, dtype=np.int64) * dilation) % stride
    return tuple(np.bincount(residues, minlength=stride).tolist())


@dataclass(frozen=True)
class CanvasAxis:
    """Where the uncropped scatter sits on a canvas that also holds zero-extensions.

    Attributes
    ----------
    length : int
        Canvas length: the uncropped scatter plus any zero-extension.
    origin : int
        Canvas index of uncropped position 0 (where input 0's tap 0 lands).
    window : slice
        The canvas slice that is the output.
    """

    length: int
    origin: int
    window: slice


@dataclass(frozen=True)
class AxisPhase:
    """One output phase of one axis: outputs ``first, first + s, first + 2s, ...``.

    Output ``m`` of the phase (global index ``first + s*m``) equals
    ``sum_n w[taps[n]] * x[m - shifts[n]]`` over valid input indices: a stride-1
    correlation with the sub-kernel ``taps``.
    """

    first: int
    count: int
    taps: np.ndarray
    shifts: np.ndarray


@dataclass(frozen=True)
class Axis:
    """The parameters of one spatial axis and every index fact derived from them.

    Examples
    --------
    >>> axis = Axis(size=3, kernel=2, stride=2, dilation=1, crop=(1, 1))
    >>> axis.full_length, axis.output_length
    (6, 4)
    >>> axis.landing().tolist()
    [[-1, 0], [1, 2], [3, 4]]
    """

    size: int
    kernel: int
    stride: int
    dilation: int
    crop: tuple[int, int]

    @property
    def extent(self) -> int:
        """Span of the dilated kernel, ``d·(k − 1) + 1``."""
        return int(extent(self.kernel, self.dilation))

    @property
    def full_length(self) -> int:
        """Length of the uncropped scatter."""
        return int(full_length(self.size, self.kernel, self.stride, self.dilation))

    @property
    def output_length(self) -> int:
        """Length of the output (the uncropped scatter after the crops)."""
        return int(output_length(self.size, self.kernel, self.stride, self.dilation, self.crop))

    def start(self, i: Any) -> Any:
        """Output index where input ``i``'s tap 0 lands: ``i·s − crop_lo`` (arrays too)."""
        return i * self.stride - self.crop[0]

    def landing(self) -> np.ndarray:
        """Output index ``t[i, j] = i·s + j·d − crop_lo`` for every input ``i`` and tap ``j``.

        Entries outside ``[0, output_length)`` are cropped away.
        """
        i = np.arange(self.size, dtype=np.int64)[:, None]
        j = np.arange(self.kernel, dtype=np.int64)[None, :]
        return self.start(i) + j * self.dilation

    def reach(self, low: int, high: int) -> tuple[int, int]:
        """Outputs ``[first, stop)`` from input ``low``'s tap 0 to input ``high − 1``'s last
        tap, clipped to the output: every output inputs ``low … high − 1`` reach.

        >>> Axis(16, 3, 2, 1, (1, 1)).reach(7, 10)
        (13, 20)
        """
        first = max(0, int(self.start(low)))
        return first, max(first, min(self.output_length, int(self.start(high - 1)) + self.extent))

    def on_canvas(self, i: Any, j: Any) -> Any:
        """Canvas index where input ``i``'s tap ``j`` lands (see :meth:`canvas`; arrays too)."""
        return self.canvas().origin + i * self.stride + j * self.dilation

    def source(self, t: Any, j: Any) -> Any:
        """Input index that tap ``j`` brings to output ``t``: ``(t + crop_lo − j·d) / s``.

        Meaningful where it is an integer in ``[0, size)``; accepts SymPy symbols
        (the general term) as well as numbers.
        """
        return (t + self.crop[0] - j * self.dilation) / self.stride

    def tap_range(self) -> tuple[np.ndarray, np.ndarray]:
        """For every input index, the taps ``[low, high)`` that land inside the output.

        ``0 <= i·s + j·d − crop_lo < O`` is a range of ``j`` because ``t`` grows
        with ``j``; empty ranges have ``low == high``.

        Examples
        --------
        >>> Axis(3, 2, 2, 1, (1, 1)).tap_range()
        (array([1, 0, 0]), array([2, 2, 1]))
        """
        start = self.start(np.arange(self.size, dtype=np.int64))
        low = np.clip(-(start // self.dilation), 0, self.kernel)
        high = np.clip((self.output_length - 1 - start) // self.dilation + 1, 0, self.kernel)
        return low, np.maximum(high, low)

    def canvas(self) -> CanvasAxis:
        """Canvas layout: the uncropped scatter plus room for negative crops.

        Examples
        --------
        >>> Axis(3, 2, 2, 1, (1, 1)).canvas()
        CanvasAxis(length=6, origin=0, window=slice(1, 5, None))
        """
        lo, hi = self.crop
        origin = max(0, -lo)
        length = origin + self.full_length + max(0, -hi)
        return CanvasAxis(length, origin, slice(origin + lo, origin + lo + self.output_length))

    def zero_insertion_padding(self) -> tuple[int, int]:
        """Border padding ``d·(k − 1) − crop`` of the zero-inserted input (negative trims).

        Examples
        --------
        >>> Axis(3, 2, 2, 1, (1, 1)).zero_insertion_padding()
        (0, 0)
        """
        return zero_insertion_padding(self.extent, self.crop)

    def zero_inserted(self) -> tuple[int, np.ndarray]:
        """The zero-inserted, padded input along this axis: its length, and where each input sits.

        ``s − 1`` zeros between neighbours put input ``i`` at ``i·s``; the border
        :meth:`zero_insertion_padding` then moves it by its low side (−1: trimmed away).
        The grid :func:`tconvmat.routes.dilate.zero_inserted` builds, as indices.

        Examples
        --------
        >>> Axis(3, 2, 2, 1, (1, 1)).zero_inserted()
        (5, array([0, 2, 4]))
        >>> Axis(3, 2, 2, 1, (2, 0)).zero_inserted()
        (5, array([-1,  1,  3]))
        """
        low, high = self.zero_insertion_padding()
        length = full_length(self.size, 1, self.stride, 1) + low + high
        where = np.arange(self.size, dtype=np.int64) * self.stride + low
        return int(length), np.where((where >= 0) & (where < length), where, -1)

    def tap_counts(self) -> np.ndarray:
        """How many (input, tap) pairs reach each output index along this axis.

        Examples
        --------
        >>> Axis(4, 3, 2, 1, (0, 0)).tap_counts().tolist()
        [1, 1, 2, 1, 2, 1, 2, 1, 1]
        """
        t = self.landing()
        inside = t[(t >= 0) & (t < self.output_length)]
        return np.bincount(inside, minlength=self.output_length)

    def by_output(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For every output index, the (tap, input) pairs that reach it, as CSR arrays.

        Returns ``(pointer, taps, sources)``: pairs ``pointer[t]:pointer[t + 1]`` of
        ``taps`` and ``sources`` land on output ``t`` (``t = i·s + j·d − crop_lo``).

        Examples
        --------
        >>> [a.tolist() for a in Axis(3, 2, 2, 1, (1, 1)).by_output()]
        [[0, 1, 2, 3, 4], [1, 0, 1, 0], [0, 1, 1, 2]]
        """
        t = self.landing()
        inputs, taps = np.nonzero((t >= 0) & (t < self.output_length))
        landed = t[inputs, taps]
        order = np.argsort(landed, kind="stable")
        pointer = np.zeros(self.output_length + 1, dtype=np.int64)
        np.cumsum(np.bincount(landed, minlength=self.output_length), out=pointer[1:])
        return pointer, taps[order].astype(np.int64), inputs[order].astype(np.int64)

    def residue(self, t: Any) -> Any:
        """``(t + crop_lo) mod s``: which sub-kernel output ``t`` receives."""
        return (t + self.crop[0]) % self.stride

    def phase(self, first: int) -> AxisPhase:
        """The phase of outputs ``first, first + s, …``: its taps and where they read x."""
        members = phase_taps(self.kernel, self.stride, self.dilation, self.residue(first))
        # x index of output first + s·m through tap j is m − shift (see source()).
        shifts = (members * self.dilation - first - self.crop[0]) // self.stride
        count = -(-(self.output_length - first) // self.stride)
        return AxisPhase(first, count, members, shifts)

    def phases(self) -> list[AxisPhase]:
        """Split the output into its ``stride`` phases (polyphase form).

        Examples
        --------
        >>> [(p.first, p.count, p.taps.tolist(), p.shifts.tolist())
        ...  for p in Axis(3, 2, 2, 1, (1, 1)).phases()]
        [(0, 2, [1], [0]), (1, 2, [0], [-1])]
        """
        return [self.phase(first) for first in range(min(self.stride, self.output_length))]

    def occupied_phases(self) -> list[AxisPhase]:
        """The phases that some tap reaches, in order; every other phase holds zeros.

        At most ``min(k, s)`` of them, found from the taps' residues, so the work
        never grows with the stride.

        Examples
        --------
        >>> [p.first for p in Axis(3, 2, 10**9, 1, (0, 0)).occupied_phases()]
        [0, 1]
        """
        taps = np.arange(self.kernel, dtype=np.int64)
        firsts = np.unique((taps * self.dilation - self.crop[0]) % self.stride)
        return [self.phase(int(f)) for f in firsts[firsts < self.output_length]]

    def tap_inputs(self) -> tuple[np.ndarray, np.ndarray]:
        """For every tap, the inputs ``[low, high)`` whose landing lies inside the output.

        The transpose of :meth:`tap_range`: ``0 <= i·s + j·d − crop_lo < O`` is a
        range of ``i`` for each ``j``; empty ranges have ``low == high``.

        Examples
        --------
        >>> Axis(3, 2, 2, 1, (1, 1)).tap_inputs()
        (array([1, 0]), array([3, 2]))
        """
        offset = np.arange(self.kernel, dtype=np.int64) * self.dilation - self.crop[0]
        low = np.clip(-(offset // self.stride), 0, self.size)
        high = np.clip((self.output_length - 1 - offset) // self.stride + 1, 0, self.size)
        return low, np.maximum(high, low)
