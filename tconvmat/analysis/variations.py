"""The problem re-run with one parameter changed: one home for the text table and the figure.

The explanation's table "How each parameter changes the result"
(:mod:`tconvmat.teaching.explanation.effects`) and the figure of what each parameter does to
C (:func:`tconvmat.plots.plot_parameter_effects`) both list :func:`variants`, so
every size they print is the variant's own ``out_shape``. :func:`tried` also lists the
changes PyTorch refuses (:class:`Refused`), each with PyTorch's reason: these are the
errors students meet.

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

from tconvmat.analysis.overlap import OverlapReport, overlap_counts
from tconvmat.api import ConvTranspose
from tconvmat.core import axis, rules
from tconvmat.problem import Problem, counting
from tconvmat.text import notation

__all__ = ["PARAMETERS", "Refused", "Variant", "refusal", "setting", "tried", "variants"]

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
        """Taps per output of the changed problem, and whether ones come out flat with its
        kernel (for numbers; symbols answer the first question only)."""
        numeric = self.kernel.dtype.kind in "iufc"
        return overlap_counts(self.geometry, self.kernel if numeric else None)


def _shifted(values: tuple[int, ...], delta: int) -> tuple[int, ...]:
    return tuple(v + delta for v in values)


def setting(geometry: ConvTranspose, parameter: str) -> str:
    """How one parameter of ``geometry`` is written in a label: ``stride 2``,
    ``stride 2,1 (axes 0,1)``, ``padding 0:1,1:1 (low:high per axis)``.

    >>> setting(ConvTranspose((4, 4), (3, 3), stride=(2, 1)), "stride")
    'stride 2,1 (axes 0,1)'
    """
    if parameter == "padding":
        return f"padding {notation.pads(geometry)}"
    if parameter == "kernel_shape":
        return f"kernel {notation.shape(geometry.kernel_shape)}"
    return f"{parameter} {notation.per_axis_short(getattr(geometry, parameter))}"


def _changes(g: ConvTranspose) -> list[tuple[str, dict[str, Any], np.ndarray | None]]:
    """(parameter, change, new kernel) of every variant to try, in order: each parameter one
    down and one up, never below its own minimum (stride, kernel and dilation 1, padding 0)."""
    wanted: list[tuple[str, dict[str, Any], np.ndarray | None]] = []
    for delta in (-1, 1):
        if min(g.stride) + delta >= 1:
            wanted.append(("stride", {"stride": _shifted(g.stride, delta)}, None))
    for delta in (-1, 1):
        pads = tuple((lo + delta, hi + delta) for lo, hi in g.padding)
        if min(min(pair) for pair in pads) >= 0:
            wanted.append(("padding", {"padding": pads}, None))
    for delta in (-1, 1):
        shape = _shifted(g.kernel_shape, delta)
        if min(shape) >= 1:
            wanted.append(("kernel_shape", {"kernel_shape": shape}, counting(shape)))
    wanted.append(("dilation", {"dilation": _shifted(g.dilation, 1)}, None))
    limits = [rules.output_padding_limit(s, d) for s, d in zip(g.stride, g.dilation, strict=True)]
    for op in range(max(limits)):
        # as far as each axis allows: stride (2, 1) still shows output_padding 1,0
        value = tuple(min(op, limit - 1) for limit in limits)
        if value != g.output_padding and len(wanted) < 10:
            wanted.append(("output_padding", {"output_padding": value}, None))
    return wanted


@dataclasses.dataclass(frozen=True)
class Refused:
    """A change PyTorch refuses: which parameter, how it is written, and why.

    ``reason`` states the rule with this problem's numbers, then PyTorch's own words;
    ``value`` is the refused value (per axis, as :attr:`Variant.value` writes it).
    """

    parameter: str
    label: str
    reason: str
    value: Any = None


PYTORCH_SAYS = {
    "output_padding": "output padding must be smaller than either stride or dilation",
    "size": "Output size is too small",
}
"""The words of PyTorch's refusals (``RuntimeError`` of ``conv_transpose{1,2,3}d``)."""


def refusal(geometry: ConvTranspose, change: dict[str, Any]) -> str:
    """Why PyTorch refuses ``geometry`` with ``change`` (``''`` if it does not).

    Examples
    --------
    >>> g = ConvTranspose((4, 4), (3, 3), stride=2, padding=1, output_padding=1)
    >>> rule, pytorch = refusal(g, {"stride": (1, 1)}).split(" (PyTorch: ")
    >>> print(rule, pytorch, sep="\\n")
    output_padding 1 must be smaller than the stride 1 or the dilation 1
    "output padding must be smaller than either stride or dilation")
    >>> print(refusal(g, {"stride": (2, 1)}).split(" (PyTorch")[0])
    output_padding 1 must be smaller than the stride 1 or the dilation 1 on axis 1 (horizontal)
    >>> refusal(ConvTranspose((2,), (2,), stride=2), {"padding": ((2, 2),)})
    'no output is left: the size formula gives 0 (PyTorch: "Output size is too small")'
    """
    new = {name: getattr(geometry, name) for name in PARAMETERS} | change
    lines = zip(
        geometry.in_shape,
        new["kernel_shape"],
        new["stride"],
        new["padding"],
        new["dilation"],
        new["output_padding"],
        strict=True,
    )
    found = [_axis_refusal(size, k, s, pads, d, op) for size, k, s, pads, d, op in lines]
    if all(found) and len(set(found)) == 1:
        return found[0]  # the same on every axis: no axis to name
    for a, reason in enumerate(found):
        if reason:
            rule, says = reason.split(" (PyTorch:")
            return f"{rule} on {notation.axis_label(a, geometry.ndim)} (PyTorch:{says}"
    return ""


def _axis_refusal(size: int, k: int, s: int, pads: tuple[int, int], d: int, op: int) -> str:
    if op >= rules.output_padding_limit(s, d):
        return (
            f"output_padding {op} must be smaller than the stride {s} or the dilation {d} "
            f'(PyTorch: "{PYTORCH_SAYS["output_padding"]}")'
        )
    length = axis.output_length(size, k, s, d, rules.pytorch_crops(pads, op))
    if length < 1:
        return (
            f"no output is left: the size formula gives {length} "
            f'(PyTorch: "{PYTORCH_SAYS["size"]}")'
        )
    return ""


def tried(problem: Problem) -> list[Variant | Refused]:
    """Every change of :func:`variants` in order, with those PyTorch refuses kept as
    :class:`Refused` (with PyTorch's reason) instead of left out."""
    g = problem.geometry
    found: list[Variant | Refused] = []
    for parameter, change, new_kernel in _changes(g):
        reason = refusal(g, change)
        try:
            geometry = dataclasses.replace(g, **change)
        except (ValueError, TypeError) as error:
            label = _label(g, parameter, change)
            found.append(Refused(parameter, label, reason or str(error), change[parameter]))
            continue
        kernel = problem.kernel if new_kernel is None else new_kernel
        label = setting(geometry, parameter)
        if new_kernel is not None:
            label += " (1, 2, 3, …)"  # the table's outputs use counting numbers as the kernel
        found.append(Variant(parameter, label, geometry, kernel, problem.x))
    return found


def _label(g: ConvTranspose, parameter: str, change: dict[str, Any]) -> str:
    """How a change is written when no geometry can be made of it."""
    value = change[parameter]
    if parameter == "padding":
        if all(lo == hi for lo, hi in value):
            return f"padding {notation.per_axis_short([lo for lo, _ in value])}"
        return f"padding {','.join(f'{lo}:{hi}' for lo, hi in value)} (low:high per axis)"
    if parameter == "kernel_shape":
        return f"kernel {notation.shape(value)}"
    return f"{parameter} {notation.per_axis_short(value)}"


def variants(problem: Problem) -> list[Variant]:
    """Stride, padding, kernel size, dilation and output_padding varied one at a time.

    Each parameter goes one down and one up (dilation and output_padding: the values
    the stride and dilation allow); changes that leave no valid geometry (no output,
    an output_padding PyTorch refuses) are left out here (:func:`tried` keeps them, with
    the reason).
    """
    return [v for v in tried(problem) if isinstance(v, Variant)]
