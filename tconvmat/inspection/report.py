"""What an inspection finds: one row per convolution layer, with its geometry and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.inspection.mismatch import Mismatch, shape_text
from tconvmat.text import notation

__all__ = ["Layer", "Report"]


@dataclass(eq=False)
class Layer:
    """One Conv or ConvTranspose layer as it runs in the model.

    Attributes
    ----------
    name : str
        The module's qualified name (PyTorch) or the node's name (ONNX).
    op : str
        ``Conv2d``, ``ConvTranspose2d``, … (PyTorch) or ``Conv``/``ConvTranspose`` (ONNX).
    in_shape, out_shape : tuple of int
        Full shapes the layer sees, batch and channels included.
    geometry : ConvTranspose or None
        tconvmat's geometry: for a transposed layer the layer itself; for a forward
        convolution the transposed convolution whose ``conv`` it is. None when the
        layer cannot be expressed (see ``findings``).
    transposed : bool
    uneven_overlap : bool or None
        Transposed layers: whether some interior outputs receive more taps than others
        (the checkerboard risk).
    tap_counts : list of list of int
        Per axis, the taps each output phase receives away from the borders.
    findings : list of str
        What is worth knowing, each with its fix.
    convert : str
        Transposed layers: the ``tconvmat convert`` command that prints this layer's code
        for another framework.
    attributes : dict
        The layer's own parameters, as the framework states them.
    mismatch : Mismatch or None
        Set on the row of a join (``torch.cat``, ``Concat``, ``Add``, …) whose inputs do not
        fit: the two shapes, the layer that produced the wrong size, why, and the fixes.
    """

    name: str
    op: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    geometry: ConvTranspose | None
    transposed: bool
    uneven_overlap: bool | None = None
    tap_counts: list[list[int]] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    convert: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    mismatch: Mismatch | None = None

    def to_json(self) -> dict[str, Any]:
        """The row as JSON-ready values (keys documented in ``tconvmat inspect --help``)."""
        g = self.geometry
        return {
            "name": self.name,
            "op": self.op,
            "in_shape": list(self.in_shape),
            "out_shape": list(self.out_shape),
            "transposed": self.transposed,
            "uneven_overlap": self.uneven_overlap,
            "tap_counts": self.tap_counts,
            "kernel_shape": None if g is None else list(g.kernel_shape),
            "stride": None if g is None else list(g.stride),
            "dilation": None if g is None else list(g.dilation),
            "crops": None if g is None else [list(c) for c in g.crops],
            "groups": None if g is None else g.groups,
            "attributes": self.attributes,
            "findings": self.findings,
            "convert": self.convert,
            "mismatch": None if self.mismatch is None else self.mismatch.to_json(),
        }


@dataclass(eq=False)
class Report:
    """Every Conv/ConvTranspose layer of a model, in execution order.

    Rows of joins that do not fit (``Layer.mismatch``) come where they ran; the model is
    followed past them as if fixed. ``failure`` says, in one line, where and why the model
    stops ('' when it runs to the end); the last row is then the failing operation.
    """

    source: str
    layers: list[Layer]
    failure: str = ""

    @property
    def mismatches(self) -> list[Mismatch]:
        """The joins whose inputs do not fit, in the order they ran."""
        return [layer.mismatch for layer in self.layers if layer.mismatch is not None]

    @property
    def runs(self) -> bool:
        """Whether the model runs as it is: no failure and no join that does not fit."""
        return not self.failure and not self.mismatches

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def to_json(self) -> list[dict[str, Any]]:
        return [layer.to_json() for layer in self.layers]

    def table(self) -> str:
        """A plain-text table: one row per layer, then the findings."""
        rows = [
            [
                layer.name,
                layer.op,
                *_shapes(layer),
                "" if layer.uneven_overlap is None else ("yes" if layer.uneven_overlap else "no"),
                str(len(layer.findings)),
            ]
            for layer in self.layers
        ]
        header = ["layer", "op", "in", "out", "uneven overlap", "findings"]
        text = notation.table(rows, col_labels=header) if rows else "(no Conv/ConvTranspose layers)"
        notes = [
            f"- {layer.name}: {finding}".replace("\n", "\n  ")
            for layer in self.layers
            for finding in layer.findings
        ]
        return f"{self.source}\n\n{text}" + ("\n\nFindings:\n" + "\n".join(notes) if notes else "")

    def __str__(self) -> str:
        return self.table()

    def _repr_markdown_(self) -> str:
        lines = ["| layer | op | in | out | uneven overlap |", "| --- | --- | --- | --- | --- |"]
        for layer in self.layers:
            uneven = (
                ""
                if layer.uneven_overlap is None
                else ("**yes**" if layer.uneven_overlap else "no")
            )
            shapes = _shapes(layer)
            lines.append(f"| `{layer.name}` | {layer.op} | {shapes[0]} | {shapes[1]} | {uneven} |")
        notes = [
            f"- `{layer.name}`: {_markdown(f)}" for layer in self.layers for f in layer.findings
        ]
        return (
            f"**{self.source}**\n\n"
            + "\n".join(lines)
            + ("\n\n" + "\n".join(notes) if notes else "")
        )


def _shapes(layer: Layer) -> tuple[str, str]:
    """The in and out cells: a join that does not fit shows both inputs and no output."""
    if layer.mismatch is not None:
        m = layer.mismatch
        return f"{shape_text(m.changed)} + {shape_text(m.other)}", "does not fit"
    if (
        not layer.out_shape
        and layer.geometry is None
        and layer.findings[-1:]
        and (layer.findings[-1].startswith("the model stops here"))
    ):
        return shape_text(layer.in_shape), "fails"
    return shape_text(layer.in_shape), shape_text(layer.out_shape)


def _markdown(finding: str) -> str:
    """A finding in a Markdown list item: a block of code becomes a fenced block."""
    head, sep, code = finding.partition(":\n")
    if not sep:
        return finding
    lines = [line.removeprefix("    ") for line in code.splitlines()]
    return head + ":\n\n  ```python\n" + "".join(f"  {line}\n" for line in lines) + "  ```\n"
