"""The problem re-run with one parameter changed: one home for the text table and the figure.

The explanation's table "How each parameter changes the result"
(:mod:`tconvmat.explanation.effects`) and the figure of what each parameter does to
C (:func:`tconvmat.plots.plot_parameter_effects`) both list :func:`variants`, so
every size they print is the variant's own ``out_shape``.

Examples
--------
>>> from tconvmat.problem import Problem
>>> problem = Problem.build(input_shape=(4, 4), kernel_shape=(3, 3), stride=2, padding=1,
...                         output_padding=1)
>>> [(v.label, v.geometry.out_shape) for v in variants(problem)][:3]  # no stride 1: op 1
[('stride 3', (11, 11)), ('padding 0', (10, 10)), ('padding 2', (6, 6))]
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import Any

import numpy as np

from tconvmat import _text, rules
from tconvmat.api import ConvTranspose
from tconvmat.overlap import OverlapReport, overlap_counts
from tconvmat.problem import Problem, counting

__all__ = ["PARAMETERS", "Variant", "setting", "variants"]

PARAMETERS = ("stride", "padding", "kernel_shape", "dilation", "output_padding")
"""The geometry attributes a variant changes, in the order the variants come."""


@dataclasses.dataclass(frozen=True, eq=False)
class Variant:
    """The problem re-run with one parameter changed.

    Attributes
    ----------
    parameter : str
        The geometry attribute changed (one of :data:`PARAMETERS`).
    label : str
        How the change is written (``stride 3``, ``padding 0``, ``kernel 4×4 (1, 2, 3, …)``).
    geometry : ConvTranspose
    kernel : numpy.ndarray
        The problem's kernel, or counting numbers when the kernel size changed.
    x : numpy.ndarray
        The problem's input.
    """

    parameter: str
    label: str
    geometry: ConvTranspose
    kernel: np.ndarray
    x: np.ndarray = dataclasses.field(repr=False)

    @property
    def value(self) -> Any:
        """The changed parameter's value (per axis)."""
        return getattr(self.geometry, self.parameter)

    @cached_property
    def output(self) -> np.ndarray:
        """``y`` of the changed problem (computed when first asked for)."""
        return self.geometry.apply(self.x, self.kernel)

    @cached_property
    def overlap(self) -> OverlapReport:
        """Taps per output of the changed problem."""
        return overlap_counts(self.geometry)


def _shifted(values: tuple[int, ...], delta: int) -> tuple[int, ...]:
    return tuple(v + delta for v in values)


def setting(geometry: ConvTranspose, parameter: str) -> str:
    """How one parameter of ``geometry`` is written: ``stride 2``, ``padding 0:1,1 (low:high…``.

    >>> setting(ConvTranspose((4, 4), (3, 3), stride=(2, 1)), "stride")
    'stride 2 along rows, 1 along columns'
    """
    if parameter == "padding":
        return f"padding {_text.pads(geometry)}"
    if parameter == "kernel_shape":
        return f"kernel {_text.shape(geometry.kernel_shape)}"
    return f"{parameter} {_text.per_axis(getattr(geometry, parameter))}"


def _changes(g: ConvTranspose) -> list[tuple[str, dict[str, Any], np.ndarray | None]]:
    """(parameter, change, new kernel) of every variant to try, in order."""
    wanted: list[tuple[str, dict[str, Any], np.ndarray | None]] = []
    for delta in (-1, 1):
        wanted.append(("stride", {"stride": _shifted(g.stride, delta)}, None))
    for delta in (-1, 1):
        pads = tuple((lo + delta, hi + delta) for lo, hi in g.padding)
        wanted.append(("padding", {"padding": pads}, None))
    for delta in (-1, 1):
        shape = _shifted(g.kernel_shape, delta)
        if min(shape) >= 1:
            wanted.append(("kernel_shape", {"kernel_shape": shape}, counting(shape)))
    wanted.append(("dilation", {"dilation": _shifted(g.dilation, 1)}, None))
    for op in range(min(map(rules.output_padding_limit, g.stride, g.dilation))):
        if (op,) * g.ndim != g.output_padding and len(wanted) < 10:
            wanted.append(("output_padding", {"output_padding": (op,) * g.ndim}, None))
    return wanted


def variants(problem: Problem) -> list[Variant]:
    """Stride, padding, kernel size, dilation and output_padding varied one at a time.

    Each parameter goes one down and one up (dilation and output_padding: the values
    the stride and dilation allow); changes that leave no valid geometry (no output,
    an output_padding PyTorch refuses) are left out.
    """
    g = problem.geometry
    found = []
    for parameter, change, new_kernel in _changes(g):
        try:
            geometry = dataclasses.replace(g, **change)
        except (ValueError, TypeError):
            continue  # not a valid geometry (no output left, output_padding too large)
        kernel = problem.kernel if new_kernel is None else new_kernel
        label = setting(geometry, parameter)
        if new_kernel is not None:
            label += " (1, 2, 3, …)"  # the table's outputs use counting numbers as the kernel
        found.append(Variant(parameter, label, geometry, kernel, problem.x))
    return found
