"""A problem to explain or draw: a geometry with its input and kernel values.

``Problem.build`` is the one place where the parameters of ``tconvmat explain``
(and of :func:`tconvmat.explain`, the figures, the animation and the explorer)
become arrays and a geometry: the worked example by default, counting numbers
1, 2, 3, … for a shape given without values, CLI grid text parsed (never
evaluated).

The worked example behind every default: input ``[[3,2,1],[0,5,2],[1,4,7]]``, kernel
``[[1,2],[3,4]]``, stride 2, padding 1 gives ``[[12,6,8,3],[0,5,10,2],[0,15,20,6],[2,4,8,7]]``
(PyTorch's result).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.core import arrays, budget
from tconvmat.text import parsing

__all__ = [
    "WORKED_INPUT",
    "WORKED_KERNEL",
    "WORKED_OUTPUT",
    "WORKED_PADDING",
    "WORKED_STRIDE",
    "Problem",
    "counting",
    "worked_geometry",
]

WORKED_INPUT = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
WORKED_KERNEL = np.array([[1, 2], [3, 4]])
WORKED_STRIDE = 2
WORKED_PADDING = 1
WORKED_OUTPUT = np.array([[12, 6, 8, 3], [0, 5, 10, 2], [0, 15, 20, 6], [2, 4, 8, 7]])


def worked_geometry() -> ConvTranspose:
    """The worked example's geometry: input 3×3, kernel 2×2, stride 2, padding 1.

    Examples
    --------
    >>> worked_geometry().apply(WORKED_INPUT, WORKED_KERNEL).tolist() == WORKED_OUTPUT.tolist()
    True
    """
    return ConvTranspose(
        WORKED_INPUT.shape, WORKED_KERNEL.shape, stride=WORKED_STRIDE, padding=WORKED_PADDING
    )


def counting(shape: tuple[int, ...]) -> np.ndarray:
    """``1, 2, 3, …`` in row-major order on ``shape`` (values a student can follow).

    Examples
    --------
    >>> counting((2, 2))
    array([[1, 2],
           [3, 4]])
    """
    budget.check_elements(f"an array of shape {shape}", math.prod(shape))
    return np.arange(1, math.prod(shape) + 1).reshape(shape)


def _values(name: str, value: Any) -> np.ndarray:
    """Numbers or SymPy objects; text in the command line's grid syntax is parsed."""
    if isinstance(value, str):
        return parsing.value_grid(value, name)
    array = arrays.admit(name, value, exact=True)
    if array.dtype.kind not in "iufcO":
        raise TypeError(f"{name} must hold numbers or symbols, got dtype {array.dtype}")
    return array


@dataclass(frozen=True, eq=False)
class Problem:
    """A transposed convolution with concrete input and kernel.

    Attributes
    ----------
    geometry : ConvTranspose
    x : numpy.ndarray
        ``in_shape`` with one input channel, else ``(in_channels, *in_shape)``.
    kernel : numpy.ndarray
        ``kernel_shape`` with one input and output channel, else PyTorch's
        ``(in_channels, out_channels // groups, *kernel_shape)``.
    inherited : tuple of str
        The parameters (``stride``, ``padding``) left at the worked example's values for
        an input or kernel of the user's own (PyTorch's defaults would be 1 and 0).
    """

    geometry: ConvTranspose
    x: np.ndarray
    kernel: np.ndarray
    inherited: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        """Whether input and kernel hold numbers (not symbols)."""
        return self.x.dtype.kind in "iufc" and self.kernel.dtype.kind in "iufc"

    @classmethod
    def build(
        cls,
        input: Any = None,
        kernel: Any = None,
        *,
        input_shape: Any = None,
        kernel_shape: Any = None,
        stride: Any = None,
        padding: Any = None,
        dilation: Any = 1,
        output_padding: Any = 0,
        in_channels: int = 1,
        out_channels: int = 1,
        groups: int = 1,
        geometry: ConvTranspose | None = None,
        values: bool = True,
        limit: int | None = None,
    ) -> Problem:
        """The problem the explain parameters describe.

        Parameters
        ----------
        input, kernel : array_like or str, optional
            Values (numbers or SymPy symbols), or text such as ``"1,2;3,4"``.
            Without values or shapes: the worked example's.
        input_shape, kernel_shape : tuple of int, optional
            Spatial shapes filled with counting numbers 1, 2, 3, …
        stride, padding, dilation, output_padding, in_channels, out_channels, groups
            As for :class:`~tconvmat.ConvTranspose` (stride 2 and padding 1
            by default: the worked example's; when the input or kernel is not the worked
            example's, the defaults taken are named in ``inherited``).
        geometry : ConvTranspose, optional
            A ready geometry (for example from :mod:`tconvmat.conventions`);
            then the shapes come from it and the other parameters must be left out.
        values : bool
            False builds the geometry (and kernel) without filling an input given by
            its shape: ``x`` is then empty (for commands that need only C).
        limit : int, optional
            With ``values``: most elements of the largest of x, y and the kernel, checked
            before any value is filled in (default ``budget.LIMITS['view']``: the problem is
            for an explanation, a figure or an animation, which compute y by every route).

        Examples
        --------
        >>> Problem.build().geometry.out_shape
        (4, 4)
        >>> Problem.build(input="1,10", kernel="1,2,3").geometry
        ConvTranspose((2,), (3,), stride=2, padding=1)
        """
        if geometry is not None:
            in_shape, k_shape = geometry.in_shape, geometry.kernel_shape
            in_channels, out_channels, groups = (
                geometry.in_channels,
                geometry.out_channels,
                geometry.groups,
            )
        lead_x = () if in_channels == 1 else (in_channels,)
        x = w = None
        if input is not None:
            x = _values("input", input)
            spatial_x = x.shape[len(lead_x) :]
        elif input_shape is not None:
            spatial_x = tuple(np.atleast_1d(input_shape).tolist())
        elif geometry is not None:
            spatial_x = in_shape
        else:
            spatial_x = WORKED_INPUT.shape
            if not lead_x:
                x = WORKED_INPUT
        per_group = out_channels // max(groups, 1)
        lead_w = () if in_channels == out_channels == 1 else (in_channels, per_group)
        if kernel is not None:
            w = _values("kernel", kernel)
            spatial_w = w.shape[len(lead_w) :]
        elif kernel_shape is not None:
            spatial_w = tuple(np.atleast_1d(kernel_shape).tolist())
        elif geometry is not None:
            spatial_w = k_shape
        else:
            spatial_w = WORKED_KERNEL.shape
            if not lead_w:
                w = WORKED_KERNEL
        if len(spatial_x) != len(spatial_w) or not spatial_x:
            raise ValueError(
                f"the input has {len(spatial_x)} spatial dimension(s) and the kernel "
                f"{len(spatial_w)}; they must match (input shape {(*lead_x, *spatial_x)}, "
                f"kernel shape {(*lead_w, *spatial_w)}, {in_channels} input and "
                f"{out_channels} output channel(s))"
            )
        inherited: tuple[str, ...] = ()
        if geometry is None:
            if any(v is not None for v in (input, kernel, input_shape, kernel_shape)):
                inherited = tuple(
                    name for name, v in (("stride", stride), ("padding", padding)) if v is None
                )
            stride = WORKED_STRIDE if stride is None else stride
            padding = WORKED_PADDING if padding is None else padding
            geometry = ConvTranspose(
                spatial_x,
                spatial_w,
                stride,
                padding,
                dilation,
                output_padding,
                in_channels,
                out_channels,
                groups,
            )
        elif (tuple(spatial_x), tuple(spatial_w)) != (geometry.in_shape, geometry.kernel_shape):
            raise ValueError(
                f"input {(*lead_x, *spatial_x)} and kernel {(*lead_w, *spatial_w)} do not fit "
                f"the geometry's in_shape {geometry.in_shape} and kernel_shape "
                f"{geometry.kernel_shape}"
            )
        if values:
            budget.check_view(geometry, limit)
        if input is None and not values:
            x = np.empty((0,) * (len(lead_x) + geometry.ndim), dtype=np.int64)
        elif x is None:
            x = counting(lead_x + geometry.in_shape)
        if w is None:
            w = counting(lead_w + geometry.kernel_shape)
        return cls(geometry, x, w, inherited)

    def pair(self, in_channel: int = 0, out_channel: int | None = None) -> Problem:
        """One (input channel → output channel) pair as a single-channel problem.

        ``out_channel`` defaults to the first output channel of ``in_channel``'s group; the
        kernel is ``kernel[in_channel, out_channel − group·out_per_group]``.

        Examples
        --------
        >>> p = Problem.build(input_shape=(2,), kernel_shape=(2,), in_channels=2, out_channels=4,
        ...                   groups=2, stride=2, padding=0)
        >>> q = p.pair(1, 3)
        >>> q.x.tolist(), q.kernel.tolist(), q.geometry.single_channel
        ([3, 4], [7, 8], True)
        """
        g = self.geometry
        per_in, per_out = g.in_channels // g.groups, g.out_channels // g.groups
        group = in_channel // per_in
        if out_channel is None:
            out_channel = group * per_out
        if not (0 <= in_channel < g.in_channels and 0 <= out_channel < g.out_channels):
            raise ValueError(
                f"channel pair ({in_channel} → {out_channel}) is outside {g.in_channels} input "
                f"and {g.out_channels} output channels"
            )
        if out_channel // per_out != group:
            raise ValueError(
                f"input channel {in_channel} (group {group}) does not reach output channel "
                f"{out_channel} (group {out_channel // per_out})"
            )
        single = dataclasses.replace(g, in_channels=1, out_channels=1, groups=1)
        if g.single_channel:
            return Problem(single, self.x, self.kernel)
        return Problem(single, self.x[in_channel], self.kernel[in_channel, out_channel % per_out])

    def pair_title(self, in_channel: int = 0, out_channel: int = 0) -> str:
        """How a figure of one channel pair of a layer names it (empty with one channel).

        >>> Problem.build(in_channels=2, out_channels=4, groups=2).pair_title()
        'input ch 0 → output ch 0 (one channel pair of this 2 → 4 layer)'
        """
        g = self.geometry
        if g.single_channel:
            return ""
        return (
            f"input ch {in_channel} → output ch {out_channel} (one channel pair of this "
            f"{g.in_channels} → {g.out_channels} layer)"
        )

    def output(self) -> np.ndarray:
        """``y = Cᵀx`` (exact for integers; the closed form for symbols)."""
        if self.numeric:
            return self.geometry.apply(self.x, self.kernel)
        closed = self.geometry.symbolic_apply(self.x, self.kernel)
        shape = closed.shape
        return np.array(closed.tolist(), dtype=object).reshape(shape)
