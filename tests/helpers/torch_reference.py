"""PyTorch as the independent reference, written without tconvmat's index code."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from tconvmat import ConvTranspose

_TRANSPOSED = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
_FORWARD = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


def _pad_arg(pairs):
    """F.pad's argument: last axis first, negative values crop."""
    return [v for lo, hi in reversed(pairs) for v in (lo, hi)]


def _pad_or_crop(t: torch.Tensor, pairs) -> torch.Tensor:
    """Zero-pad positive sides first, then crop negative ones (crops may exceed the size)."""
    t = F.pad(t, _pad_arg([(max(lo, 0), max(hi, 0)) for lo, hi in pairs]))
    ndim = len(pairs)
    window = [
        slice(max(-lo, 0), t.shape[-ndim + a] - max(-hi, 0)) for a, (lo, hi) in enumerate(pairs)
    ]
    return t[(..., *window)]


def conv_transpose(g: ConvTranspose, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """y for batched x (N, C_in, *in_shape), float64: PyTorch's padding where it can say
    the crops, else its uncropped result with the crops applied (negative ones pad zeros)."""
    xt, wt = torch.from_numpy(x), torch.from_numpy(weight)
    symmetric = all(lo == hi >= 0 for lo, hi in g.padding)  # else: negative or per-side crops
    if symmetric:
        y = _TRANSPOSED[g.ndim](
            xt,
            wt,
            stride=g.stride,
            padding=[lo for lo, _ in g.padding],
            output_padding=g.output_padding,
            groups=g.groups,
            dilation=g.dilation,
        )
    else:
        full = _TRANSPOSED[g.ndim](xt, wt, stride=g.stride, groups=g.groups, dilation=g.dilation)
        y = _pad_or_crop(full, [(-lo, -hi) for lo, hi in g.crops])
    return y.numpy()


def conv(g: ConvTranspose, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """x = C @ y for batched y (N, C_out, *out_shape): pad by the crops, convolve."""
    padded = _pad_or_crop(torch.from_numpy(y), g.crops)
    x = _FORWARD[g.ndim](
        padded, torch.from_numpy(weight), stride=g.stride, dilation=g.dilation, groups=g.groups
    )
    return x.numpy()


def gradient_of_conv(g: ConvTranspose, v: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """d⟨conv(y), v⟩/dy by autograd: the transposed convolution of v."""
    y = torch.zeros(
        (v.shape[0], g.out_channels, *g.out_shape), dtype=torch.float64, requires_grad=True
    )
    padded = _pad_or_crop(y, g.crops)
    x = _FORWARD[g.ndim](
        padded, torch.from_numpy(weight), stride=g.stride, dilation=g.dilation, groups=g.groups
    )
    (x * torch.from_numpy(v)).sum().backward()
    return y.grad.numpy()


def real_conv_shapes(model: torch.nn.Module, x: torch.Tensor):
    """What forward hooks see on a real run of ``model``: each convolution's (input shape,
    output shape), in call order, and the model's output (the independent reference for
    inspect's shapes)."""
    seen = []
    hooks = [
        m.register_forward_hook(lambda m, i, o: seen.append((tuple(i[0].shape), tuple(o.shape))))
        for m in model.modules()
        if isinstance(m, torch.nn.modules.conv._ConvNd)
    ]
    with torch.no_grad():
        out = model(x)
    for h in hooks:
        h.remove()
    return seen, out
