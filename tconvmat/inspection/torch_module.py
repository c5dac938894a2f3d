"""Every Conv/ConvTranspose layer of a ``torch.nn.Module``, found with forward hooks.

PyTorch is imported here only. The forward pass runs on the meta device (no memory, no
arithmetic, the model untouched: its parameters and buffers are replaced by meta tensors
for the call); where an operator has no meta kernel it runs again on zeros, on the CPU,
with copies of the buffers, so the model's state is never changed either way.
"""

from __future__ import annotations

from typing import Any

from tconvmat import axis, rules
from tconvmat.api import ConvTranspose
from tconvmat.inspection.findings import all_findings
from tconvmat.inspection.report import Layer, Report

CONV_TYPES = ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")


def _geometry(
    module: Any, in_shape: tuple[int, ...], out_shape: tuple[int, ...]
) -> tuple[ConvTranspose | None, list[str]]:
    """The layer's geometry from its attributes and the shapes it saw, or why there is none."""
    name = type(module).__name__
    ndim = len(in_shape) - 2
    kernel, stride, dilation = module.kernel_size, module.stride, module.dilation
    if getattr(module, "padding_mode", "zeros") != "zeros":
        return None, [
            f"padding_mode '{module.padding_mode}' pads with copies of the input, not zeros: "
            "not a convolution matrix with zero padding, which is all tconvmat expresses"
        ]
    if name.startswith("ConvTranspose"):
        padding = module.padding
        # output_size= in forward picks output_padding: read it back from the shape seen
        smallest = [
            axis.output_length(i, k, s, d, (p, p))
            for i, k, s, d, p in zip(in_shape[2:], kernel, stride, dilation, padding, strict=True)
        ]
        extra = tuple(o - n for o, n in zip(out_shape[2:], smallest, strict=True))
        geometry = ConvTranspose(
            in_shape[2:],
            kernel,
            stride,
            padding,
            dilation,
            extra,
            module.in_channels,
            module.out_channels,
            module.groups,
        )
        return geometry, []
    padding = module.padding
    if isinstance(padding, str):  # 'same' (stride 1) or 'valid'
        if padding == "valid":
            padding = (0,) * ndim
        else:
            padding = tuple(
                rules.same_padding(n, k, 1, d)
                for n, k, d in zip(in_shape[2:], kernel, dilation, strict=True)
            )
    geometry = ConvTranspose.from_conv(
        in_shape[2:],
        kernel,
        stride,
        padding,
        dilation,
        module.out_channels,
        module.in_channels,
        module.groups,
    )
    return geometry, []


def _run(model: Any, input_shape: tuple[int, ...]) -> None:
    import torch
    from torch.func import functional_call

    state = dict(model.named_parameters())
    state.update(dict(model.named_buffers()))
    meta = {k: torch.empty_like(v, device="meta") for k, v in state.items()}
    try:
        with torch.no_grad():
            functional_call(model, meta, (torch.empty(input_shape, device="meta"),))
        return
    except (NotImplementedError, RuntimeError):
        pass  # an operator without a meta kernel: run on zeros instead
    copies = {k: v.detach().clone() for k, v in state.items()}
    with torch.no_grad():
        functional_call(model, copies, (torch.zeros(input_shape),))


def inspect_module(model: Any, input_shape: Any) -> Report:
    """Run ``model`` once on an input of ``input_shape`` and report every convolution layer.

    Parameters
    ----------
    model : torch.nn.Module
    input_shape : tuple of int
        The full input shape, batch and channels included, e.g. ``(1, 3, 64, 64)``.
    """
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    shape = tuple(int(n) for n in input_shape)
    if not shape or min(shape) < 1:
        raise ValueError(f"input_shape {input_shape!r} must be positive sizes, batch first")
    names = {module: name for name, module in model.named_modules()}
    seen: list[tuple[Any, tuple[int, ...], tuple[int, ...]]] = []
    hooks = []

    def record(module: Any, inputs: tuple, output: Any) -> None:
        seen.append((module, tuple(inputs[0].shape), tuple(output.shape)))

    for module in names:
        if type(module).__name__ in CONV_TYPES:
            hooks.append(module.register_forward_hook(record))
    try:
        _run(model, shape)
    except Exception as error:  # the model's own failure, named, not a traceback
        raise ValueError(
            f"the model does not run on an input of shape {shape}: {type(error).__name__}: {error}"
        ) from None
    finally:
        for hook in hooks:
            hook.remove()
    layers: list[Layer] = []
    calls: dict[str, int] = {}
    for module, in_shape, out_shape in seen:
        name = names[module] or "(model)"
        calls[name] = calls.get(name, 0) + 1
        label = name if calls[name] == 1 else f"{name}#{calls[name]}"
        op = type(module).__name__
        try:
            geometry, problems = _geometry(module, in_shape, out_shape)
        except ValueError as error:
            geometry, problems = None, [f"tconvmat cannot express this layer: {error}"]
        layer = Layer(
            label,
            op,
            in_shape,
            out_shape,
            geometry,
            op.startswith("ConvTranspose"),
            findings=problems,
            attributes=_attributes(module),
        )
        layers.append(layer)
    all_findings(layers)
    return Report(f"{type(model).__name__} on input {'×'.join(map(str, shape))}", layers)


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
