"""Every Conv/ConvTranspose layer of a Keras 3 model, with the shapes it sees, checked.

The model is run symbolically (Keras's ``compute_output_spec``: on the JAX backend
``jax.eval_shape``, no arithmetic, no memory for activations) on an input of the given
shape. For that one run, each layer's ``call`` is wrapped (on the instance, removed
afterwards): it records the shapes, tags each output with the last layer that changed its
spatial size, and when a merge layer (``Concatenate``, ``Add``, …) gets inputs that do not
fit it records a :class:`~tconvmat.inspection.mismatch.Mismatch` and goes on with the
changed tensor padded or cropped, as a fix would. Conv*DTranspose layers' geometry comes
from :func:`tconvmat.conventions.from_keras`; layouts are Keras's (channels last unless a
layer says ``channels_first``).
"""

from __future__ import annotations

import re
from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions.keras import from_keras
from tconvmat.core import rules, validation
from tconvmat.inspection import keras_fixes
from tconvmat.inspection.findings import all_findings
from tconvmat.inspection.mismatch import Mismatch, Step, chain_to, join_shapes, shape_text
from tconvmat.inspection.report import Layer, Report

CONVOLUTIONS = {"Conv1D", "Conv2D", "Conv3D"}
TRANSPOSED = {"Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"}
MERGES = {"Concatenate", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}


class _Stop(Exception):
    """Ends the symbolic run at a failure already recorded."""


def _message(error: BaseException) -> str:
    """Keras's message in one line: the first line that says something, without colours."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(error).splitlines()]
    useful = [line for line in lines if line and not line.startswith("Exception encountered when")]
    return f"{type(error).__name__}: {useful[0] if useful else ''}"


class _Run:
    """What one symbolic run saw: conv rows, resizing steps, joins, the failure."""

    def __init__(self, channels_last: bool) -> None:
        self.channels_last = channels_last
        self.reset()
        self.failure = ""

    def reset(self) -> None:
        """Forget what a previous pass saw (Keras may call a model once to build it)."""
        self.events: list[Any] = []  # (layer, in_shape, out_shape) or Mismatch
        self.steps: list[Step] = []
        self.tags: dict[int, int] = {}
        self.alive: list[Any] = []  # keeps tensors alive so that their ids stay theirs

    def spatial(self, rank: int) -> tuple[int, ...]:
        return tuple(range(1, rank - 1)) if self.channels_last else tuple(range(2, rank))

    def tag(self, tensor: Any) -> int:
        return self.tags.get(id(tensor), -1)

    def follow(self, layer: Any, source: Any, outputs: list[Any]) -> None:
        parent = self.tag(source) if source is not None else -1
        for out in outputs:
            before = tuple(source.shape) if source is not None else ()
            after = tuple(out.shape)
            tag = parent
            if len(before) == len(after) >= 3:
                axes = self.spatial(len(after))
                grew = any(before[a] != after[a] for a in axes)
                if grew or type(layer).__name__ in TRANSPOSED:
                    op = type(layer).__name__
                    self.steps.append(Step(layer.name, op, before, after, axes, parent))
                    tag = len(self.steps) - 1
            self.tags[id(out)] = tag
            self.alive.append(out)

    def fit(self, layer: Any, tensors: list[Any]) -> list[Any]:
        """The merge's inputs, each that does not fit padded or cropped to the oldest one."""
        shapes = [tuple(t.shape) for t in tensors]
        concat = None
        if type(layer).__name__ == "Concatenate":
            concat = int(layer.axis) % len(shapes[0])
        if join_shapes(shapes, concat) is None:
            return tensors
        order = sorted(range(len(tensors)), key=lambda n: self.tag(tensors[n]))
        keep, fitted = order[0], list(tensors)
        spatial = self.spatial(len(shapes[0]))
        for n in order[1:]:
            found = join_shapes([shapes[keep], shapes[n]], concat)
            if found is None:
                continue
            (axes,) = found
            if not set(axes) <= set(spatial):
                continue  # channels or batch: a failure, Keras says which
            mismatch = Mismatch(
                type(layer).__name__,
                layer.name,
                "",
                shapes[n],
                shapes[keep],
                axes,
                chain_to(self.steps, self.tag(tensors[n])),
            )
            self.events.append(mismatch)
            fitted[n] = self._fitted(tensors[n], shapes[keep], mismatch)
        return fitted

    def _fitted(self, tensor: Any, shape: tuple[int, ...], mismatch: Mismatch) -> Any:
        from keras import ops

        window = tuple(slice(0, min(n, m)) for n, m in zip(tensor.shape, shape, strict=True))
        cut = tensor[window]
        widths = [(0, max(m - n, 0)) for n, m in zip(tensor.shape, shape, strict=True)]
        fitted = ops.pad(cut, widths)
        spatial = self.spatial(len(shape))
        self.steps.append(
            Step(
                f"fitted at {mismatch.name}",
                "fit",
                tuple(tensor.shape),
                tuple(fitted.shape),
                spatial,
                self.tag(tensor),
            )
        )
        self.tags[id(fitted)] = len(self.steps) - 1
        self.alive.append(fitted)
        return fitted


def _wrap(layer: Any, run: _Run) -> Any:
    original = layer.call

    def call(*args: Any, **kwargs: Any) -> Any:
        import keras

        name = type(layer).__name__
        tensors = [t for t in keras.tree.flatten(args) if hasattr(t, "shape")]
        if name in MERGES and args and isinstance(args[0], list | tuple):
            args = (run.fit(layer, list(args[0])), *args[1:])
        try:
            result = original(*args, **kwargs)
        except Exception as error:
            shapes = ", ".join(shape_text(tuple(t.shape)) for t in tensors)
            run.failure = f"{layer.name} ({name}) fails on {shapes}: {_message(error)}"
            raise _Stop from None
        outputs = [t for t in keras.tree.flatten(result) if hasattr(t, "shape")]
        first = tensors[0] if tensors else None
        run.follow(layer, first, outputs)
        if name in CONVOLUTIONS | TRANSPOSED and first is not None and outputs:
            run.events.append((layer, tuple(first.shape), tuple(outputs[0].shape)))
        return result

    return call


def _wrap_build(layer: Any, run: _Run) -> Any:
    """A merge layer built on inputs that do not fit is built on fitted shapes instead
    (``Concatenate.build`` would refuse them before ``call`` could report them)."""
    original = layer.build

    def build(input_shape: Any) -> Any:
        shapes = [tuple(s) for s in input_shape] if isinstance(input_shape, list | tuple) else []
        if len(shapes) > 1 and all(isinstance(s, tuple) for s in shapes):
            first = shapes[0]
            spatial = run.spatial(len(first))
            input_shape = [
                tuple(first[a] if a in spatial else n for a, n in enumerate(s)) for s in shapes
            ]
        return original(input_shape)

    return build


def _wrap_root(model: Any, run: _Run) -> Any:
    """The model's own call: each pass starts afresh."""
    original = model.call

    def call(*args: Any, **kwargs: Any) -> Any:
        run.reset()
        return original(*args, **kwargs)

    return call


def _geometry(layer: Any, in_shape: tuple[int, ...]) -> ConvTranspose:
    """The layer's geometry: Keras's own rules for Conv*DTranspose, TensorFlow's SAME else."""
    ndim = len(layer.kernel_size)
    last = layer.data_format == "channels_last"
    spatial = tuple(in_shape[1:-1] if last else in_shape[2:])
    channels = in_shape[-1] if last else in_shape[1]
    kernel, stride = tuple(layer.kernel_size), tuple(layer.strides)
    dilation = tuple(layer.dilation_rate)
    if type(layer).__name__ in TRANSPOSED:
        g = from_keras(spatial, kernel, stride, layer.padding, layer.output_padding, dilation)
        return ConvTranspose.from_crops(
            spatial,
            kernel,
            g.crops,
            stride,
            dilation,
            channels,
            layer.filters,
            framework="keras",
        )
    if layer.padding == "same":
        pads: Any = [
            rules.same_padding(n, k, s, d)
            for n, k, s, d in zip(spatial, kernel, stride, dilation, strict=True)
        ]
    elif layer.padding == "causal":
        pads = [(d * (k - 1), 0) for k, d in zip(kernel, dilation, strict=True)]
    else:
        pads = [(0, 0)] * ndim
    return ConvTranspose.from_conv(
        spatial, kernel, stride, pads, dilation, layer.filters, channels, layer.groups
    )


def _row(layer: Any, in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> Layer:
    op = type(layer).__name__
    attributes = {
        key: (list(v) if isinstance(v, tuple) else v)
        for key in (
            "filters",
            "kernel_size",
            "strides",
            "padding",
            "output_padding",
            "dilation_rate",
            "groups",
            "data_format",
        )
        if (v := getattr(layer, key, None)) is not None
    }
    try:
        geometry = _geometry(layer, in_shape)
        findings: list[str] = []
        ours = geometry.out_shape if op in TRANSPOSED else geometry.in_shape
        spatial = out_shape[1:-1] if layer.data_format == "channels_last" else out_shape[2:]
        if tuple(spatial) != tuple(ours):
            findings.append(
                f"Keras gives {shape_text(out_shape)}, tconvmat's geometry {shape_text(ours)} "
                "(please report this)"
            )
    except ValueError as error:
        geometry, findings = None, [f"tconvmat cannot express this layer: {error}"]
    return Layer(
        layer.name,
        op,
        in_shape,
        out_shape,
        geometry,
        op in TRANSPOSED,
        findings=findings,
        attributes=attributes,
    )


def _convert_options(layer: Layer) -> tuple[str, list[str]] | None:
    """The layer's own parameters as ``tconvmat convert --from keras`` options."""
    found = layer.attributes
    options = ["--padding", str(found.get("padding", "valid"))]
    if found.get("output_padding") is not None:
        options += ["--output-padding", ",".join(map(str, found["output_padding"]))]
    return "keras", options


def inspect_keras(model: Any, input_shape: Any) -> Report:
    """Run ``model`` symbolically on an input of ``input_shape``; report every conv layer.

    Parameters
    ----------
    model : keras.Model or keras.layers.Layer
    input_shape : tuple of int
        The full input shape, batch first, in the model's layout (channels last by
        default), e.g. ``(1, 101, 101, 1)``.
    """
    import keras
    from keras.src import backend  # Keras's symbolic run, for every backend

    if not validation._is_sequence(input_shape):
        raise TypeError(f"input_shape must be a tuple of sizes, batch first; got {input_shape!r}")
    shape = tuple(validation.as_int(f"input_shape[{a}]", n) for a, n in enumerate(input_shape))
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape {input_shape!r} must be positive sizes, batch first")
    layers = [model, *model._flatten_layers(include_self=False)]
    last = all(getattr(lay, "data_format", "channels_last") != "channels_first" for lay in layers)
    run = _Run(last if keras.config.image_data_format() == "channels_last" else False)
    leaves = [lay for lay in layers if not list(lay._flatten_layers(include_self=False))]
    wrapped: list[tuple[Any, str, Any]] = [(lay, "call", _wrap(lay, run)) for lay in leaves]
    wrapped += [
        (lay, "build", _wrap_build(lay, run))
        for lay in leaves
        if type(lay).__name__ in MERGES and not lay.built
    ]
    if model not in leaves:
        wrapped.append((model, "call", _wrap_root(model, run)))
    saved = [(lay, name, lay.__dict__.get(name)) for lay, name, _ in wrapped]
    for layer, name, function in wrapped:
        layer.__dict__[name] = function  # past Keras's attribute tracking; undone below
    try:
        backend.compute_output_spec(model, keras.KerasTensor(shape))
    except _Stop:
        pass
    except Exception as error:
        run.failure = run.failure or _message(error)
    finally:
        for layer, name, before in saved:
            if before is None:
                layer.__dict__.pop(name, None)
            else:
                layer.__dict__[name] = before
    return _report(model, shape, run)


def _report(model: Any, shape: tuple[int, ...], run: _Run) -> Report:
    rows: list[Layer] = []
    by_name: dict[str, Any] = {}
    for event in run.events:
        if isinstance(event, Mismatch):
            rows.append(
                Layer(event.name, event.op, event.changed, event.other, None, False, mismatch=event)
            )
            continue
        layer, in_shape, out_shape = event
        by_name[layer.name] = layer
        rows.append(_row(layer, in_shape, out_shape))
    table = {row.name: row for row in rows if row.mismatch is None}
    all_findings(
        rows,
        lambda row, size: keras_fixes.resize(row, by_name[row.name], size),
        _convert_options,
    )
    for row in rows:
        if row.mismatch is not None:
            row.mismatch.fixes = keras_fixes.fixes(row.mismatch, table, by_name, run.spatial)
            row.findings = row.mismatch.findings()
    if run.failure:
        rows.append(
            Layer(
                "(model)",
                "failure",
                (),
                (),
                None,
                False,
                findings=[f"the model stops here: {run.failure}"],
            )
        )
    return Report(f"{model.name} on input {shape_text(shape)}", rows, run.failure)
