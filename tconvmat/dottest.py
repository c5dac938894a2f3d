"""The dot test: C and Cᵀ are adjoint, ⟨C u, v⟩ = ⟨u, Cᵀ v⟩."""

from __future__ import annotations

from typing import Any

import numpy as np

from tconvmat import _validate
from tconvmat.geometry import METHODS, ConvTranspose

__all__ = ["dot_test"]


def dot_test(
    geometry: ConvTranspose,
    kernel: Any = None,
    *,
    method: str = "matrix",
    seed: int | None = 0,
    dtype: Any = np.float64,
) -> float:
    """Relative error of ``⟨C u, v⟩ = ⟨u, Cᵀ v⟩`` on random ``u`` and ``v``.

    Parameters
    ----------
    geometry : ConvTranspose
        The geometry.
    kernel : array_like, optional
        Weight in PyTorch's layout (or ``kernel_shape`` with one channel);
        random when omitted.
    method : str, default 'matrix'
        ``'matrix'`` tests the sparse C and its transpose; any route name of
        :func:`tconvmat.routes.apply` tests that route against the direct
        forward convolution :func:`tconvmat.routes.conv`.
    seed : int or None
        Seed of the random vectors (and kernel).
    dtype : dtype, default float64
        Floating type of the random data.

    Returns
    -------
    float
        ``|⟨C u, v⟩ - ⟨u, Cᵀ v⟩| / max(|⟨C u, v⟩|, |⟨u, Cᵀ v⟩|)``: about the
        machine epsilon of ``dtype`` when the pair is adjoint.

    Notes
    -----
    For any matrix, ``⟨C u, v⟩ = vᵀ C u = (Cᵀ v)ᵀ u = ⟨u, Cᵀ v⟩``. Two separately
    written operators that pass this test for random vectors are each other's
    adjoint: the forward convolution and the transposed convolution.

    Examples
    --------
    >>> g = ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    >>> dot_test(g) < 1e-12
    True
    >>> dot_test(g, method="scatter") < 1e-12
    True
    """
    _validate.choice("method", method, ("auto", *METHODS))
    rng = np.random.default_rng(seed)
    if kernel is None:
        kernel = rng.standard_normal(geometry.weight_shape).astype(dtype)
    u = rng.standard_normal((geometry.out_channels, *geometry.out_shape)).astype(dtype)
    v = rng.standard_normal((geometry.in_channels, *geometry.in_shape)).astype(dtype)
    if method == "matrix":
        matrix = geometry.matrix(kernel)
        forward, adjoint = matrix @ u.reshape(-1), matrix.T @ v.reshape(-1)
    else:
        forward, adjoint = geometry.conv(u, kernel), geometry.apply(v, kernel, method=method)
    lhs = float(np.dot(np.ravel(forward), v.reshape(-1)))
    rhs = float(np.dot(u.reshape(-1), np.ravel(adjoint)))
    scale = max(abs(lhs), abs(rhs))
    return 0.0 if scale == 0 else abs(lhs - rhs) / scale
