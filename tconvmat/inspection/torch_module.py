"""Every Conv/ConvTranspose layer of a ``torch.nn.Module``, found with forward hooks.

PyTorch is imported here only. The forward pass runs on the meta device (no memory, no
arithmetic, the model untouched: its parameters and buffers are replaced by meta tensors
for the call); where an operator has no meta kernel it runs again on zeros, on the CPU,
with copies of the buffers, so the model's state is never changed either way.
"""

from __future__ import annotations

import math
from typing import Any

from tconvmat.api import ConvTranspose
from tconvmat.conventions.pytorch import from_pytorch
from tconvmat.core import budget, rules, validation
from tconvmat.inspection import torch_fixes
from tconvmat.inspection.findings import all_findings
from tconvmat.inspection.mismatch import Mismatch, shape_text
from tconvmat.inspection.report import Layer, Report
from tconvmat.inspection.torch_trace import Failure, Stop, Trace, where, where_in

CONV_TYPES = ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")


def _geometry(
    module: Any, in_shape: tuple[int, ...], out_shape: tuple[int, ...]
) -> tuple[ConvTranspose | None, list[str]]:
    """The layer's geometry from its attributes and the shapes it saw, or why there is none."""
    name = type(module).__name__
    kernel, stride, dilation = module.kernel_size, module.stride, module.dilation
    ndim = len(kernel)
    spatial, out_spatial = in_shape[-ndim:], out_shape[-ndim:]  # batched or not
    if getattr(module, "padding_mode", "zeros") != "zeros":
        return None, [
            f"padding_mode '{module.padding_mode}' pads with copies of the input, not zeros: "
            "not a convolution matrix with zero padding, which is all tconvmat expresses"
        ]
    if name.startswith("ConvTranspose"):

        def build(extra: tuple[int, ...]) -> ConvTranspose:
            return ConvTranspose(
                spatial,
                kernel,
                stride,
                module.padding,
                dilation,
                extra,
                module.in_channels,
                module.out_channels,
                module.groups,
            )

        geometry = build(tuple(module.output_padding))
        if geometry.out_shape != tuple(out_spatial):
            # output_size= in forward picked output_padding: read it back from the shape seen
            geometry = build(
                from_pytorch(
                    spatial, kernel, stride, module.padding, 0, dilation, output_size=out_spatial
                ).output_padding
            )
        return geometry, []
    padding = module.padding
    if isinstance(padding, str):  # 'same' (stride 1) or 'valid'
        if padding == "valid":
            padding = (0,) * ndim
        else:
            padding = tuple(
                rules.same_padding(n, k, 1, d)
                for n, k, d in zip(spatial, kernel, dilation, strict=True)
            )
    geometry = ConvTranspose.from_conv(
        spatial,
        kernel,
        stride,
        padding,
        dilation,
        module.out_channels,
        module.in_channels,
        module.groups,
    )
    return geometry, []


def _run(model: Any, input_shape: tuple[int, ...], watch: Any) -> Trace:
    """Run ``model`` once under a :class:`Trace`: on the meta device, else on zeros (CPU).

    ``watch(context, events, trace)`` installs the hooks and returns their handles.
    """
    import torch
    from torch.func import functional_call

    state = dict(model.named_parameters())
    state.update(dict(model.named_buffers()))
    meta = {k: torch.empty_like(v, device="meta") for k, v in state.items()}
    trace = _attempt(
        watch, lambda: functional_call(model, meta, (torch.empty(input_shape, device="meta"),))
    )
    if trace is not None:
        return trace
    # an operator without a meta kernel (or a model that reads values): run on zeros, with
    # copies of the buffers so that the model's state (batch-norm statistics) stays as it was
    budget.check_elements("the model's input", math.prod(input_shape))
    buffers = {k: v.detach().clone() for k, v in model.named_buffers()}
    trace = _attempt(
        watch,
        lambda: functional_call(
            model, {**dict(model.named_parameters()), **buffers}, (torch.zeros(input_shape),)
        ),
        final=True,
    )
    assert trace is not None
    return trace


def _attempt(watch: Any, call: Any, final: bool = False) -> Trace | None:
    """One traced run; None when it should be retried on zeros (not ``final``)."""
    import torch

    context: list[tuple[str, str]] = []
    events: list[Any] = []
    trace = Trace(context, events)
    handles = watch(context, events, trace)
    try:
        with torch.no_grad(), trace:
            call()
    except Stop:
        return trace  # a hook found the failure (channels)
    except Exception as error:
        if not final:
            return None
        if trace.failure is None:
            trace.failure = Failure(
                context[-1][0] if context else "(model)",
                type(error).__name__,
                (),
                where_in(error),
                f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
            )
    finally:
        for handle in handles:
            handle.remove()
    return trace


def _watch(model: Any, names: dict[Any, str]) -> Any:
    """The hooks: module labels for the trace, each conv layer's shapes, channels checked."""
    calls: dict[Any, int] = {}

    def install(context: list[tuple[str, str]], events: list[Any], trace: Trace) -> list[Any]:
        calls.clear()

        def enter(module: Any, inputs: tuple) -> None:
            calls[module] = calls.get(module, 0) + 1
            name = names.get(module) or "(model)"
            label = name if calls[module] == 1 else f"{name}#{calls[module]}"
            context.append((label, type(module).__name__))
            if type(module).__name__ in CONV_TYPES and inputs:
                problem = _input_problem(module, inputs[0])
                if problem:
                    trace.failure = Failure(
                        label, type(module).__name__, (tuple(inputs[0].shape),), where(), problem
                    )
                    raise Stop

        def leave(module: Any, inputs: tuple, output: Any) -> None:
            label = context.pop()[0] if context else names.get(module, "")
            if type(module).__name__ in CONV_TYPES:
                events.append((module, label, tuple(inputs[0].shape), tuple(output.shape)))

        handles = []
        for module in names:
            handles.append(module.register_forward_pre_hook(enter))
            handles.append(module.register_forward_hook(leave))
        return handles

    return install


def _input_problem(module: Any, x: Any) -> str:
    """What PyTorch would refuse about the input of a conv layer (the meta run does not)."""
    ndim = len(module.kernel_size)
    if x.dim() not in (ndim + 1, ndim + 2):
        return (
            f"{type(module).__name__} takes a {ndim + 2}-D input (batch, channels, "
            f"{ndim} spatial) or {ndim + 1}-D without the batch; got shape "
            f"{shape_text(tuple(x.shape))}"
        )
    channels = x.shape[-ndim - 1]
    if channels != module.in_channels:
        return (
            f"in_channels is {module.in_channels} but the input "
            f"{shape_text(tuple(x.shape))} has {channels} channels (axis {x.dim() - ndim - 1})"
        )
    return ""


def inspect_module(model: Any, input_shape: Any) -> Report:
    """Run ``model`` once on an input of ``input_shape`` and report every convolution layer.

    Parameters
    ----------
    model : torch.nn.Module
    input_shape : tuple of int
        The full input shape, batch and channels included, e.g. ``(1, 3, 64, 64)``.

    Returns
    -------
    Report
        One row per Conv/ConvTranspose call in the order they ran, and one per join
        (``torch.cat``, ``+``, …) whose tensors do not fit, with the layer that made the
        wrong size and the fixes; the model is then followed as if fixed. Any other failure
        ends the report with a row naming it (``Report.failure``).
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    shape = _validate_shape(input_shape)
    names = {module: name for name, module in model.named_modules()}
    trace = _run(model, shape, _watch(model, names))
    layers: list[Layer] = []
    modules: dict[str, Any] = {}
    for event in trace.events:
        if isinstance(event, Mismatch):
            layers.append(_join_row(event))
            continue
        module, label, in_shape, out_shape = event
        modules[label] = module
        layers.append(_row(module, label, in_shape, out_shape))
    all_findings(
        layers,
        lambda row, size: torch_fixes.resize(row, modules[row.name], size),
        _convert_options,
    )
    by_label = {layer.name: layer for layer in layers if layer.mismatch is None}
    for layer in layers:
        if layer.mismatch is not None:
            layer.mismatch.fixes = torch_fixes.fixes(layer.mismatch, by_label, modules)
            layer.findings = layer.mismatch.findings()
    failure = trace.failure_text()
    if trace.failure is not None:
        f = trace.failure
        layers.append(
            Layer(
                f.name,
                f.op,
                f.shapes[0] if f.shapes else (),
                (),
                None,
                False,
                findings=[f"the model stops here: {failure}"],
            )
        )
    return Report(f"{type(model).__name__} on input {shape_text(shape)}", layers, failure)


def _convert_options(layer: Layer) -> tuple[str, list[str]] | None:
    """The layer's own parameters as ``tconvmat convert --from pytorch`` options."""
    g = layer.geometry
    padding = layer.attributes.get("padding")
    if g is None or not isinstance(padding, list):
        return None
    return "pytorch", [
        "--padding",
        ",".join(map(str, padding)),
        "--output-padding",
        ",".join(map(str, g.output_padding)),  # as run: output_size= picks it
    ]


def _validate_shape(input_shape: Any) -> tuple[int, ...]:
    if not validation._is_sequence(input_shape):
        raise TypeError(
            f"input_shape must be a tuple of sizes, batch first, e.g. (1, 3, 64, 64); got "
            f"{input_shape!r}"
        )
    shape = tuple(validation.as_int(f"input_shape[{a}]", n) for a, n in enumerate(input_shape))
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape {input_shape!r} must be positive sizes, batch first")
    return shape


def _row(module: Any, label: str, in_shape: tuple[int, ...], out_shape: tuple[int, ...]) -> Layer:
    op = type(module).__name__
    try:
        geometry, problems = _geometry(module, in_shape, out_shape)
    except ValueError as error:
        geometry, problems = None, [f"tconvmat cannot express this layer: {error}"]
    return Layer(
        label,
        op,
        in_shape,
        out_shape,
        geometry,
        op.startswith("ConvTranspose"),
        findings=problems,
        attributes=_attributes(module),
    )


def _join_row(mismatch: Mismatch) -> Layer:
    return Layer(
        mismatch.name,
        mismatch.op,
        mismatch.changed,
        mismatch.other,
        None,
        False,
        mismatch=mismatch,
    )


def _attributes(module: Any) -> dict[str, Any]:
    keys = (
        "kernel_size",
        "stride",
        "padding",
        "output_padding",
        "dilation",
        "groups",
        "in_channels",
        "out_channels",
        "padding_mode",
    )
    found = {}
    for key in keys:
        if hasattr(module, key):
            value = getattr(module, key)
            found[key] = list(value) if isinstance(value, tuple) else value
    return found
