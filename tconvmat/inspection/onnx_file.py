"""Read an ONNX model's structure without its weights, and check what the file claims.

inspect needs every node, every attribute and every tensor's shape, never a weight's values.
A file is scanned at the protobuf wire level (memory-mapped): every field is copied except the
data of large initializers, whose size is only measured, so a model with 512 MiB of weights
is read in a few MiB. A ``ModelProto`` already in memory is copied the same way, field by
field. Weights in external files (``data_location`` EXTERNAL) are never loaded: their file
is only checked to exist inside the model's folder and to be long enough.

What the file claims is checked as ONNX Runtime checks it when it loads the model: a graph
exists, the protobuf is complete, and each initializer holds as much data as its dims
declare (refused with one line naming the tensor otherwise).
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import Any

from tconvmat.inspection.onnx_weights import Weight, check, weight
from tconvmat.inspection.optional import require

__all__ = ["Weight", "load"]

KEEP_BYTES = 4096
"""Initializers with at most this much data keep it (shape tensors that Reshape reads)."""

# field numbers of onnx.proto (ModelProto.graph, GraphProto.initializer, TensorProto data)
_MODEL_GRAPH, _GRAPH_INITIALIZER = 7, 5
_TENSOR_DIMS, _TENSOR_TYPE, _TENSOR_NAME, _TENSOR_LOCATION = 1, 2, 8, 14
_DATA_FIELDS = {
    4: "float_data",
    5: "int32_data",
    6: "string_data",
    7: "int64_data",
    9: "raw_data",
    10: "double_data",
    11: "uint64_data",
}
_VARINT_FIELDS = {5, 7, 11}  # packed varints: one element per byte below 0x80
_FIXED_BYTES = {4: 4, 10: 8}  # packed float (fixed32), double (fixed64)
_EXTERNAL = 1


class Truncated(ValueError):
    """The protobuf ends inside a field."""


def _varint(buf: Any, pos: int, end: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise Truncated("the file ends (or is corrupt) inside a number")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def _fields(buf: Any, start: int, end: int) -> Any:
    """Each field as ``(number, wire type, value or (begin, end), field start, field end)``."""
    pos = start
    while pos < end:
        head = pos
        key, pos = _varint(buf, pos, end)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos, end)
            yield number, wire, value, head, pos
            continue
        if wire == 2:
            length, pos = _varint(buf, pos, end)
            begin, pos = pos, pos + length
        elif wire in (1, 5):
            begin, pos = pos, pos + (8 if wire == 1 else 4)
        else:
            raise Truncated(f"protobuf wire type {wire} (groups) is not ONNX")
        if pos > end:
            raise Truncated("the file ends inside a field: it is truncated")
        yield number, wire, (begin, pos), head, pos


def _count(buf: Any, number: int, wire: int, span: tuple[int, int]) -> int | None:
    """Elements in one occurrence of a data field (packed or not)."""
    begin, end = span if isinstance(span, tuple) else (0, 0)
    if number == 9:
        return None  # raw_data: bytes, converted by the caller
    if wire != 2:
        return 1
    if number in _FIXED_BYTES:
        return (end - begin) // _FIXED_BYTES[number]
    if number in _VARINT_FIELDS:
        import numpy as np

        return int(np.count_nonzero(np.frombuffer(buf, np.uint8, end - begin, begin) < 0x80))
    return 1  # one string


def _tensor(buf: Any, start: int, end: int, out: bytearray) -> Weight:
    """Copy a TensorProto into ``out``, without its data when large; measure the data."""
    dims: list[int] = []
    data_type, name, location = 0, "", 0
    held: dict[str, int] = {}
    data_bytes = sum(e - h for n, _, _, h, e in _fields(buf, start, end) if n in _DATA_FIELDS)
    for number, wire, value, head, stop in _fields(buf, start, end):
        if number in _DATA_FIELDS:
            field = _DATA_FIELDS[number]
            if number == 9:
                held[field] = held.get(field, 0) + value[1] - value[0]
            else:
                held[field] = held.get(field, 0) + (_count(buf, number, wire, value) or 0)
            if data_bytes > KEEP_BYTES:
                continue
        elif number == _TENSOR_DIMS:
            if wire == 0:
                dims.append(value)
            else:
                pos = value[0]
                while pos < value[1]:
                    n, pos = _varint(buf, pos, value[1])
                    dims.append(n)
        elif number == _TENSOR_TYPE and wire == 0:
            data_type = value
        elif number == _TENSOR_NAME and wire == 2:
            name = bytes(buf[value[0] : value[1]]).decode("utf-8", "replace")
        elif number == _TENSOR_LOCATION and wire == 0:
            location = value
        out += buf[head:stop]
    dims = [d - (1 << 64) if d >= 1 << 63 else d for d in dims]  # int64 on the wire
    return weight(name, tuple(dims), data_type, held, location == _EXTERNAL)


def _message(buf: Any, start: int, end: int, out: bytearray, rewrite: dict[int, Any]) -> None:
    """Copy a message's fields, rewriting the length-delimited ones named in ``rewrite``."""
    for number, wire, value, head, stop in _fields(buf, start, end):
        if wire == 2 and number in rewrite:
            inner = bytearray()
            rewrite[number](buf, value[0], value[1], inner)
            out += _key(number) + _length(len(inner)) + inner
        else:
            out += buf[head:stop]


def _key(number: int) -> bytes:
    return _length(number << 3 | 2)


def _length(n: int) -> bytes:
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _scan(buf: Any, size: int) -> tuple[bytes, list[Weight]]:
    """The model without large initializer data, and what each initializer declares/holds."""
    weights: list[Weight] = []

    def tensor(buf: Any, start: int, end: int, out: bytearray) -> None:
        weights.append(_tensor(buf, start, end, out))

    def graph(buf: Any, start: int, end: int, out: bytearray) -> None:
        _message(buf, start, end, out, {_GRAPH_INITIALIZER: tensor})

    out = bytearray()
    _message(buf, 0, size, out, {_MODEL_GRAPH: graph})
    return bytes(out), weights


def _from_file(path: Path) -> tuple[Any, list[Weight]]:
    import onnx

    size = path.stat().st_size
    if size == 0:
        raise ValueError(f"{str(path)!r} is empty: not an ONNX model")
    with open(path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as m:
        try:
            data, weights = _scan(m, size)
        except Truncated as error:
            raise ValueError(f"{str(path)!r} is not a readable ONNX model: {error}") from None
    try:
        model = onnx.ModelProto.FromString(data)
    except Exception as error:
        raise ValueError(f"{str(path)!r} is not a readable ONNX model: {error}") from None
    return model, weights


_TENSOR_KEEP = (
    "dims",
    "data_type",
    "segment",
    "name",
    "doc_string",
    "external_data",
    "data_location",
    "metadata_props",
)


def _copy_fields(source: Any, target: Any, skip: tuple[str, ...] = ()) -> None:
    """Copy a message's set fields (references, not serialisations), except ``skip``."""
    for descriptor, value in source.ListFields():
        name = descriptor.name
        if name in skip:
            continue
        repeated = getattr(descriptor, "is_repeated", None)
        if repeated is None:  # protobuf before 5.29
            repeated = descriptor.label == descriptor.LABEL_REPEATED
        if repeated:
            getattr(target, name).extend(value)
        elif descriptor.message_type is not None:
            getattr(target, name).CopyFrom(value)
        else:
            setattr(target, name, value)


def _from_proto(model: Any) -> tuple[Any, list[Weight]]:
    """A copy of ``model`` without large initializer data (field by field, never whole)."""
    import onnx

    light = onnx.ModelProto()
    _copy_fields(model, light, skip=("graph",))
    weights: list[Weight] = []
    if model.HasField("graph"):
        _copy_fields(model.graph, light.graph, skip=("initializer",))
        for tensor in model.graph.initializer:
            weights.append(_copy_tensor(tensor, light.graph.initializer.add()))
    return light, weights


def _copy_tensor(tensor: Any, into: Any) -> Weight:
    """Copy the tensor's description; its data only when small. Count what it holds.

    (protobuf's ``ListFields`` and ``ByteSize`` would serialise the data; ``len(raw_data)``
    copies it once, transiently: the least that protobuf offers.)
    """
    for name in _TENSOR_KEEP:
        field, value = getattr(into, name), getattr(tensor, name)
        if hasattr(field, "extend"):
            field.extend(value)
        elif name == "segment":
            if tensor.HasField("segment"):
                into.segment.CopyFrom(value)
        elif value:
            setattr(into, name, value)
    held: dict[str, int] = {}
    for number, field_name in _DATA_FIELDS.items():
        if number == 9:
            if tensor.HasField("raw_data"):
                held[field_name] = len(tensor.raw_data)
        elif len(getattr(tensor, field_name)):
            held[field_name] = len(getattr(tensor, field_name))
    if sum(n * (1 if f in ("raw_data", "string_data") else 8) for f, n in held.items()) <= (
        KEEP_BYTES
    ):
        for field_name in held:
            if field_name == "raw_data":
                into.raw_data = tensor.raw_data
            else:
                getattr(into, field_name).extend(getattr(tensor, field_name))
    return weight(
        tensor.name, tuple(tensor.dims), tensor.data_type, held, tensor.data_location == _EXTERNAL
    )


def load(model: Any) -> tuple[Any, str]:
    """The model's structure (a ``ModelProto`` without large weight data) and its source name.

    Parameters
    ----------
    model : str, Path or onnx.ModelProto

    Raises
    ------
    ValueError
        One line naming the problem: not a file, empty, truncated, no graph, an initializer
        that holds less (or more) than it declares, external data missing or outside the
        model's folder.
    """
    onnx = require("onnx", "reading ONNX models")
    folder: Path | None = None
    if isinstance(model, str | Path):
        path = Path(model)
        if not path.is_file():
            raise ValueError(f"{str(path)!r} is not a file")
        light, weights = _from_file(path)
        folder, source = path.parent, str(model)
    elif isinstance(model, onnx.ModelProto):
        light, weights = _from_proto(model)
        source = model.graph.name or "ONNX model"
    else:
        raise TypeError(
            f"expected an ONNX file name or onnx.ModelProto, got {type(model).__name__}"
        )
    if not light.HasField("graph") or not light.graph.node:
        where = source if folder is not None else "the ModelProto"
        raise ValueError(f"{where!r} has no graph (no nodes): not an ONNX model")
    check(weights, light, folder)
    return light, source
