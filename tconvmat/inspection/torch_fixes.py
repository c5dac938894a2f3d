"""The fixes for a PyTorch join that does not fit, each as a line of PyTorch code.

For the transposed convolution that produced the wrong size: the ``output_padding`` that
restores it (the module rebuilt) or ``output_size=`` at the call (which follows any input
size); for the join itself: pad (or crop) the up-sampled tensor to the skip's size, or crop
the skip. Whether ``output_padding``/``output_size`` can reach the size is decided by
tconvmat's PyTorch converter (:func:`tconvmat.conventions.from_pytorch`), the one home of
PyTorch's rule.
"""

from __future__ import annotations

from typing import Any

from tconvmat.conventions.pytorch import from_pytorch
from tconvmat.inspection.mismatch import Fix, Mismatch, shape_text
from tconvmat.inspection.report import Layer


def attribute_path(label: str) -> str:
    """``ups.0`` → ``self.ups[0]``: how the model's code names the module.

    Examples
    --------
    >>> attribute_path("decoder.ups.2#2")
    'self.decoder.ups[2]'
    >>> attribute_path("(model)")
    'model'
    """
    label = label.partition("#")[0]
    if label == "(model)":
        return "model"
    path = "self"
    for part in label.split("."):
        path += f"[{part}]" if part.isdigit() else f".{part}"
    return path


def _constructor(module: Any, output_padding: tuple[int, ...]) -> str:
    ndim = len(module.kernel_size)
    words = [str(module.in_channels), str(module.out_channels)]
    words.append(f"kernel_size={tuple(module.kernel_size)}")
    words.append(f"stride={tuple(module.stride)}")
    defaults = {
        "padding": (0,) * ndim,
        "output_padding": (0,) * ndim,
        "groups": 1,
        "dilation": (1,) * ndim,
        "padding_mode": "zeros",
    }
    for key, default in defaults.items():
        value = output_padding if key == "output_padding" else getattr(module, key)
        value = tuple(value) if isinstance(value, list | tuple) else value
        if value != default:
            words.append(f"{key}={value!r}")
    if module.bias is None:
        words.append("bias=False")
    return f"nn.{type(module).__name__}({', '.join(words)})"


def _widths(delta: dict[int, int], rank: int, mine: str, theirs: str) -> str:
    """F.pad's widths (last axis first) that bring ``mine`` to ``theirs`` on the axes of ``delta``.

    Written in the tensors' sizes, so the line holds for any input size.

    Examples
    --------
    >>> _widths({2: 1, 3: 1}, 4, "x", "skip")
    '(0, skip.shape[-1] - x.shape[-1], 0, skip.shape[-2] - x.shape[-2])'
    """
    words = []
    for a in range(rank - 1, min(delta) - 1, -1):
        i = a - rank
        words += ["0", f"{theirs}.shape[{i}] - {mine}.shape[{i}]" if a in delta else "0"]
    return "(" + ", ".join(words) + ")"


def resize(
    layer: Layer, module: Any, target: tuple[int, ...], size: str | None = None
) -> list[Fix]:
    """Make the transposed ``layer`` give spatial size ``target``: output_padding, output_size=.

    PyTorch's converter decides what is allowed; when neither reaches the size, one Fix of
    kind ``none`` says why (and has no code). ``size`` is how the ``output_size=`` line
    writes the size (``skip.shape[-2:]`` at a join; the numbers by default).
    """
    g = layer.geometry
    if g is None or not layer.transposed:
        return []
    padding = tuple(module.padding)
    path = attribute_path(layer.name)
    found: list[Fix] = []
    need = tuple(
        op + (t - o) for op, t, o in zip(g.output_padding, target, g.out_shape, strict=True)
    )
    try:
        fixed = from_pytorch(g.in_shape, g.kernel_shape, g.stride, padding, need, g.dilation)
    except ValueError:
        fixed = None
    if fixed is not None and fixed.out_shape == target:
        found.append(
            Fix(
                "output_padding",
                f"give {layer.name} output_padding={need}: {shape_text(g.in_shape)} → "
                f"{shape_text(target)} (for this input size; output_size= follows any)",
                f"{path} = {_constructor(module, need)}",
                need,
                layer.name,
            )
        )
    try:
        from_pytorch(g.in_shape, g.kernel_shape, g.stride, padding, 0, g.dilation, target)
    except ValueError as error:
        reason = f"no output_padding makes {layer.name} give {shape_text(target)}: {error}"
        return found or [Fix("none", reason, "", (), layer.name)]
    found.append(
        Fix(
            "output_size",
            f"call {layer.name} with output_size= the size wanted ({shape_text(target)} here): "
            "PyTorch then picks the output_padding for every input size",
            f"x = {path}(x, output_size={size if size else repr(target)})",
            target,
            layer.name,
        )
    )
    return found


def fixes(mismatch: Mismatch, layers: dict[str, Layer], modules: dict[str, Any]) -> list[Fix]:
    """Every fix for ``mismatch``: the layer's, then padding or cropping at the join."""
    found: list[Fix] = []
    culprit = mismatch.culprit
    layer = layers.get(culprit.name) if culprit is not None else None
    if culprit is not None and layer is not None and layer.geometry is not None:
        offset = len(culprit.out_shape) - layer.geometry.ndim
        target = tuple(
            n + mismatch.other[a] - mismatch.changed[a] if a in mismatch.axes else n
            for a, n in enumerate(culprit.out_shape)
        )[offset:]
        found += resize(layer, modules[culprit.name], target, f"skip.shape[-{len(target)}:]")
    rank = len(mismatch.changed)
    delta = {a: mismatch.other[a] - mismatch.changed[a] for a in mismatch.axes}
    got, want = mismatch.sizes
    before = f"before the {mismatch.op} at {mismatch.name}"
    found.append(
        Fix(
            "pad",
            f"pad the up-sampled tensor x to the skip's size ({'×'.join(map(str, got))} → "
            f"{'×'.join(map(str, want))}) {before} (F is torch.nn.functional; F.pad crops "
            "where the width is negative)",
            f"x = F.pad(x, {_widths(delta, rank, 'x', 'skip')})",
            tuple(delta.values()),
        )
    )
    if all(d > 0 for d in delta.values()):
        cut = ", ".join(f":x.shape[{a - rank}]" if a in delta else ":" for a in range(2, rank))
        found.append(
            Fix(
                "crop",
                f"crop the skip to x's size ({'×'.join(map(str, want))} → "
                f"{'×'.join(map(str, got))}) {before}, as the original U-Net does (the "
                "following levels then need the same)",
                f"skip = skip[..., {cut}]",
                tuple(-d for d in delta.values()),
            )
        )
    else:
        found.append(
            Fix(
                "crop",
                f"pad (or crop) the skip to x's size {before}",
                f"skip = F.pad(skip, {_widths(delta, rank, 'skip', 'x')})",
                tuple(-d for d in delta.values()),
            )
        )
    return found
