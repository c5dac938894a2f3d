"""Which kernel tap of which input element lands on which output element.

This module is the one place that holds the index arithmetic of a transposed
convolution. The sparse matrix, every numeric route, the symbolic matrix and
the figures are built from the functions here, so the views cannot drift apart.

Per spatial axis, with input length ``I``, kernel length ``k``, stride ``s``,
dilation ``d`` and crops ``(lo, hi)``, the uncropped scatter is::

    full[i*s + j*d] += x[i] * w[j]          length L = (I - 1)*s + d*(k - 1) + 1

and the output is ``full[lo : L - hi]`` (a negative crop extends by zeros).
So input element ``i`` meets kernel tap ``j`` at output index
``t = i*s + j*d - lo``, and the pair contributes exactly when ``0 <= t < O``
with ``O = L - lo - hi``. Flattening of N-D grids is row-major (C order).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from tconvmat.geometry import ConvTranspose

T = TypeVar("T")

__all__ = [
    "AxisPhase",
    "CanvasAxis",
    "Structure",
    "axis_phases",
    "by_output",
    "canvas_axis",
    "channel_structure",
    "full_length",
    "index_dtype",
    "landing",
    "nnz",
    "output_length",
    "per_axis",
    "single_channel_structure",
    "zero_insertion_padding",
]


def full_length(in_len: int, kernel_len: int, stride: int, dilation: int) -> int:
    """Length ``(I - 1)*s + d*(k - 1) + 1`` of the uncropped scatter on one axis.

    Examples
    --------
    >>> full_length(3, 2, stride=2, dilation=1)
    6
    """
    return (in_len - 1) * stride + dilation * (kernel_len - 1) + 1


def output_length(
    in_len: int, kernel_len: int, stride: int, dilation: int, crop: tuple[int, int]
) -> int:
    """Output length ``L - crop_lo - crop_hi`` on one axis (may be <= 0 if invalid).

    Examples
    --------
    >>> output_length(3, 2, stride=2, dilation=1, crop=(1, 1))
    4
    """
    return full_length(in_len, kernel_len, stride, dilation) - crop[0] - crop[1]


def landing(in_len: int, kernel_len: int, stride: int, dilation: int, crop_lo: int) -> np.ndarray:
    """Output index ``t[i, j] = i*s + j*d - crop_lo`` for every input ``i`` and tap ``j``.

    Entries outside ``[0, O)`` are cropped away.

    Examples
    --------
    >>> landing(3, 2, stride=2, dilation=1, crop_lo=1)
    array([[-1,  0],
           [ 1,  2],
           [ 3,  4]])
    """
    i = np.arange(in_len, dtype=np.int64)[:, None]
    j = np.arange(kernel_len, dtype=np.int64)[None, :]
    return i * stride + j * dilation - crop_lo


def per_axis(geometry: ConvTranspose, function: Callable[..., T]) -> list[T]:
    """``function(in_len, kernel_len, stride, dilation, crop)`` for every axis."""
    return [
        function(i, k, s, d, c)
        for i, k, s, d, c in zip(
            geometry.in_shape,
            geometry.kernel_shape,
            geometry.stride,
            geometry.dilation,
            geometry.crops,
            strict=True,
        )
    ]


def nnz(geometry: ConvTranspose) -> int:
    """Number of stored entries of C, counted per axis without building it.

    Validity is separable (one condition per axis), so the count is the
    product of the per-axis counts times the channel pairs.

    Examples
    --------
    >>> from tconvmat import ConvTranspose
    >>> nnz(ConvTranspose((3, 3), (2, 2), stride=2, padding=1))
    16
    """
    count = geometry.in_channels * (geometry.out_channels // geometry.groups)
    for i, k, s, d, c, o in zip(
        geometry.in_shape,
        geometry.kernel_shape,
        geometry.stride,
        geometry.dilation,
        geometry.crops,
        geometry.out_shape,
        strict=True,
    ):
        t = landing(i, k, s, d, c[0])
        count *= int(np.count_nonzero((t >= 0) & (t < o)))
    return count


@dataclass(frozen=True)
class CanvasAxis:
    """Where the uncropped scatter sits on a canvas that also holds zero-extensions.

    Attributes
    ----------
    length : int
        Canvas length: the uncropped scatter plus any zero-extension.
    origin : int
        Canvas index of uncropped position 0.
    window : slice
        The canvas slice that is the output.
    """

    length: int
    origin: int
    window: slice

    def tap_slice(self, tap: int, in_len: int, stride: int, dilation: int) -> slice:
        """Canvas positions that kernel tap ``tap`` of every input element reaches."""
        start = self.origin + tap * dilation
        return slice(start, start + stride * (in_len - 1) + 1, stride)


def canvas_axis(
    in_len: int, kernel_len: int, stride: int, dilation: int, crop: tuple[int, int]
) -> CanvasAxis:
    """Canvas layout of one axis for the scatter route.

    Examples
    --------
    >>> canvas_axis(3, 2, stride=2, dilation=1, crop=(1, 1))
    CanvasAxis(length=6, origin=0, window=slice(1, 5, None))
    """
    lo, hi = crop
    origin = max(0, -lo)
    length = origin + full_length(in_len, kernel_len, stride, dilation) + max(0, -hi)
    out_len = output_length(in_len, kernel_len, stride, dilation, crop)
    return CanvasAxis(length, origin, slice(origin + lo, origin + lo + out_len))


def zero_insertion_padding(
    kernel_len: int, dilation: int, crop: tuple[int, int]
) -> tuple[int, int]:
    """Border padding ``d*(k - 1) - crop`` of the zero-inserted input (negative trims).

    Examples
    --------
    >>> zero_insertion_padding(2, dilation=1, crop=(1, 1))
    (0, 0)
    """
    reach = dilation * (kernel_len - 1)
    return reach - crop[0], reach - crop[1]


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


def axis_phases(
    in_len: int, kernel_len: int, stride: int, dilation: int, crop: tuple[int, int]
) -> list[AxisPhase]:
    """Split one axis of the output into its ``stride`` phases (polyphase form).

    Examples
    --------
    >>> [(p.first, p.count, p.taps.tolist(), p.shifts.tolist())
    ...  for p in axis_phases(3, 2, stride=2, dilation=1, crop=(1, 1))]
    [(0, 2, [1], [0]), (1, 2, [0], [-1])]
    """
    out_len = output_length(in_len, kernel_len, stride, dilation, crop)
    taps = np.arange(kernel_len, dtype=np.int64)
    phases = []
    for first in range(min(stride, out_len)):
        residue = (first + crop[0]) % stride
        members = taps[(taps * dilation) % stride == residue]
        shifts = (members * dilation - first - crop[0]) // stride
        count = -(-(out_len - first) // stride)
        phases.append(AxisPhase(first, count, members, shifts))
    return phases


def index_dtype(*sizes: int) -> type[np.signedinteger]:
    """int32 when every index and count fits (SciPy's fast path), else int64."""
    return np.int32 if max(sizes) < np.iinfo(np.int32).max else np.int64


@dataclass(frozen=True)
class Structure:
    """CSR index arrays of C and which weight element each stored entry holds.

    Attributes
    ----------
    indptr, indices : numpy.ndarray
        CSR row pointers and column indices (rows sorted, columns ascending).
    shape : tuple of int
        Shape of C.

    Notes
    -----
    The single-channel pattern keeps only a mask of which (input element,
    tap) pairs land (``None`` when all do), so the values of a numeric C are
    one tiled or masked copy of the kernel, at memory speed.
    """

    indptr: np.ndarray
    indices: np.ndarray
    shape: tuple[int, int]
    explicit_weight_index: np.ndarray | None = None
    landed: np.ndarray | None = None
    n_taps: int = 0

    def values(self, flat_weight: np.ndarray) -> np.ndarray:
        """``flat_weight[weight_index]``: the value of every stored entry, in CSR order."""
        if self.explicit_weight_index is not None:
            return np.take(flat_weight, self.explicit_weight_index)
        grid = np.broadcast_to(flat_weight, (self.shape[0], self.n_taps))
        return grid.reshape(-1) if self.landed is None else grid[self.landed]

    @property
    def weight_index(self) -> np.ndarray:
        """Flat (row-major) index into the kernel array for every stored entry."""
        if self.explicit_weight_index is not None:
            return self.explicit_weight_index
        return self.values(np.arange(self.n_taps, dtype=self.indices.dtype))


def single_channel_structure(geometry: ConvTranspose) -> Structure:
    """CSR structure of C for one input and one output channel.

    Row ``i`` (flat input element) holds ``w[j]`` in column ``t`` (flat output
    element) for every tap ``j`` that lands inside the output. Built with a
    few vectorized passes over the ``prod(in_shape)·prod(kernel_shape)`` pairs.

    Examples
    --------
    >>> from tconvmat import ConvTranspose
    >>> s = single_channel_structure(ConvTranspose((2,), (2,), stride=2))
    >>> s.indptr.tolist(), s.indices.tolist(), s.weight_index.tolist()
    ([0, 2, 4], [0, 1, 2, 3], [0, 1, 0, 1])
    """
    ndim = geometry.ndim
    n_in, n_out = math.prod(geometry.in_shape), math.prod(geometry.out_shape)
    n_taps = math.prod(geometry.kernel_shape)
    dtype = index_dtype(n_out, n_in * n_taps)
    out_strides = np.cumprod((1, *geometry.out_shape[::-1]))[-2::-1]
    landed = None
    row_counts = np.ones((1,) * ndim, dtype=dtype)
    contributions = []
    for axis in range(ndim):
        t = landing(
            geometry.in_shape[axis],
            geometry.kernel_shape[axis],
            geometry.stride[axis],
            geometry.dilation[axis],
            geometry.crops[axis][0],
        )
        view = [1] * (2 * ndim)
        view[axis], view[ndim + axis] = t.shape
        contributions.append((t * out_strides[axis]).astype(dtype).reshape(view))
        inside = (t >= 0) & (t < geometry.out_shape[axis])
        counts_view = [1] * ndim
        counts_view[axis] = t.shape[0]
        row_counts = row_counts * inside.sum(axis=1).astype(dtype).reshape(counts_view)
        if not inside.all():
            inside = inside.reshape(view)
            landed = inside if landed is None else landed & inside
    # One pass per axis after the first two: the flat output index of every pair.
    target = np.empty(geometry.in_shape + geometry.kernel_shape, dtype=dtype)
    if ndim == 1:
        np.copyto(target, contributions[0])
    else:
        np.add(contributions[0], contributions[1], out=target)
    for contribution in contributions[2:]:
        np.add(target, contribution, out=target)
    if landed is None:
        indptr = np.arange(0, n_in * n_taps + 1, n_taps, dtype=dtype)
        return Structure(indptr, target.reshape(-1), (n_in, n_out), n_taps=n_taps)
    landed = np.broadcast_to(landed, target.shape).reshape(n_in, n_taps)
    indptr = np.zeros(n_in + 1, dtype=dtype)
    np.cumsum(row_counts.reshape(-1), out=indptr[1:])
    indices = target.reshape(n_in, n_taps)[landed]
    return Structure(indptr, indices, (n_in, n_out), landed=landed, n_taps=n_taps)


def channel_structure(geometry: ConvTranspose) -> Structure:
    """CSR structure of C with channels and groups (block-diagonal per group).

    Rows are ordered (input channel, input element), columns (output channel,
    output element). Input channel ``c`` of group ``g`` reaches the output
    channels ``g*opg ... (g + 1)*opg - 1`` (``opg = out_channels // groups``)
    through the weight entries ``weight[c, o, j]``, PyTorch's layout
    ``(in_channels, out_channels // groups, *kernel_shape)``.

    Examples
    --------
    >>> from tconvmat import ConvTranspose
    >>> g = ConvTranspose((1,), (1,), in_channels=2, out_channels=2, groups=2)
    >>> s = channel_structure(g)
    >>> s.indices.tolist(), s.weight_index.tolist()
    ([0, 1], [0, 1])
    """
    single = single_channel_structure(geometry)
    c_in, c_out = geometry.in_channels, geometry.out_channels
    if c_in == c_out == 1:
        return single
    per_group_in = c_in // geometry.groups
    per_group_out = c_out // geometry.groups
    n_in, n_out = single.shape
    n_taps = math.prod(geometry.kernel_shape)
    counts = np.diff(single.indptr)

    # One input channel's block of rows: row i holds, for each output channel o
    # of its group, row i of the single-channel structure. Entry e of row i for
    # channel o goes to position opg*indptr[i] + o*count[i] + (e - indptr[i]).
    row_of_entry = np.repeat(np.arange(n_in), counts)
    start = single.indptr[:-1][row_of_entry]
    local_out = np.arange(per_group_out)[:, None]
    destination = (
        per_group_out * start + local_out * counts[row_of_entry] + (np.arange(counts.sum()) - start)
    ).reshape(-1)
    block_columns = np.empty(destination.size, dtype=np.int64)
    block_columns[destination] = (local_out * n_out + single.indices).reshape(-1)
    block_weights = np.empty(destination.size, dtype=np.int64)
    block_weights[destination] = (local_out * n_taps + single.weight_index).reshape(-1)
    dtype = index_dtype(c_out * n_out, c_in * block_columns.size)

    channel = np.arange(c_in)[:, None]
    first_out = (channel // per_group_in) * per_group_out
    columns = (first_out * n_out + block_columns).reshape(-1).astype(dtype)
    weights = (channel * per_group_out * n_taps + block_weights).reshape(-1)
    indptr = np.zeros(c_in * n_in + 1, dtype=dtype)
    np.cumsum(np.tile(counts * per_group_out, c_in), out=indptr[1:])
    return Structure(indptr, columns, (c_in * n_in, c_out * n_out), explicit_weight_index=weights)


def by_output(structure: Structure) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group C's stored entries by column: who reaches each output element.

    Returns ``(rows, weight_index, bounds)``: entries ``bounds[t]:bounds[t + 1]``
    of ``rows`` and ``weight_index`` are the (input element, kernel tap) pairs
    that reach output ``t``, in row order.

    Examples
    --------
    >>> from tconvmat import ConvTranspose
    >>> rows, weights, bounds = by_output(single_channel_structure(ConvTranspose((2,), (2,))))
    >>> rows.tolist(), weights.tolist(), bounds.tolist()
    ([0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 3, 4])
    """
    rows = np.repeat(np.arange(structure.shape[0]), np.diff(structure.indptr))
    order = np.argsort(structure.indices, kind="stable")
    bounds = np.searchsorted(structure.indices[order], np.arange(structure.shape[1] + 1))
    return rows[order], structure.weight_index[order], bounds
