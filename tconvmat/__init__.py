"""tconvmat: transposed convolution written down as a matrix, y = Cᵀx."""

from tconvmat import functional
from tconvmat.dottest import dot_test
from tconvmat.geometry import METHODS, ConvTranspose
from tconvmat.matrix import conv_matrix
from tconvmat.transpose import conv_transpose

__all__ = [
    "METHODS",
    "ConvTranspose",
    "conv_matrix",
    "conv_transpose",
    "dot_test",
    "functional",
]

__version__ = "0.1.0"
