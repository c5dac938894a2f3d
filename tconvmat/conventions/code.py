"""Shared pieces of the generated code: the spatial layout letters and the crop fix-up."""

from __future__ import annotations

from tconvmat.geometry import Geometry

SPATIAL = {1: "H", 2: "HW", 3: "DHW"}


def letters(geometry: Geometry) -> str:
    """``HW`` for 2-D: the spatial axes in layout strings."""
    return SPATIAL[geometry.ndim]


def check_dimensions(geometry: Geometry, framework: str) -> None:
    if geometry.ndim not in SPATIAL:
        raise ValueError(
            f"{framework} has transposed convolutions in 1-D to 3-D, not {geometry.ndim}-D"
        )


def crop_lines(adjust: tuple[tuple[int, int], ...], pad: str, variable: str = "y") -> list[str]:
    """Lines that cut (positive) or zero-pad (negative) the trailing spatial axes of ``y``."""
    if all(a == (0, 0) for a in adjust):
        return []
    lines = []
    if any(lo < 0 or hi < 0 for lo, hi in adjust):
        widths = [(max(-lo, 0), max(-hi, 0)) for lo, hi in adjust]
        lines.append(pad.format(variable=variable, widths=widths))
    if any(lo > 0 or hi > 0 for lo, hi in adjust):
        cuts = ", ".join(f"{max(lo, 0)}:{-hi if hi > 0 else ''}" for lo, hi in adjust)
        lines.append(f"{variable} = {variable}[..., {cuts}]")
    return lines
