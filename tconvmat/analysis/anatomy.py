"""The intermediate objects of a transposed convolution, for explanations and figures.

Each function returns the data a figure or a printed explanation shows,
computed by the library's own index structure and routes, so that what is
drawn is what is computed. Kernels are read through
:func:`tconvmat.core.kernels.weight` and taps are named as the user stores the
kernel, so a flipped framework kernel shows as it is used. Single-channel
geometries.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import routes
from tconvmat.core import arrays, budget, kernels, rules, structure
from tconvmat.core.geometry import Geometry
from tconvmat.core.sparse import build_matrix
from tconvmat.routes.dilate import insert_zeros

__all__ = [
    "Phase",
    "ScatterSteps",
    "ZeroInsertion",
    "footprint",
    "overlap_grid",
    "phases",
    "scatter_steps",
    "tap_block",
    "tap_matrix",
    "zero_insertion",
]


def _single_channel(geometry: Geometry, what: str) -> None:
    if not geometry.single_channel:
        raise ValueError(
            f"{what} shows one channel; this geometry has in_channels {geometry.in_channels} "
            f"and out_channels {geometry.out_channels}"
        )


def _plain(geometry: Geometry, x: Any, kernel: Any) -> tuple[np.ndarray, np.ndarray]:
    weight = kernels.weight(geometry, kernel).reshape(geometry.kernel_shape)
    batch, _ = arrays.batched(geometry, "x", x, geometry.in_shape, 1, 1)
    dtype = arrays.result_dtype(batch, weight)
    return batch[0, 0].astype(dtype, copy=False), weight.astype(dtype, copy=False)


def tap_matrix(geometry: Geometry, max_cells: int | None = None) -> np.ndarray:
    """Dense ``(n_in, n_out)`` array: which flat kernel tap sits in each entry of C, -1 if none.

    Taps are numbered as the user stores the kernel (row-major), so a flipped
    geometry's matrix names the reversed taps. With ``max_cells``, only the top-left
    block of C is returned: the first rows, and the columns they reach, within that
    many cells.

    Examples
    --------
    >>> tap_matrix(Geometry((2,), (2,), stride=2))
    array([[ 0,  1, -1, -1],
           [-1, -1,  0,  1]])
    """
    _single_channel(geometry, "tap_matrix")
    layout = structure.single_channel_structure(geometry)
    n_rows, n_columns = layout.shape
    if max_cells is not None and n_rows * n_columns > max_cells:
        n_rows = max(1, min(n_rows, int(np.sqrt(max_cells * n_rows / n_columns))))
        reach = int(layout.indices[: layout.indptr[n_rows]].max(initial=0)) + 1
        n_columns = min(n_columns, max(reach, max_cells // n_rows))
    budget.check_elements("the dense tap matrix", n_rows * n_columns)
    dense = np.full((n_rows, n_columns), -1, dtype=np.int64)
    end = layout.indptr[n_rows]
    rows = np.repeat(np.arange(n_rows), np.diff(layout.indptr[: n_rows + 1]))
    columns = layout.indices[:end]
    inside = columns < n_columns
    taps = kernels.tap_order(geometry)[layout.weight_index[:end]]
    dense[rows[inside], columns[inside]] = taps[inside]
    return dense


def tap_block(
    geometry: Geometry, inputs: tuple[slice, ...], outputs: tuple[slice, ...]
) -> np.ndarray:
    """The block of :func:`tap_matrix` for a box of input elements and a box of outputs.

    Rows are the input elements of ``inputs`` and columns the output elements of
    ``outputs``, each box flattened row-major; an entry is the flat kernel tap (as
    the user stores the kernel) that carries the input to the output, -1 if none.
    Built axis by axis from where each tap lands, so a block of a large C costs
    only its own cells.

    Examples
    --------
    >>> g = Geometry((3, 3), (2, 2), stride=2, padding=1)
    >>> tap_block(g, (slice(1, 2), slice(1, 2)), (slice(1, 3), slice(1, 3)))
    array([[0, 1, 2, 3]])
    >>> bool((tap_block(g, (slice(0, 3),) * 2, (slice(0, 4),) * 2) == tap_matrix(g)).all())
    True
    """
    _single_channel(geometry, "tap_block")
    per_axis = []
    for line, rows, columns in zip(geometry.axes, inputs, outputs, strict=True):
        i = np.arange(*rows.indices(line.size))[:, None, None]
        t = np.arange(*columns.indices(line.output_length))[None, :, None]
        j = np.arange(line.kernel)[None, None, :]
        hit = line.start(i) + j * line.dilation == t  # (inputs, outputs, taps): at most one
        per_axis.append(np.where(hit.any(axis=2), hit.argmax(axis=2), -1))
    flat = np.zeros((1, 1), dtype=np.int64)
    missing = np.zeros((1, 1), dtype=bool)
    for table, k in zip(per_axis, geometry.kernel_shape, strict=True):
        flat = (flat[:, None, :, None] * k + table[None, :, None, :]).reshape(
            flat.shape[0] * table.shape[0], -1
        )
        missing = (missing[:, None, :, None] | (table < 0)[None, :, None, :]).reshape(flat.shape)
    taps = kernels.tap_order(geometry)[np.clip(flat, 0, None)]
    return np.where(missing, -1, taps)


def footprint(geometry: Geometry, kernel: Any, index: tuple[int, ...]) -> np.ndarray:
    """Row ``index`` of C on the output grid: the kernel at that input's place, cropped.

    Examples
    --------
    >>> footprint(Geometry((3,), (2,), stride=2, padding=1), [1, 2], (0,))
    array([2, 0, 0, 0])
    """
    _single_channel(geometry, "footprint")
    row = int(np.ravel_multi_index(index, geometry.in_shape))
    return build_matrix(geometry, kernel)[[row], :].toarray().reshape(geometry.out_shape)


def overlap_grid(geometry: Geometry) -> np.ndarray:
    """How many (input element, kernel tap) pairs reach each output element.

    These are the row counts of Cᵀ (the column counts of C) on the output
    grid, for one input and one output channel.

    Examples
    --------
    >>> overlap_grid(Geometry((4,), (3,), stride=2))
    array([1, 1, 2, 1, 2, 1, 2, 1, 1])
    """
    budget.check_elements("the overlap grid", math.prod(geometry.out_shape))
    counts = np.ones((), dtype=np.int64)
    for line in geometry.axes:  # the taps reaching t are a product of per-axis choices
        counts = np.multiply.outer(counts, line.tap_counts())
    return counts


@dataclass(frozen=True)
class ScatterSteps:
    """The scatter, one input element at a time, on the uncropped canvas.

    Attributes
    ----------
    contributions : numpy.ndarray
        ``(steps, *canvas_shape)``: what each of the first ``steps`` input
        elements (row-major order) adds, ``x[i]·kernel`` at its strided, dilated
        place (every element unless ``max_steps`` asked for fewer).
    window : tuple of slice
        The canvas region that is the output (the crops of padding and
        output_padding; the canvas also holds any zero-extension).
    origin : tuple of int
        Canvas index of the uncropped position 0.
    canvas : numpy.ndarray
        The full, uncropped scatter (all stamps added, not only those kept).
    """

    contributions: np.ndarray
    window: tuple[slice, ...]
    origin: tuple[int, ...]
    canvas: np.ndarray

    @property
    def accumulated(self) -> np.ndarray:
        """The canvas after each kept step: running sums of the contributions."""
        return np.cumsum(self.contributions, axis=0)

    @property
    def result(self) -> np.ndarray:
        """The canvas cropped to the output window: y."""
        return self.canvas[self.window]


def scatter_steps(
    geometry: Geometry,
    x: Any,
    kernel: Any,
    max_steps: int | None = None,
    elements: tuple[slice, ...] | None = None,
) -> ScatterSteps:
    """Each input element's stamp ``x[i]·kernel`` on the uncropped canvas.

    ``max_steps`` keeps the first stamps only (the canvas still holds them all), so a
    large input costs one canvas per kept step, not per element; ``elements`` keeps
    the stamps of a box of input elements instead (row-major within the box: a zoom
    window of a large input).

    Examples
    --------
    >>> steps = scatter_steps(Geometry((2,), (2,), stride=1), [1, 10], [1, 2])
    >>> steps.contributions
    array([[ 1,  2,  0],
           [ 0, 10, 20]])
    >>> steps.result
    array([ 1, 12, 20])
    >>> scatter_steps(Geometry((3,), (2,), stride=1), [1, 10, 100], [1, 2],
    ...               elements=(slice(1, 3),)).contributions
    array([[  0,  10,  20,   0],
           [  0,   0, 100, 200]])
    """
    _single_channel(geometry, "scatter_steps")
    values, weight = _plain(geometry, x, kernel)
    lines = geometry.axes
    axes = [line.canvas() for line in lines]
    ndim = geometry.ndim
    n_in = math.prod(geometry.in_shape)
    step = np.arange(n_in).reshape(geometry.in_shape)  # the step of each element, -1: none
    if elements is not None:
        chosen = step[elements].reshape(-1)
        step = np.full(n_in, -1, dtype=np.int64)
        step[chosen] = np.arange(chosen.size)
        step = step.reshape(geometry.in_shape)
    kept = int(step.max(initial=-1)) + 1 if elements is not None else n_in
    if max_steps is not None:
        kept = max(0, min(int(max_steps), kept))
    canvas_shape = tuple(a.length for a in axes)
    budget.check_elements("the scatter's steps", kept * math.prod(canvas_shape))
    contributions = np.zeros((kept, *canvas_shape), dtype=values.dtype)
    # One index array per axis, shape in_shape + kernel_shape: where (i, j) lands.
    element = step.reshape(geometry.in_shape + (1,) * ndim)
    positions = []
    for axis, line in enumerate(lines):
        landed = line.on_canvas(np.arange(line.size)[:, None], np.arange(line.kernel)[None, :])
        view = [1] * (2 * ndim)
        view[axis], view[ndim + axis] = landed.shape
        positions.append(landed.reshape(view))
    with np.errstate(invalid="ignore", over="ignore"):  # 0 · inf is nan, as in every route
        products = values.reshape(geometry.in_shape + (1,) * ndim) * weight
    full = geometry.in_shape + geometry.kernel_shape
    index = [np.broadcast_to(a, full).reshape(-1) for a in (element, *positions)]
    first = (index[0] >= 0) & (index[0] < kept)
    contributions[tuple(i[first] for i in index)] = np.broadcast_to(products, full).reshape(-1)[
        first
    ]
    # The whole canvas is the scatter with only the zero-extending crops: the canvas itself.
    canvas_geometry = Geometry.from_crops(
        geometry.in_shape,
        geometry.kernel_shape,
        [tuple(-n for n in rules.crop_extension(c)) for c in geometry.crops],
        geometry.stride,
        geometry.dilation,
    )
    canvas = routes.apply(canvas_geometry, values, weight.reshape(geometry.kernel_shape))
    return ScatterSteps(
        contributions, tuple(a.window for a in axes), tuple(a.origin for a in axes), canvas
    )


@dataclass(frozen=True)
class ZeroInsertion:
    """The fractionally strided view: zeros inserted, borders padded, flipped kernel.

    Attributes
    ----------
    inserted : numpy.ndarray
        x with ``s − 1`` zeros between neighbouring values.
    padding : tuple of (int, int)
        ``d·(k − 1) − crop`` per side (negative trims).
    padded : numpy.ndarray
        ``inserted`` after the padding: the grid the flipped kernel slides over.
    holds_input : numpy.ndarray of bool
        Where ``padded`` holds an input value (the rest are inserted or border zeros).
    flipped_kernel : numpy.ndarray
        The scatter's kernel reversed on every axis (for a geometry that flips
        its kernel, such as JAX's default, this is the kernel as given: JAX
        correlates with it directly).
    dilated_kernel : numpy.ndarray
        The flipped kernel with ``d − 1`` zeros between taps.
    result : numpy.ndarray
        The stride-1 correlation of ``padded`` with ``dilated_kernel``: y.
    """

    inserted: np.ndarray
    padding: tuple[tuple[int, int], ...]
    padded: np.ndarray
    holds_input: np.ndarray
    flipped_kernel: np.ndarray
    dilated_kernel: np.ndarray
    result: np.ndarray


def zero_insertion(geometry: Geometry, x: Any, kernel: Any) -> ZeroInsertion:
    """The intermediate arrays of the zero-insertion ("dilate") route.

    Examples
    --------
    >>> z = zero_insertion(Geometry((2,), (2,), stride=2), [1, 10], [1, 2])
    >>> z.padded, z.flipped_kernel, z.result
    (array([ 0,  1,  0, 10,  0]), array([2, 1]), array([ 1,  2, 10, 20]))
    """
    _single_channel(geometry, "zero_insertion")
    values, weight = _plain(geometry, x, kernel)
    inserted = insert_zeros(values, geometry.stride)
    padding = tuple(a.zero_insertion_padding() for a in geometry.axes)
    padded = arrays.pad_or_trim(inserted, list(padding))
    holds_input = arrays.pad_or_trim(
        insert_zeros(np.ones(values.shape, dtype=bool), geometry.stride), list(padding)
    )
    flipped = weight[arrays.trailing((slice(None, None, -1),) * geometry.ndim)]
    dilated = insert_zeros(flipped, geometry.dilation)
    result = routes.apply(geometry, values, kernel, method="dilate")
    return ZeroInsertion(inserted, padding, padded, holds_input, flipped, dilated, result)


@dataclass(frozen=True)
class Phase:
    """One output phase: where it sits, which taps make it, what it computes.

    Attributes
    ----------
    first : tuple of int
        First output index per axis; the phase is ``y[first[0]::s0, first[1]::s1, ...]``.
    taps : tuple of tuple of int
        The sub-kernel's taps (N-D kernel indices).
    values : numpy.ndarray
        The phase's outputs (a stride-1 correlation of x with the sub-kernel).
    """

    first: tuple[int, ...]
    taps: tuple[tuple[int, ...], ...]
    values: np.ndarray


def phases(geometry: Geometry, x: Any, kernel: Any) -> list[Phase]:
    """The ``prod(stride)`` output phases of the polyphase route.

    Examples
    --------
    >>> [(p.first, p.taps, p.values.tolist())
    ...  for p in phases(Geometry((2,), (2,), stride=2), [1, 10], [1, 2])]
    [((0,), ((0,),), [1, 10]), ((1,), ((1,),), [2, 20])]
    """
    _single_channel(geometry, "phases")
    values, _ = _plain(geometry, x, kernel)
    y = routes.apply(geometry, values, kernel, method="polyphase")
    result = []
    for combination in itertools.product(*(a.phases() for a in geometry.axes)):
        first = tuple(p.first for p in combination)
        sub_taps = kernels.sub_kernel_taps(geometry, combination)
        window = tuple(slice(f, None, s) for f, s in zip(first, geometry.stride, strict=True))
        result.append(Phase(first, sub_taps, y[window]))
    return result
