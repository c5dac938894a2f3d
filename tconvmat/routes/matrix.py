"""Matrix route: ``Cᵀ @ x`` and ``C @ y`` with the sparse matrix, each batch item a column."""

from __future__ import annotations

import math

import numpy as np

from tconvmat.core.geometry import Geometry
from tconvmat.core.sparse import from_weight


def _columns(data: np.ndarray) -> np.ndarray:
    """``(batch, channels, *spatial)`` as one column per batch item (an empty batch too)."""
    return data.reshape(data.shape[0], math.prod(data.shape[1:])).T


def transpose(geometry: Geometry, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``y = Cᵀx`` for a batched x."""
    y = from_weight(geometry, weight).T @ _columns(x)
    shape = (x.shape[0], geometry.out_channels, *geometry.out_shape)
    return np.ascontiguousarray(y.T).reshape(shape)


def forward(geometry: Geometry, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``x = C y`` for a batched y (the forward convolution)."""
    x = from_weight(geometry, weight) @ _columns(y)
    shape = (y.shape[0], geometry.in_channels, *geometry.in_shape)
    return np.ascontiguousarray(x.T).reshape(shape)
