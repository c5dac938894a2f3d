"""Checkerboard artefacts, measured: a layer's answer to a constant input, and four ways to
up-sample the same image (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard
Artifacts", Distill 2016).

A transposed convolution makes a checkerboard for two reasons. Output phases receive
different numbers of taps when the stride does not divide the kernel size (uneven
overlap), and each phase is made by its own sub-kernel, so even with even overlap a
constant input comes out as each phase's sub-kernel sum
(:func:`tconvmat.analysis.overlap.phase_sums`).
Resizing first and then convolving at stride 1 lets every output see the whole kernel, so a
constant input comes out constant whatever the kernel. The numbers the explanation prints
and the labels of its figures come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tconvmat import routes
from tconvmat.core.geometry import Geometry

__all__ = ["DemoCase", "constant_response", "demo", "demo_image", "interior", "spread"]

DEMO_SIZE = 12
"""The demo image is DEMO_SIZE × DEMO_SIZE; every method up-samples it by 2 (stacked: by 4)."""


def constant_response(geometry: Geometry, kernel: Any) -> np.ndarray:
    """``y`` for an input of ones: each phase's sub-kernel sum away from the borders.

    Examples
    --------
    >>> constant_response(Geometry((3, 3), (2, 2), stride=2, padding=1), [[1, 2], [3, 4]])
    array([[4, 3, 4, 3],
           [2, 1, 2, 1],
           [4, 3, 4, 3],
           [2, 1, 2, 1]])
    """
    kernel = np.asarray(kernel)
    ones = np.ones(geometry.in_shape, dtype=kernel.dtype if kernel.dtype.kind in "iuf" else float)
    return routes.apply(geometry, ones, kernel)


def interior(array: np.ndarray, margin: int) -> np.ndarray:
    """``array`` without ``margin`` cells at each end of every axis (the borders' reach)."""
    return array[(slice(margin, -margin or None),) * array.ndim]


def spread(array: np.ndarray, margin: int) -> float:
    """Largest ÷ smallest value away from the borders: 1 for a flat result, above 1 for a
    pattern (for positive values, as in the demo)."""
    inside = interior(np.asarray(array, dtype=float), margin)
    return float(inside.max() / inside.min())


def demo_image(size: int = DEMO_SIZE) -> np.ndarray:
    """A smooth test image: a soft bright disc on a dim background, values in (0.2, 1]."""
    centre = (size - 1) / 2
    i, j = np.mgrid[0:size, 0:size]
    return 0.2 + 0.8 * np.exp(-((i - centre) ** 2 + (j - centre) ** 2) / (size**2 / 8))


RANDOM_LOW, RANDOM_HIGH = 0.05, 1.0
"""The random kernels' values are uniform in this range: positive, so that the largest ÷
smallest output is defined (PyTorch's default initialisation is signed, zero-mean)."""


def _kernel(kind: str, size: int, seed: int) -> np.ndarray:
    """A box of ones, or a seeded random positive kernel (uniform in the range above)."""
    if kind == "ones":
        return np.ones((size, size))
    return np.random.default_rng(seed).uniform(RANDOM_LOW, RANDOM_HIGH, (size, size))


def _transposed(x: np.ndarray, kernel: np.ndarray, padding: int, output_padding: int) -> np.ndarray:
    g = Geometry(x.shape, kernel.shape, 2, padding, output_padding=output_padding)
    return routes.apply(g, x, kernel)


def _resize_then_convolve(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Nearest-neighbour up-sampling by 2, then a stride-1 'same' convolution (zero border).

    The correlation of the zero-padded image with ``kernel`` is the stride-1 transposed
    convolution with the reversed kernel (no scipy.signal: it took a second to import).
    """
    up = x.repeat(2, axis=0).repeat(2, axis=1)
    g = Geometry(up.shape, kernel.shape, 1, (kernel.shape[0] - 1) // 2)
    return routes.apply(g, up, kernel[::-1, ::-1])


METHODS = (
    ("kernel 3, stride 2", 3, 3),
    ("kernel 4, stride 2", 4, 4),
    ("resize ×2, then 3×3 conv.", 3, 3),
    ("two stacked k3 s2 layers", 3, 8),
)
"""(label, kernel size, margin of border cells left out of the measure)."""


@dataclass(frozen=True)
class DemoCase:
    """One method with one kind of kernel: the image up-sampled, and its constant-input spread."""

    label: str
    kernel: str
    image: np.ndarray
    constant: np.ndarray
    spread: float


def _run(label: str, x: np.ndarray, kind: str) -> np.ndarray:
    if label.startswith("kernel 3"):
        return _transposed(x, _kernel(kind, 3, 1), 1, 1)
    if label.startswith("kernel 4"):
        return _transposed(x, _kernel(kind, 4, 2), 1, 0)
    if label.startswith("resize"):
        return _resize_then_convolve(x, _kernel(kind, 3, 3))
    first = _transposed(x, _kernel(kind, 3, 1), 1, 1)
    return _transposed(first, _kernel(kind, 3, 4), 1, 1)


def demo(size: int = DEMO_SIZE) -> list[DemoCase]:
    """Every method of :data:`METHODS` with a kernel of ones and with a random kernel.

    ``spread`` is the constant input's largest ÷ smallest output away from the borders.

    Examples
    --------
    >>> [round(c.spread, 2) for c in demo()][:4]  # ones: k3 s2, k4 s2, resize, stacked
    [4.0, 1.0, 1.0, 9.0]
    """
    image = demo_image(size)
    flat = np.ones_like(image)
    cases = []
    for kind in ("ones", "random"):
        for label, _, margin in METHODS:
            constant = _run(label, flat, kind)
            cases.append(
                DemoCase(label, kind, _run(label, image, kind), constant, spread(constant, margin))
            )
    return cases
