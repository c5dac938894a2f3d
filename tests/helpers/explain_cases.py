"""Eleven problems the explanation is checked on as piped text (the reader's width, the
teacher's review): a name, and the ``tconvmat explain`` arguments."""

from __future__ import annotations

ELEVEN = {
    "worked example": [],
    "brief": ["--brief"],
    "4×4 k3 s2 p1 op1": "--input-shape 4x4 --kernel-shape 3x3 --padding 1 --output-padding 1",
    "dilation 2": "--dilation 2",
    "3×5, 2×3 kernel, stride (2,1)": "--input-shape 3x5 --kernel-shape 2x3 --stride 2,1",
    "1-D": "--input 1,10,3,7 --kernel 1,2,3 --padding 0",
    "3-D": "--input-shape 2x2x2 --kernel-shape 2x2x2",
    "2 → 4 channels, groups 2": "--input-shape 3x3 --in-channels 2 --out-channels 4 --groups 2",
    "symbolic": "--input-shape 4x4 --kernel-shape 3x3 --symbolic",
    "k3 s2": "--kernel-shape 3x3",
    "8×8 k4 s2 p1": "--input-shape 8x8 --kernel-shape 4x4 --padding 1",
}


def _args(value) -> list[str]:
    return value.split() if isinstance(value, str) else value
