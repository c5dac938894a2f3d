"""Which (row, column, tap) triples the sparse matrix C holds.

Row ``i`` of C (an input element) holds kernel tap ``j`` in column ``t`` (an
output element) exactly when ``t = i·s + j·d − crop_lo`` on every axis
(:meth:`tconvmat.core.axis.Axis.landing`). This module turns that rule into CSR
index arrays, for one channel and for channels with groups, without building
any dense intermediate. The tap index is the scatter's; a kernel is read
through :func:`tconvmat.core.kernels.weight`, which applies the geometry's
orientation, so every stored value is right for every framework.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tconvmat.core.geometry import Geometry

__all__ = [
    "Block",
    "ChannelPairs",
    "Structure",
    "by_output",
    "channel_structure",
    "index_dtype",
    "nnz",
    "single_channel_structure",
    "tap_bounds",
]


def tap_bounds(geometry: Geometry) -> list[tuple[np.ndarray, np.ndarray]]:
    """:meth:`~tconvmat.core.axis.Axis.tap_range` of every axis of a geometry."""
    return [a.tap_range() for a in geometry.axes]


def nnz(geometry: Geometry) -> int:
    """Number of stored entries of C, counted per axis without building it.

    Validity is separable (one condition per axis), so the count is the
    product of the per-axis counts times the channel pairs.

    Examples
    --------
    >>> nnz(Geometry((3, 3), (2, 2), stride=2, padding=1))
    16
    """
    count = geometry.in_channels * (geometry.out_channels // geometry.groups)
    for low, high in tap_bounds(geometry):
        count *= int((high - low).sum())
    return count


def index_dtype(*sizes: int) -> type[np.signedinteger]:
    """int32 when every index and count fits (SciPy's fast path), else int64."""
    return np.int32 if max(sizes) < np.iinfo(np.int32).max else np.int64


@dataclass(frozen=True)
class Block:
    """Rows of C that share their valid tap ranges, as a strided view of the CSR arrays.

    The rows ``in_ranges`` (a product of index ranges, one per axis) all hold
    the taps ``tap_ranges``; their entries sit in the CSR arrays at
    ``start + Σ i_a·row_steps[a] + Σ j_b·tap_steps[b]`` (offsets within the ranges).
    """

    start: int
    in_ranges: tuple[range, ...]
    tap_ranges: tuple[range, ...]
    row_steps: tuple[int, ...]
    tap_steps: tuple[int, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(r) for r in self.in_ranges) + tuple(len(r) for r in self.tap_ranges)

    def view(self, array: np.ndarray) -> np.ndarray:
        """The block's entries of a CSR-ordered array, shaped (*in_ranges[:-1], run).

        The rows along the last axis and their taps are contiguous, so each
        ``run = len(in_ranges[-1])·prod(tap widths)`` entries form one line.
        """
        run = len(self.in_ranges[-1]) * math.prod(len(r) for r in self.tap_ranges)
        shape = (*(len(r) for r in self.in_ranges[:-1]), run)
        return np.lib.stride_tricks.as_strided(
            array[self.start :],
            shape=shape,
            strides=tuple(step * array.itemsize for step in (*self.row_steps[:-1], 1)),
            writeable=True,
        )


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
    A single-channel C is described by a few :class:`Block` s (rows away from
    the crops, and the rows near each border), so its values are written
    straight into the CSR order, one strided copy of the kernel per block.
    """

    indptr: np.ndarray
    indices: np.ndarray
    shape: tuple[int, int]
    explicit_weight_index: np.ndarray | None = None
    blocks: tuple[Block, ...] = ()
    kernel_shape: tuple[int, ...] = ()
    pairs: ChannelPairs | None = None

    def values(self, flat_weight: np.ndarray) -> np.ndarray:
        """``flat_weight[weight_index]``: the value of every stored entry, in CSR order."""
        if self.explicit_weight_index is not None:
            return np.take(flat_weight, self.explicit_weight_index)
        if self.pairs is not None:
            return self.pairs.values(flat_weight)
        kernel = flat_weight.reshape(self.kernel_shape)
        data = np.empty(self.indices.size, dtype=flat_weight.dtype)
        for block in self.blocks:
            taps = kernel[tuple(slice(r.start, r.stop) for r in block.tap_ranges)].reshape(-1)
            view = block.view(data)
            if view.ndim == 1:  # one long line: broadcast row by row, no temporary
                view.reshape(-1, taps.size)[...] = taps
            else:  # short lines repeated over the leading axes
                view[...] = np.tile(taps, len(block.in_ranges[-1]))
        return data

    @property
    def weight_index(self) -> np.ndarray:
        """Flat (row-major) index into the kernel array for every stored entry."""
        if self.explicit_weight_index is not None:
            return self.explicit_weight_index
        if self.pairs is not None:
            return self.pairs.values(np.arange(self.pairs.weights, dtype=np.int64))
        return self.values(np.arange(math.prod(self.kernel_shape), dtype=self.indices.dtype))


@dataclass(frozen=True)
class ChannelPairs:
    """How C with channels repeats the one-channel structure, written in place.

    Input channel ``c`` holds a block of ``opg·nnz₁`` entries (``nnz₁`` those of one
    channel pair): row ``i`` of the block is row ``i`` of the one-channel structure
    once per output channel ``o`` of its group, ``o`` major. The block is written in
    CSR order a few rows at a time (:meth:`segments`, each about 1/256 of C), straight
    into the final arrays, so building C needs no temporary larger than a small
    fraction of it, and every write is sequential.
    """

    single: Structure
    in_channels: int
    per_group_out: int

    @property
    def weights(self) -> int:
        """Elements of the weight, ``in_channels · opg · taps``."""
        return self.in_channels * self.per_group_out * math.prod(self.single.kernel_shape)

    @property
    def block(self) -> int:
        """Entries of one input channel's block of rows."""
        return self.per_group_out * self.single.indices.size

    def segments(self) -> Iterator[tuple[slice, np.ndarray, np.ndarray]]:
        """``(where, o, e)``: entries ``where`` of a block hold output channel ``o`` and entry
        ``e`` of the one-channel structure, a few whole rows at a time."""
        opg, pointer = self.per_group_out, self.single.indptr.astype(np.int64)
        size = max(1, self.in_channels * self.block // 256)
        bounds = np.unique(np.searchsorted(opg * pointer, np.arange(0, self.block, size)))
        for first, last in itertools.pairwise([*bounds.tolist(), pointer.size - 1]):
            counts = np.diff(pointer[first : last + 1])
            lengths = opg * counts
            row = np.repeat(np.arange(last - first), lengths)
            local = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            width = counts[row]
            del row
            outs = local // width
            entries = local - outs * width + np.repeat(pointer[first:last], lengths)
            yield slice(opg * int(pointer[first]), opg * int(pointer[last])), outs, entries

    def values(self, flat_weight: np.ndarray) -> np.ndarray:
        """Every stored entry's weight value, in CSR order."""
        block = self.block
        data = np.empty(self.in_channels * block, dtype=flat_weight.dtype)
        taps = math.prod(self.single.kernel_shape)
        per_channel = self.per_group_out * taps
        tap = self.single.weight_index
        for where, outs, entries in self.segments():
            picked = outs * taps + tap[entries]
            for c in range(self.in_channels):
                kernel = flat_weight[c * per_channel : (c + 1) * per_channel]
                data[c * block + where.start : c * block + where.stop] = kernel.take(picked)
        return data


def _runs(low: np.ndarray, high: np.ndarray) -> list[tuple[range, range]]:
    """Maximal runs of input indices with the same valid tap range ``[low, high)``."""
    changes = np.flatnonzero((np.diff(low) != 0) | (np.diff(high) != 0)) + 1
    edges = [0, *changes.tolist(), low.size]
    return [
        (range(a, b), range(int(low[a]), int(max(high[a], low[a]))))
        for a, b in itertools.pairwise(edges)
    ]


def single_channel_structure(geometry: Geometry) -> Structure:
    """CSR structure of C for one input and one output channel.

    Row ``i`` (flat input element) holds ``w[j]`` in column ``t`` (flat output
    element) for every tap ``j`` that lands inside the output. On each axis the
    taps that land form a contiguous range that changes only near the
    borders, so C splits into a few blocks of rows with the same taps; each
    block is written into the CSR arrays through a strided view, one pass over
    the entries and no mask.

    Examples
    --------
    >>> s = single_channel_structure(Geometry((2,), (2,), stride=2))
    >>> s.indptr.tolist(), s.indices.tolist(), s.weight_index.tolist()
    ([0, 2, 4], [0, 1, 2, 3], [0, 1, 0, 1])
    """
    ndim = geometry.ndim
    n_in, n_out = math.prod(geometry.in_shape), math.prod(geometry.out_shape)
    ranges = tap_bounds(geometry)
    runs = [_runs(low, high) for low, high in ranges]
    counts = [high - low for low, high in ranges]
    row_counts = counts[0]
    for count in counts[1:]:
        row_counts = np.multiply.outer(row_counts, count)
    nnz = int(np.prod([c.sum() for c in counts]))
    dtype = index_dtype(n_out, nnz)
    indptr = np.zeros(n_in + 1, dtype=dtype)
    np.cumsum(np.ravel(row_counts), out=indptr[1:])
    indices = np.empty(nnz, dtype=dtype)
    out_strides = np.cumprod((1, *geometry.out_shape[::-1]))[-2::-1]
    totals = [int(c.sum()) for c in counts]
    blocks = []
    for combination in itertools.product(*runs):
        in_ranges = tuple(rows for rows, _ in combination)
        tap_ranges = tuple(taps for _, taps in combination)
        widths = [len(r) for r in tap_ranges]
        if 0 in widths:
            continue
        first_row = int(np.ravel_multi_index([r.start for r in in_ranges], geometry.in_shape))
        row_steps = tuple(
            math.prod(widths[: axis + 1]) * math.prod(totals[axis + 1 :]) for axis in range(ndim)
        )
        tap_steps = tuple(math.prod(widths[axis + 1 :]) for axis in range(ndim))
        block = Block(int(indptr[first_row]), in_ranges, tap_ranges, row_steps, tap_steps)
        # t = i·s + j·d − crop_lo splits into an input part and a tap part, so the
        # flat output index is (input part over the leading axes) + (a line that
        # runs over the last axis's inputs and every tap): one pass per block.
        tap_part = np.zeros(widths, dtype=dtype)
        for axis, spec in enumerate(geometry.axes):
            taps = np.arange(tap_ranges[axis].start, tap_ranges[axis].stop, dtype=dtype)
            term = (spec.start(0) + taps * spec.dilation) * out_strides[axis]  # input 0's taps
            tap_part += term.reshape([-1 if b == axis else 1 for b in range(ndim)])
        last_rows = in_ranges[-1]
        last = np.arange(last_rows.start, last_rows.stop, dtype=dtype)
        last *= geometry.stride[-1] * out_strides[-1]
        view = block.view(indices)
        if ndim == 1:  # one long line: written directly, no temporary
            np.add(last[:, None], tap_part.reshape(1, -1), out=view.reshape(len(last), -1))
        else:
            line = (last[:, None] + tap_part.reshape(1, -1)).reshape(-1)
            lead = np.zeros([len(r) for r in in_ranges[:-1]], dtype=dtype)
            for axis in range(ndim - 1):
                rows = np.arange(in_ranges[axis].start, in_ranges[axis].stop, dtype=dtype)
                rows *= geometry.stride[axis]
                shape = [-1 if b == axis else 1 for b in range(ndim - 1)]
                lead += (rows * out_strides[axis]).reshape(shape)
            np.add(lead[..., None], line, out=view)
        blocks.append(block)
    return Structure(
        indptr, indices, (n_in, n_out), blocks=tuple(blocks), kernel_shape=geometry.kernel_shape
    )


def channel_structure(geometry: Geometry) -> Structure:
    """CSR structure of C with channels and groups (block-diagonal per group).

    Rows are ordered (input channel, input element), columns (output channel,
    output element). Input channel ``c`` of group ``g`` reaches the output
    channels ``g*opg ... (g + 1)*opg - 1`` (``opg = out_channels // groups``)
    through the weight entries ``weight[c, o, j]``, PyTorch's layout
    ``(in_channels, out_channels // groups, *kernel_shape)``.

    Examples
    --------
    >>> g = Geometry((1,), (1,), in_channels=2, out_channels=2, groups=2)
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
    counts = np.diff(single.indptr)
    pairs = ChannelPairs(single, c_in, per_group_out)
    block = pairs.block
    dtype = index_dtype(c_out * n_out, c_in * block)
    columns = np.empty(c_in * block, dtype=dtype)
    for where, outs, entries in pairs.segments():  # input channel 0, in place
        columns[where] = outs * n_out + single.indices[entries]
    for c in range(1, c_in):  # the other input channels: the same block, shifted
        first_out = (c // per_group_in) * per_group_out
        np.add(columns[:block], first_out * n_out, out=columns[c * block : (c + 1) * block])
    indptr = np.zeros(c_in * n_in + 1, dtype=dtype)
    np.cumsum(np.tile(counts * per_group_out, c_in), out=indptr[1:])
    return Structure(indptr, columns, (c_in * n_in, c_out * n_out), pairs=pairs)


def by_output(structure: Structure) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group C's stored entries by column: who reaches each output element.

    Returns ``(rows, weight_index, bounds)``: entries ``bounds[t]:bounds[t + 1]``
    of ``rows`` and ``weight_index`` are the (input element, kernel tap) pairs
    that reach output ``t``, in row order.

    Examples
    --------
    >>> rows, weights, bounds = by_output(single_channel_structure(Geometry((2,), (2,))))
    >>> rows.tolist(), weights.tolist(), bounds.tolist()
    ([0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 3, 4])
    """
    rows = np.repeat(np.arange(structure.shape[0]), np.diff(structure.indptr))
    order = np.argsort(structure.indices, kind="stable")
    bounds = np.searchsorted(structure.indices[order], np.arange(structure.shape[1] + 1))
    return rows[order], structure.weight_index[order], bounds
