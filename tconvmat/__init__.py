"""tconvmat: transposed convolution written down as a matrix, y = Cᵀx."""

from tconvmat import conventions, functional
from tconvmat.analysis import overlap_counts, transpose_versus_inverse
from tconvmat.display import latex
from tconvmat.dottest import dot_test
from tconvmat.formulas import conv_output_size, output_size
from tconvmat.general_term import general_term
from tconvmat.geometry import METHODS, ConvTranspose
from tconvmat.matrix import conv_matrix
from tconvmat.operator import as_linear_operator
from tconvmat.solver import mirror, solve
from tconvmat.symbolic import (
    adjoint_certificate,
    input_symbols,
    kernel_symbols,
    symbolic_apply,
    symbolic_matrix,
)
from tconvmat.transpose import conv_transpose

__all__ = [
    "METHODS",
    "ConvTranspose",
    "adjoint_certificate",
    "as_linear_operator",
    "conv_matrix",
    "conv_output_size",
    "conv_transpose",
    "conventions",
    "dot_test",
    "functional",
    "general_term",
    "input_symbols",
    "kernel_symbols",
    "latex",
    "mirror",
    "output_size",
    "overlap_counts",
    "solve",
    "symbolic_apply",
    "symbolic_matrix",
    "transpose_versus_inverse",
]

__version__ = "0.1.0"
