"""What every generated snippet shares: the header, the layout letters, and the crop fix-up.

Every snippet ``tconvmat convert --to FRAMEWORK`` prints defines ``conv_transpose(x,
weight)``: ``weight`` always in PyTorch's layout ``(C_in, C_out // groups, *kernel_shape)``
(tconvmat's own), ``x`` and the result in the framework's usual layout, said in a comment.
The framework's closest call comes first, then the cut (positive crops) and zero-extension
(negative crops) it cannot express (:func:`tconvmat.core.rules.crop_cut`,
:func:`tconvmat.core.rules.crop_extension`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tconvmat.core import rules
from tconvmat.core.geometry import Geometry

SPATIAL = {1: "H", 2: "HW", 3: "DHW"}

Pair = tuple[int, int]


CHANNELS_LAST = (
    "x: (N, *in_shape, C_in), channels last; weight: (C_in, C_out // groups, *kernel_shape), "
    "PyTorch's\nreturns (N, *out_shape, C_out)"
)
"""The layouts a TensorFlow or Keras snippet takes and returns."""


def letters(geometry: Geometry) -> str:
    """``HW`` for 2-D: the spatial axes in layout strings."""
    return SPATIAL[geometry.ndim]


def check_dimensions(geometry: Geometry, framework: str) -> None:
    """Refuse a geometry the framework has no transposed convolution for (beyond 3-D)."""
    if geometry.ndim not in SPATIAL:
        raise ValueError(
            f"{framework} has transposed convolutions in 1-D to 3-D, not {geometry.ndim}-D"
        )


def header(geometry: Geometry, framework: str) -> list[str]:
    """Comment lines that say what the snippet computes (the summary travels with the code)."""
    crops = tuple(geometry.crops)
    flip = "reversed on its spatial axes first" if geometry.flip_kernel else "as PyTorch uses it"
    return [
        f"# {framework} code from tconvmat: a transposed convolution ({geometry.framework}'s "
        "parameters),",
        f"# input {geometry.in_shape} → output {geometry.out_shape}, "
        f"{geometry.in_channels} → {geometry.out_channels} channels, groups {geometry.groups};",
        f"# crops of the uncropped scatter (low, high per axis) {crops}; kernel {flip}.",
    ]


def function(
    geometry: Geometry, framework: str, imports: list[str], layout: str, body: list[str]
) -> str:
    """The whole snippet: header, imports, ``def conv_transpose(x, weight):`` and its body."""
    lines = [*header(geometry, framework), *imports, "", "", "def conv_transpose(x, weight):"]
    lines += [f"    # {line}" for line in layout.splitlines()]
    lines += [f"    {line}" if line else "" for line in body]
    return "\n".join(lines) + "\n"


def cut_slice(crops: Sequence[Pair], *, channels_last: bool) -> str | None:
    """The subscript that cuts the positive crops (``[..., 1:-1]``), or None when nothing is cut.

    Examples
    --------
    >>> cut_slice([(0, 1), (1, -2)], channels_last=False)
    '[..., :-1, 1:]'
    >>> cut_slice([(0, 1)], channels_last=True)
    '[:, :-1, :]'
    """
    cuts = [rules.crop_cut(c) for c in crops]
    if not any(lo or hi for lo, hi in cuts):
        return None
    spatial = [f"{lo or ''}:{-hi if hi else ''}" for lo, hi in cuts]
    return f"[:, {', '.join(spatial)}, :]" if channels_last else f"[..., {', '.join(spatial)}]"


def extension(crops: Sequence[Pair]) -> list[Pair] | None:
    """Zeros to add at each end of each spatial axis, or None when there are none.

    Examples
    --------
    >>> extension([(0, 1), (1, -2)])
    [(0, 0), (0, 2)]
    """
    widths = [rules.crop_extension(c) for c in crops]
    return widths if any(lo or hi for lo, hi in widths) else None


def fix_up(
    crops: Sequence[Pair], pad: Callable[[list[Pair]], str], *, channels_last: bool
) -> list[str]:
    """Lines that zero-extend and then cut ``y``; ``pad`` writes the padding of the widths.

    Padding first keeps the crops' meaning where one end both loses more than the scatter
    holds beyond the window and the other end gains zeros (``(-2, 6)`` on 5 positions).
    """
    lines = []
    widths = extension(crops)
    if widths:
        lines.append(pad(widths))
    subscript = cut_slice(crops, channels_last=channels_last)
    if subscript:
        lines.append(f"y = y{subscript}")
    return lines


def nested(widths: list[Pair], *, channels_last: bool) -> str:
    """Widths for every axis of the array, batch and channels included (``tf.pad``, ``np.pad``).

    Examples
    --------
    >>> nested([(0, 1)], channels_last=True)
    '[[0, 0], [0, 1], [0, 0]]'
    """
    spatial = [list(w) for w in widths]
    return str([[0, 0], *spatial, [0, 0]] if channels_last else [[0, 0], [0, 0], *spatial])


def spatial_axes(geometry: Geometry) -> tuple[int, ...]:
    """Axes of the kernel's spatial dimensions in PyTorch's weight layout (2, 3, …)."""
    return tuple(range(2, 2 + geometry.ndim))


def group_loop(
    geometry: Geometry,
    call: str,
    join: str,
    *,
    channels_last: bool,
    weight: str = "weight",
    weight_slice: str = "{w}[{a}:{b}]",
) -> list[str]:
    """``y = call``, or one call per group joined on the channel axis (no ``groups`` there).

    ``call`` formats ``{x}`` and ``{w}``; ``weight_slice`` says where a group's input
    channels sit in ``weight`` (the first axis of PyTorch's layout by default).
    """
    if geometry.groups == 1:
        return [f"y = {call.format(x='x', w=weight)}"]
    cin = geometry.in_channels // geometry.groups
    a, b = f"g * {cin}", f"(g + 1) * {cin}"
    x_slice = f"x[..., {a}:{b}]" if channels_last else f"x[:, {a}:{b}]"
    w_slice = weight_slice.format(w=weight, a=a, b=b)
    return [
        "parts = []",
        f"for g in range({geometry.groups}):  # one call per group",
        f"    parts.append({call.format(x=x_slice, w=w_slice)})",
        f"y = {join}",
    ]


def dilate_kernel(geometry: Geometry) -> list[str]:
    """Lines that write the dilation into the weight as zeros between taps (NumPy).

    TensorFlow's CPU kernels refuse dilations above 1 for transposed convolutions; a kernel
    with ``d − 1`` zeros between its taps, at dilation 1, computes the same.
    """
    if max(geometry.dilation) == 1:
        return []
    extents = tuple(a.extent for a in geometry.axes)
    steps = ", ".join(f"::{d}" for d in geometry.dilation)
    return [
        "weight = np.asarray(weight)",
        f"dilated = np.zeros(weight.shape[:2] + {extents}, weight.dtype)",
        f"dilated[:, :, {steps}] = weight  # dilation {geometry.dilation} as zeros between taps",
        "weight = dilated",
    ]


def channels_last_call(
    geometry: Geometry, call: str, *, join: str, pad: str, weight: str, exact: bool
) -> list[str]:
    """A channels-last framework's call (one per group where needed), then the fix-up.

    ``join`` concatenates the groups' ``parts``; ``pad`` is the framework's padding
    function (``tf.pad``); when the call is not ``exact`` the crops are applied after it.
    """
    lines = group_loop(
        geometry, call, join, channels_last=True, weight=weight, weight_slice="{w}[..., {a}:{b}]"
    )
    if not exact:
        lines += fix_up(
            geometry.crops,
            lambda widths: f"y = {pad}(y, {nested(widths, channels_last=True)})",
            channels_last=True,
        )
    return [*lines, "return y"]
