"""The geometry of a transposed convolution: parameters, validated once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat import _validate, taps

if TYPE_CHECKING:
    from scipy.sparse import csr_array

__all__ = ["METHODS", "ConvTranspose"]

METHODS = ("matrix", "scatter", "dilate", "polyphase")
"""Names of the independent routes that compute ``y = Cᵀx``."""


@dataclass(frozen=True, init=False)
class ConvTranspose:
    """A transposed convolution and the matrix C of its forward convolution.

    The transposed convolution maps an input ``x`` of ``in_shape`` to ``y = Cᵀx``
    of ``out_shape``, where C is the sparse matrix of the forward convolution
    with the same parameters (rows: input elements, columns: output elements,
    both flattened row-major, channel by channel). Parameters follow PyTorch's
    ``torch.nn.ConvTranspose{1,2,3}d``.

    Parameters
    ----------
    in_shape : int or tuple of int
        Spatial shape of the input; its length is the number of spatial dims.
    kernel_shape : int or tuple of int
        Spatial shape of the kernel, one entry per spatial dim.
    stride, dilation : int or tuple of int, default 1
        Per axis; must be >= 1.
    padding : int, tuple of int, or tuple of (low, high) pairs, default 0
        Crop of the uncropped output per side (>= 0).
    output_padding : int or tuple of int, default 0
        Extra length added on the high side; smaller than stride or dilation.
    in_channels, out_channels, groups : int, default 1
        Channels of x and y; both divisible by ``groups``.

    Attributes
    ----------
    crops : tuple of (int, int)
        Per axis ``(padding_lo, padding_hi - output_padding)``: how much is cut
        from each end of the uncropped scatter (negative: zero-extension).
    out_shape : tuple of int
        Spatial shape of the output.

    Raises
    ------
    ValueError, TypeError
        When a parameter breaks a rule; the message names it, its value and the rule.

    Notes
    -----
    Per axis, ``L_out = (L_in - 1)·s - p_lo - p_hi + d·(k - 1) + output_padding + 1``
    and ``C[i, t] = w[j]`` exactly when ``t + crop_lo = i·s + j·d``.

    Examples
    --------
    >>> import numpy as np
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> g.out_shape
    (4, 4)
    >>> x = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
    >>> g.apply(x, np.array([[1, 2], [3, 4]]))
    array([[12,  6,  8,  3],
           [ 0,  5, 10,  2],
           [ 0, 15, 20,  6],
           [ 2,  4,  8,  7]])
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
    crops: tuple[tuple[int, int], ...] = field(init=False, repr=False, compare=False)
    out_shape: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        in_shape: Any,
        kernel_shape: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        output_padding: Any = 0,
        in_channels: int = 1,
        out_channels: int = 1,
        groups: int = 1,
    ) -> None:
        self._setup(
            in_shape,
            kernel_shape,
            stride,
            padding,
            dilation,
            output_padding,
            in_channels,
            out_channels,
            groups,
            allow_negative_padding=False,
        )

    @classmethod
    def from_crops(
        cls,
        in_shape: Any,
        kernel_shape: Any,
        crops: Any,
        stride: Any = 1,
        dilation: Any = 1,
        in_channels: int = 1,
        out_channels: int = 1,
        groups: int = 1,
    ) -> ConvTranspose:
        """Build a geometry from per-side crops of the uncropped scatter.

        Crops may be negative (zero-extension) and asymmetric in either
        direction; this is how TensorFlow's, JAX's and ONNX's paddings are
        expressed. ``padding`` then holds the crops and ``output_padding`` is 0.

        Examples
        --------
        >>> ConvTranspose.from_crops((3,), (3,), crops=[(0, -1)], stride=2).out_shape
        (8,)
        """
        self = cls.__new__(cls)
        self._setup(
            in_shape,
            kernel_shape,
            stride,
            crops,
            dilation,
            0,
            in_channels,
            out_channels,
            groups,
            allow_negative_padding=True,
        )
        return self

    def _setup(
        self,
        in_shape: Any,
        kernel_shape: Any,
        stride: Any,
        padding: Any,
        dilation: Any,
        output_padding: Any,
        in_channels: Any,
        out_channels: Any,
        groups: Any,
        *,
        allow_negative_padding: bool,
    ) -> None:
        in_shape = _validate.shape("in_shape", in_shape)
        kernel_shape = _validate.shape("kernel_shape", kernel_shape)
        ndim = len(in_shape)
        if len(kernel_shape) != ndim:
            raise ValueError(
                f"kernel_shape {kernel_shape} has {len(kernel_shape)} dimension(s) but "
                f"in_shape {in_shape} has {ndim}; they must have the same number of "
                "spatial dimensions"
            )
        stride = _validate.per_axis("stride", stride, ndim, minimum=1)
        dilation = _validate.per_axis("dilation", dilation, ndim, minimum=1)
        padding = _validate.per_side(
            "padding", padding, ndim, minimum=None if allow_negative_padding else 0
        )
        output_padding = _validate.per_axis("output_padding", output_padding, ndim, minimum=0)
        for axis in range(ndim):
            op, s, d = output_padding[axis], stride[axis], dilation[axis]
            if op >= s and op >= d:
                where = f" on axis {axis}" if ndim > 1 else ""
                raise ValueError(
                    f"output_padding ({op}) must be smaller than stride ({s}) or "
                    f"dilation ({d}){where} (PyTorch's rule)"
                )
        in_channels = _validate.as_int("in_channels", in_channels)
        out_channels = _validate.as_int("out_channels", out_channels)
        groups = _validate.as_int("groups", groups)
        for name, value in (
            ("in_channels", in_channels),
            ("out_channels", out_channels),
            ("groups", groups),
        ):
            if value < 1:
                raise ValueError(f"{name} ({value}) must be >= 1")
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if value % groups:
                raise ValueError(f"{name} ({value}) must be divisible by groups ({groups})")
        crops = tuple((lo, hi - op) for (lo, hi), op in zip(padding, output_padding, strict=True))
        out_shape = tuple(
            taps.output_length(i, k, s, d, c)
            for i, k, s, d, c in zip(in_shape, kernel_shape, stride, dilation, crops, strict=True)
        )
        for axis, size in enumerate(out_shape):
            if size < 1:
                raise ValueError(
                    f"the output size on axis {axis} would be {size}: (in {in_shape[axis]} - 1)"
                    f"·stride {stride[axis]} - padding {padding[axis][0]} - padding "
                    f"{padding[axis][1]} + dilation {dilation[axis]}·(kernel "
                    f"{kernel_shape[axis]} - 1) + output_padding {output_padding[axis]} + 1 "
                    "must be >= 1; reduce the padding"
                )
        values = {
            "in_shape": in_shape,
            "kernel_shape": kernel_shape,
            "stride": stride,
            "padding": padding,
            "dilation": dilation,
            "output_padding": output_padding,
            "in_channels": in_channels,
            "out_channels": out_channels,
            "groups": groups,
            "crops": crops,
            "out_shape": out_shape,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def ndim(self) -> int:
        """Number of spatial dimensions."""
        return len(self.in_shape)

    @property
    def full_shape(self) -> tuple[int, ...]:
        """Spatial shape of the uncropped scatter, ``(I - 1)·s + d·(k - 1) + 1`` per axis."""
        return tuple(
            taps.full_length(i, k, s, d)
            for i, k, s, d in zip(
                self.in_shape, self.kernel_shape, self.stride, self.dilation, strict=True
            )
        )

    @property
    def weight_shape(self) -> tuple[int, ...]:
        """PyTorch's weight layout ``(in_channels, out_channels // groups, *kernel_shape)``."""
        return (self.in_channels, self.out_channels // self.groups, *self.kernel_shape)

    @property
    def matrix_shape(self) -> tuple[int, int]:
        """Shape of C: ``(in_channels·prod(in_shape), out_channels·prod(out_shape))``."""
        return (
            self.in_channels * math.prod(self.in_shape),
            self.out_channels * math.prod(self.out_shape),
        )

    def matrix(self, kernel: Any) -> csr_array:
        """C as a ``scipy.sparse.csr_array``; see :func:`tconvmat.matrix.build_matrix`."""
        from tconvmat.matrix import build_matrix

        return build_matrix(self, kernel)

    def apply(self, x: Any, kernel: Any, method: str = "auto") -> np.ndarray:
        """The transposed convolution ``y = Cᵀx``; see :func:`tconvmat.routes.apply`."""
        from tconvmat.routes import apply

        return apply(self, x, kernel, method=method)

    def symbolic_matrix(self, kernel: Any = None, *, limit: int = 10**6) -> Any:
        """C with SymPy entries; see :func:`tconvmat.symbolic.symbolic_matrix`."""
        from tconvmat.symbolic import symbolic_matrix

        return symbolic_matrix(self, kernel, limit=limit)

    def symbolic_apply(self, x: Any = None, kernel: Any = None, *, limit: int = 10**6) -> Any:
        """Exact closed-form ``Cᵀx``; see :func:`tconvmat.symbolic.symbolic_apply`."""
        from tconvmat.symbolic import symbolic_apply

        return symbolic_apply(self, x, kernel, limit=limit)

    def general_term(self, m: Any = None) -> Any:
        """``y[m]`` per output phase; see :func:`tconvmat.general_term.general_term`."""
        from tconvmat.general_term import general_term

        return general_term(self, m)

    def _repr_markdown_(self) -> str:
        from tconvmat.display import geometry_markdown

        return geometry_markdown(self)

    def conv(self, y: Any, kernel: Any, method: str = "direct") -> np.ndarray:
        """The forward convolution ``C @ y``; see :func:`tconvmat.routes.conv`."""
        from tconvmat.routes import conv

        return conv(self, y, kernel, method=method)
