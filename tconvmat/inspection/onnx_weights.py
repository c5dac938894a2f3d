"""What an ONNX initializer declares against what it holds, checked as ONNX Runtime checks.

ONNX Runtime refuses a model whose initializer holds more or fewer elements than its dims
declare, and external data that is missing, too short or outside the model's folder. These
checks need only sizes: the data is never read.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BITS", "Weight", "check", "weight"]

_STRING, _EXTERNAL = 8, 1

BITS = {
    2: 8,
    3: 8,
    4: 16,
    5: 16,
    6: 32,
    7: 64,
    9: 8,
    10: 16,
    11: 64,
    12: 32,
    13: 64,
    14: 64,
    15: 128,
    16: 16,
    17: 8,
    18: 8,
    19: 8,
    20: 8,
    21: 4,
    22: 4,
    23: 4,
    24: 8,
    25: 2,
    26: 2,
    27: 6,
    28: 6,
    1: 32,
}
"""Bits per element of each TensorProto.DataType (raw_data is packed at this width)."""


@dataclass(frozen=True)
class Weight:
    """What an initializer declares and what it holds (elements; None where not counted)."""

    name: str
    dims: tuple[int, ...]
    data_type: int
    held: int | None
    field: str
    external: bool = False


def weight(
    name: str, dims: tuple[int, ...], data_type: int, held: dict[str, int], external: bool
) -> Weight:
    if external:
        return Weight(name, dims, data_type, None, "external", True)
    if not held:
        return Weight(name, dims, data_type, 0, "no data")
    (field, amount), *_ = held.items()
    if field == "raw_data":
        bits = BITS.get(data_type)
        return Weight(name, dims, data_type, None if bits is None else amount * 8 // bits, field)
    return Weight(name, dims, data_type, amount, field)


def check(weights: list[Weight], model: Any, folder: Path | None) -> None:
    """Each initializer holds what its dims declare; external files exist and are long enough."""
    for w in weights:
        if any(d < 0 for d in w.dims):
            raise ValueError(f"initializer {w.name!r} has a negative dimension: {list(w.dims)}")
        declared = math.prod(w.dims)
        if w.external:
            _check_external(w, model, folder, declared)
            continue
        if w.held is None or w.data_type == _STRING:
            continue
        if w.held != declared and not (w.field == "raw_data" and _fits(w, declared)):
            raise ValueError(
                f"initializer {w.name!r} declares {'×'.join(map(str, w.dims)) or 'a scalar'} "
                f"({declared:,} elements) but holds {w.held:,} ({w.field}); ONNX Runtime "
                "refuses such a model"
            )


def _fits(w: Weight, declared: int) -> bool:
    """Sub-byte types pad raw_data to whole bytes."""
    bits = BITS.get(w.data_type, 8)
    return bits < 8 and math.ceil(declared * bits / 8) * 8 // bits == w.held


def _check_external(w: Weight, model: Any, folder: Path | None, declared: int) -> None:
    entries = {}
    for tensor in _initializers(model):
        if tensor.name == w.name:
            entries = {e.key: e.value for e in tensor.external_data}
    location = entries.get("location", "")
    if folder is None:
        return  # a ModelProto in memory: its external files are the caller's business
    target = (folder / location).resolve()
    if not location or os.path.isabs(location) or folder.resolve() not in target.parents:
        raise ValueError(
            f"initializer {w.name!r} keeps its data in {location!r}, outside the model's folder; "
            "ONNX Runtime refuses such a path"
        )
    if not target.is_file():
        raise ValueError(f"initializer {w.name!r} keeps its data in {location!r}, which is missing")
    bits = BITS.get(w.data_type)
    need = int(entries.get("length", -1))
    if need < 0 and bits is not None:
        need = math.ceil(declared * bits / 8)
    offset = int(entries.get("offset", 0) or 0)
    if need >= 0 and target.stat().st_size < offset + need:
        raise ValueError(
            f"initializer {w.name!r} needs {need:,} bytes from offset {offset:,} of {location!r}, "
            f"which has {target.stat().st_size:,}"
        )


def _initializers(model: Any) -> Any:
    return model.graph.initializer
