"""Decoders that run (issue 18): a DCGAN generator, a 1-D audio decoder and a 3-D decoder.
inspect's rows equal what PyTorch's forward hooks see and what ONNX Runtime computes for the
exported model; every transposed layer's values equal PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from onnx_runtime import conv_shapes, export, session
from torch import nn

import tconvmat


def dcgan(nz=16, ngf=4):
    return nn.Sequential(
        nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
        nn.BatchNorm2d(ngf * 8),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ngf * 4),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ngf * 2),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
        nn.BatchNorm2d(ngf),
        nn.ReLU(True),
        nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False),
        nn.Tanh(),
    )


def audio_decoder(channels=8):
    """WaveGAN's up-sampling: kernel 25, stride 4, padding 11, output_padding 1 (×4 each)."""
    layers: list[nn.Module] = [nn.Conv1d(1, channels, 9, padding=4)]
    for _ in range(3):
        layers += [
            nn.ConvTranspose1d(channels, channels, 25, 4, 11, output_padding=1),
            nn.ReLU(),
        ]
    layers.append(nn.Conv1d(channels, 1, 9, padding=4))
    return nn.Sequential(*layers)


def volume_decoder(channels=4):
    return nn.Sequential(
        nn.ConvTranspose3d(channels * 2, channels, 4, 2, 1),
        nn.ReLU(),
        nn.ConvTranspose3d(channels, channels, (3, 4, 4), (1, 2, 2), (1, 1, 1)),
        nn.ReLU(),
        nn.ConvTranspose3d(channels, 1, 3, 2, 1, output_padding=1, dilation=1),
        nn.Conv3d(1, 1, 3, padding="same"),
    )


DECODERS = {
    "dcgan": (dcgan, (2, 16, 1, 1)),
    "audio": (audio_decoder, (1, 1, 16)),
    "volume": (volume_decoder, (1, 8, 3, 4, 5)),
}


def _hooks(model, x):
    seen, layers = [], []

    def record(m, i, o):
        seen.append((tuple(i[0].shape), tuple(o.shape)))
        layers.append((m, i[0].detach().numpy(), o.detach().numpy()))

    hooks = [
        m.register_forward_hook(record)
        for m in model.modules()
        if isinstance(m, nn.modules.conv._ConvNd)
    ]
    with torch.no_grad():
        y = model(x)
    for hook in hooks:
        hook.remove()
    return seen, layers, y


@pytest.mark.parametrize("name", DECODERS)
def test_decoder_rows_equal_pytorch_and_onnx_runtime(name, tmp_path):
    build, shape = DECODERS[name]
    torch.manual_seed(0)
    model = build().eval()
    x = torch.randn(shape)
    seen, layers, y = _hooks(model, x)
    report = tconvmat.inspect(model, shape)
    assert report.runs and not report.mismatches
    assert [(r.in_shape, r.out_shape) for r in report] == seen
    for row, (module, given, taken) in zip(report, layers, strict=True):
        if row.transposed:
            bias = 0 if module.bias is None else module.bias.detach().numpy()
            ours = row.geometry.apply(given[0], module.weight.detach().numpy())
            if module.bias is not None:
                ours = ours + bias[(..., *(None,) * row.geometry.ndim)]
            np.testing.assert_allclose(ours, taken[0], rtol=1e-4, atol=1e-4)
    exported = export(model, x, tmp_path / f"{name}.onnx")
    runtime = conv_shapes(exported, x.numpy())
    onnx_report = tconvmat.inspect(tmp_path / f"{name}.onnx")
    assert [(r.in_shape, r.out_shape) for r in onnx_report] == runtime == seen
    (expected,) = session(exported).run(None, {"x": x.numpy()})
    np.testing.assert_allclose(expected, y.numpy(), rtol=1e-4, atol=1e-4)
