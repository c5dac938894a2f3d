"""Checking data arrays against a geometry, and the layouts the routes share.

Every route works on a batched, channelled input ``(batch, in_channels,
*in_shape)`` and a weight ``(in_channels, out_channels // groups,
*kernel_shape)``. This module converts the user's layouts to those and back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat.core import axis, rules

if TYPE_CHECKING:
    from tconvmat.core.geometry import Geometry

Restore = Callable[[np.ndarray], np.ndarray]


INT64_MAX = 2**63 - 1


def admit(name: str, value: Any, *, exact: bool = False) -> np.ndarray:
    """The one door data enters by: ``value`` as an array, or a ``TypeError`` naming ``name``.

    Every entry point that takes data (the routes, C, the operator's vectors, the
    dot test, the symbolic forms, the explanation, the figures) reads it here, so
    each kind of array gets the same answer everywhere: masked arrays are refused
    (a ``TypeError``)
    (their mask would be ignored), booleans are refused, and unsigned 64-bit
    integers become int64 when every value fits (else they are refused, since
    tconvmat computes integers exactly in int64: a ``ValueError``; ``exact=True``, for the symbolic
    routes, keeps them as they are). Object arrays pass (the symbolic routes take
    SymPy values); :func:`as_numeric` refuses them.

    Examples
    --------
    >>> admit("x", np.array([1, 2], dtype=np.uint64)).dtype
    dtype('int64')
    >>> admit("x", np.ma.masked_array([1, 2], mask=[0, 1]))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: x is a masked array, whose mask tconvmat would ignore; fill it first ...
    """
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, whose mask tconvmat would ignore; fill it first "
            f"({name}.filled(0)) or pass its data ({name}.data)"
        )
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(f"{name} cannot be read as an array: {error}") from None
    if array.dtype.kind == "b":
        raise TypeError(f"{name} holds booleans (dtype bool); pass numbers (x.astype(int))")
    if array.dtype.kind == "u" and array.dtype.itemsize == 8 and not exact:
        largest = int(array.max(initial=0))
        if largest > INT64_MAX:
            raise ValueError(
                f"{name} holds {largest:,} (dtype uint64), beyond int64's largest value "
                f"{INT64_MAX:,}, in which tconvmat computes integers exactly; convert to "
                "float64 (rounded) or use symbolic_apply (exact integers of any size)"
            )
        array = array.astype(np.int64)
    return array


def as_numeric(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as an integer, floating or complex array (via :func:`admit`).

    Examples
    --------
    >>> as_numeric("kernel", [[1, 2], [3, 4]]).dtype
    dtype('int64')
    >>> as_numeric("kernel", np.array([1], dtype=object))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: kernel must hold integers, floats or complex numbers, got dtype object; ...
    """
    array = admit(name, value)
    kind = array.dtype.kind
    if kind not in "iufc":
        hint = (
            "; for symbols (or integers beyond int64) use the symbolic routes "
            "(symbolic_matrix, symbolic_apply)"
            if kind == "O"
            else ""
        )
        raise TypeError(
            f"{name} must hold integers, floats or complex numbers, got dtype {array.dtype}{hint}"
        )
    if array.dtype == np.float16:
        raise TypeError(f"{name} has dtype float16, which SciPy cannot compute in; use float32")
    return array


def magnitude(array: np.ndarray) -> int:
    """The largest absolute value of an integer array, as an exact Python int."""
    if array.size == 0:
        return 0
    return max(int(array.max()), -int(array.min()))


def result_dtype(*arrays: np.ndarray) -> np.dtype:
    """Dtype of the result: int64 for integers (exact), else NumPy's promotion.

    Examples
    --------
    >>> result_dtype(np.zeros(1, np.int32), np.zeros(1, np.int8))
    dtype('int64')
    >>> result_dtype(np.zeros(1, np.float32), np.zeros(1, np.float32))
    dtype('float32')
    """
    if all(a.dtype.kind in "iu" for a in arrays):
        return np.dtype(np.int64)
    return np.result_type(*arrays)


def batched(
    geometry: Geometry,
    name: str,
    data: Any,
    spatial: tuple[int, ...],
    channels: int,
    out_channels: int,
    convert: Callable[[str, Any], np.ndarray] = as_numeric,
) -> tuple[np.ndarray, Restore]:
    """Reshape data to ``(batch, channels, *spatial)``; also return the inverse for results.

    Accepted layouts: ``spatial`` (only with one channel), ``(channels,
    *spatial)`` and ``(batch, channels, *spatial)``. The returned function maps
    a batched result with ``out_channels`` back to the caller's layout.
    """
    array = convert(name, data)
    ndim = geometry.ndim
    if array.shape == spatial and channels == 1:
        squeeze_channel = out_channels == 1
        return array[None, None], (lambda y: y[0, 0] if squeeze_channel else y[0])
    if array.ndim == ndim + 1 and array.shape == (channels, *spatial):
        return array[None], (lambda y: y[0])
    if array.ndim == ndim + 2 and array.shape[1:] == (channels, *spatial):
        return array, (lambda y: y)
    layouts = f"(batch, {channels}, *{spatial}) or ({channels}, *{spatial})"
    if channels == 1:
        layouts += f" or {spatial}"
    raise ValueError(f"{name} has shape {array.shape}, but this geometry needs {layouts}")


def trailing(parts: Iterable[Any]) -> tuple[Any, ...]:
    """Index ``(..., *parts)``: ``parts`` address the trailing (spatial) axes."""
    return (Ellipsis, *parts)


def crop(array: np.ndarray, crops: list[tuple[int, int]]) -> np.ndarray:
    """Cut ``crops`` from both ends of the trailing axes; a negative crop pads zeros instead.

    Examples
    --------
    >>> crop(np.array([1, 2, 3]), [(1, -1)])
    array([2, 3, 0])
    """
    lead = array.ndim - len(crops)
    padded = np.pad(array, [(0, 0)] * lead + [rules.crop_extension(c) for c in crops])
    window = tuple(
        slice(lo, size - hi)
        for (lo, hi), size in zip(map(rules.crop_cut, crops), padded.shape[lead:], strict=True)
    )
    return padded[trailing(window)]


def pad_or_trim(array: np.ndarray, pairs: list[tuple[int, int]]) -> np.ndarray:
    """Pad the trailing spatial axes with zeros where a pair is positive, trim where negative.

    Examples
    --------
    >>> pad_or_trim(np.array([1, 2, 3]), [(1, -1)])
    array([0, 1, 2])
    """
    return crop(array, [(-lo, -hi) for lo, hi in pairs])


def sliding_windows(
    array: np.ndarray,
    kernel_shape: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
) -> np.ndarray:
    """Strided, dilated windows over the trailing spatial axes (a view, no copy).

    The result has shape ``(*leading, *positions, *kernel_shape)``.
    """
    ndim = len(kernel_shape)
    spatial = tuple(range(array.ndim - ndim, array.ndim))
    extent = tuple(axis.extent(k, d) for k, d in zip(kernel_shape, dilation, strict=True))
    windows = np.lib.stride_tricks.sliding_window_view(array, extent, axis=spatial)
    steps = tuple(slice(None, None, s) for s in stride) + tuple(
        slice(None, None, d) for d in dilation
    )
    return windows[trailing(steps)]
