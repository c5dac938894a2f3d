"""The output-size formula written down: in symbols (:func:`size_formula`), with one axis's
numbers put in (:func:`size_formula_numbers`), and the forward convolution's formula with its
numbers (:func:`conv_size_formula_numbers`); plain text or LaTeX.

Part of the one notation of :mod:`tconvmat.text.notation`, which re-exports every name here.
"""

from __future__ import annotations

__all__ = ["MINUS", "conv_size_formula_numbers", "size_formula", "size_formula_numbers"]

MINUS = "−"
"""The minus sign of the text (U+2212), as in the formulas."""


def _number(n: int, latex: bool) -> str:
    """A substituted number: negatives in parentheses, ``(−1)``."""
    if n >= 0:
        return str(n)
    return f"(-{-n})" if latex else f"({MINUS}{-n})"


def size_formula(symmetric: bool = True, *, latex: bool = False) -> str:
    """The output-size formula in symbols: ``− 2p`` when the padding is the same on both sides
    of every axis (PyTorch's form), ``− p_low − p_high`` otherwise. In LaTeX a name of more
    than one letter (``out``, ``output_padding``) is upright, ``\\mathrm{…}``, read as a word;
    a single letter is an italic variable.

    Examples
    --------
    >>> size_formula()
    'L_out = (L_in − 1)·s − 2p + d·(k − 1) + output_padding + 1'
    >>> size_formula(False)
    'L_out = (L_in − 1)·s − p_low − p_high + d·(k − 1) + output_padding + 1'
    """
    if latex:
        pad = r"2p" if symmetric else r"p_{\mathrm{low}} - p_{\mathrm{high}}"
        return (
            rf"L_{{\mathrm{{out}}}} = (L_{{\mathrm{{in}}}} - 1)\,s - {pad}"
            r" + d\,(k - 1) + \mathrm{output\_padding} + 1"
        )
    pad = "2p" if symmetric else f"p_low {MINUS} p_high"
    return f"L_out = (L_in {MINUS} 1)·s {MINUS} {pad} + d·(k {MINUS} 1) + output_padding + 1"


def size_formula_numbers(
    length: int,
    kernel: int,
    stride: int,
    dilation: int,
    padding: tuple[int, int],
    output_padding: int,
    out: int,
    *,
    symmetric: bool | None = None,
    latex: bool = False,
) -> str:
    """The size formula of one axis with its numbers put in, in the form of :func:`size_formula`.

    ``symmetric`` picks the form (by default: whether this axis's two paddings agree); pass
    the whole geometry's answer so that every axis reads like the formula above it.

    Examples
    --------
    >>> size_formula_numbers(3, 2, 2, 1, (1, 1), 0, 4)
    '(3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4'
    >>> size_formula_numbers(3, 2, 2, 1, (1, 0), 0, 5)
    '(3 − 1)·2 − 1 − 0 + 1·(2 − 1) + 0 + 1 = 5'
    >>> size_formula_numbers(3, 2, 2, 1, (-1, -1), 0, 8)
    '(3 − 1)·2 − 2·(−1) + 1·(2 − 1) + 0 + 1 = 8'
    >>> size_formula_numbers(3, 2, 2, 1, (1, 1), 0, 4, latex=True)
    '(3 - 1) \\\\cdot 2 - 2 \\\\cdot 1 + 1 \\\\cdot (2 - 1) + 0 + 1 = 4'
    """
    lo, hi = padding
    if symmetric is None:
        symmetric = lo == hi
    minus, times = ("-", r" \cdot ") if latex else (MINUS, "·")
    if symmetric and lo == hi:
        pad = f"2{times}{_number(lo, latex)}"
    else:
        pad = f"{_number(lo, latex)} {minus} {_number(hi, latex)}"
    return (
        f"({length} {minus} 1){times}{stride} {minus} {pad} + {dilation}{times}({kernel} "
        f"{minus} 1) + {output_padding} + 1 = {out}"
    )


def conv_size_formula_numbers(
    length: int, kernel: int, stride: int, dilation: int, padding: tuple[int, int], out: int
) -> str:
    """The convolution's size formula with its numbers: ``⌊(4 + 1 + 1 − 1·(2 − 1) − 1) / 2⌋ + 1``.

    Examples
    --------
    >>> conv_size_formula_numbers(4, 2, 2, 1, (1, 1), 3)
    '⌊(4 + 1 + 1 − 1·(2 − 1) − 1) / 2⌋ + 1 = 3'
    >>> conv_size_formula_numbers(4, 2, 2, 1, (-1, 0), 2)
    '⌊(4 + (−1) + 0 − 1·(2 − 1) − 1) / 2⌋ + 1 = 2'
    """
    lo, hi = (_number(p, False) for p in padding)
    return (
        f"⌊({length} + {lo} + {hi} {MINUS} {dilation}·({kernel} {MINUS} 1) {MINUS} 1) / "
        f"{stride}⌋ + 1 = {out}"
    )
