"""Compile (or load) every compiled kernel ahead of time: :func:`warm`."""

from __future__ import annotations

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.routes import compiled, fused, scatter, winograd

__all__ = ["warm"]


def warm(dtypes: tuple[str, ...] = ("float32", "float64")) -> list[str]:
    """Compile (or load) every compiled kernel for ``dtypes`` now, not on a user's first call.

    Returns the kernels it ran, ``[]`` without numba. After ``pip install
    "tconvmat[fast]"``, ``python -c "import tconvmat.routes.warm as w; w.warm()"``
    fills the disk cache once for the machine.
    """
    if not compiled.AVAILABLE:
        return []
    from tconvmat.routes import _col2im

    one = Geometry((4, 4), (3, 3), stride=2, padding=1)
    wide = winograd.MIN_CHANNELS
    stride1 = Geometry((4, 4), (3, 3), padding=1, in_channels=wide, out_channels=wide)
    layer = Geometry((4, 4), (3, 3), stride=2, padding=1, in_channels=4, out_channels=4)
    ran = []
    for name in dtypes:
        dtype = np.dtype(name)
        x, weight = np.ones((1, 4, 4, 4), dtype), np.ones(layer.weight_shape, dtype)
        fused.rows(one, x[:, :1], weight[:1, :1])
        fused.channels(layer, x, weight)
        fused.conv(layer, np.ones((1, 4, *layer.out_shape), dtype), weight)
        y = np.empty((1, 4, *layer.out_shape), dtype)
        _col2im.place(layer, scatter.stamps(layer, x, weight), y)
        ones = np.ones((1, wide, 4, 4), dtype)
        winograd.transpose(stride1, ones, np.ones(stride1.weight_shape, dtype))
        kinds = ("rows", "channels", "conv", "col2im", "winograd")
        ran += [f"{kernel}/{name}" for kernel in kinds]
    return ran
