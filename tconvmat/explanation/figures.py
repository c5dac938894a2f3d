"""The explanation's figures: this problem drawn by :mod:`tconvmat.plots`, saved beside the text."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tconvmat.api import ConvTranspose

__all__ = ["figures"]


def figures(geometry: ConvTranspose, x: np.ndarray, kernel: np.ndarray, folder: Path) -> list[str]:
    from tconvmat.plots import (
        plot_footprint,
        plot_matrix,
        plot_polyphase,
        plot_scatter_steps,
        plot_zero_insertion,
    )
    from tconvmat.plots.gallery import save

    wanted = [("matrix_structure.png", "C and Cᵀ", lambda: plot_matrix(geometry, kernel))]
    if geometry.ndim == 2:
        wanted += [
            (
                "footprint.png",
                "one row of C on the output grid",
                lambda: plot_footprint(geometry, x, kernel),
            ),
            (
                "scatter_steps.png",
                "the scatter, step by step",
                lambda: plot_scatter_steps(geometry, x, kernel),
            ),
            (
                "zero_insertion.png",
                "the zero-insertion view",
                lambda: plot_zero_insertion(geometry, x, kernel),
            ),
            ("polyphase.png", "the polyphase view", lambda: plot_polyphase(geometry, x, kernel)),
        ]
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["## Figures", ""]
    for name, caption, draw in wanted:
        save(draw(), folder / name)
        lines += [f"![{caption}]({name})", ""]
    return lines
