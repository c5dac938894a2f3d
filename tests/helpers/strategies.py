"""Hypothesis strategies for geometries that PyTorch also accepts."""

from __future__ import annotations

from hypothesis import strategies as st

from tconvmat import ConvTranspose
from tconvmat.core.axis import full_length


@st.composite
def geometries(
    draw: st.DrawFn,
    *,
    max_dims: int = 3,
    channels: bool = True,
    per_side: bool = True,
    max_kernel: int = 5,
) -> ConvTranspose:
    """Any valid geometry: dims 1-3, kernels 1-5, strides 1-4, dilations 1-3, every op."""
    ndim = draw(st.integers(1, max_dims))
    small = ndim == 3  # keep 3-D cases cheap
    in_shape, kernel, stride, dilation, output_padding, padding = [], [], [], [], [], []
    symmetric = not per_side or draw(st.booleans())
    for _ in range(ndim):
        i = draw(st.integers(1, 3 if small else 5))
        k = draw(st.integers(1, 3 if small else max_kernel))
        s = draw(st.integers(1, 4))
        d = draw(st.integers(1, 3))
        op = draw(st.integers(0, max(s, d) - 1))
        room = full_length(i, k, s, d) - 1 + op  # total padding that leaves one output
        if symmetric:
            p = draw(st.integers(0, room // 2))
            padding.append((p, p))
        else:
            lo = draw(st.integers(0, room))
            padding.append((lo, draw(st.integers(0, room - lo))))
        in_shape.append(i)
        kernel.append(k)
        stride.append(s)
        dilation.append(d)
        output_padding.append(op)
    groups, in_channels, out_channels = 1, 1, 1
    if channels:
        groups = draw(st.integers(1, 3))
        in_channels = groups * draw(st.integers(1, 2))
        out_channels = groups * draw(st.integers(1, 2))
    return ConvTranspose(
        tuple(in_shape),
        tuple(kernel),
        stride=tuple(stride),
        padding=tuple(padding),
        dilation=tuple(dilation),
        output_padding=tuple(output_padding),
        in_channels=in_channels,
        out_channels=out_channels,
        groups=groups,
    )


@st.composite
def any_crops(draw: st.DrawFn, max_dims: int = 3) -> ConvTranspose:
    """Any crops (negative ones too), both kernel orientations, channels and groups, 1-3-D."""
    ndim = draw(st.integers(1, max_dims))
    small = ndim == 3
    axes = [
        (
            draw(st.integers(1, 3 if small else 5)),
            draw(st.integers(1, 3 if small else 4)),
            draw(st.integers(1, 3)),
            draw(st.integers(1, 2)),
        )
        for _ in range(ndim)
    ]
    crops = []
    for i, k, s, d in axes:
        full = (i - 1) * s + d * (k - 1) + 1
        lo = draw(st.integers(-2, full - 1))
        crops.append((lo, draw(st.integers(-2, full - 1 - lo))))
    in_shape, kernel, stride, dilation = (tuple(v) for v in zip(*axes, strict=True))
    channels = draw(st.sampled_from([(1, 1, 1), (2, 3, 1), (2, 4, 2)]))
    return ConvTranspose.from_crops(
        in_shape,
        kernel,
        crops,
        stride,
        dilation,
        *channels,
        flip_kernel=draw(st.booleans()),
        framework="test",
    )
