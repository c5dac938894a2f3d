"""``explore()``: sliders for every parameter in Jupyter, redrawing C, the scatter and overlap.

Needs ipywidgets (``pip install "tconvmat[jupyter]"``), imported only here.
Figures are drawn by :mod:`tconvmat.plots` into Image widgets; a combination
that is not a valid transposed convolution shows the library's message, never
a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tconvmat import _text
from tconvmat._optional import require
from tconvmat.api import ConvTranspose
from tconvmat.problem import Problem, counting

__all__ = ["Explorer", "explore"]

CONTROLS = {
    "input size": (1, 8, 3),
    "kernel size": (1, 5, 2),
    "stride": (1, 4, 2),
    "padding": (0, 4, 1),
    "dilation": (1, 3, 1),
    "output_padding": (0, 3, 0),
}
"""Slider name → (min, max, start): the worked example's sizes to begin with."""
VIEWS = {"matrix": "C and Cᵀ", "scatter": "scatter", "overlap": "overlap"}
"""Figure name → tab title."""


@dataclass(eq=False)
class Explorer:
    """The widget and its state: ``geometry`` is the current transposed convolution.

    Attributes
    ----------
    geometry : ConvTranspose or None
        None while the sliders describe no valid transposed convolution.
    message : str
        The output size, or the reason the combination is invalid.
    widget : ipywidgets.VBox
        What Jupyter shows.
    controls : dict
        Slider name → widget (plus ``'dimensions'``: 1-D or 2-D).
    """

    controls: dict[str, Any]
    widget: Any
    images: dict[str, Any]
    summary: Any
    geometry: ConvTranspose | None = None
    message: str = ""
    drawn: list[str] = field(default_factory=list)

    def settings(self) -> dict[str, int]:
        """The sliders' values."""
        return {name: int(control.value) for name, control in self.controls.items()}

    def problem(self) -> Problem:
        """The problem the sliders describe (counting numbers as input and kernel)."""
        values = self.settings()
        ndim = values["dimensions"]
        in_shape = (values["input size"],) * ndim
        kernel_shape = (values["kernel size"],) * ndim
        geometry = ConvTranspose(
            in_shape,
            kernel_shape,
            stride=values["stride"],
            padding=values["padding"],
            dilation=values["dilation"],
            output_padding=values["output_padding"],
        )
        return Problem(geometry, counting(in_shape), counting(kernel_shape))

    def redraw(self, *_: Any) -> None:
        """Recompute from the sliders; show the figures or the reason they cannot be drawn."""
        from tconvmat import plots
        from tconvmat.overlap import overlap_counts

        try:
            task = self.problem()
        except (ValueError, TypeError) as error:
            self.geometry, self.message = None, f"Not a valid transposed convolution: {error}"
            self.summary.value = f"<p style='color:#b00020'><b>{self.message}</b></p>"
            for image in self.images.values():
                image.value = b""
            self.drawn = []
            return
        g = task.geometry
        self.geometry = g
        report = overlap_counts(g)
        self.message = (
            f"{_text.shape(g.in_shape)} → {_text.shape(g.out_shape)}; "
            f"C is {g.matrix_shape[0]} × {g.matrix_shape[1]}; overlap: {report.pattern}"
        )
        self.summary.value = f"<p><b>{self.message}</b></p><p>{report.verdict}.</p>"
        figures = {
            "matrix": plots.plot_matrix(g, task.kernel),
            "scatter": plots.plot_scatter_steps(g, task.x, task.kernel),
            "overlap": plots.plot_overlap_counts(g),
        }
        for name, figure in figures.items():
            self.images[name].value = figure.to_bytes("png", dpi=60)
        self.drawn = list(figures)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def explore() -> Explorer:
    """Sliders for input size, kernel size, stride, padding, dilation and output_padding.

    1-D or 2-D (square); the input and kernel are counting numbers 1, 2, 3, …
    Every change redraws C's structure, the scatter and the overlap map and
    states the output size; ``.geometry`` is the current geometry.

    Examples
    --------
    >>> explorer = explore()
    >>> explorer.controls["stride"].value = 3
    >>> explorer.geometry.out_shape
    (6, 6)
    """
    widgets = require("ipywidgets", "explore()")
    controls: dict[str, Any] = {
        "dimensions": widgets.ToggleButtons(
            options=[("1-D", 1), ("2-D", 2)], value=2, description="dimensions"
        )
    }
    for name, (low, high, start) in CONTROLS.items():
        controls[name] = widgets.IntSlider(
            value=start,
            min=low,
            max=high,
            description=name,
            continuous_update=False,
            style={"description_width": "8em"},
        )
    images = {name: widgets.Image(format="png") for name in VIEWS}
    summary = widgets.HTML()
    widget = widgets.VBox(
        [
            widgets.HBox([widgets.VBox(list(controls.values())), summary]),
            widgets.Tab(children=list(images.values()), titles=tuple(VIEWS.values())),
        ]
    )
    explorer = Explorer(controls, widget, images, summary)
    for control in controls.values():
        control.observe(explorer.redraw, names="value")
    explorer.redraw()
    return explorer
