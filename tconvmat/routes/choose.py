"""The route ``method="auto"`` takes, chosen from the geometry alone."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.routes import compiled, fused, scatter
from tconvmat.routes.registry import ROUTES

__all__ = ["choose_method"]


def choose_method(geometry: Geometry, batch: int = 1) -> str:
    """The route ``method="auto"`` takes: the one measured fastest for this kind of case.

    Only routes whose domain admits the geometry are considered (the registry,
    :data:`tconvmat.routes.registry.ROUTES`, says where each serves).

    - Where the compiled loops serve and the problem is large enough that loading them
      never shows: ``"fused"`` for one channel and for layers with few input channels
      per group (see :func:`tconvmat.routes.fused.worth_it`).
    - One input and one output channel: ``"polyphase"``. Each phase is a short
      sum of shifted copies of x; nothing multiplies an inserted zero, and no
      large intermediate is formed.
    - Channels without groups: ``"scatter"``, one GEMM of all stamps (the weight a
      transposed operand) placed into y (by the compiled col2im where numba is and the
      problem is large): 0.7-1.5× PyTorch in float32 where the polyphase GEMMs took
      0.9-2.1× (NumPy only, measured).
    - Groups (without the compiled loops): ``"polyphase"``; with few channels per group
      the stamps GEMM is too thin for BLAS (grouped 64→64 g8: 3.3-5.8× PyTorch against
      1.8-4.1×), and the phase GEMMs gather ``cin·taps`` per product.

    See ``benchmarks/RESULTS.md`` for the measurements behind the rule.

    Examples
    --------
    >>> choose_method(Geometry((8, 8), (3, 3), stride=2))
    'polyphase'
    >>> choose_method(Geometry((8, 8), (3, 3), stride=2, in_channels=4, out_channels=4))
    'scatter'
    >>> choose_method(Geometry((8, 8), (3, 3), stride=2, in_channels=4, out_channels=4, groups=2))
    'polyphase'
    """
    return _choose(geometry, batch, compiled.allowed(), compiled.MIN_OUTPUTS)


@lru_cache(maxsize=1024)
def _choose(geometry: Geometry, batch: int, allowed: bool, smallest: int) -> str:
    """The choice, once per geometry, batch and compiled-kernel setting."""
    if "fused" in ROUTES and fused.worth_it(geometry, batch):
        return "fused"
    if geometry.single_channel:
        return "polyphase"
    if geometry.groups > 1 and not scatter.compiled_placement(geometry, np.dtype(float), batch):
        return "polyphase"
    return "scatter"
