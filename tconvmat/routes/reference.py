"""PyTorch as an optional reference (used only when it is installed)."""

from __future__ import annotations

import importlib.util

import numpy as np

from tconvmat.core.arrays import crop
from tconvmat.core.geometry import Geometry
from tconvmat.core.optional import require

__all__ = ["torch_available", "torch_conv_transpose"]


def torch_available() -> bool:
    """Whether PyTorch can be imported."""
    return importlib.util.find_spec("torch") is not None


def torch_conv_transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """PyTorch's result for batched ``x`` (N, C_in, *in_shape), computed in float64.

    Symmetric paddings go straight to ``torch.nn.functional.conv_transpose{N}d``.
    PyTorch has no per-side padding, so otherwise its uncropped output
    (padding 0) is cropped, or zero-extended, by the geometry's crops.
    """
    torch = require("torch", "comparing with PyTorch")
    F = torch.nn.functional

    function = getattr(F, f"conv_transpose{geometry.ndim}d")
    xt = torch.from_numpy(np.asarray(x, dtype=np.float64))
    wt = torch.from_numpy(np.asarray(weight, dtype=np.float64))
    common = {"stride": geometry.stride, "groups": geometry.groups, "dilation": geometry.dilation}
    if all(lo == hi for lo, hi in geometry.padding):
        padding = [lo for lo, _ in geometry.padding]
        y = function(xt, wt, padding=padding, output_padding=geometry.output_padding, **common)
        return y.numpy()
    full = function(xt, wt, **common).numpy()
    return crop(full, list(geometry.crops))
