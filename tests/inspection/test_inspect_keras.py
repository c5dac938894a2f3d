"""inspect reads Keras 3 models (KERAS_BACKEND=jax) as it reads PyTorch and ONNX: the merge
that does not fit, its layer, why, and fixes that make the model run; every row's shapes and
every Conv*DTranspose's values are Keras's own, computed in a child process (framework_child)."""

from __future__ import annotations

import contextlib
import io
import os
import shlex

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras
import numpy as np
import pytest
import torch
from framework_child import run_script
from keras_unets import unet

import tconvmat
from tconvmat.cli.main import main
from tconvmat.conventions import weight_to_pytorch

CASES = [  # levels, ndim, up (kernel, strides, padding), merge, input shape (channels last)
    (4, 2, (2, 2, "valid"), "cat", (1, 101, 101, 1)),
    (2, 1, (3, 2, "same"), "add", (1, 37, 1)),
    (3, 2, (4, 2, "same"), "cat", (1, 75, 99, 1)),
    (2, 3, (2, 2, "valid"), "cat", (1, 13, 17, 11, 1)),
]


def _reference(case, up_lines=None, join_lines=None):
    """Child-process code: the U-Net built (with fixes), run by Keras on zeros."""
    levels, ndim, up, join, shape = case
    return (
        f"m = unet({levels}, {ndim}, {up!r}, {join!r}, up_lines={up_lines!r}, "
        f"join_lines={join_lines!r})\n"
        "try:\n"
        f"    names, shapes = conv_shapes(m, {shape!r})\n"
        "    found = {'names': names, 'shapes': shapes}\n"
        "except Exception as error:\n"
        "    found = {'error': str(error)}\n"
    )


def _in_one_child(codes):
    """Run several references in one child (Keras on JAX takes seconds to start)."""
    body = "from keras_unets import unet, conv_shapes\nresult = {}\n"
    for name, code in codes.items():
        body += code + f"result[{name!r}] = found\n"
    return run_script(body)


@pytest.fixture(scope="module")
def reports():
    return [tconvmat.inspect(unet(*case[:4]), case[4]) for case in CASES]


def test_the_broken_skip_of_a_keras_unet_on_101(reports):
    report = reports[0]
    first, second = report.mismatches
    assert first.op == "Concatenate" and first.name == "cat1"
    assert first.sizes == ((24, 24), (25, 25)) and first.axes == (1, 2)
    assert first.culprit.name == "up1" and first.culprit.op == "Conv2DTranspose"
    assert first.encoder.name == "pool2" and first.encoder.op == "MaxPooling2D"
    assert second.sizes == ((100, 100), (101, 101)) and second.culprit.name == "up3"
    assert [f.code for f in first.fixes] == [
        "x = layers.Conv2DTranspose(8, (2, 2), strides=(2, 2), padding='valid', "
        "output_padding=(1, 1), name='up1')(x)",
        "x = layers.ZeroPadding2D(((0, 1), (0, 1)))(x)",
        "skip = layers.Cropping2D(((0, 1), (0, 1)))(skip)",
    ]
    assert report[-1].out_shape == (1, 101, 101, 2) and not report.failure


def _fix_lines(report, kind):
    up_lines, join_lines = {}, {}
    for mismatch in report.mismatches:
        level = int(mismatch.culprit.name.removeprefix("up"))
        fixes = {f.kind: f for f in mismatch.fixes}
        if kind == "output_padding" and "output_padding" in fixes:
            up_lines[level] = fixes["output_padding"].code
        else:
            join_lines[level] = fixes["pad"].code
    return up_lines, join_lines


def _crops_level_by_level(case):
    """Crop the skip where inspect says, inspecting again after each crop."""
    crops: dict[int, str] = {}
    for _ in range(case[0] + 1):
        report = tconvmat.inspect(unet(*case[:4], join_lines=crops), case[4])
        if report.runs:
            return crops
        mismatch = report.mismatches[0]
        (crop,) = [f for f in mismatch.fixes if f.kind == "crop"]
        crops[int(mismatch.culprit.name.removeprefix("up"))] = crop.code
    raise AssertionError("cropping the skips did not make it fit")


def test_keras_unets_every_fix_runs_and_rows_are_keras_shapes(reports):
    codes = {}
    for n, (case, report) in enumerate(zip(CASES, reports, strict=True)):
        assert report.mismatches and not report.failure
        codes[f"{n} broken"] = _reference(case)
        for kind in ("output_padding", "pad"):
            codes[f"{n} {kind}"] = _reference(case, *_fix_lines(report, kind))
    codes["0 crop"] = _reference(CASES[0], join_lines=_crops_level_by_level(CASES[0]))
    found = _in_one_child(codes)
    if found is None:
        pytest.fail("Keras aborted on these U-Nets (no dilation): unexpected")
    for n, report in enumerate(reports):
        assert "error" in found[f"{n} broken"]  # Keras fails on it as inspect says
        for kind in ("output_padding", "pad"):
            assert "error" not in found[f"{n} {kind}"], (n, kind, found[f"{n} {kind}"])
        rows = [r for r in report if r.mismatch is None]  # traced as if padded: as Keras runs
        assert [r.name for r in rows] == found[f"{n} pad"]["names"]
        assert [(r.in_shape, r.out_shape) for r in rows] == found[f"{n} pad"]["shapes"]
    assert "error" not in found["0 crop"]


def _random_layers(count, seed):
    """``count`` Conv*DTranspose layers over 1-3-D, same/valid, output_padding None and set."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(count):
        ndim = int(rng.integers(1, 4))
        kernel = tuple(int(k) for k in rng.integers(1, 5, ndim))
        strides = tuple(int(s) for s in rng.integers(1, 4, ndim))
        dilation = (
            (1,) * ndim if max(strides) > 1 else tuple(int(d) for d in rng.integers(1, 3, ndim))
        )
        output_padding = (
            None if rng.random() < 0.4 else tuple(int(rng.integers(0, s)) for s in strides)
        )
        size = tuple(int(n) for n in rng.integers(1, 7 if ndim < 3 else 5, ndim))
        config = {
            "filters": 3, "kernel_size": kernel, "strides": strides,
            "padding": str(rng.choice(["same", "valid"])), "output_padding": output_padding,
            "dilation_rate": dilation, "kernel_initializer": "zeros",
        }  # fmt: skip
        layers.append((ndim, config, (1, *size, 2)))
    return layers


def _keras_outputs(cases):
    """Keras's output of each layer on random data (one child; halves again if XLA aborts)."""
    code = (
        "rng = np.random.default_rng(0)\nresult = {}\n"
        f"for n, (ndim, config, shape) in enumerate({cases!r}):\n"
        "    try:\n"
        "        layer = getattr(layers, f'Conv{ndim}DTranspose')(**config)\n"
        "        layer.build(shape)\n"
        "        kernel = rng.standard_normal(layer.kernel.shape).astype('float32')\n"
        "        bias = rng.standard_normal(layer.bias.shape).astype('float32')\n"
        "        layer.set_weights([kernel, bias])\n"
        "        x = rng.standard_normal(shape).astype('float32')\n"
        "        result[n] = (x, kernel, bias, np.asarray(layer(x)))\n"
        "    except Exception as error:\n"
        "        result[n] = str(error)\n"
    )
    found = run_script(code)
    if found is not None:
        return found
    if len(cases) == 1:
        return {0: None}  # this layer aborts XLA: skipped
    half = len(cases) // 2
    first, second = _keras_outputs(cases[:half]), _keras_outputs(cases[half:])
    return {**first, **{half + n: v for n, v in second.items()}}


def _layer(ndim, config, shape):
    layer = getattr(keras.layers, f"Conv{ndim}DTranspose")(**config)
    return keras.Sequential([keras.Input(shape[1:]), layer])


def test_keras_layers_agree_with_keras_and_convert_from_keras():
    cases = _random_layers(60, seed=2026)
    results = _keras_outputs(cases)
    checked = 0
    for n, (ndim, config, shape) in enumerate(cases):
        keras_says = results[n]
        if keras_says is None:
            continue
        if isinstance(keras_says, str):  # Keras refuses the layer: so does tconvmat
            with pytest.raises(ValueError):
                tconvmat.inspect(_layer(ndim, config, shape), shape)
            continue
        x, kernel, bias, y = keras_says
        report = tconvmat.inspect(_layer(ndim, config, shape), shape)
        (row,) = report.layers
        if 0 in y.shape:  # Keras gives an empty output; tconvmat says it cannot express it
            assert row.geometry is None and "cannot express" in row.findings[0], row
            continue
        assert row.out_shape == y.shape, (config, shape, row.findings)
        assert row.convert.startswith("tconvmat convert --from keras ")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            assert main(shlex.split(row.convert)[1:]) == 0, err.getvalue()
        scope: dict = {}
        exec(out.getvalue(), scope)
        layout = "DHW"[3 - ndim :] + "OI"
        weight = torch.from_numpy(weight_to_pytorch(kernel, layout).copy())
        ours = scope["conv_transpose"](torch.from_numpy(np.moveaxis(x, -1, 1)), weight).numpy()
        np.testing.assert_allclose(np.moveaxis(ours, 1, -1) + bias, y, rtol=1e-4, atol=1e-4)
        checked += 1
    assert checked >= 40


def test_subclassed_models_single_layers_and_failures():
    layers = keras.layers

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.down = layers.Conv2D(4, 3, strides=2, padding="same", kernel_initializer="zeros")
            self.up = layers.Conv2DTranspose(4, 2, strides=2, kernel_initializer="zeros")
            self.cat = layers.Concatenate()

        def call(self, x):
            return self.cat([self.up(self.down(x)), x])

    report = tconvmat.inspect(Sub(), (1, 9, 9, 4))  # built by this first call
    assert [r.name for r in report][-1] == "concatenate" and len(report) == 3
    (join,) = report.mismatches
    assert join.sizes == ((10, 10), (9, 9)) and join.culprit.op == "Conv2DTranspose"
    (row,) = tconvmat.inspect(layers.Conv1DTranspose(2, 3, strides=2), (1, 5, 1)).layers
    assert row.out_shape == (1, 11, 2) and row.uneven_overlap
    model = keras.Sequential([layers.Conv2DTranspose(4, 3, strides=2), layers.Conv2D(2, 3)])
    assert tconvmat.inspect(model, (1, 8, 8, 3))[0].out_shape == (1, 17, 17, 4)
    report = tconvmat.inspect(model, (1, 8, 8, 5))  # built for 3 channels: Keras refuses 5
    assert "expected axis -1 of input shape to have value 3" in report.failure
    assert "\n" not in report.failure and report[-1].findings[0].startswith("the model stops")
