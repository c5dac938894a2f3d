"""The route ``method="auto"`` takes, chosen from the geometry alone."""

from __future__ import annotations

from functools import lru_cache

from tconvmat.geometry import Geometry
from tconvmat.routes import compiled, fused
from tconvmat.routes.registry import ROUTES

__all__ = ["choose_method"]


def choose_method(geometry: Geometry, batch: int = 1) -> str:
    """The route ``method="auto"`` takes: the one measured fastest for this kind of case.

    Only routes whose domain admits the geometry are considered (the registry,
    :data:`tconvmat.routes.registry.ROUTES`, says where each serves).

    - Where the compiled loops serve and the problem is large enough that compiling
      would never show (see :func:`tconvmat.routes.fused.worth_it`): ``"fused"``.
    - One input and one output channel: ``"polyphase"``. Each phase is a short
      sum of shifted copies of x; nothing multiplies an inserted zero, and no
      large intermediate is formed.
    - Channels without groups: ``"scatter"`` when every stride divides its
      kernel size (each input stamps whole, evenly overlapping patches: one
      large GEMM of all stamps and ``prod(kernel)`` additions), otherwise
      ``"polyphase"`` (one GEMM per output phase, which wastes nothing on the
      uneven phases).
    - Groups: ``"polyphase"``; with few channels per group the stamps GEMM is
      too thin for BLAS, and the phase GEMMs gather ``cin·taps`` per product.

    See ``benchmarks/RESULTS.md`` for the measurements behind the rule.

    Examples
    --------
    >>> choose_method(Geometry((8, 8), (3, 3), stride=2))
    'polyphase'
    >>> choose_method(Geometry((8, 8), (4, 4), stride=2, in_channels=4, out_channels=4))
    'scatter'
    """
    return _choose(geometry, batch, compiled.allowed(), compiled.MIN_OUTPUTS)


@lru_cache(maxsize=1024)
def _choose(geometry: Geometry, batch: int, allowed: bool, smallest: int) -> str:
    """The choice, once per geometry, batch and compiled-kernel setting."""
    if "fused" in ROUTES and fused.worth_it(geometry, batch):
        return "fused"
    if geometry.single_channel:
        return "polyphase"
    even = all(k % s == 0 for k, s in zip(geometry.kernel_shape, geometry.stride, strict=True))
    return "scatter" if even and geometry.groups == 1 else "polyphase"
