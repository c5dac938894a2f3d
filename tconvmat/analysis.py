"""What the matrix says: overlap counts (the checkerboard effect), and transpose versus inverse."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import _arrays, anatomy, axis
from tconvmat.geometry import Geometry
from tconvmat.sparse import build_matrix

__all__ = [
    "AxisOverlap",
    "InverseReport",
    "OverlapReport",
    "axis_overlap",
    "overlap_counts",
    "transpose_versus_inverse",
]


@dataclass(frozen=True)
class AxisOverlap:
    """Taps reaching an output far from the borders, per output phase of one axis.

    ``per_phase[r]`` counts the taps ``j`` with ``j·d ≡ r (mod s)``: output
    ``t`` with ``(t + crop_lo) mod s = r`` receives exactly those (when the
    input is long enough around it).
    """

    kernel: int
    stride: int
    dilation: int
    per_phase: tuple[int, ...]

    @property
    def even(self) -> bool:
        """Every phase receives the same number of taps."""
        return len(set(self.per_phase)) == 1

    @property
    def untouched(self) -> tuple[int, ...]:
        """Phases that no tap reaches."""
        return tuple(r for r, c in enumerate(self.per_phase) if c == 0)


def axis_overlap(kernel: int, stride: int, dilation: int = 1) -> AxisOverlap:
    """Interior tap counts per phase on one axis.

    Examples
    --------
    >>> axis_overlap(3, 2).per_phase, axis_overlap(4, 2).per_phase
    ((2, 1), (2, 2))
    >>> axis_overlap(3, 2, dilation=2).per_phase  # gcd(2, 2) = 2: phase 1 untouched
    (3, 0)
    """
    return AxisOverlap(kernel, stride, dilation, axis.phase_tap_counts(kernel, stride, dilation))


@dataclass(frozen=True)
class OverlapReport:
    """How many kernel taps reach each output element, and what that means.

    Attributes
    ----------
    counts : numpy.ndarray
        On the output grid: the row counts of Cᵀ (taps reaching each output).
    axes : tuple of AxisOverlap
        Interior counts per phase, per axis.
    even : bool
        Whether every interior output receives the same number of taps.
    verdict : str
    rule : str
    """

    counts: np.ndarray
    axes: tuple[AxisOverlap, ...]
    even: bool
    verdict: str
    rule: str

    @property
    def interior_values(self) -> tuple[int, ...]:
        """The distinct interior counts (products of the per-axis phase counts)."""
        values = {1}
        for line in self.axes:
            values = {v * c for v in values for c in line.per_phase}
        return tuple(sorted(values))


RULE = (
    "Output t of an axis receives tap j of input i when t + crop_lo = i·s + j·d, so away from "
    "the borders the taps reaching t are those with j·d ≡ t + crop_lo (mod s). With dilation 1 "
    "that is ⌊k/s⌋ or ⌈k/s⌉ taps per axis, equal for every output exactly when s divides k; with "
    "dilation d only phases that are multiples of gcd(s, d) are reached, so gcd(s, d) > 1 leaves "
    "whole phases of the output untouched. In N-D the counts multiply across axes."
)


def overlap_counts(geometry: Geometry) -> OverlapReport:
    """How many taps reach each output element (row counts of Cᵀ), with the verdict and the rule.

    Examples
    --------
    >>> report = overlap_counts(Geometry((6, 6), (3, 3), stride=2))
    >>> report.even, report.interior_values
    (False, (1, 2, 4))
    >>> report.verdict.split(":")[0]
    'uneven'
    """
    counts = anatomy.overlap_grid(geometry)
    axes = tuple(
        axis_overlap(k, s, d)
        for k, s, d in zip(geometry.kernel_shape, geometry.stride, geometry.dilation, strict=True)
    )
    even = all(axis.even for axis in axes)
    gaps = [(n, axis.untouched) for n, axis in enumerate(axes) if axis.untouched]
    if gaps:
        where = "; ".join(f"axis {n}: phases {list(phases)}" for n, phases in gaps)
        verdict = (
            f"gaps: some outputs receive no tap at all ({where}); the stride exceeds the "
            "dilated kernel's reach or shares a factor with the dilation"
        )
    elif even:
        count = math.prod(a.per_phase[0] for a in axes)
        verdict = (
            f"even: every interior output receives {count} tap{'s' if count != 1 else ''} "
            "(no checkerboard from overlap)"
        )
    else:
        values = OverlapReport(counts, axes, even, "", "").interior_values
        verdict = (
            f"uneven: interior outputs receive {', '.join(map(str, values))} taps depending on "
            "their phase, the checkerboard pattern of transposed convolutions"
        )
    return OverlapReport(counts, axes, even, verdict, RULE)


@dataclass(frozen=True)
class InverseReport:
    """Does the transposed convolution undo the convolution? (No.)

    For the convolution ``x = C·y`` (from y on the output grid to x on the
    input grid) and a random ``y``:

    Attributes
    ----------
    gram_error : float
        ``‖CᵀC − I‖₂``: zero only if the transpose were the inverse.
    singular_values : numpy.ndarray
        Of C, largest first.
    rank : int
        Numerical rank of C; below ``prod(out_shape)`` means y cannot be recovered.
    transpose_error : float
        ``‖Cᵀ C y − y‖ / ‖y‖``: the transposed convolution as an "inverse".
    least_squares_error : float
        ``‖y⁺ − y‖ / ‖y‖`` for the least-squares (minimum-norm, lsqr) solution y⁺
        of ``C y⁺ = x``: the best any linear "deconvolution" can do.
    """

    gram_error: float
    singular_values: np.ndarray
    rank: int
    transpose_error: float
    least_squares_error: float
    y: np.ndarray
    transposed: np.ndarray
    least_squares: np.ndarray


def transpose_versus_inverse(
    geometry: Geometry, kernel: Any, *, seed: int = 0, max_size: int = 4096
) -> InverseReport:
    """Compare Cᵀ with the least-squares inverse on a random signal (small problems only).

    Examples
    --------
    >>> g = Geometry((8,), (4,), stride=2, padding=1)
    >>> report = transpose_versus_inverse(g, [1.0, 3.0, 3.0, 1.0])
    >>> report.rank < g.out_shape[0], report.transpose_error > 0.1
    (True, True)
    """
    from scipy.sparse.linalg import lsqr

    rows, columns = geometry.matrix_shape
    if rows * columns > max_size**2:
        raise ValueError(
            f"transpose_versus_inverse forms C densely ({rows} × {columns}); that is above "
            f"max_size² = {max_size**2} entries. Use a smaller geometry or raise max_size."
        )
    matrix = build_matrix(geometry, _arrays.as_numeric("kernel", kernel).astype(float))
    dense = matrix.toarray()
    singular = np.linalg.svd(dense, compute_uv=False)
    rank = int((singular > singular[0] * max(dense.shape) * np.finfo(float).eps).sum())
    gram = dense.T @ dense - np.eye(columns)
    y = np.random.default_rng(seed).standard_normal(columns)
    x = matrix @ y
    transposed = matrix.T @ x
    least = lsqr(matrix, x, atol=1e-14, btol=1e-14, iter_lim=20 * columns)[0]
    norm = float(np.linalg.norm(y))
    shape = (geometry.out_channels, *geometry.out_shape)
    return InverseReport(
        float(np.linalg.norm(gram, 2)),
        singular,
        rank,
        float(np.linalg.norm(transposed - y)) / norm,
        float(np.linalg.norm(least - y)) / norm,
        y.reshape(shape),
        transposed.reshape(shape),
        least.reshape(shape),
    )
