"""Inspect real decoders: every convolution layer of a PyTorch module or an ONNX model.

:func:`inspect` finds each Conv/ConvTranspose layer in execution order with the shapes it
really sees, its tconvmat geometry, and findings with their fixes: uneven overlap (the
checkerboard risk), a transposed layer that does not restore the size of the encoder
convolution it mirrors, and how to write the layer in other frameworks. PyTorch and onnx
are imported only when a model of theirs is inspected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tconvmat.inspection.report import Layer, Report

__all__ = ["Layer", "Report", "inspect"]


def inspect(model: Any, input_shape: Any = None) -> Report:
    """Report every convolution layer of ``model``.

    Parameters
    ----------
    model : torch.nn.Module, onnx.ModelProto, or path of an ``.onnx`` file
    input_shape : tuple of int, or dict, optional
        PyTorch: the full input shape, e.g. ``(1, 3, 64, 64)`` (required). ONNX: a dict
        ``{input name: shape}`` for inputs whose dimensions are symbolic.

    Returns
    -------
    Report
        Rows with ``name``, ``op``, ``in_shape``, ``out_shape``, ``geometry``,
        ``uneven_overlap``, ``tap_counts`` and ``findings``; shows as a table in Jupyter.
    """
    if isinstance(model, str | Path) or type(model).__name__ == "ModelProto":
        from tconvmat.inspection.onnx_model import inspect_onnx

        if input_shape is not None and not isinstance(input_shape, dict):
            raise TypeError("for an ONNX model, input_shape is a dict {input name: shape}")
        return inspect_onnx(model, input_shape)
    if input_shape is None:
        raise TypeError(
            "inspect(module, input_shape): give the full input shape, e.g. (1, 3, 64, 64)"
        )
    from tconvmat.inspection.torch_module import inspect_module

    return inspect_module(model, input_shape)
