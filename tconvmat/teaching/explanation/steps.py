"""How it computes: the scatter step by step, the two other views in words, C, the sums."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence

import numpy as np

from tconvmat.analysis import anatomy
from tconvmat.analysis.phase_overview import phase_overview
from tconvmat.core import kernels, structure
from tconvmat.problem import Problem
from tconvmat.teaching.explanation import words
from tconvmat.teaching.explanation.parts import Code, Section, Text
from tconvmat.teaching.explanation.stamping import scatter  # noqa: F401  (steps.scatter)
from tconvmat.text import notation

MAX_PRINTED_COLUMNS = 24
"""Matrices wider than this print as a summary, not as a table."""
MAX_PRINTED_OUTPUTS = 64
"""Outputs beyond this many are summarised, not listed as sums."""
MAX_NAMED = 4096
"""Grids up to this many elements have all their position names written at once, and kept."""


def phase_line(problem: Problem, first: tuple[int, ...], taps: tuple[tuple[int, ...], ...]) -> str:
    """One output phase and its sub-kernel: ``y[0::2, 1::2] ← w[1,0]``.

    Examples
    --------
    >>> phase_line(Problem.build(), (0, 1), ((1, 0),))
    'y[0::2, 1::2] ← w[1,0]'
    """
    return _phase_words(tuple(first), problem.geometry.stride, tuple(map(tuple, taps)))


@functools.lru_cache(maxsize=4096)
def _phase_words(
    first: tuple[int, ...], stride: tuple[int, ...], taps: tuple[tuple[int, ...], ...]
) -> str:
    names = ", ".join(f"w{words.index(t)}" for t in taps) or "no tap (stays 0)"
    return f"{notation.phase(first, stride)} ← {names}"


def _phase_count(stride: tuple[int, ...], count: int) -> str:
    """``There are 4 phases (2 × 2)``; in 1-D ``There are 2 phases, one per remainder …``."""
    if count == 1:
        return "There is 1 phase (stride 1)"
    if len(stride) == 1:
        return f"There are {count} phases, one per remainder modulo the stride {stride[0]}"
    return f"There are {count} phases ({' × '.join(str(s) for s in stride)})"


def views(problem: Problem) -> Section:
    """The same numbers two other ways: zero insertion (why flipped) and polyphase (why s^N)."""
    g = problem.geometry
    view = anatomy.zero_insertion(g, problem.x, problem.kernel)
    inserted = words.shape(view.inserted.shape)
    pads = "; ".join(
        f"{name}: {lo} before and {hi} after"
        for name, (lo, hi) in zip(words.axis_names(g.ndim), view.padding, strict=True)
    )
    dilated = any(d > 1 for d in g.dilation)
    kernel_words = (
        "the kernel, reversed on every axis and dilated (its taps "
        f"{words.per_axis(g.dilation)} apart, {words.per_axis([d - 1 for d in g.dilation])} "
        f"zero(s) between them: {words.shape(g.kernel_shape)} becomes "
        f"{words.shape(view.dilated_kernel.shape)})"
        if dilated
        else "the kernel, reversed on every axis,"
    )
    zero = (
        f"**Zero insertion** (a fractionally strided convolution). Put stride − 1 zeros between "
        f"neighbouring input values ({words.shape(g.in_shape)} becomes {inserted}), add "
        f"d·(k − 1) − crop zeros around the border ({pads}; negative numbers trim), and slide "
        f"{kernel_words} over it at stride 1. Why reversed: in the scatter, "
        "input i sends tap j to output i·s + j·d, so seen from one output the taps arrive from "
        "inputs further to the left as j grows; a window read left to right meets the kernel "
        "right to left. Every product with an inserted zero is wasted work: that is why "
        "efficient libraries usually don't compute it this way."
    )
    parts: list = [Text(zero)]
    if g.ndim <= 2 and view.padded.size <= 400:
        name = "reversed, dilated kernel" if dilated else "reversed kernel"
        parts.append(
            Code(
                f"{words.grid(view.padded)}\n\n{name}\n{words.grid(view.dilated_kernel)}",
                f"The zero-inserted, padded input the {name} slides over:",
            )
        )
    count = phase_overview(g).total
    poly = (
        f"**Polyphase** (sub-pixel convolution). Output t on an axis receives tap j only when "
        "t + crop_low − j·d is a multiple of the stride, so an output's remainder modulo the "
        f"stride (its phase) decides which taps reach it. {_phase_count(g.stride, count)}; "
        "each is a stride-1 *correlation* (what F.conv2d computes) of x with the phase's "
        "sub-kernel reversed on every axis (a true convolution with it as written), and the "
        "phases interleave into y. This is why a "
        "transposed convolution equals a stride-1 convolution to s^N channels followed by a "
        "pixel shuffle, and why the phases get different numbers of taps when the stride does "
        "not divide the kernel size"
        + (
            " (with dilation d: when s/gcd(s, d) does not divide it; and when gcd(s, d) > 1 "
            "some phases get no tap at all)."
            if dilated
            else "."
        )
    )
    parts += [Text(poly), *phase_blocks(problem)]
    return Section("The same numbers two other ways", tuple(parts), "views")


MAX_PHASE_BLOCKS = 16
"""Phases shown as their sliding kernel; the rest are counted."""


def phase_blocks(problem: Problem) -> list:
    """Each phase, its taps, and the kernel that slides over x (padded as shown) to make it:
    enough to reproduce the phase with ``F.conv1d``/``conv2d``/``conv3d``. Beyond 16, the
    phases taps reach (:func:`tconvmat.analysis.phase_overview.phase_overview`), the rest
    counted."""
    g = problem.geometry
    overview = phase_overview(g, most=MAX_PHASE_BLOCKS)
    blocks = []
    empty = []
    for combination in overview.combinations:
        first = tuple(p.first for p in combination)
        if any(not p.taps.size for p in combination):
            empty.append(notation.phase(first, g.stride))
            continue
        title = phase_line(problem, first, kernels.sub_kernel_taps(g, combination))
        sliding = kernels.sliding_kernel(g, combination)
        cells = np.vectorize(lambda t: "0" if t is None else f"w{words.index(t)}", otypes=[object])
        pads = notation.pad_pairs(sliding.pads)
        blocks.append((title, f"pad {pads}\n{words.grid(cells(sliding.cells))}"))
    parts: list = []
    if blocks:
        parts.append(
            Code.side_by_side(
                blocks,
                "Each phase, its taps, and the kernel that slides over x to make it (x first "
                "padded with zeros: (before, after) per axis, negative = cut):",
            )
        )
    if empty:
        parts.append(Text(f"No tap reaches {notation.joined(empty)}: they stay 0."))
    parts += [Text(f"({note}.)") for note in (overview.left_out_note, overview.no_tap_note) if note]
    return parts


def matrix(problem: Problem) -> Section:
    """C, row by row, or a summary when it is too wide to print."""
    g, kernel = problem.geometry, problem.kernel
    rows, columns = g.matrix_shape
    nnz = structure.nnz(g)
    text = (
        f"C has one row per input element and one column per output element ({rows} × "
        f"{columns}, {nnz} non-zeros, flattened row-major). Row i holds the kernel where input i "
        "stamps it: C[i, t] = w[j] exactly when t + crop_low = i·s + j·d. The transposed "
        "convolution is y = Cᵀx and the convolution v = C·u (u of y's shape, v of x's); the "
        "gradient of the convolution with respect to its input u is Cᵀ times the gradient "
        "with respect to its output v: the transposed convolution, which is where the name "
        "comes from."
    )
    if columns > MAX_PRINTED_COLUMNS:
        note = (
            f"C is {rows} × {columns}: too wide to print. `tconvmat matrix --out C.npz` writes it "
            "(or g.matrix(kernel) in Python); the figures show its structure."
        )
        return Section("The matrix view", (Text(text), Text(note)), "matrix")
    if problem.numeric:
        dense = g.matrix(kernel).toarray()
    else:
        dense = np.array(g.symbolic_matrix(kernel).tolist(), dtype=object)
    values = [[words.value(v) if v != 0 else 0 for v in row] for row in dense.tolist()]
    in_labels = [words.index(p) for p in np.ndindex(*g.in_shape)]
    out_labels = [str(t) for t in range(columns)]
    table = notation.table(values, in_labels, out_labels, blank_zero=True)
    caption = (
        "C (rows: input positions; columns: output elements numbered row by row, "
        f"y{words.index((0,) * g.ndim)} is 0, y{words.index((0,) * (g.ndim - 1) + (1,))} is 1, …; "
        "· = 0):"
        if g.ndim > 1
        else "C (rows: input positions; columns: output positions; · = 0):"
    )
    return Section("The matrix view", (Text(text), Code(table, caption)), "matrix")


def sum_lines(
    problem: Problem,
    y: np.ndarray,
    limit: int | None = None,
    *,
    reaching: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> list[str]:
    """Each output as the sum of the products that reach it, one line per output (row-major).

    The one wording of an output's sum: the explanation prints these lines and the
    explorable page shows them when an output is hovered. ``limit`` keeps the first lines.
    ``reaching`` is who reaches each output, ``(inputs, taps, bounds)`` as
    :func:`tconvmat.core.structure.by_output` groups C's entries but with the taps as the user
    stores the kernel, for a caller that has it already; by default it comes from C.

    Examples
    --------
    >>> p = Problem.build()
    >>> sum_lines(p, p.output(), limit=2)
    ['y[0,0] = w[1,1]·x[0,0] = 4·3 = 12', 'y[0,1] = w[1,0]·x[0,1] = 3·2 = 6']
    """
    g = problem.geometry
    if reaching is None:
        rows, scatter_taps, bounds = structure.by_output(structure.single_channel_structure(g))
        taps = kernels.tap_order(g)[scatter_taps]  # as the user stores the kernel
    else:
        rows, taps, bounds = reaching
    n_out = math.prod(g.out_shape)
    shown = n_out if limit is None else min(n_out, limit)
    end = int(bounds[shown])
    pair_rows, pair_taps = rows[:end].tolist(), taps[:end].tolist()
    # each element's name and value written once (only those the shown sums use)
    x_names, x_factors = _named(pair_rows, g.in_shape, problem.x)
    w_names, w_factors = _named(pair_taps, g.kernel_shape, problem.kernel)
    pairs = list(zip(pair_rows, pair_taps, strict=True))
    name_terms = [f"w{w_names[j]}·x{x_names[i]}" for i, j in pairs]
    value_terms = [f"{w_factors[j]}·{x_factors[i]}" for i, j in pairs]
    edges = bounds[: shown + 1].tolist()
    results = notation.values(np.asarray(y).reshape(-1)[:shown])
    targets = (
        notation.positions(g.out_shape)
        if shown == n_out
        else [words.index(t) for t in itertools.islice(np.ndindex(*g.out_shape), shown)]
    )
    return [
        f"y{target} = {' + '.join(name_terms[a:b])} = {' + '.join(value_terms[a:b])} = {result}"
        if a < b
        else f"y{target} = 0 (no stamp reaches it)"
        for target, a, b, result in zip(targets, edges[:-1], edges[1:], results, strict=True)
    ]


def _named(
    flat: list[int], shape: tuple[int, ...], array: np.ndarray
) -> tuple[Sequence[str] | dict[int, str], Sequence[str] | dict[int, str]]:
    """The name and the factor text of the elements of ``array`` (of ``shape``) that ``flat``
    uses, by flat index: every element of a small grid at once, else only those used."""
    if array.size <= MAX_NAMED:
        if array.dtype.kind in "iufc":  # numbers: kept by their bytes (a page's states share x)
            return notation.positions(shape), _factors(array.dtype.str, array.tobytes())
        return notation.positions(shape), [words.as_factor(t) for t in notation.values(array)]
    used = sorted(set(flat))
    where = np.unravel_index(np.array(used, dtype=np.intp), shape)
    labels = [notation.position(p) for p in zip(*(c.tolist() for c in where), strict=True)]
    values = notation.values(array.reshape(-1)[np.array(used, dtype=np.intp)])
    return (
        dict(zip(used, labels, strict=True)),
        dict(zip(used, map(words.as_factor, values), strict=True)),
    )


@functools.lru_cache(maxsize=1024)
def _factors(dtype: str, data: bytes) -> tuple[str, ...]:
    return tuple(words.as_factor(t) for t in notation.values(np.frombuffer(data, dtype=dtype)))


def sums(problem: Problem, y: np.ndarray) -> Section:
    """Each output as the sum of the products that reach it; beyond
    :data:`MAX_PRINTED_OUTPUTS` outputs a run of outputs no stamp reaches is one line, so
    every reached output of a sparse problem is listed."""
    g = problem.geometry
    total = math.prod(g.out_shape)
    rows, scatter_taps, bounds = structure.by_output(structure.single_channel_structure(g))
    reaching = (rows, kernels.tap_order(g)[scatter_taps], bounds)
    reached = np.diff(bounds) > 0
    # a problem whose outputs all fit writes each on its own line (as the page shows it)
    items = (
        [(t, t + 1) for t in range(total)]
        if total <= MAX_PRINTED_OUTPUTS
        else _sum_items(reached, MAX_PRINTED_OUTPUTS)
    )
    shown = items[-1][1] if items else 0
    written = sum_lines(problem, y, limit=shown, reaching=reaching)
    lines = [written[a] if b - a == 1 else _unreached(g.out_shape, a, b) for a, b in items]
    parts: list = [Code("\n".join(lines))]
    if shown < total:
        parts.append(Text(_rest(reached, shown)))
    return Section("Each output as a sum of products", tuple(parts), "sums")


def _sum_items(reached: np.ndarray, most: int) -> list[tuple[int, int]]:
    """``(start, stop)`` of the lines to write, row-major: one per reached output, the first
    ``most`` of them, and one per run of outputs no stamp reaches between them (a run that
    ends the grid is written too, so what is left holds reached outputs only)."""
    edges = np.flatnonzero(np.diff(reached.astype(np.int8))) + 1
    items: list[tuple[int, int]] = []
    written = 0
    for a, b in zip(np.r_[0, edges].tolist(), np.r_[edges, reached.size].tolist(), strict=True):
        if written >= most:
            break
        if not reached[a]:
            items.append((a, b))
        else:
            stop = min(b, a + most - written)
            items += [(t, t + 1) for t in range(a, stop)]
            written += stop - a
    return items


def _rest(reached: np.ndarray, shown: int) -> str:
    """What the outputs after the written lines are: ``(7 more outputs, each a sum of
    products like those above.)``, with those no stamp reaches counted apart."""
    rest = reached.size - shown
    sums = int(np.count_nonzero(reached[shown:]))
    zeros = rest - sums
    noun = "output" if rest == 1 else "outputs"
    if not zeros:
        return f"({rest:,} more {noun}, each a sum of products like those above.)"
    what = "a sum" if sums == 1 else "sums"
    return (
        f"({rest:,} more {noun}: {sums:,} of them {what} of products like those above, "
        f"{zeros:,} reached by no stamp (0).)"
    )


def _unreached(shape: tuple[int, ...], start: int, stop: int) -> str:
    """``y[1] … y[998] = 0: no stamp reaches these 998 outputs``."""
    first, last = (
        f"y{notation.position(tuple(int(i) for i in np.unravel_index(t, shape)))}"
        for t in (start, stop - 1)
    )
    names = f"{first} and {last}" if stop - start == 2 else f"{first} … {last}"
    return f"{names} = 0: no stamp reaches these {stop - start:,} outputs"
