"""Which parameters take an input size to an output size, and mirroring an encoder."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.core import axis, rules, validation

__all__ = ["Solution", "mirror", "solve"]


@dataclass(frozen=True)
class Solution:
    """One transposed convolution that maps ``in_size`` to ``out_size`` on one axis.

    Attributes
    ----------
    kernel, stride, padding, output_padding, dilation : int
        The parameters; ``padding`` is PyTorch's (both sides) when
        ``pytorch_representable``, else the low crop (see ``crops``).
    even_overlap : bool
        Every output away from the borders receives the same number of taps
        (no checkerboard); with dilation 1 exactly when ``stride`` divides ``kernel``.
    pytorch_representable : bool
        ``torch.nn.ConvTranspose`` can express it (symmetric padding,
        ``output_padding < max(stride, dilation)``).
    asymmetric_crops : bool
        It needs different crops at the two ends.
    crops : tuple of int
        ``(crop_lo, crop_hi)`` of the uncropped scatter.
    """

    kernel: int
    stride: int
    padding: int
    output_padding: int
    dilation: int
    even_overlap: bool
    pytorch_representable: bool
    asymmetric_crops: bool
    crops: tuple[int, int]

    def geometry(self, in_size: int) -> ConvTranspose:
        """The 1-D geometry of this solution."""
        return ConvTranspose.from_crops(
            (in_size,), (self.kernel,), [self.crops], stride=self.stride, dilation=self.dilation
        )


MAX_SEARCH = 64
"""Largest kernel, stride or dilation the search tries (and most values per list)."""


def _values(name: str, values: Iterable[int]) -> list[int]:
    checked = [validation.as_int(name, v) for v in values]
    if not checked or min(checked) < 1 or max(checked) > MAX_SEARCH or len(checked) > MAX_SEARCH:
        raise ValueError(
            f"{name} {checked} must be a non-empty list of at most {MAX_SEARCH} integers "
            f"between 1 and {MAX_SEARCH}"
        )
    return checked


class Solutions(list):  # type: ignore[type-arg]
    """The solver's answer: a list of :class:`Solution`, shown as a table in Jupyter."""

    def _repr_markdown_(self) -> str:
        rows = [
            "| # | kernel | stride | padding | output_padding | dilation | overlap | PyTorch |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for n, r in enumerate(self[:20], start=1):
            overlap = "even" if r.even_overlap else "uneven"
            rows.append(
                f"| {n} | {r.kernel} | {r.stride} | {r.padding} | {r.output_padding} | "
                f"{r.dilation} | {overlap} | {'yes' if r.pytorch_representable else 'no'} |"
            )
        more = f"\n\n… {len(self) - 20} more" if len(self) > 20 else ""
        return f"**{len(self)} solutions, even overlap first**\n\n" + "\n".join(rows) + more


def solve(
    in_size: int,
    out_size: int,
    *,
    max_kernel: int = 7,
    strides: Iterable[int] = (1, 2, 3, 4),
    dilations: Iterable[int] = (1, 2),
    framework: str = "pytorch",
) -> Solutions:
    """Every (kernel, stride, padding, output_padding, dilation) taking ``in_size`` to ``out_size``.

    Parameters
    ----------
    in_size, out_size : int
        Lengths on one axis.
    max_kernel : int
        Kernels ``1 … max_kernel`` are tried.
    strides, dilations : iterable of int
        Values tried.
    framework : {'pytorch', 'any'}
        ``'pytorch'``: symmetric padding and PyTorch's output_padding rule.
        ``'any'``: also the asymmetric crops other frameworks allow (the
        smallest pair of non-negative crops for each parameter set PyTorch
        cannot express).

    Returns
    -------
    list of Solution
        Ranked: even overlap first, then the least cropped away (work wasted on
        outputs that are thrown away), then smaller dilation, kernel and stride.

    Notes
    -----
    ``out = (in − 1)·s + d·(k − 1) + 1 − crop_lo − crop_hi``; PyTorch's
    crops are ``(p, p − op)``, so ``2p − op = (in − 1)·s + d·(k − 1) + 1 − out``.

    Examples
    --------
    >>> best = solve(16, 32)[0]
    >>> best.kernel, best.stride, best.padding, best.output_padding, best.dilation
    (2, 2, 0, 0, 1)
    """
    in_size = validation.as_int("in_size", in_size)
    out_size = validation.as_int("out_size", out_size)
    max_kernel = validation.as_int("max_kernel", max_kernel)
    if max_kernel > MAX_SEARCH:
        raise ValueError(f"max_kernel ({max_kernel}) must be <= {MAX_SEARCH}")
    for name, value in (("in_size", in_size), ("out_size", out_size), ("max_kernel", max_kernel)):
        if value < 1:
            raise ValueError(f"{name} ({value}) must be >= 1")
    framework = validation.choice("framework", framework, ("pytorch", "any"))
    found = []
    for s in _values("strides", strides):
        for d in _values("dilations", dilations):
            for k in range(1, max_kernel + 1):
                total = axis.full_length(in_size, k, s, d) - out_size  # crop_lo + crop_hi
                even = len(set(axis.phase_tap_counts(k, s, d))) == 1
                representable = False
                for op in range(rules.output_padding_limit(s, d)):
                    if (total + op) % 2 == 0 and total + op >= 0:
                        p = (total + op) // 2
                        crops = rules.pytorch_crops((p, p), op)
                        found.append(Solution(k, s, p, op, d, even, True, op != 0, crops))
                        representable = True
                if framework == "any" and not representable and total >= 0:
                    lo = total // 2
                    found.append(Solution(k, s, lo, 0, d, even, False, True, (lo, total - lo)))
    found.sort(
        key=lambda r: (
            not r.even_overlap,
            abs(r.crops[0]) + abs(r.crops[1]),
            r.dilation,
            r.kernel,
            r.stride,
            r.output_padding,
        )
    )
    return Solutions(found)


def mirror(encoder: Sequence[Any], in_shape: Any) -> list[ConvTranspose]:
    """Transposed convolutions that undo an encoder's shapes exactly (autoencoder, U-Net).

    Parameters
    ----------
    encoder : sequence
        Forward convolutions, first to last, each ``(kernel, stride, padding,
        dilation)`` (ints or per-axis tuples; ``dilation`` may be left out).
    in_shape : tuple of int
        Spatial shape of the encoder's input.

    Returns
    -------
    list of ConvTranspose
        The decoder, first (undoing the last encoder layer) to last; each
        geometry's ``out_shape`` is the matching encoder layer's input shape,
        its ``output_padding`` picking the size the forward floor lost.

    Examples
    --------
    >>> [g.out_shape for g in mirror([(3, 2, 1), (3, 2, 1)], (33, 32))]
    [(17, 16), (33, 32)]
    """
    shape = validation.shape("in_shape", in_shape)
    ndim = len(shape)
    decoder = []
    for n, layer in enumerate(encoder):
        if len(layer) not in (3, 4):
            raise ValueError(
                f"encoder[{n}] {layer!r} must be (kernel, stride, padding[, dilation])"
            )
        kernel, stride, padding, dilation = (*layer, 1) if len(layer) == 3 else layer
        k = validation.per_axis(f"encoder[{n}] kernel", kernel, ndim, minimum=1)
        s = validation.per_axis(f"encoder[{n}] stride", stride, ndim, minimum=1)
        p = validation.per_axis(f"encoder[{n}] padding", padding, ndim, minimum=0)
        d = validation.per_axis(f"encoder[{n}] dilation", dilation, ndim, minimum=1)
        lengths = [
            axis.forward_length(size, kk, ss, dd, (pad, pad))
            for size, kk, ss, dd, pad in zip(shape, k, s, d, p, strict=True)
        ]
        if min(length for length, _ in lengths) == 0:
            raise ValueError(
                f"encoder[{n}]: input {shape} with padding {p} is smaller than the kernel {k}"
            )
        reduced = tuple(length for length, _ in lengths)
        # output_padding gives back the positions the forward floor left unread.
        output_padding = tuple(unused for _, unused in lengths)
        decoder.append(ConvTranspose(reduced, k, s, p, d, output_padding))
        shape = reduced
    return decoder[::-1]
