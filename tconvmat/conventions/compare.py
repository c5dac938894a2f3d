"""How two geometries' outputs relate: same shape, same values, or shifted windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tconvmat import routes
from tconvmat.core.geometry import Geometry

__all__ = ["Comparison", "compare"]


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

    def _repr_markdown_(self) -> str:
        verdict = (
            "same values"
            if self.same_values
            else ("same shape, different values" if self.same_shape else "different shapes")
        )
        shift = "" if self.shift is None else f" (shift `{self.shift}`)"
        return f"**{verdict}**{shift}: {self.explanation}\n"


def compare(a: Geometry, b: Geometry, *, seed: int = 0) -> Comparison:
    """Same shape? Same values? If shifted, by how much on which axis, and why.

    Both geometries are run on the same random input and kernel. When they
    share input, kernel, stride, dilation and kernel orientation, their
    outputs are windows of the same uncropped scatter, and the shift is the
    difference of their low crops.

    Examples
    --------
    >>> from tconvmat.conventions import from_pytorch, from_tensorflow
    >>> tf = from_tensorflow((16, 16), (3, 3), strides=2, padding="SAME")
    >>> pt = from_pytorch((16, 16), (3, 3), stride=2, padding=1, output_padding=1)
    >>> result = compare(tf, pt)
    >>> result.same_shape, result.same_values, result.shift
    (True, False, (-1, -1))
    """
    if a.in_shape != b.in_shape or a.weight_shape != b.weight_shape:
        raise ValueError(
            f"compare needs the same in_shape and weight shape, got {a.in_shape}/"
            f"{a.weight_shape} and {b.in_shape}/{b.weight_shape}"
        )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, a.in_channels, *a.in_shape))
    kernel = rng.standard_normal(a.weight_shape)
    ya, yb = routes.apply(a, x, kernel), routes.apply(b, x, kernel)
    same_shape = ya.shape == yb.shape
    same_values = same_shape and bool(np.allclose(ya, yb, rtol=1e-12, atol=1e-12))
    if a.stride != b.stride or a.dilation != b.dilation or a.flip_kernel != b.flip_kernel:
        return Comparison(
            same_shape,
            same_values,
            None,
            "Different stride, dilation or kernel orientation: not windows of one scatter.",
        )
    if a.groups != b.groups:
        return Comparison(same_shape, same_values, None, "Different groups.")
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
