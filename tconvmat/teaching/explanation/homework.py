"""For the homework: the PyTorch line that gives this y, an autoencoder's shape walk
(28 → 14 → 7 → 14 → 28, where output_padding or ``output_size=`` is needed), and why
"deconvolution" is a misnomer. Every size comes from the geometry (:mod:`tconvmat.core.axis`)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from tconvmat.api import ConvTranspose
from tconvmat.core import axis
from tconvmat.problem import Problem, counting
from tconvmat.teaching.explanation.autoencoder import measures_inverse
from tconvmat.teaching.explanation.parts import Code, Section, Text

__all__ = ["WALK", "homework", "pytorch_lines", "shape_walk"]


class Walk(NamedTuple):
    size: int = 28
    kernel: int = 3
    stride: int = 2
    padding: int = 1
    channels: tuple[int, int, int] = (1, 16, 32)


WALK = Walk()
"""An MNIST-sized autoencoder: two stride-2 encoder convolutions, two decoder layers."""


def _tensor(name: str, array: np.ndarray, lead: str) -> str:
    """``name = `` a torch tensor of these values: ``torch.arange`` for counting numbers, else a
    list (the list on a line of its own when the line would be too long)."""
    shape = ", ".join(str(n) for n in (*lead.split(), *array.shape) if n)
    if array.dtype.kind in "iu" and np.array_equal(array, counting(array.shape)):
        return f"{name} = torch.arange(1, {array.size + 1}, dtype=torch.float64).reshape({shape})"
    values = array.tolist() if array.dtype.kind in "iu" else np.asarray(array, float).tolist()
    line = f"{name} = torch.tensor({values}, dtype=torch.float64).reshape({shape})"
    if len(line) <= CODE_WIDTH:
        return line
    return f"{name} = torch.tensor(\n    {values},\n    dtype=torch.float64,\n).reshape({shape})"


CODE_WIDTH = 76
"""Code lines longer than this are broken between arguments (the text's width is 80)."""


def _call(opening: str, arguments: list[str]) -> str:
    """``opening`` + the arguments + ``)``, on one line if it fits, else one argument a line.

    Examples
    --------
    >>> print(_call("f(", ["x", "w", "stride=(1, 1)"]))
    f(x, w, stride=(1, 1))
    >>> print(_call("y = F.conv_transpose2d(", ["x", "w", "stride=(2, 2)", "padding=(1, 1)",
    ...       "output_padding=(1, 1)"]))
    y = F.conv_transpose2d(
        x, w, stride=(2, 2), padding=(1, 1), output_padding=(1, 1)
    )
    """
    flat = f"{opening}{', '.join(arguments)})"
    if len(flat) <= CODE_WIDTH:
        return flat
    inner = "    " + ", ".join(arguments)
    if len(inner) <= CODE_WIDTH:
        return f"{opening}\n{inner}\n)"
    return opening + "\n" + "".join(f"    {a},\n" for a in arguments) + ")"


def pytorch_lines(problem: Problem) -> str | None:
    """Runnable PyTorch code that computes this problem's y (None where PyTorch cannot)."""
    from tconvmat.conventions.pytorch import to_pytorch

    g = problem.geometry
    if not problem.numeric or g.ndim > 3 or np.iscomplexobj(problem.x):
        return None
    call = to_pytorch(g)
    lead = "1 1" if g.single_channel else ""  # PyTorch's (N, C, …) and (C_in, C_out, …)
    weight = _tensor("w", problem.kernel, lead)
    if call.flip_kernel:
        weight += f".flip(dims={tuple(range(2, 2 + g.ndim))})"
    options = [f"stride={g.stride}", f"padding={call.padding}"]
    if any(call.output_padding):
        options.append(f"output_padding={call.output_padding}")
    if any(d != 1 for d in g.dilation):
        options.append(f"dilation={g.dilation}")
    if g.groups != 1:
        options.append(f"groups={g.groups}")
    lines = [
        "import torch",
        "import torch.nn.functional as F",
        _tensor("x", problem.x, lead or "1"),
        weight,
        _call(f"y = F.conv_transpose{g.ndim}d(", ["x", "w", *options]),
    ]
    if not call.exact:
        cuts = ", ".join(
            f"{lo}:{f'-{hi}' if hi > 0 else ''}" if lo >= 0 and hi >= 0 else ":"
            for lo, hi in call.adjust
        )
        lines.append(f"y = y[..., {cuts}]  # {call.explanation}")
    lines.append("print(y[0, 0])" if g.single_channel else "print(y[0])  # every output channel")
    return "\n".join(lines)


def shape_walk() -> list[tuple[str, str, int]]:
    """(layer, PyTorch module, output size) for the encoder and decoder of :data:`WALK`."""
    n, k, s, p, (c0, c1, c2) = WALK
    rows = [("input", "", n)]
    sizes = [n]
    for a, b in ((c0, c1), (c1, c2)):
        sizes.append(axis.forward_count(sizes[-1], k, s, 1, (p, p)))
        rows.append(("encoder", f"nn.Conv2d({a}, {b}, {k}, stride={s}, padding={p})", sizes[-1]))
    h = sizes[-1]
    for (a, b), target in zip(((c2, c1), (c1, c0)), reversed(sizes[:-1]), strict=True):
        plain = ConvTranspose((h, h), (k, k), s, p).out_shape[0]
        layer = f"nn.ConvTranspose2d({a}, {b}, {k}, stride={s}, padding={p})"
        rows.append(("decoder, as is", layer, plain))
        if target != plain:
            op = target - plain
            fixed = ConvTranspose((h, h), (k, k), s, p, output_padding=op).out_shape[0]
            rows.append(
                (f"decoder, output_padding={op}", f"{layer[:-1]}, output_padding={op})", fixed)
            )
        h = target
    return rows


def homework(problem: Problem) -> Section:
    """The PyTorch line for this y, the autoencoder's shape walk, the word "deconvolution"."""
    parts: list = []
    code = pytorch_lines(problem)
    if code is not None:
        parts += [
            Text(
                "PyTorch computes the same y (kernel as stored: PyTorch's weight layout is "
                "(in channels, out channels per group, kernel…), and it does not reverse it):"
            ),
            Code(code),
        ]
    height, width = problem.geometry.matrix_shape
    square = (
        f"here C is {height} × {width}, not even square, so it has no inverse at all"
        if height != width
        else "even where C is square and invertible, Cᵀ is not C⁻¹"
    )
    why_not = measures_inverse(problem)
    measured = (
        f"the gap is not measured here: {why_not}"
        if why_not
        else 'the measured gap is in the section above, "Transposed is not inverse"'
    )
    rows = shape_walk()
    lines = []
    for n, (name, module, size) in enumerate(rows):
        if not module:
            lines.append(f"{name}: {size}×{size}")
            continue
        short = ""
        if name == "decoder, as is" and n + 1 < len(rows) and rows[n + 1][0] != "encoder":
            short = f", not {rows[n + 1][2]}×{rows[n + 1][2]}"
        lines.append(f"{module} → {size}×{size}{short}")
    n, k, s, p, _ = WALK
    parts += [
        Text(
            f"An autoencoder's shapes, step by step ({n}×{n} images, kernel {k}, stride {s}, "
            f"padding {p} everywhere). The encoder's floor maps two sizes onto one ("
            + "; ".join(
                f"{a} and {a - 1} both give {axis.forward_count(a, k, s, 1, (p, p))}"
                for a in (n, rows[1][2])
                if axis.forward_count(a - 1, k, s, 1, (p, p))
                == axis.forward_count(a, k, s, 1, (p, p))
            )
            + "), and a decoder layer as is gives the smaller one back:"
        ),
        Code("\n".join(lines)),
        Text(
            "Either give each decoder layer the output_padding shown, or let PyTorch "
            "choose it per call: `layer(h, output_size=skip.shape[-2:])`, which accepts any "
            "size the encoder's floor could have come from (for the first decoder layer "
            f"{' or '.join(str(rows[3][2] + op) for op in range(s))}). In a U-Net the skip "
            "connection's size is exactly that target."
        ),
        Text(
            'Why "deconvolution" is a misnomer: in signal processing a deconvolution undoes a '
            "convolution, recovering u from C·u. A transposed convolution computes Cᵀx, not "
            f"C⁻¹x: {square}, and Cᵀ undoes only the convolution's change of *shape* "
            f"({measured}). The name stuck from Zeiler et al.'s "
            "deconvolutional networks (2010); Dumoulin and Visin's guide and PyTorch call it a "
            'transposed convolution, and "fractionally strided convolution" names the '
            "zero-insertion view."
        ),
    ]
    return Section("For the homework: PyTorch, an autoencoder, the name", tuple(parts), "homework")
