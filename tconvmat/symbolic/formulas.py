"""Output-size formulas as SymPy expressions, in symbols, numbers or any mix."""

from __future__ import annotations

from typing import Any

import sympy

from tconvmat.core import axis, rules

__all__ = ["SIZE_SYMBOLS", "conv_output_size", "output_size"]

SIZE_SYMBOLS = {
    "in_size": sympy.Symbol("I", integer=True, positive=True),
    "kernel_size": sympy.Symbol("k", integer=True, positive=True),
    "stride": sympy.Symbol("s", integer=True, positive=True),
    "padding": sympy.Symbol("p", integer=True, nonnegative=True),
    "dilation": sympy.Symbol("d", integer=True, positive=True),
    "output_padding": sympy.Symbol("op", integer=True, nonnegative=True),
}
"""The symbols used where a parameter is not given: I, k, s, p, d, op."""


def _value(name: str, value: Any) -> sympy.Expr:
    if value is None:
        return SIZE_SYMBOLS[name]
    if isinstance(value, str | bytes | bool):
        raise TypeError(f"{name} must be an int or a SymPy expression, got {value!r}")
    try:
        return sympy.sympify(value, strict=True)
    except sympy.SympifyError:
        raise TypeError(
            f"{name} must be an int or a SymPy expression, got {value!r} of type "
            f"{type(value).__name__}"
        ) from None


def _padding(padding: Any) -> tuple[sympy.Expr, sympy.Expr]:
    if isinstance(padding, tuple | list):
        if len(padding) != 2:
            raise ValueError(f"padding {padding!r} must be one value or a (low, high) pair")
        return _value("padding", padding[0]), _value("padding", padding[1])
    value = _value("padding", padding)
    return value, value


def output_size(
    in_size: Any = None,
    kernel_size: Any = None,
    stride: Any = None,
    padding: Any = None,
    dilation: Any = None,
    output_padding: Any = None,
) -> sympy.Expr:
    """Output length of a transposed convolution on one axis.

    Every argument is an int, a SymPy expression, or ``None`` for its symbol
    (``I, k, s, p, d, op``); ``padding`` may be a ``(low, high)`` pair.

    Notes
    -----
    ``L_out = (I − 1)·s − p_lo − p_hi + d·(k − 1) + op + 1``: the uncropped
    scatter has ``(I − 1)·s + d·(k − 1) + 1`` positions (the last input lands
    at ``(I − 1)·s``, its dilated kernel spans ``d·(k − 1) + 1``), and padding
    crops ``p_lo`` and ``p_hi − op`` of them. Dilation is included, which the
    classic stride/padding references leave out.

    Examples
    --------
    >>> output_size()
    d*(k - 1) + op - 2*p + s*(I - 1) + 1
    >>> output_size(3, 2, 2, 1)
    d + op + 3
    >>> output_size(3, 2, 2, 1, 1, 0)
    4
    """
    i = _value("in_size", in_size)
    k = _value("kernel_size", kernel_size)
    s = _value("stride", stride)
    lo, hi = _padding(padding)
    d = _value("dilation", dilation)
    op = _value("output_padding", output_padding)
    return axis.output_length(i, k, s, d, rules.pytorch_crops((lo, hi), op))


def conv_output_size(
    in_size: Any = None,
    kernel_size: Any = None,
    stride: Any = None,
    padding: Any = None,
    dilation: Any = None,
) -> sympy.Expr:
    """Output length of the forward convolution on one axis, with the floor.

    Notes
    -----
    ``L_out = ⌊(I + p_lo + p_hi − d·(k − 1) − 1) / s⌋ + 1``. Because of the
    floor, ``s`` input lengths map to the same output length; ``output_padding``
    of the transposed convolution picks which one it restores.

    Examples
    --------
    >>> conv_output_size(stride=1)
    I - d*(k - 1) + 2*p
    >>> conv_output_size(8, 3, 2, 1, 1)
    4
    """
    i = _value("in_size", in_size)
    k = _value("kernel_size", kernel_size)
    s = _value("stride", stride)
    lo, hi = _padding(padding)
    d = _value("dilation", dilation)
    return axis.forward_count(i, k, s, d, (lo, hi))
