"""Symbolic transposed convolution with SymPy: C in symbols, closed forms, general terms, LaTeX.

Imported only where used: ``import tconvmat`` does not load SymPy.
"""

from tconvmat.symbolic.certificate import (
    adjoint_certificate,
    closed_form_function,
    transpose_from_closed_form,
)
from tconvmat.symbolic.closed_form import (
    DEFAULT_LIMIT,
    as_symbolic,
    input_symbols,
    kernel_symbols,
    symbolic_apply,
    symbolic_matrix,
)
from tconvmat.symbolic.formulas import SIZE_SYMBOLS, conv_output_size, output_size
from tconvmat.symbolic.general_term import GeneralTerm, PhaseTerm, general_term
from tconvmat.symbolic.latex import latex

__all__ = [
    "DEFAULT_LIMIT",
    "SIZE_SYMBOLS",
    "GeneralTerm",
    "PhaseTerm",
    "adjoint_certificate",
    "as_symbolic",
    "closed_form_function",
    "conv_output_size",
    "general_term",
    "input_symbols",
    "kernel_symbols",
    "latex",
    "output_size",
    "symbolic_apply",
    "symbolic_matrix",
    "transpose_from_closed_form",
]
