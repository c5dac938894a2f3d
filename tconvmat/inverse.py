"""Transposed is not inverse: Cᵀ against the least-squares inverse, measured fairly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import _arrays
from tconvmat.geometry import Geometry
from tconvmat.sparse import build_matrix

__all__ = ["InverseReport", "transpose_versus_inverse"]


@dataclass(frozen=True)
class InverseReport:
    """Does the transposed convolution undo the convolution? (No.)

    For the convolution ``x = C·y`` (from y on the output grid to x on the
    input grid) and a random ``y``:

    Attributes
    ----------
    gram_error : float
        ``‖CᵀC − I‖₂``: zero only if the transpose were the inverse.
    singular_values : numpy.ndarray
        Of C, largest first.
    rank : int
        Numerical rank of C; below ``prod(out_shape)`` means y cannot be recovered.
    transpose_error : float
        ``‖Cᵀ C y − y‖ / ‖y‖``: the transposed convolution as an "inverse".
    best_scale, scaled_error : float
        The multiple ``α = ⟨Cᵀx, y⟩ / ‖Cᵀx‖²`` of ``Cᵀx`` closest to ``y``, and its
        error ``‖α·Cᵀx − y‖ / ‖y‖``: the fair comparison, since part of
        ``transpose_error`` is only a wrong scale that any learned layer would absorb.
    least_squares_error : float
        ``‖y⁺ − y‖ / ‖y‖`` for the least-squares (minimum-norm, lsqr) solution y⁺
        of ``C y⁺ = x``: the best any linear "deconvolution" can do.
    """

    gram_error: float
    singular_values: np.ndarray
    rank: int
    transpose_error: float
    least_squares_error: float
    y: np.ndarray
    transposed: np.ndarray
    least_squares: np.ndarray
    best_scale: float = 1.0
    scaled_error: float = 0.0

    def _repr_markdown_(self) -> str:
        rows, columns = self.singular_values.size, self.y.size
        return (
            "**Transposed is not inverse**\n\n| measure | value |\n| --- | --- |\n"
            f"| ‖CᵀC − I‖₂ | {self.gram_error:.3g} |\n"
            f"| rank of C | {self.rank} of {columns} ({rows} singular values) |\n"
            f"| ‖Cᵀx − y‖/‖y‖ | {self.transpose_error:.3g} |\n"
            f"| best multiple α·Cᵀx (α = {self.best_scale:.3g}) | {self.scaled_error:.3g} |\n"
            f"| least squares (lsqr) | {self.least_squares_error:.3g} |\n"
        )


def transpose_versus_inverse(
    geometry: Geometry, kernel: Any, *, seed: int = 0, max_size: int = 4096
) -> InverseReport:
    """Compare Cᵀ with the least-squares inverse on a random signal (small problems only).

    Examples
    --------
    >>> g = Geometry((8,), (4,), stride=2, padding=1)
    >>> report = transpose_versus_inverse(g, [1.0, 3.0, 3.0, 1.0])
    >>> report.rank < g.out_shape[0], report.transpose_error > 0.1
    (True, True)
    """
    from scipy.sparse.linalg import lsqr

    rows, columns = geometry.matrix_shape
    if rows * columns > max_size**2:
        raise ValueError(
            f"transpose_versus_inverse forms C densely ({rows} × {columns}); that is above "
            f"max_size² = {max_size**2} entries. Use a smaller geometry or raise max_size."
        )
    matrix = build_matrix(geometry, _arrays.as_numeric("kernel", kernel).astype(float))
    dense = matrix.toarray()
    singular = np.linalg.svd(dense, compute_uv=False)
    rank = int((singular > singular[0] * max(dense.shape) * np.finfo(float).eps).sum())
    gram = dense.T @ dense - np.eye(columns)
    y = np.random.default_rng(seed).standard_normal(columns)
    x = matrix @ y
    transposed = matrix.T @ x
    least = lsqr(matrix, x, atol=1e-14, btol=1e-14, iter_lim=20 * columns)[0]
    norm = float(np.linalg.norm(y))
    power = float(transposed @ transposed)
    scale = float(transposed @ y) / power if power else 0.0
    shape = (geometry.out_channels, *geometry.out_shape)
    return InverseReport(
        float(np.linalg.norm(gram, 2)),
        singular,
        rank,
        float(np.linalg.norm(transposed - y)) / norm,
        float(np.linalg.norm(least - y)) / norm,
        y.reshape(shape),
        transposed.reshape(shape),
        least.reshape(shape),
        scale,
        float(np.linalg.norm(scale * transposed - y)) / norm,
    )
