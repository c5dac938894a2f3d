"""Transposed is not inverse: Cᵀ against the least-squares inverse, measured fairly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat.core import arrays, budget
from tconvmat.core.geometry import Geometry
from tconvmat.core.sparse import build_matrix

__all__ = ["InverseReport", "transpose_versus_inverse"]


@dataclass(frozen=True)
class InverseReport:
    """Does the transposed convolution undo the convolution? (No.)

    For the convolution ``x = C·u`` (from u, on the transposed convolution's output grid, to
    x on its input grid) and a random ``u``, as the explanation writes it:

    Attributes
    ----------
    gram_error : float
        ``‖CᵀC − I‖₂``: zero only if the transpose were the inverse.
    singular_values : numpy.ndarray
        Of C, largest first.
    rank : int
        Numerical rank of C; below ``prod(out_shape)`` means u cannot be recovered.
    transpose_error : float
        ``‖Cᵀ C u − u‖ / ‖u‖``: the transposed convolution as an "inverse".
    best_scale, scaled_error : float
        The multiple ``α = ⟨Cᵀx, u⟩ / ‖Cᵀx‖²`` of ``Cᵀx`` closest to ``u``, and its
        error ``‖α·Cᵀx − u‖ / ‖u‖``: the fair comparison, since part of
        ``transpose_error`` is only a wrong scale that any learned layer would absorb.
    least_squares_error : float
        ``‖u⁺ − u‖ / ‖u‖`` for the least-squares (minimum-norm, lsqr) solution u⁺
        of ``C u⁺ = x``: the best a single linear "deconvolution" can do for all u at once
        (for one fixed u some linear map recovers it exactly).
    u : numpy.ndarray
        The random map that was convolved (``y`` is the older name of the same array).
    transposed, least_squares : numpy.ndarray
        ``Cᵀx`` and ``u⁺``, of u's shape.
    """

    gram_error: float
    singular_values: np.ndarray
    rank: int
    transpose_error: float
    least_squares_error: float
    u: np.ndarray
    transposed: np.ndarray
    least_squares: np.ndarray
    best_scale: float = 1.0
    scaled_error: float = 0.0

    @property
    def y(self) -> np.ndarray:
        """The older name of :attr:`u` (the explanation calls the convolved map u)."""
        return self.u

    def _repr_markdown_(self) -> str:
        rows, columns = self.singular_values.size, self.u.size
        return (
            "**Transposed is not inverse**\n\n| measure | value |\n| --- | --- |\n"
            f"| ‖CᵀC − I‖₂ | {self.gram_error:.3g} |\n"
            f"| rank of C | {self.rank} of {columns} ({rows} singular values) |\n"
            f"| ‖Cᵀx − u‖/‖u‖, x = C·u | {self.transpose_error:.3g} |\n"
            f"| best multiple α·Cᵀx (α = {self.best_scale:.3g}) | {self.scaled_error:.3g} |\n"
            f"| least squares (lsqr) | {self.least_squares_error:.3g} |\n"
        )


def transpose_versus_inverse(
    geometry: Geometry,
    kernel: Any,
    *,
    seed: int = 0,
    limit: int | None = None,
    max_size: int | None = None,
) -> InverseReport:
    """Compare Cᵀ with the least-squares inverse on a random signal (small problems only).

    Parameters
    ----------
    geometry : Geometry
    kernel : array_like
        Real weights in the layout of :meth:`tconvmat.ConvTranspose.matrix`.
    seed : int
        Seed of the random map u.
    limit : int, optional
        Most entries of the dense C whose singular values are computed (default
        ``budget.LIMITS['dense']``), checked before any work.
    max_size : int, optional
        The older form of ``limit``: at most ``max_size²`` entries.

    Notes
    -----
    ``‖CᵀC − I‖₂`` is read off the singular values σ of C: the eigenvalues of
    CᵀC are σ² and, when C has more columns than rows, zeros, so it is
    ``max |σ² − 1|`` (and at least 1 when a column direction is lost). The
    least-squares solution is LSQR's, which converges in at most rank(C)
    iterations in exact arithmetic (20 times that are allowed).

    Examples
    --------
    >>> g = Geometry((8,), (4,), stride=2, padding=1)
    >>> report = transpose_versus_inverse(g, [1.0, 3.0, 3.0, 1.0])
    >>> report.rank < g.out_shape[0], report.transpose_error > 0.1
    (True, True)
    """
    from scipy.sparse.linalg import lsqr

    rows, columns = geometry.matrix_shape
    if max_size is not None and limit is None:
        limit = max_size**2
    budget.check_dense("the dense C of transpose_versus_inverse", rows, columns, limit)
    matrix = build_matrix(geometry, arrays.as_numeric("kernel", kernel).astype(float))
    dense = matrix.toarray()
    singular = np.linalg.svd(dense, compute_uv=False)
    rank = int((singular > singular[0] * max(dense.shape) * np.finfo(float).eps).sum())
    gram_error = float(np.max(np.abs(singular**2 - 1), initial=0))
    if columns > singular.size:  # CᵀC has columns − rows zero eigenvalues: |0 − 1| = 1
        gram_error = max(gram_error, 1.0)
    u = np.random.default_rng(seed).standard_normal(columns)
    x = matrix @ u
    transposed = matrix.T @ x
    least = lsqr(matrix, x, atol=1e-14, btol=1e-14, iter_lim=20 * min(rows, columns))[0]
    norm = float(np.linalg.norm(u))
    power = float(transposed @ transposed)
    scale = float(transposed @ u) / power if power else 0.0
    shape = (geometry.out_channels, *geometry.out_shape)
    return InverseReport(
        gram_error,
        singular,
        rank,
        float(np.linalg.norm(transposed - u)) / norm,
        float(np.linalg.norm(least - u)) / norm,
        u.reshape(shape),
        transposed.reshape(shape),
        least.reshape(shape),
        scale,
        float(np.linalg.norm(scale * transposed - u)) / norm,
    )
