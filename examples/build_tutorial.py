"""Build examples/tutorial.ipynb and execute it, so that it is stored with its outputs.

Run ``python examples/build_tutorial.py`` after changing the cells; the test
suite executes the notebook again from a clean kernel (tests/teaching/test_notebook.py).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent

CELLS = [
    (
        "markdown",
        """# Transposed convolution, step by step

This notebook answers the homework *"explain how transposed convolution works in
autoencoders, step by step; how stride, padding and kernel size influence it; show
intermediate diagrams"* on the worked example (input `[[3,2,1],[0,5,2],[1,4,7]]`, kernel
`[[1,2],[3,4]]`, stride 2, padding 1) and on an overlapping case, with
[tconvmat](https://github.com/tconvmat/tconvmat). Every figure is drawn from the numbers
the library computes.""",
    ),
    (
        "code",
        """import numpy as np
import sympy

import tconvmat
from tconvmat import plots

x = np.array([[3, 2, 1], [0, 5, 2], [1, 4, 7]])
w = np.array([[1, 2], [3, 4]])
g = tconvmat.ConvTranspose(x.shape, w.shape, stride=2, padding=1)
g""",
    ),
    (
        "markdown",
        """## 1. The answer, and the output size

`L_out = (L_in − 1)·s − 2p + d·(k − 1) + output_padding + 1`, here on rows and columns
`(3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4`.""",
    ),
    ("code", "y = g.apply(x, w)\ny"),
    (
        "markdown",
        """## 2. Step by step: stamp, add up, crop

Each input value multiplies the whole kernel and adds it into the canvas at its place,
2 apart; the padding then cuts one row and column off each border.""",
    ),
    ("code", "plots.plot_scatter_steps(g, x, w)"),
    (
        "markdown",
        """## 3. The matrix view: y = Cᵀx

C is the matrix of the forward convolution; its transpose maps the 9 inputs to the 16 outputs.""",
    ),
    ("code", "C = g.matrix(w)\n(C.T @ x.ravel()).reshape(g.out_shape)"),
    ("code", "plots.plot_matrix(g, w)"),
    (
        "markdown",
        """## 4. How stride, padding, kernel size, dilation and output_padding influence it

Each row changes one parameter around this problem's first axis and shows C and the
output size.""",
    ),
    ("code", "plots.plot_parameter_effects(g)"),
    (
        "markdown",
        """## 5. Overlap: an overlapping case and the checkerboard

With a 2×2 kernel and stride 2 no two stamps overlap. A 3×3 kernel with stride 2 makes
them overlap unevenly: some outputs add 4 products, their neighbours 2 or 1.""",
    ),
    (
        "code",
        "g3 = tconvmat.ConvTranspose((3, 3), (3, 3), stride=2, padding=1)\n"
        "tconvmat.overlap_counts(g3)",
    ),
    ("code", "plots.plot_overlap_counts(g3)"),
    ("markdown", "## 6. The closed form in symbols"),
    (
        "code",
        """a, b, c, d = sympy.symbols("a b c d")
g.symbolic_apply(x, [[a, b], [c, d]])""",
    ),
    (
        "markdown",
        "One equation per output phase, with w the kernel as everywhere (k is only its size):",
    ),
    ("code", "g3.general_term()"),
    (
        "markdown",
        """## 7. In an autoencoder: shape restored, values not

The transposed convolution undoes the encoder's *shape*. It is not the inverse: take a random
map u of y's shape and convolve it, x = C·u. Even at its best scale Cᵀx misses u, and by more
than the least-squares inverse does, the best a single linear map can do for all u at once.""",
    ),
    ("code", "tconvmat.transpose_versus_inverse(g, w.astype(float))"),
    (
        "markdown",
        """## 8. The whole explanation

`tconvmat.explain()` takes the command line's parameters as keywords; here the overlapping case
in 1-D, with its figures inline.""",
    ),
    ("code", """tconvmat.explain(input="1,2,3,4", kernel="1,2,3", stride=2, padding=1)"""),
    (
        "markdown",
        """## 9. Move the parameters yourself, and point at any number

`tconvmat.explore()` shows the explorable page: sliders for input size, kernel size, stride,
padding, dilation and output_padding (1-D and 2-D) that run in the browser, without the
kernel. Point at, click or tab to any number: an output frames its row of Cᵀ, the inputs and
kernel taps that make it, and shows its sum; an input frames its stamp and the outputs it
reaches; an entry of C frames its (input, tap, output) triple. (`tconvmat page --out
page.html` writes the same view as one file.)""",
    ),
    ("code", "tconvmat.explore()"),
]


def build() -> nbformat.NotebookNode:
    """The notebook's cells, not yet executed."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for kind, source in CELLS:
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source))
    return notebook


def main() -> None:
    notebook = build()
    NotebookClient(notebook, timeout=600, kernel_name="python3").execute()
    for cell in notebook.cells:  # keep the stored notebook free of run-specific ids and times
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, HERE / "tutorial.ipynb")
    print(HERE / "tutorial.ipynb")


if __name__ == "__main__":
    main()
