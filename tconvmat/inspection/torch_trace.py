"""Follow a PyTorch forward pass op by op: which step resized each tensor, and where it fails.

A :class:`Trace` is a ``TorchFunctionMode``: it sees every torch function the model calls
(``torch.cat``, ``+``, ``F.max_pool2d``, ``F.conv_transpose2d``, slicing, …) with its
arguments. It tags each result with the last step that changed the spatial size on its way
(so a failing join knows which up-sampler made its tensor and which encoder step floored
the skip), and when a join (``torch.cat``, ``torch.stack``, ``+``, ``*``, …) fails because
its tensors disagree in size, it records a :class:`~tconvmat.inspection.mismatch.Mismatch`
and goes on with the changed tensor padded or cropped to the other's size, as any of the
fixes would, so the rest of the model is traced as it runs once fixed. Any other failure is
recorded with its line of code and ends the run.
"""

from __future__ import annotations

import linecache
import os
import sys
from dataclasses import dataclass
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from tconvmat.inspection.mismatch import Mismatch, Step, chain_to, join_shapes, shape_text

TAG = "_tconvmat_step"
CONCATENATIONS = {"cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack"}
_SKIPPED = tuple(
    os.path.dirname(module.__file__ or "") + os.sep for module in (torch, sys.modules["tconvmat"])
)


@dataclass(frozen=True)
class Failure:
    """Where and why the forward pass stopped."""

    name: str
    op: str
    shapes: tuple[tuple[int, ...], ...]
    where: str
    message: str


class Stop(Exception):
    """Raised by a hook to end the run at a failure already recorded."""


def _theirs(filename: str) -> bool:
    """Whether a frame is the model's own code (not torch's, tconvmat's or Python's)."""
    return not filename.startswith(_SKIPPED) and not filename.startswith("<frozen")


def _line(filename: str, number: int) -> str:
    line = linecache.getline(filename, number).strip()
    # "<string>" (python -c), "<stdin>": no file to name, and no tag for Markdown to eat
    text = (
        f"line {number}" if filename.startswith("<") else f"{os.path.basename(filename)}:{number}"
    )
    return f"{text}: {line}" if line else text


def where() -> str:
    """``file.py:31: x = torch.cat([x, skip], 1)``: the model's line that is running now."""
    frame = sys._getframe(1)
    while frame is not None:
        if _theirs(frame.f_code.co_filename):
            return _line(frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back  # type: ignore[assignment]
    return ""


def where_in(error: BaseException) -> str:
    """The model's own line in an error's traceback (the innermost that is the model's)."""
    import traceback

    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if _theirs(frame.filename) and frame.lineno is not None:
            return _line(frame.filename, frame.lineno)
    return ""


def _tensors(value: Any) -> list[Any]:
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _tensors(v)]
    return []


def _tag(tensor: Any) -> int:
    return getattr(tensor, TAG, -1)


class Trace(TorchFunctionMode):
    """Record the resizing steps, the joins that do not fit, and the first other failure.

    ``context`` is the stack of (module label, module type) the forward hooks keep (the
    innermost module names a step); ``events`` is the list the hooks append the layers to,
    and the trace the joins that do not fit, so both come out in the order they ran.
    """

    def __init__(self, context: list[tuple[str, str]], events: list[Any]) -> None:
        super().__init__()
        self.context = context
        self.events = events  # the layers the hooks record, and the joins, in order
        self.steps: list[Step] = []
        self.failure: Failure | None = None

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        kwargs = kwargs or {}
        try:
            result = func(*args, **kwargs)
        except NotImplementedError:
            raise  # no meta kernel: the caller reruns on zeros
        except Exception as error:
            repaired = self._repair(func, args, kwargs)
            if repaired is None:
                name = getattr(func, "__name__", str(func))
                self.failure = Failure(
                    self.context[-1][0] if self.context else name,
                    name,
                    tuple(tuple(t.shape) for t in _tensors(args)),
                    where(),
                    f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
                )
                raise
            args = repaired
            result = func(*args, **kwargs)
        self._follow(func, args, result)
        return result

    def _follow(self, func: Any, args: Any, result: Any) -> None:
        """Tag the result with the last resizing step on its way (a new one if this resizes)."""
        sources = _tensors(args)
        if not sources:
            return
        source = sources[0]
        parent = _tag(source)
        for out in _tensors(result):
            if out is source or out.dim() != source.dim() or out.dim() < 3:
                if out is not source and TAG not in out.__dict__:
                    setattr(out, TAG, parent)
                continue
            name = getattr(func, "__name__", str(func)).strip("_")
            if tuple(out.shape[2:]) != tuple(source.shape[2:]) or "conv_transpose" in name:
                label, name = self.context[-1] if self.context else (name, name)
                spatial = tuple(range(2, source.dim()))
                self.steps.append(
                    Step(label, name, tuple(source.shape), tuple(out.shape), spatial, parent)
                )
                setattr(out, TAG, len(self.steps) - 1)
            else:
                setattr(out, TAG, parent)

    def _repair(self, func: Any, args: Any, kwargs: Any) -> Any:
        """For a join whose tensors disagree in spatial size: record it, return fitting args."""
        name = getattr(func, "__name__", "").strip("_")
        if name in CONCATENATIONS and args and isinstance(args[0], list | tuple):
            tensors = list(args[0])
            dim = args[1] if len(args) > 1 else kwargs.get("dim", kwargs.get("axis", 0))
            concat_axis = None if name == "stack" else int(dim) % max(tensors[0].dim(), 1)
        else:
            tensors = [a for a in args[:2] if isinstance(a, torch.Tensor)]
            concat_axis = None
            if len(tensors) != 2:
                return None
        if not all(isinstance(t, torch.Tensor) for t in tensors):
            return None
        shapes = [tuple(t.shape) for t in tensors]
        if join_shapes(shapes, concat_axis) is None:
            return None
        # change the most recently resized tensor (the decoder's) to fit the oldest one
        order = sorted(range(len(tensors)), key=lambda n: _tag(tensors[n]))
        keep, fitted = tensors[order[0]], list(tensors)
        for n in order[1:]:
            axes = join_shapes([shapes[order[0]], shapes[n]], concat_axis)
            if axes is None:
                continue
            (differ,) = axes
            if any(a < 2 for a in differ):
                return None  # batch or channels: not a skip that lost a row
            location, _, line = where().partition(": ")
            mismatch = Mismatch(
                "torch." + name if name in CONCATENATIONS else name,
                location or name,
                line,
                shapes[n],
                shapes[order[0]],
                differ,
                chain_to(self.steps, _tag(tensors[n])),
            )
            self.events.append(mismatch)
            fitted[n] = self._fitted(tensors[n], keep, mismatch)
        if name in CONCATENATIONS and args and isinstance(args[0], list | tuple):
            return (type(args[0])(fitted), *args[1:])
        index = [n for n, a in enumerate(args) if isinstance(a, torch.Tensor)][:2]
        new = list(args)
        for n, position in enumerate(index):
            new[position] = fitted[n]
        return tuple(new)

    def _fitted(self, tensor: Any, keep: Any, mismatch: Mismatch) -> Any:
        """The tensor padded (or cropped) at the end to the other's size, as a fix would do."""
        widths: list[int] = []
        for a in range(tensor.dim() - 1, 1, -1):
            widths += [0, keep.shape[a] - tensor.shape[a] if a in mismatch.axes else 0]
        fitted = torch.nn.functional.pad(tensor, widths)  # the mode is off inside its handler
        self.steps.append(
            Step(
                f"fitted at {mismatch.name}",
                "fit",
                tuple(tensor.shape),
                tuple(fitted.shape),
                tuple(range(2, tensor.dim())),
                _tag(tensor),
            )
        )
        setattr(fitted, TAG, len(self.steps) - 1)
        return fitted

    def failure_text(self) -> str:
        """The failure in one line."""
        f = self.failure
        if f is None:
            return ""
        shapes = ", ".join(shape_text(s) for s in f.shapes)
        at = f" at `{f.where}`" if f.where else ""
        on = f" on {shapes}" if shapes else ""
        return f"{f.op} in {f.name}{at} fails{on}: {f.message}"
