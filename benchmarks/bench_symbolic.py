"""Benchmark of the symbolic closed form (issue: symbolic route performance).

Prints, per input size, the time of ``symbolic_apply`` (O(nnz), built from the
tap structure), of a straightforward term-by-term build with evaluated SymPy
products, and of the dense SymPy product ``Matrix(C).T * x`` where it is
affordable. Run: ``python benchmarks/bench_symbolic.py``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sympy

from tconvmat import ConvTranspose, input_symbols, kernel_symbols, symbolic_apply
from tconvmat.core import structure


def _best_of(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def straightforward(geometry: ConvTranspose) -> list:
    """Term by term with evaluated products, accumulating per output (the baseline)."""
    x, kernel = input_symbols(geometry).reshape(-1), kernel_symbols(geometry).reshape(-1)
    layout = structure.single_channel_structure(geometry)
    outputs = [sympy.Integer(0)] * layout.shape[1]
    rows = np.repeat(np.arange(layout.shape[0]), np.diff(layout.indptr))
    for row, column, tap in zip(rows, layout.indices, layout.weight_index, strict=True):
        outputs[column] = outputs[column] + kernel[tap] * x[row]
    return outputs


def dense(geometry: ConvTranspose) -> sympy.Matrix:
    x = sympy.Matrix(input_symbols(geometry).reshape(-1))
    return sympy.Matrix(geometry.symbolic_matrix()).T * x


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="16,64,128", help="input sizes n (n×n)")
    parser.add_argument("--dense-max", type=int, default=16, help="largest n for the dense product")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print("symbolic closed form, 3×3 symbolic kernel, stride 2, padding 1 (best of repeats)")
    print(f"{'input':>9} {'nnz':>8} {'symbolic_apply':>15} {'term-by-term':>13} {'dense Cᵀx':>10}")
    for n in (int(v) for v in args.sizes.split(",")):
        g = ConvTranspose((n, n), (3, 3), stride=2, padding=1)
        ours = _best_of(lambda g=g: symbolic_apply(g), args.repeats)
        baseline = _best_of(lambda g=g: straightforward(g), 1)
        dense_time = f"{_best_of(lambda g=g: dense(g), 1):9.3f}s" if n <= args.dense_max else "-"
        count = structure.nnz(g)
        print(f"{n:>4}×{n:<4} {count:>8} {ours:>14.3f}s {baseline:>12.3f}s {dense_time:>10}")


if __name__ == "__main__":
    main()
