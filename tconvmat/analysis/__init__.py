"""What the matrix says: overlap counts (the checkerboard effect), and transpose versus inverse.

Kept as one import path for both; they live in :mod:`tconvmat.analysis.overlap` and
:mod:`tconvmat.analysis.inverse`.
"""

from tconvmat.analysis.inverse import InverseReport, transpose_versus_inverse
from tconvmat.analysis.overlap import RULE, AxisOverlap, OverlapReport, axis_overlap, overlap_counts

__all__ = [
    "RULE",
    "AxisOverlap",
    "InverseReport",
    "OverlapReport",
    "axis_overlap",
    "overlap_counts",
    "transpose_versus_inverse",
]
