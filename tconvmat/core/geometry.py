"""The geometry of a transposed convolution: plain, frozen parameters, validated once.

:class:`Geometry` knows its sizes (through :mod:`tconvmat.core.axis`) and nothing
else: no matrices, routes, SymPy or figures. Everything that *does* something
with a geometry imports this module; it imports none of them. The friendly
methods (``matrix``, ``apply``, ...) live on :class:`tconvmat.ConvTranspose`,
which subclasses it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tconvmat.core import axis, rules, validation

__all__ = ["PYTORCH", "Geometry"]

PYTORCH = "pytorch"

MAX_LENGTH = 2**40
"""Longest axis (uncropped scatter or input) a geometry represents; beyond, sizes overflow."""
MAX_ELEMENTS = 2**62
"""Most elements (channels × positions) of an input or output a geometry represents."""
"""The framework whose rules ``padding`` and ``output_padding`` follow by default."""

G = TypeVar("G", bound="Geometry")


def _compact(values: tuple[Any, ...]) -> Any:
    """One value when every axis has the same, else the tuple (for a readable repr)."""
    return values[0] if len(set(values)) == 1 else values


@dataclass(frozen=True, init=False, repr=False)
class Geometry:
    """The parameters of a transposed convolution, with PyTorch's meanings.

    Parameters
    ----------
    in_shape : int or tuple of int
        Spatial shape of the input; its length is the number of spatial dims.
    kernel_shape : int or tuple of int
        Spatial shape of the kernel, one entry per spatial dim.
    stride, dilation : int or tuple of int, default 1
        Per axis; must be >= 1.
    padding : int, tuple of int, or tuple of (low, high) pairs, default 0
        Crop of the uncropped output per side; >= 0 under PyTorch's rules
        (``framework='pytorch'``). Geometries from other frameworks hold their
        crops here, where a negative value extends the output with zeros.
    output_padding : int or tuple of int, default 0
        Extra length added on the high side; smaller than stride or dilation.
    in_channels, out_channels, groups : int, default 1
        Channels of x and y; both divisible by ``groups``.
    flip_kernel : bool, default False
        Whether the kernel is given reversed on its spatial axes, as in JAX's
        ``lax.conv_transpose`` with ``transpose_kernel=False``, which correlates
        the zero-inserted input with the kernel as given. Every view reads the
        kernel through :func:`tconvmat.core.kernels.weight`, which applies it.
    framework : str, default 'pytorch'
        Whose convention the parameters come from: ``'pytorch'``, or
        ``'crops'``, ``'tensorflow'``, ``'keras'``, ``'jax'``, ``'onnx'`` for
        geometries whose ``padding`` holds crops.

    Attributes
    ----------
    crops : tuple of (int, int)
        Per axis ``(padding_lo, padding_hi − output_padding)``: how much is cut
        from each end of the uncropped scatter (negative: zero-extension).
    out_shape : tuple of int
        Spatial shape of the output.

    Notes
    -----
    Per axis, ``L_out = (L_in − 1)·s − p_lo − p_hi + d·(k − 1) + output_padding + 1``.
    Equality and hashing cover every parameter, ``flip_kernel`` and
    ``framework`` included, so two geometries are equal exactly when they
    compute the same thing from the same convention.
    """

    in_shape: tuple[int, ...]
    kernel_shape: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]
    dilation: tuple[int, ...]
    output_padding: tuple[int, ...]
    in_channels: int
    out_channels: int
    groups: int
    flip_kernel: bool
    framework: str
    crops: tuple[tuple[int, int], ...] = field(init=False, compare=False)
    out_shape: tuple[int, ...] = field(init=False, compare=False)

    def __init__(
        self,
        in_shape: Any,
        kernel_shape: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        output_padding: Any = 0,
        in_channels: Any = 1,
        out_channels: Any = 1,
        groups: Any = 1,
        *,
        flip_kernel: Any = False,
        framework: Any = PYTORCH,
    ) -> None:
        in_shape, kernel_shape = validation.shapes(in_shape, kernel_shape)
        ndim = len(in_shape)
        framework = validation.name("framework", framework)
        if not isinstance(flip_kernel, bool):
            raise TypeError(f"flip_kernel must be True or False, got {flip_kernel!r}")
        stride = validation.per_axis("stride", stride, ndim, minimum=1)
        dilation = validation.per_axis("dilation", dilation, ndim, minimum=1)
        padding = validation.per_side(
            "padding", padding, ndim, minimum=0 if framework == PYTORCH else None
        )
        output_padding = validation.per_axis("output_padding", output_padding, ndim, minimum=0)
        for a in range(ndim):
            rules.check_output_padding(
                output_padding[a], stride[a], dilation[a], where=f" on axis {a}" if ndim > 1 else ""
            )
        channels = {
            name: validation.as_int(name, value)
            for name, value in (
                ("in_channels", in_channels),
                ("out_channels", out_channels),
                ("groups", groups),
            )
        }
        for name, value in channels.items():
            if value < 1:
                raise ValueError(f"{name} ({value}) must be >= 1")
        for name in ("in_channels", "out_channels"):
            if channels[name] % channels["groups"]:
                raise ValueError(
                    f"{name} ({channels[name]}) must be divisible by groups ({channels['groups']})"
                )
        crops = tuple(
            rules.pytorch_crops(pair, op) for pair, op in zip(padding, output_padding, strict=True)
        )
        out_shape = tuple(
            axis.output_length(i, k, s, d, c)
            for i, k, s, d, c in zip(in_shape, kernel_shape, stride, dilation, crops, strict=True)
        )
        for a in range(ndim):
            full = axis.full_length(in_shape[a], kernel_shape[a], stride[a], dilation[a])
            reach = max(full, in_shape[a], out_shape[a], *(abs(p) for p in padding[a]))
            if reach > MAX_LENGTH:
                raise ValueError(
                    f"axis {a} would be {reach:,} positions long (in_shape {in_shape[a]}, "
                    f"kernel_shape {kernel_shape[a]}, stride {stride[a]}, dilation "
                    f"{dilation[a]}, padding {padding[a]}); tconvmat represents at most "
                    f"2**40 = {MAX_LENGTH:,} per axis: reduce the stride, dilation, padding "
                    "or sizes"
                )
        for name, count, shape in (
            ("in_channels × in_shape", channels["in_channels"], in_shape),
            ("out_channels × out_shape", channels["out_channels"], out_shape),
        ):
            if count * math.prod(shape) > MAX_ELEMENTS:
                raise ValueError(
                    f"{name} = {count} × {shape} is {count * math.prod(shape):,} elements; "
                    f"tconvmat represents at most 2**62: reduce the sizes or channels"
                )
        for a, size in enumerate(out_shape):
            if size < 1:
                raise ValueError(
                    f"the output size on axis {a} would be {size}: (in {in_shape[a]} - 1)"
                    f"·stride {stride[a]} - padding {padding[a][0]} - padding "
                    f"{padding[a][1]} + dilation {dilation[a]}·(kernel "
                    f"{kernel_shape[a]} - 1) + output_padding {output_padding[a]} + 1 "
                    "must be >= 1; reduce the padding"
                )
        values = {
            "in_shape": in_shape,
            "kernel_shape": kernel_shape,
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "output_padding": output_padding,
            **channels,
            "flip_kernel": flip_kernel,
            "framework": framework,
            "crops": crops,
            "out_shape": out_shape,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_crops(
        cls: type[G],
        in_shape: Any,
        kernel_shape: Any,
        crops: Any,
        stride: Any = 1,
        dilation: Any = 1,
        in_channels: Any = 1,
        out_channels: Any = 1,
        groups: Any = 1,
        *,
        flip_kernel: bool = False,
        framework: str = "crops",
    ) -> G:
        """Build a geometry from per-side crops of the uncropped scatter.

        Crops may be negative (zero-extension) and asymmetric in either
        direction; this is how TensorFlow's, JAX's and ONNX's paddings are
        expressed. ``padding`` then holds the crops and ``output_padding`` is 0.

        Examples
        --------
        >>> Geometry.from_crops((3,), (3,), crops=[(0, -1)], stride=2).out_shape
        (8,)
        """
        return cls(
            in_shape,
            kernel_shape,
            stride,
            crops,
            dilation,
            0,
            in_channels,
            out_channels,
            groups,
            flip_kernel=flip_kernel,
            framework=framework,
        )

    @property
    def ndim(self) -> int:
        """Number of spatial dimensions."""
        return len(self.in_shape)

    @property
    def axes(self) -> tuple[axis.Axis, ...]:
        """The per-axis parameters, each with its index arithmetic (:class:`~.axis.Axis`)."""
        return tuple(
            axis.Axis(i, k, s, d, c)
            for i, k, s, d, c in zip(
                self.in_shape,
                self.kernel_shape,
                self.stride,
                self.dilation,
                self.crops,
                strict=True,
            )
        )

    @property
    def full_shape(self) -> tuple[int, ...]:
        """Spatial shape of the uncropped scatter, ``(I − 1)·s + d·(k − 1) + 1`` per axis."""
        return tuple(a.full_length for a in self.axes)

    @property
    def weight_shape(self) -> tuple[int, ...]:
        """PyTorch's weight layout ``(in_channels, out_channels // groups, *kernel_shape)``."""
        return (self.in_channels, self.out_channels // self.groups, *self.kernel_shape)

    @property
    def single_channel(self) -> bool:
        """One input and one output channel (plain arrays of ``in_shape`` and ``kernel_shape``)."""
        return self.in_channels == self.out_channels == 1

    @property
    def matrix_shape(self) -> tuple[int, int]:
        """Shape of C: ``(in_channels·prod(in_shape), out_channels·prod(out_shape))``."""
        return (
            self.in_channels * math.prod(self.in_shape),
            self.out_channels * math.prod(self.out_shape),
        )

    def __repr__(self) -> str:
        """A constructor call that rebuilds the geometry, defaults left out."""
        arguments = [repr(self.in_shape), repr(self.kernel_shape)]
        pads = {side for pair in self.padding for side in pair}
        padding = pads.pop() if len(pads) == 1 else self.padding
        defaults: list[tuple[str, Any, Any]] = [
            ("stride", _compact(self.stride), 1),
            ("padding", padding, 0),
            ("dilation", _compact(self.dilation), 1),
            ("output_padding", _compact(self.output_padding), 0),
            ("in_channels", self.in_channels, 1),
            ("out_channels", self.out_channels, 1),
            ("groups", self.groups, 1),
            ("flip_kernel", self.flip_kernel, False),
            ("framework", self.framework, PYTORCH),
        ]
        arguments += [f"{name}={value!r}" for name, value, default in defaults if value != default]
        return f"{type(self).__name__}({', '.join(arguments)})"
