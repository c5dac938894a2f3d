"""Every framework's transposed-convolution parameters as one crop model, and back.

Per axis, the uncropped scatter has ``L = (I − 1)·s + d·(k − 1) + 1`` positions;
each framework's padding rule picks a window of it (``crops``), and some
frameworks scatter the kernel reversed (``flip_kernel``). PyTorch and ONNX
(``padding``, ``output_padding``), TensorFlow and Keras (``'SAME'``/``'VALID'``
and ``output_shape``) and JAX (``lax.conv_transpose``) all reduce to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import _validate, taps
from tconvmat.geometry import ConvTranspose

__all__ = [
    "Comparison",
    "FrameworkConvTranspose",
    "PyTorchCall",
    "channels_first",
    "channels_last",
    "compare",
    "from_jax",
    "from_keras",
    "from_onnx",
    "from_pytorch",
    "from_tensorflow",
    "to_pytorch",
    "weight_to_pytorch",
]


class FrameworkConvTranspose(ConvTranspose):
    """A geometry plus how a framework orients its kernel.

    ``apply``, ``matrix`` and ``conv`` take the kernel as the framework stores
    it (spatial part, in tconvmat's channel layout) and reverse it first when
    ``flip_kernel`` is set, so the numbers are the framework's.

    Attributes
    ----------
    framework : str
        Where the parameters came from.
    flip_kernel : bool
        Whether the framework correlates with the kernel as given (JAX's
        default), which is a transposed convolution with the reversed kernel.
    """

    framework: str
    flip_kernel: bool

    @classmethod
    def build(
        cls,
        framework: str,
        in_shape: tuple[int, ...],
        kernel_shape: tuple[int, ...],
        crops: list[tuple[int, int]],
        stride: tuple[int, ...],
        dilation: tuple[int, ...],
        flip_kernel: bool = False,
    ) -> FrameworkConvTranspose:
        """A geometry from crops, labelled with its framework."""
        geometry = cls.from_crops(in_shape, kernel_shape, crops, stride=stride, dilation=dilation)
        assert isinstance(geometry, FrameworkConvTranspose)
        object.__setattr__(geometry, "framework", framework)
        object.__setattr__(geometry, "flip_kernel", flip_kernel)
        return geometry

    def oriented(self, kernel: Any) -> np.ndarray:
        """The kernel as tconvmat scatters it (reversed on every spatial axis if flipped)."""
        kernel = np.asarray(kernel)
        if not self.flip_kernel:
            return kernel
        return np.flip(kernel, axis=tuple(range(kernel.ndim - self.ndim, kernel.ndim)))

    def apply(self, x: Any, kernel: Any, method: str = "auto") -> np.ndarray:
        return super().apply(x, self.oriented(kernel), method=method)

    def matrix(self, kernel: Any) -> Any:
        return super().matrix(self.oriented(kernel))

    def conv(self, y: Any, kernel: Any, method: str = "direct") -> np.ndarray:
        return super().conv(y, self.oriented(kernel), method=method)

    def __repr__(self) -> str:
        flip = ", kernel flipped" if self.flip_kernel else ""
        return (
            f"FrameworkConvTranspose({self.framework}: in_shape={self.in_shape}, "
            f"kernel_shape={self.kernel_shape}, stride={self.stride}, dilation={self.dilation}, "
            f"crops={self.crops}, out_shape={self.out_shape}{flip})"
        )


def _common(
    in_shape: Any, kernel_shape: Any, stride: Any, dilation: Any
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    in_shape = _validate.shape("in_shape", in_shape)
    kernel_shape = _validate.shape("kernel_shape", kernel_shape)
    ndim = len(in_shape)
    if len(kernel_shape) != ndim:
        raise ValueError(
            f"kernel_shape {kernel_shape} and in_shape {in_shape} have different numbers of "
            "spatial dimensions"
        )
    stride = _validate.per_axis("stride", stride, ndim, minimum=1)
    dilation = _validate.per_axis("dilation", 1 if dilation is None else dilation, ndim, minimum=1)
    return in_shape, kernel_shape, stride, dilation


def _extent(k: int, d: int) -> int:
    return d * (k - 1) + 1


def from_pytorch(
    in_shape: Any,
    kernel_shape: Any,
    stride: Any = 1,
    padding: Any = 0,
    output_padding: Any = 0,
    dilation: Any = 1,
    output_size: Any = None,
) -> FrameworkConvTranspose:
    """``torch.nn.ConvTranspose{N}d``: crops ``(p, p − output_padding)``.

    ``output_size`` (as in ``ConvTranspose.forward(x, output_size=...)``)
    chooses ``output_padding`` instead; it must lie in PyTorch's range
    ``[min, min + stride − 1]`` with ``min = (I − 1)·s − 2p + d·(k − 1) + 1``.

    Examples
    --------
    >>> from_pytorch((16,), (3,), stride=2, padding=1, output_size=(32,)).crops
    ((1, 0),)
    """
    in_shape, kernel_shape, stride, dilation = _common(in_shape, kernel_shape, stride, dilation)
    ndim = len(in_shape)
    pads = _validate.per_axis("padding", padding, ndim, minimum=0)
    if output_size is not None:
        sizes = _validate.per_axis("output_size", output_size, ndim, minimum=1)
        extra = []
        for axis in range(ndim):
            smallest = (
                (in_shape[axis] - 1) * stride[axis]
                - 2 * pads[axis]
                + _extent(kernel_shape[axis], dilation[axis])
            )
            largest = smallest + stride[axis] - 1
            if not smallest <= sizes[axis] <= largest:
                raise ValueError(
                    f"output_size[{axis}] ({sizes[axis]}) must be between {smallest} and "
                    f"{largest} for input {in_shape[axis]}, kernel {kernel_shape[axis]}, "
                    f"stride {stride[axis]}, padding {pads[axis]} (PyTorch's rule)"
                )
            extra.append(sizes[axis] - smallest)
        output_padding = tuple(extra)
    geometry = ConvTranspose(
        in_shape, kernel_shape, stride, pads, dilation, output_padding
    )  # validates output_padding < stride or dilation
    return FrameworkConvTranspose.build(
        "pytorch", in_shape, kernel_shape, list(geometry.crops), stride, dilation
    )


def _tensorflow_crops(
    in_shape: tuple[int, ...],
    kernel_shape: tuple[int, ...],
    stride: tuple[int, ...],
    dilation: tuple[int, ...],
    padding: Any,
    output_shape: Any,
    name: str,
) -> list[tuple[int, int]]:
    """Crops of the gradient of ``conv(y; padding)`` for ``y`` of ``output_shape``."""
    ndim = len(in_shape)
    explicit = None
    if isinstance(padding, str):
        mode = padding.upper()
        _validate.choice("padding", mode, ("SAME", "VALID"))
    else:
        explicit = _validate.per_side("padding", padding, ndim, minimum=0)
        mode = "EXPLICIT"
    crops = []
    for axis in range(ndim):
        i, s = in_shape[axis], stride[axis]
        extent = _extent(kernel_shape[axis], dilation[axis])
        full = (i - 1) * s + extent
        if output_shape is None:
            size = {"SAME": i * s, "VALID": full}.get(mode)
            if size is None:
                assert explicit is not None
                size = full - explicit[axis][0] - explicit[axis][1]
        else:
            size = _validate.per_axis("output_shape", output_shape, ndim, minimum=1)[axis]
        if mode == "SAME":
            forward = -(-size // s)
            low = max((forward - 1) * s + extent - size, 0) // 2
        else:
            low, high = (0, 0) if explicit is None else explicit[axis]
            forward, _ = taps.forward_length(
                size, kernel_shape[axis], s, dilation[axis], (low, high)
            )
        if forward != i:
            raise ValueError(
                f"{name}: output_shape[{axis}] ({size}) is not consistent with input {i}: a "
                f"{mode.lower()} convolution of size {size} with kernel {kernel_shape[axis]}, "
                f"stride {s} gives {forward}, not {i}"
            )
        crops.append((low, full - low - size))
    return crops


def from_tensorflow(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: Any = "SAME",
    output_shape: Any = None,
    dilations: Any = 1,
) -> FrameworkConvTranspose:
    """``tf.nn.conv{1,2,3}d_transpose``: the gradient of ``tf.nn.conv*d`` with that padding.

    ``output_shape`` (the spatial part) is required by TensorFlow; when
    omitted here it defaults to ``I·s`` for 'SAME' and the full length for
    'VALID'. 'SAME' pads the forward convolution with the odd element at the
    end, so the crop is ``(pad_total // 2, L − pad_total // 2 − output)``.

    Examples
    --------
    >>> from_tensorflow((16,), (3,), strides=2, padding="SAME").crops
    ((0, 1),)
    """
    in_shape, kernel_shape, stride, dilation = _common(in_shape, kernel_shape, strides, dilations)
    crops = _tensorflow_crops(
        in_shape, kernel_shape, stride, dilation, padding, output_shape, "from_tensorflow"
    )
    return FrameworkConvTranspose.build(
        "tensorflow", in_shape, kernel_shape, crops, stride, dilation
    )


def keras_output_length(
    in_len: int,
    kernel_len: int,
    stride: int,
    padding: str,
    output_padding: int | None,
    dilation: int,
) -> int:
    """Keras's ``deconv_output_length`` (Conv*Transpose): the output length it asks for.

    Examples
    --------
    >>> keras_output_length(16, 3, 2, "same", None, 1)
    32
    >>> keras_output_length(16, 3, 2, "valid", None, 1)
    33
    """
    extent = _extent(kernel_len, dilation)
    if output_padding is None:
        if padding == "valid":
            return in_len * stride + max(extent - stride, 0)
        return in_len * stride
    pad = extent // 2 if padding == "same" else 0
    return (in_len - 1) * stride + extent - 2 * pad + output_padding


def from_keras(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    padding: str = "valid",
    output_padding: Any = None,
    dilation_rate: Any = 1,
) -> FrameworkConvTranspose:
    """``keras.layers.Conv{1,2,3}DTranspose``: Keras's output length, then TensorFlow's crops.

    Examples
    --------
    >>> from_keras((16,), (3,), strides=2, padding="same").out_shape
    (32,)
    """
    in_shape, kernel_shape, stride, dilation = _common(
        in_shape, kernel_shape, strides, dilation_rate
    )
    mode = _validate.choice("padding", str(padding).lower(), ("same", "valid"))
    ndim = len(in_shape)
    extra = (
        None
        if output_padding is None
        else _validate.per_axis("output_padding", output_padding, ndim, minimum=0)
    )
    sizes = tuple(
        keras_output_length(
            in_shape[a],
            kernel_shape[a],
            stride[a],
            mode,
            None if extra is None else extra[a],
            dilation[a],
        )
        for a in range(ndim)
    )
    crops = _tensorflow_crops(in_shape, kernel_shape, stride, dilation, mode, sizes, "from_keras")
    return FrameworkConvTranspose.build("keras", in_shape, kernel_shape, crops, stride, dilation)


def jax_padding(extent: int, stride: int, padding: str) -> tuple[int, int]:
    """``lax.conv_transpose``'s padding of the zero-inserted input for 'SAME' and 'VALID'.

    As in JAX's ``_conv_transpose_padding`` (``extent`` is the dilated kernel size).

    Examples
    --------
    >>> jax_padding(3, 2, "SAME"), jax_padding(3, 2, "VALID")
    ((2, 1), (2, 2))
    """
    if padding == "SAME":
        pad_length = extent + stride - 2
        pad_a = extent - 1 if stride > extent - 1 else -(-pad_length // 2)
    else:
        pad_length = extent + stride - 2 + max(extent - stride, 0)
        pad_a = extent - 1
    return pad_a, pad_length - pad_a


def from_jax(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any,
    padding: Any,
    rhs_dilation: Any = None,
    transpose_kernel: bool = False,
    use_consistent_padding: bool = False,
) -> FrameworkConvTranspose:
    """``jax.lax.conv_transpose``: a stride-1 correlation of the zero-inserted input.

    JAX pads the zero-inserted input by ``(a, b)`` and correlates; that is the
    crop ``(extent − 1 − a, extent − 1 − b)``. Explicit ``(a, b)`` pairs are
    those pads themselves, unless ``use_consistent_padding`` (then they are the
    forward convolution's padding, i.e. the crops). With
    ``transpose_kernel=False`` (JAX's default) the kernel is used as given, so
    the geometry flips it; ``transpose_kernel=True`` gives the gradient of the
    convolution (PyTorch's orientation).

    Examples
    --------
    >>> g = from_jax((4,), (3,), strides=(2,), padding="SAME")
    >>> g.crops, g.flip_kernel
    (((0, 1),), True)
    """
    in_shape, kernel_shape, stride, dilation = _common(
        in_shape, kernel_shape, strides, rhs_dilation
    )
    ndim = len(in_shape)
    extents = [_extent(k, d) for k, d in zip(kernel_shape, dilation, strict=True)]
    if isinstance(padding, str):
        mode = _validate.choice("padding", padding.upper(), ("SAME", "VALID"))
        pads = [jax_padding(e, s, mode) for e, s in zip(extents, stride, strict=True)]
    else:
        pairs = list(_validate.per_side("padding", padding, ndim, minimum=None))
        if use_consistent_padding:
            pads = [(e - 1 - lo, e - 1 - hi) for e, (lo, hi) in zip(extents, pairs, strict=True)]
        else:
            pads = pairs
    crops = [(e - 1 - a, e - 1 - b) for e, (a, b) in zip(extents, pads, strict=True)]
    return FrameworkConvTranspose.build(
        "jax", in_shape, kernel_shape, crops, stride, dilation, flip_kernel=not transpose_kernel
    )


def from_onnx(
    in_shape: Any,
    kernel_shape: Any,
    strides: Any = 1,
    pads: Any = None,
    output_padding: Any = 0,
    dilations: Any = 1,
    auto_pad: str = "NOTSET",
    output_shape: Any = None,
) -> FrameworkConvTranspose:
    """ONNX ``ConvTranspose``: ``pads`` as ``[x1_begin, x2_begin, …, x1_end, x2_end, …]``.

    With ``output_shape`` (or ``auto_pad`` 'SAME_UPPER'/'SAME_LOWER', whose
    default output is ``I·s``) the total padding is derived and split as the
    ONNX specification says (SAME_UPPER: the odd element at the end).

    Examples
    --------
    >>> from_onnx((16,), (3,), strides=2, pads=[1, 1], output_padding=1).crops
    ((1, 0),)
    >>> from_onnx((16,), (3,), strides=2, auto_pad="SAME_UPPER").crops
    ((0, 1),)
    """
    in_shape, kernel_shape, stride, dilation = _common(in_shape, kernel_shape, strides, dilations)
    ndim = len(in_shape)
    mode = _validate.choice("auto_pad", auto_pad, ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"))
    extra = _validate.per_axis("output_padding", output_padding, ndim, minimum=0)
    if output_shape is None and mode.startswith("SAME"):
        output_shape = tuple(i * s for i, s in zip(in_shape, stride, strict=True))
    if output_shape is not None:
        sizes = _validate.per_axis("output_shape", output_shape, ndim, minimum=1)
        begin_end = []
        for axis in range(ndim):
            total = (
                stride[axis] * (in_shape[axis] - 1)
                + extra[axis]
                + _extent(kernel_shape[axis], dilation[axis])
                - sizes[axis]
            )
            half = total // 2
            begin_end.append((half, total - half) if mode == "SAME_UPPER" else (total - half, half))
    elif mode == "VALID" or pads is None:
        begin_end = [(0, 0)] * ndim
    else:
        values = [_validate.as_int(f"pads[{n}]", v) for n, v in enumerate(pads)]
        if len(values) != 2 * ndim:
            raise ValueError(f"pads has {len(values)} entries; ONNX needs 2·{ndim} = {2 * ndim}")
        begin_end = list(zip(values[:ndim], values[ndim:], strict=True))
    crops = [(lo, hi - op) for (lo, hi), op in zip(begin_end, extra, strict=True)]
    return FrameworkConvTranspose.build("onnx", in_shape, kernel_shape, crops, stride, dilation)


@dataclass(frozen=True)
class PyTorchCall:
    """How to reproduce a geometry with ``torch.nn.functional.conv_transpose{N}d``.

    Attributes
    ----------
    padding, output_padding : tuple of int
        The arguments of the closest PyTorch call.
    adjust : tuple of (int, int)
        Per axis, what to cut (positive) or zero-pad (negative) at the start
        and end of PyTorch's output afterwards; all zeros when ``exact``.
    exact : bool
        Whether PyTorch's call alone reproduces the geometry.
    flip_kernel : bool
        Whether the kernel must be reversed on its spatial axes first.
    explanation : str
        Why, in a sentence per axis that needs more than the call.
    """

    padding: tuple[int, ...]
    output_padding: tuple[int, ...]
    adjust: tuple[tuple[int, int], ...]
    exact: bool
    flip_kernel: bool
    explanation: str

    def finish(self, y: np.ndarray) -> np.ndarray:
        """Apply ``adjust`` to PyTorch's output (trailing spatial axes)."""
        from tconvmat._arrays import pad_or_trim

        return pad_or_trim(np.asarray(y), [(-lo, -hi) for lo, hi in self.adjust])


def to_pytorch(geometry: ConvTranspose) -> PyTorchCall:
    """The PyTorch parameters that reproduce a geometry, or the closest call plus a fix.

    PyTorch crops ``(p, p − op)`` with ``p >= 0`` and ``0 <= op < max(s, d)``:
    it can cut at most as much at the end as at the start. Where a crop needs
    more at the end (TensorFlow's 'SAME'), or a zero-extension, the closest call
    uses the smaller crop and the rest is cut or padded afterwards.

    Examples
    --------
    >>> call = to_pytorch(from_tensorflow((16,), (3,), strides=2, padding="SAME"))
    >>> call.padding, call.output_padding, call.adjust, call.exact
    ((0,), (0,), ((0, 1),), False)
    """
    padding, extra, adjust, notes = [], [], [], []
    for axis, ((lo, hi), s, d) in enumerate(
        zip(geometry.crops, geometry.stride, geometry.dilation, strict=True)
    ):
        if lo >= 0 and 0 <= lo - hi < max(s, d):
            padding.append(lo)
            extra.append(lo - hi)
            adjust.append((0, 0))
            continue
        p = max(min(lo, hi), 0)
        padding.append(p)
        extra.append(0)
        adjust.append((lo - p, hi - p))
        if hi > lo:
            why = (
                f"axis {axis}: the crop ({lo}, {hi}) cuts more at the end than at the start, "
                "which PyTorch's symmetric padding cannot do"
            )
        elif lo < 0:
            why = f"axis {axis}: the crop ({lo}, {hi}) extends the start with zeros"
        else:
            why = (
                f"axis {axis}: the crop ({lo}, {hi}) needs output_padding {lo - hi}, but PyTorch "
                f"requires output_padding < stride ({s}) or dilation ({d})"
            )
        notes.append(
            f"{why}; call PyTorch with padding {p} and then cut {lo - p} at the start and "
            f"{hi - p} at the end (negative: pad zeros)."
        )
    flip = bool(getattr(geometry, "flip_kernel", False))
    if flip:
        notes.append("Reverse the kernel on its spatial axes (this framework correlates with it).")
    exact = not any(a != (0, 0) for a in adjust)
    explanation = " ".join(notes) if notes else "PyTorch's call reproduces it exactly."
    return PyTorchCall(tuple(padding), tuple(extra), tuple(adjust), exact, flip, explanation)


@dataclass(frozen=True)
class Comparison:
    """How two geometries' outputs relate on the same input and kernel.

    Attributes
    ----------
    same_shape, same_values : bool
    shift : tuple of int or None
        Per axis, ``a``'s output index ``t`` equals ``b``'s ``t + shift`` (where
        both exist), when the two are windows of the same scatter.
    explanation : str
    """

    same_shape: bool
    same_values: bool
    shift: tuple[int, ...] | None
    explanation: str


def compare(a: ConvTranspose, b: ConvTranspose, *, seed: int = 0) -> Comparison:
    """Same shape? Same values? If shifted, by how much on which axis, and why.

    Both geometries are run on the same random input and kernel. When they
    share input, kernel, stride, dilation and kernel orientation, their
    outputs are windows of the same uncropped scatter, and the shift is the
    difference of their low crops.

    Examples
    --------
    >>> tf = from_tensorflow((16, 16), (3, 3), strides=2, padding="SAME")
    >>> pt = from_pytorch((16, 16), (3, 3), stride=2, padding=1, output_padding=1)
    >>> result = compare(tf, pt)
    >>> result.same_shape, result.same_values, result.shift
    (True, False, (-1, -1))
    """
    if a.in_shape != b.in_shape or a.kernel_shape != b.kernel_shape:
        raise ValueError(
            f"compare needs the same in_shape and kernel_shape, got {a.in_shape}/{a.kernel_shape} "
            f"and {b.in_shape}/{b.kernel_shape}"
        )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(a.in_shape)
    kernel = rng.standard_normal(a.kernel_shape)
    ya, yb = a.apply(x, kernel), b.apply(x, kernel)
    same_shape = ya.shape == yb.shape
    same_values = same_shape and bool(np.allclose(ya, yb, rtol=1e-12, atol=1e-12))
    flips = bool(getattr(a, "flip_kernel", False)), bool(getattr(b, "flip_kernel", False))
    if a.stride != b.stride or a.dilation != b.dilation or flips[0] != flips[1]:
        return Comparison(
            same_shape,
            same_values,
            None,
            "Different stride, dilation or kernel orientation: not windows of one scatter.",
        )
    shift = tuple(lo_a - lo_b for (lo_a, _), (lo_b, _) in zip(a.crops, b.crops, strict=True))
    if same_values:
        text = "Identical outputs."
    else:
        parts = [
            f"axis {axis}: {('a' if s > 0 else 'b')} starts {abs(s)} later in the uncropped "
            f"scatter (crops {a.crops[axis]} vs {b.crops[axis]}), so a[t] = b[t + {s}]"
            for axis, s in enumerate(shift)
            if s
        ]
        sizes = "" if same_shape else f" Shapes differ: {ya.shape} vs {yb.shape}."
        text = ("; ".join(parts) + "." if parts else "Same start, different end.") + sizes
    return Comparison(same_shape, same_values, shift, text)


def channels_last(x: Any) -> np.ndarray:
    """``(N, C, *spatial)`` → ``(N, *spatial, C)`` (TensorFlow's and JAX's NHWC)."""
    x = np.asarray(x)
    return np.moveaxis(x, 1, -1)


def channels_first(x: Any) -> np.ndarray:
    """``(N, *spatial, C)`` → ``(N, C, *spatial)`` (PyTorch's NCHW)."""
    x = np.asarray(x)
    return np.moveaxis(x, -1, 1)


def weight_to_pytorch(weight: Any, layout: str) -> np.ndarray:
    """Rearrange a transposed-convolution weight to PyTorch's ``(in, out, *spatial)``.

    ``layout`` names the axes of ``weight``: ``I`` the channels of the
    transposed convolution's input, ``O`` of its output, any other letters the
    spatial axes in order. TensorFlow's ``conv2d_transpose`` filter is
    ``"HWOI"``; PyTorch's own is ``"IOHW"``.

    Examples
    --------
    >>> weight_to_pytorch(np.zeros((3, 3, 8, 4)), "HWOI").shape
    (4, 8, 3, 3)
    """
    weight = np.asarray(weight)
    if len(layout) != weight.ndim or layout.count("I") != 1 or layout.count("O") != 1:
        raise ValueError(
            f"layout {layout!r} must name the {weight.ndim} axes of weight {weight.shape} with "
            "exactly one I and one O"
        )
    spatial = [n for n, letter in enumerate(layout) if letter not in "IO"]
    return np.transpose(weight, [layout.index("I"), layout.index("O"), *spatial])
