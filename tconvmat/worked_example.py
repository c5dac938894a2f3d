"""The worked example that every default uses.

Input ``[[3,2,1],[0,5,2],[1,4,7]]``, kernel ``[[1,2],[3,4]]``, stride 2,
padding 1 gives ``[[12,6,8,3],[0,5,10,2],[0,15,20,6],[2,4,8,7]]`` (PyTorch's result).
"""

from __future__ import annotations

import numpy as np

from tconvmat.api import ConvTranspose

WORKED_INPUT = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
WORKED_KERNEL = np.array([[1, 2], [3, 4]])
WORKED_STRIDE = 2
WORKED_PADDING = 1
WORKED_OUTPUT = np.array([[12, 6, 8, 3], [0, 5, 10, 2], [0, 15, 20, 6], [2, 4, 8, 7]])


def worked_geometry() -> ConvTranspose:
    """The worked example's geometry: input 3×3, kernel 2×2, stride 2, padding 1.

    Examples
    --------
    >>> worked_geometry().apply(WORKED_INPUT, WORKED_KERNEL).tolist() == WORKED_OUTPUT.tolist()
    True
    """
    return ConvTranspose(
        WORKED_INPUT.shape, WORKED_KERNEL.shape, stride=WORKED_STRIDE, padding=WORKED_PADDING
    )
