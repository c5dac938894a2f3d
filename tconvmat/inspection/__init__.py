"""Inspect real decoders: every convolution layer of a PyTorch module, a Keras model or an
ONNX model, and the join that does not fit.

:func:`inspect` finds each Conv/ConvTranspose layer in execution order with the shapes it
really sees, its tconvmat geometry, and findings with their fixes: uneven overlap (the
checkerboard risk), a transposed layer that does not restore the size of the encoder
convolution it mirrors, a join (a U-Net's skip) whose inputs do not fit, and how to write
the layer in other frameworks. PyTorch, Keras and onnx are imported only when a model of
theirs is inspected; a missing one is one line with the install command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tconvmat.inspection.mismatch import Fix, Mismatch, Step
from tconvmat.inspection.optional import MissingDependency, require
from tconvmat.inspection.report import Layer, Report

__all__ = ["Fix", "Layer", "Mismatch", "MissingDependency", "Report", "Step", "inspect"]


def _is_keras(model: Any) -> bool:
    return any(c.__module__.split(".")[0] == "keras" for c in type(model).__mro__)


def inspect(model: Any, input_shape: Any = None) -> Report:
    """Report every convolution layer of ``model``, and where and why it does not run.

    Parameters
    ----------
    model : torch.nn.Module, keras.Model, onnx.ModelProto, or path of an ``.onnx`` file
    input_shape : tuple of int, or dict, optional
        PyTorch and Keras: the full input shape, batch first, in the framework's layout,
        e.g. ``(1, 3, 64, 64)`` (PyTorch) or ``(1, 64, 64, 3)`` (Keras, channels last)
        (required). ONNX: a dict ``{input name: shape}`` for inputs whose dimensions are
        symbolic.

    Returns
    -------
    Report
        Rows with ``name``, ``op``, ``in_shape``, ``out_shape``, ``geometry``,
        ``uneven_overlap``, ``tap_counts``, ``findings`` and ``convert``, in the order the
        layers run; a join (``torch.cat``, ``Concat``, ``Add``, ``Concatenate``, …) whose
        inputs do not fit (a U-Net's skip) is a row with ``mismatch``: its two shapes, the
        transposed convolution that made the wrong size, the encoder step whose floor lost
        it, and the fixes, each with its code. ``Report.failure`` names any other failure.
        Shows as a table in Jupyter.

    Raises
    ------
    ValueError
        A file that is not a readable model (one line naming the problem); a missing
        optional framework (``MissingDependency``, also an ``ImportError``: one line with
        the install command).
    """
    if isinstance(model, str | Path) or type(model).__name__ == "ModelProto":
        from tconvmat.inspection.onnx_model import inspect_onnx

        if input_shape is not None and not isinstance(input_shape, dict):
            raise TypeError("for an ONNX model, input_shape is a dict {input name: shape}")
        return inspect_onnx(model, input_shape)
    if input_shape is None:
        raise TypeError(
            "inspect(model, input_shape): give the full input shape, batch first, e.g. "
            "(1, 3, 64, 64)"
        )
    if _is_keras(model):
        require("keras", "inspecting a Keras model")
        from tconvmat.inspection.keras_model import inspect_keras

        return inspect_keras(model, input_shape)
    require("torch", "inspecting a PyTorch module")
    from tconvmat.inspection.torch_module import inspect_module

    return inspect_module(model, input_shape)
