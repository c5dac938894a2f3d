"""Where two branches of a model meet with different sizes (a U-Net's skip), and why.

A U-Net concatenates (or adds) each decoder tensor with the encoder tensor of the same level.
An encoder step that halves an odd size rounds down (``25 → 12``); the decoder's up-sampler
doubles it back to ``24``, and the join fails with ``24 vs 25``. This module holds that story,
framework-neutral: the sizes along the way (:class:`Step`), the join that failed
(:class:`Mismatch`), the up-sampler that produced the wrong size, the encoder step whose
floor lost the element, and the fixes (:class:`Fix`), each with its line of code. The
framework modules (PyTorch, ONNX, Keras) trace the model and write the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tconvmat.text import notation

__all__ = ["Fix", "Mismatch", "Step", "chain_to", "code_text", "join_shapes", "shape_text"]


def shape_text(shape: tuple[Any, ...]) -> str:
    """``1×16×25×25`` (:func:`tconvmat.text.notation.shape`); an ONNX dimension that is not a number
    is written as its name, or ``?`` when it has none.

    Examples
    --------
    >>> shape_text((1, 16, 25, 25)), shape_text(("batch", 3, None))
    ('1×16×25×25', 'batch×3×?')
    """
    if all(isinstance(n, int) for n in shape):
        return notation.shape(shape)
    return "×".join("?" if n is None else str(n) for n in shape)


def code_text(code: str) -> str:
    r"""A line of code after a sentence: ``: `code```; several lines as an indented block.

    Examples
    --------
    >>> code_text("x = 1")
    ': `x = 1`'
    >>> print(code_text("a = 1\nb = 2"))
    :
        a = 1
        b = 2
    """
    if not code:
        return ""
    if "\n" not in code:
        return f": `{code}`"
    return ":\n" + "\n".join("    " + line for line in code.splitlines())


@dataclass(frozen=True)
class Step:
    """One operation that changed the spatial size of the tensor on its way to a join.

    Attributes
    ----------
    name : str
        The module, node or layer name (or the function and its line of code).
    op : str
        What it is: ``conv_transpose2d``, ``MaxPool``, ``Conv2DTranspose``, …
    in_shape, out_shape : tuple of int
        Full shapes (batch and channels included, in the framework's layout).
    spatial : tuple of int
        Which axes of the shapes are spatial.
    parent : int
        Index of the step that produced this one's input (``-1``: the model's input).
    """

    name: str
    op: str
    in_shape: tuple[int, ...]
    out_shape: tuple[int, ...]
    spatial: tuple[int, ...]
    parent: int = -1

    @property
    def in_size(self) -> tuple[int, ...]:
        return tuple(self.in_shape[a] for a in self.spatial)

    @property
    def out_size(self) -> tuple[int, ...]:
        return tuple(self.out_shape[a] for a in self.spatial)

    @property
    def upsamples(self) -> bool:
        """Whether it is meant to make the tensor larger: a transposed convolution (whatever
        size it gives), or any step that does (an upsampling)."""
        op = self.op.lower()
        return ("conv" in op and "transpose" in op) or any(
            o > i for i, o in zip(self.in_size, self.out_size, strict=True)
        )


def chain_to(steps: list[Step], last: int) -> list[Step]:
    """The resizing steps from the model's input to step ``last``, in order.

    Examples
    --------
    >>> a = Step("pool", "MaxPool", (1, 1, 5), (1, 1, 2), (2,))
    >>> b = Step("up", "ConvTranspose", (1, 1, 2), (1, 1, 4), (2,), parent=0)
    >>> [s.name for s in chain_to([a, b], 1)]
    ['pool', 'up']
    """
    chain: list[Step] = []
    seen: set[int] = set()
    while last >= 0 and last not in seen:  # a loop in hostile data must not hang
        seen.add(last)
        chain.append(steps[last])
        last = steps[last].parent
    return chain[::-1]


def join_shapes(
    shapes: list[tuple[int, ...]], concat_axis: int | None
) -> tuple[tuple[int, ...], ...] | None:
    """The axes on which the tensors of a join disagree, or None when they fit.

    ``concat_axis`` is the concatenation axis (None for an element-wise op, which
    broadcasts: a size of 1 fits any other).

    Examples
    --------
    >>> join_shapes([(1, 8, 24, 24), (1, 8, 25, 25)], concat_axis=1)
    ((2, 3),)
    >>> join_shapes([(1, 8, 24, 24), (1, 4, 24, 24)], concat_axis=1) is None
    True
    >>> join_shapes([(1, 8, 24, 24), (1, 1, 1, 1)], concat_axis=None) is None
    True
    """
    if len(shapes) < 2 or len({len(s) for s in shapes}) != 1:
        return None
    reference = shapes[0]
    found = []
    for shape in shapes[1:]:
        axes = tuple(
            a
            for a, (m, n) in enumerate(zip(reference, shape, strict=True))
            if a != concat_axis and m != n and (concat_axis is not None or 1 not in (m, n))
        )
        if axes:
            found.append(axes)
    return tuple(found) or None


@dataclass(frozen=True)
class Fix:
    """One way to make the join fit, with its line of code.

    Attributes
    ----------
    kind : str
        ``output_padding``, ``output_size``, ``pad`` (the up-sampled tensor) or ``crop``
        (the skip, or padding it when it is the smaller one).
    text : str
        What it does, in a sentence.
    code : str
        The line of code, in the model's own framework.
    value : tuple
        The numbers it uses (output_padding per axis; pads per spatial axis).
    layer : str
        The layer or node it changes ('' for a line added before the join).
    """

    kind: str
    text: str
    code: str
    value: tuple[Any, ...] = ()
    layer: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "code": self.code,
            "value": [list(v) if isinstance(v, tuple) else v for v in self.value],
            "layer": self.layer,
        }


@dataclass(eq=False)
class Mismatch:
    """A join (concatenation or element-wise op) whose inputs do not fit.

    Attributes
    ----------
    op : str
        ``torch.cat``, ``Concat``, ``Add``, ``Concatenate``, …
    name : str
        The node or layer, or where in the code (``unet.py:31``).
    where : str
        The line of code that joins them, when known.
    changed, other : tuple of int
        The shape of the tensor to change (the one most recently resized: the decoder's),
        and the shape it must fit (the skip's).
    axes : tuple of int
        The axes (of the full shapes) that disagree.
    chain : list of Step
        The resizing steps from the input to the changed tensor.
    fixes : list of Fix
    """

    op: str
    name: str
    where: str
    changed: tuple[int, ...]
    other: tuple[int, ...]
    axes: tuple[int, ...]
    chain: list[Step]
    fixes: list[Fix] = field(default_factory=list)

    @property
    def sizes(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The disagreeing sizes: ``((24, 24), (25, 25))``."""
        return tuple(self.changed[a] for a in self.axes), tuple(self.other[a] for a in self.axes)

    @property
    def culprit(self) -> Step | None:
        """The last up-sampler on the way to the changed tensor (else the last resizing step)."""
        ups = [s for s in self.chain if s.upsamples]
        return ups[-1] if ups else (self.chain[-1] if self.chain else None)

    @property
    def encoder(self) -> Step | None:
        """The step before the culprit that shrank the skip's size (where the floor lost it)."""
        culprit = self.culprit
        if culprit is None:
            return None
        before = self.chain[: self.chain.index(culprit)]
        for step in reversed(before):
            sizes = dict(zip(step.spatial, step.in_size, strict=True))
            if all(sizes.get(a) == self.other[a] for a in self.axes) and not step.upsamples:
                return step
        return None

    def targets(self) -> dict[int, int]:
        """Per disagreeing axis: the size the changed tensor needs."""
        return {a: self.other[a] for a in self.axes}

    def describe(self) -> str:
        """The mismatch in a few sentences: what, which layer, why."""
        got, want = self.sizes
        what = (
            f"{self.op} ({self.name}) joins x = {shape_text(self.changed)} (the up-sampled "
            f"tensor, as the fixes call it) with skip = {shape_text(self.other)}: size "
            f"{'×'.join(map(str, got))} vs {'×'.join(map(str, want))} on "
            f"ax{'es' if len(self.axes) > 1 else 'is'} {', '.join(map(str, self.axes))}"
        )
        if self.where:
            what += f", at `{self.where}`"
        parts = [what + "."]
        culprit, encoder = self.culprit, self.encoder
        if culprit is not None:
            parts.append(
                f"{culprit.name} ({culprit.op}) made {shape_text(culprit.in_size)} → "
                f"{shape_text(culprit.out_size)}"
                + (
                    f", where the skip is {'×'.join(map(str, want))}"
                    if culprit.out_size != tuple(self.other[a] for a in culprit.spatial)
                    else ""
                )
                + "."
            )
        if encoder is not None and culprit is not None:
            parts.append(self._why(culprit, encoder))
        if self.chain:
            sizes = [shape_text(self.chain[0].in_size)] + [
                shape_text(s.out_size) for s in self.chain
            ]
            parts.append(f"Sizes on the way: {' → '.join(sizes)}.")
        return " ".join(parts)

    def _why(self, culprit: Step, encoder: Step) -> str:
        """The encoder's floor lost an element, or the up-sampler's own formula is off."""
        before, after = shape_text(encoder.in_size), shape_text(encoder.out_size)
        factors = {
            o // i
            for i, o in zip(culprit.in_size, culprit.out_size, strict=True)
            if i and o % i == 0
        }
        lossless = len(factors) == 1 and all(
            o * next(iter(factors)) == i
            for i, o in zip(encoder.in_size, encoder.out_size, strict=True)
        )
        if lossless:
            return (
                f"Why: the encoder's {encoder.name} ({encoder.op}) took {before} → {after} "
                f"without loss; {culprit.name}'s own size formula does not give back {before}."
            )
        if len(factors) == 1:
            factor = next(iter(factors))
            back = shape_text(tuple(o * factor for o in encoder.out_size))
            return (
                f"Why: the encoder's {encoder.name} ({encoder.op}) took {before} → {after}, "
                f"rounding down, and {after} × {factor} is {back}, not {before}."
            )
        return (
            f"Why: the encoder's {encoder.name} ({encoder.op}) took {before} → {after}, "
            f"rounding down, and up-sampling {after} cannot give back {before}."
        )

    def findings(self) -> list[str]:
        """The description, then one line per fix with its code."""
        lines = [self.describe()]
        for fix in self.fixes:
            lines.append(f"Fix ({fix.kind}): {fix.text}" + code_text(fix.code))
        return lines

    def to_json(self) -> dict[str, Any]:
        culprit, encoder = self.culprit, self.encoder
        got, want = self.sizes
        return {
            "op": self.op,
            "name": self.name,
            "where": self.where,
            "shapes": [list(self.changed), list(self.other)],
            "axes": list(self.axes),
            "sizes": [list(got), list(want)],
            "layer": None if culprit is None else culprit.name,
            "encoder": None if encoder is None else encoder.name,
            "chain": [
                {"name": s.name, "op": s.op, "in": list(s.in_size), "out": list(s.out_size)}
                for s in self.chain
            ],
            "fixes": [f.to_json() for f in self.fixes],
            "text": self.describe(),
        }
