"""``tconvmat inspect MODEL.onnx``: every Conv/ConvTranspose node, checked."""

from __future__ import annotations

import argparse

from tconvmat.cli._common import UsageError, print_json
from tconvmat.text import parsing

JSON_KEYS = (
    "name, op, in_shape, out_shape, transposed, uneven_overlap, tap_counts, kernel_shape, "
    "stride, dilation, crops, groups, attributes, findings, convert, mismatch (null, or for "
    "a join that does not fit: op, name, shapes, axes, sizes, layer, encoder, chain, fixes "
    "[{kind, text, code, value, layer}], text)"
)


def add(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "inspect",
        help="check every Conv/ConvTranspose layer of an ONNX model",
        description="Read an ONNX model (needs onnx: pip install -e '.[onnx]' in tconvmat's "
        "source folder) without loading its "
        "weights, follow its shapes (ONNX shape inference for the other ops, If/Loop bodies "
        "included), and print one row per Conv/ConvTranspose node with the findings and "
        "their fixes: uneven overlap (checkerboard risk), a transposed layer that does not "
        "restore the size of the strided convolution it mirrors, ONNX's own inference "
        "disagreeing with the attributes, and a row for each Concat/Add whose inputs do not "
        "fit (a U-Net's skip): its two sizes, the ConvTranspose that made the wrong size, "
        "why, and fixes as code on the loaded model. Every attribute counts: pads, strides, "
        "dilations, group, output_padding, output_shape, auto_pad; what ONNX Runtime "
        "refuses is refused. "
        f"--json prints a list of objects with the keys {JSON_KEYS}. For a PyTorch module or "
        "a Keras model, use tconvmat.inspect(model, input_shape) in Python (loading a pickled "
        "model would run its code).",
    )
    parser.add_argument("model", metavar="MODEL.onnx", help="the ONNX file")
    parser.add_argument(
        "--model-input",
        action="append",
        default=[],
        metavar="NAME=SHAPE",
        help="a model input's full shape, batch first, e.g. x=1x3x64x64 (repeatable; "
        "input_shape={name: shape} in Python)",
    )
    parser.add_argument(  # the name until 0.3 (it clashed with the problems' --input-shape)
        "--input-shape", action="append", dest="model_input", help=argparse.SUPPRESS
    )
    parser.add_argument("--json", action="store_true", help="print JSON (keys above)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tconvmat.inspection import inspect

    shapes = {}
    for text in args.model_input:
        name, sep, shape = text.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--model-input {text!r} must be NAME=SHAPE, e.g. x=1x3x64x64")
        shapes[name.strip()] = parsing.shape(shape, "--model-input")
    report = inspect(args.model, shapes)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.table())
    return 0
