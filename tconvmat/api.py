"""``ConvTranspose``: a geometry with the friendly methods, and the one-call functions.

The methods call down into the layers below (:mod:`tconvmat.core.sparse`,
:mod:`tconvmat.routes`, :mod:`tconvmat.symbolic`); nothing below this module
knows it exists. SymPy is imported only by the symbolic methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from tconvmat import routes
from tconvmat.core import arrays, axis, rules, validation
from tconvmat.core.geometry import Geometry
from tconvmat.core.sparse import build_matrix
from tconvmat.text.display import geometry_markdown

if TYPE_CHECKING:
    from scipy.sparse import csr_array

    from tconvmat.symbolic.general_term import GeneralTerm

__all__ = ["ConvTranspose", "conv_matrix", "conv_transpose"]


class ConvTranspose(Geometry):
    """A transposed convolution and the matrix C of its forward convolution.

    The transposed convolution maps an input ``x`` of ``in_shape`` to ``y = Cᵀx``
    of ``out_shape``, where C is the sparse matrix of the forward convolution
    with the same parameters (rows: input elements, columns: output elements,
    both flattened row-major, channel by channel). Parameters follow PyTorch's
    ``torch.nn.ConvTranspose{1,2,3}d``; see :class:`tconvmat.core.geometry.Geometry`
    for every parameter and rule.

    Parameters
    ----------
    in_shape, kernel_shape : int or tuple of int
        Spatial shapes of the input and the kernel.
    stride, padding, dilation, output_padding : int or tuple
        As in PyTorch; ``padding`` also takes per-side ``(low, high)`` pairs.
    in_channels, out_channels, groups : int, default 1
    flip_kernel : bool, default False
        The kernel is given reversed (JAX's ``transpose_kernel=False``).
    framework : str, default 'pytorch'
        Whose convention the parameters come from.

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
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> g
    ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> g.out_shape
    (4, 4)
    >>> x = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
    >>> g.apply(x, np.array([[1, 2], [3, 4]]))
    array([[12,  6,  8,  3],
           [ 0,  5, 10,  2],
           [ 0, 15, 20,  6],
           [ 2,  4,  8,  7]])
    """

    def matrix(self, kernel: Any, *, limit: int | None = None) -> csr_array:
        """C as a ``scipy.sparse.csr_array``; see :func:`tconvmat.core.sparse.build_matrix`."""
        return build_matrix(self, kernel, limit=limit)

    def apply(
        self, x: Any, kernel: Any, method: str = "auto", *, limit: int | None = None
    ) -> np.ndarray:
        """The transposed convolution ``y = Cᵀx``; see :func:`tconvmat.routes.apply`."""
        return routes.apply(self, x, kernel, method=method, limit=limit)

    def conv(
        self, y: Any, kernel: Any, method: str = "direct", *, limit: int | None = None
    ) -> np.ndarray:
        """The forward convolution ``C @ y``; see :func:`tconvmat.routes.conv`."""
        return routes.conv(self, y, kernel, method=method, limit=limit)

    @property
    def nnz(self) -> int:
        """Stored entries of C, counted without building it."""
        from tconvmat.core.structure import nnz

        return nnz(self)

    def symbolic_matrix(self, kernel: Any = None, *, limit: int = 10**6) -> Any:
        """C with SymPy entries; see :func:`tconvmat.symbolic.symbolic_matrix`."""
        from tconvmat.symbolic import symbolic_matrix

        return symbolic_matrix(self, kernel, limit=limit)

    def symbolic_apply(self, x: Any = None, kernel: Any = None, *, limit: int = 10**6) -> Any:
        """Exact closed-form ``Cᵀx``; see :func:`tconvmat.symbolic.symbolic_apply`."""
        from tconvmat.symbolic import symbolic_apply

        return symbolic_apply(self, x, kernel, limit=limit)

    def general_term(self, m: Any = None, *, limit: int | None = None) -> GeneralTerm:
        """``y[m]`` per output phase; see :func:`tconvmat.symbolic.general_term`."""
        from tconvmat.symbolic import general_term

        return general_term(self, m, limit=limit)

    def _repr_markdown_(self) -> str:
        return geometry_markdown(self)

    @classmethod
    def from_conv(
        cls,
        size: Any,
        kernel_shape: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        conv_out_channels: Any = 1,
        conv_in_channels: Any = 1,
        groups: Any = 1,
    ) -> ConvTranspose:
        """The geometry whose forward convolution is ``conv{N}d`` on an input of ``size``.

        Parameters are the forward convolution's (``padding`` per side allowed);
        ``conv.conv(y, weight)`` then equals the convolution of ``y`` and ``in_shape``
        is its output size. Positions past the last full window are never read: a
        negative crop of the transposed view, as PyTorch's ``output_padding`` gives back.

        Examples
        --------
        >>> g = ConvTranspose.from_conv((8,), (3,), stride=2, padding=1)
        >>> g.in_shape, g.out_shape, g.crops
        ((4,), (8,), ((1, 0),))
        """
        size = validation.shape("size", size)
        ndim = len(size)
        kernel_shape = validation.per_axis("kernel_shape", kernel_shape, ndim, minimum=1)
        stride = validation.per_axis("stride", stride, ndim, minimum=1)
        dilation = validation.per_axis("dilation", dilation, ndim, minimum=1)
        pads = validation.per_side("padding", padding, ndim, minimum=0)
        in_shape, crops = [], []
        for n, k, s, d, (lo, hi) in zip(size, kernel_shape, stride, dilation, pads, strict=True):
            length, unused = axis.forward_length(n, k, s, d, (lo, hi))
            if length == 0:
                raise ValueError(
                    f"input size {n} with padding ({lo}, {hi}) is smaller than the dilated "
                    f"kernel extent {axis.extent(k, d)}"
                )
            in_shape.append(length)
            crops.append(rules.pytorch_crops((lo, hi), unused))
        return cls.from_crops(
            in_shape,
            kernel_shape,
            crops,
            stride,
            dilation,
            conv_out_channels,
            conv_in_channels,
            groups,
        )


def conv_transpose(
    x: Any,
    kernel: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
    method: str = "auto",
) -> np.ndarray:
    """Transposed convolution of an N-D grid ``x`` with an N-D ``kernel``.

    Parameters
    ----------
    x, kernel : array_like
        Arrays with the same number of dimensions (one channel, no batch).
    stride, padding, dilation, output_padding
        As in :class:`ConvTranspose`.
    method : str
        A route of :func:`tconvmat.routes.apply`.

    Returns
    -------
    numpy.ndarray
        ``Cᵀx`` reshaped to the output grid.

    Examples
    --------
    >>> conv_transpose([[3, 2, 1], [0, 5, 2], [1, 4, 7]], [[1, 2], [3, 4]], stride=2, padding=1)
    array([[12,  6,  8,  3],
           [ 0,  5, 10,  2],
           [ 0, 15, 20,  6],
           [ 2,  4,  8,  7]])
    """
    x = arrays.as_numeric("x", x)
    kernel = arrays.as_numeric("kernel", kernel)
    if x.ndim != kernel.ndim:
        raise ValueError(
            f"x has {x.ndim} dimension(s) and kernel {kernel.ndim}; conv_transpose needs "
            "the same number (use ConvTranspose or tconvmat.functional for channels)"
        )
    geometry = ConvTranspose(x.shape, kernel.shape, stride, padding, dilation, output_padding)
    return geometry.apply(x, kernel, method=method)


def conv_matrix(
    kernel: Any,
    in_shape: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
) -> csr_array:
    """C for a plain single-channel N-D kernel and input shape.

    Parameters are those of :class:`ConvTranspose`; ``in_shape`` is the shape of
    the transposed convolution's input.

    Examples
    --------
    >>> conv_matrix([[1, 2], [3, 4]], (3, 3), stride=2, padding=1).shape
    (9, 16)
    """
    kernel = arrays.as_numeric("kernel", kernel)
    geometry = ConvTranspose(in_shape, kernel.shape, stride, padding, dilation, output_padding)
    return geometry.matrix(kernel)
