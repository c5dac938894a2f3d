"""The committed gallery in ``figures/``: written deterministically by one command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from tconvmat.plots import (
    plot_channels,
    plot_footprint,
    plot_matrix,
    plot_overlap,
    plot_parameter_effects,
    plot_polyphase,
    plot_scatter_steps,
    plot_structure_1d,
    plot_transpose_vs_inverse,
    plot_zero_insertion,
)

GALLERY: dict[str, tuple[Callable[[], Figure], str]] = {
    "matrix_structure.png": (
        plot_matrix,
        "C and Cᵀ of the worked example, non-zeros coloured by kernel tap; one input's "
        "row and the same column of Cᵀ outlined.",
    ),
    "footprint.png": (
        plot_footprint,
        "One row of C on the output grid: the kernel at the input's strided place, "
        "cropped by the padding (interior and corner element).",
    ),
    "scatter_steps.png": (
        plot_scatter_steps,
        "The scatter: the canvas after each of the nine stamps, the crop window, and the result.",
    ),
    "zero_insertion.png": (
        plot_zero_insertion,
        "Zero insertion: stride − 1 zeros between inputs, border padding, the flipped "
        "kernel at one position: the same numbers.",
    ),
    "polyphase.png": (
        plot_polyphase,
        "Polyphase: the output's stride² phases, each a stride-1 convolution with a sub-kernel.",
    ),
    "overlap.png": (
        plot_overlap,
        "Overlap counts for kernel sizes 2–4 and strides 1–3: uneven (checkerboard) when "
        "the stride does not divide the kernel.",
    ),
    "parameter_effects.png": (
        plot_parameter_effects,
        "What stride, padding, kernel size, dilation and output_padding each do to C and "
        "the output size.",
    ),
    "structure_1d.png": (
        plot_structure_1d,
        "1-D C: a Toeplitz band at stride 1, a stepped band at stride 2, spread taps at "
        "dilation 2.",
    ),
    "channels_groups.png": (
        plot_channels,
        "Channel blocks of C: groups 1, 2 and 4 (depthwise) make it block-diagonal per group.",
    ),
    "transpose_vs_inverse.png": (
        plot_transpose_vs_inverse,
        "Transposed is not inverse: the singular values of C, and a signal against Cᵀ(C y) and "
        "the least-squares inverse.",
    ),
}
"""File name → (figure function, caption)."""

METADATA = {"Software": None}
"""No software tag or date in the files, so reruns give identical bytes."""


def save(figure: Figure, path: Path) -> None:
    """Write a figure as PNG without metadata that would change between runs."""
    figure.savefig(path, metadata=METADATA)


def write_gallery(out: str | Path = "figures") -> list[Path]:
    """Regenerate every gallery figure into ``out``; return the paths written."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (function, _) in GALLERY.items():
        path = folder / name
        save(function(), path)
        written.append(path)
    return written
