"""U-Nets whose skips may not fit, for inspect's tests: built so that a suggested fix can be
applied to them as written (``exec`` of the fix's line of code at the place it names)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
UP = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}
POOL = {1: nn.MaxPool1d, 2: nn.MaxPool2d, 3: nn.MaxPool3d}


class UNet(nn.Module):
    """``levels`` down-samplings (max-pool or a stride-2 conv), then as many transposed
    convolutions ``up = (kernel, stride, padding)``, each followed by ``torch.cat`` with the
    skip of its level (or ``+`` when ``join='add'``).

    A fix is applied by setting ``up_lines[level]`` (the line that computes ``x`` from the
    transposed convolution, e.g. with ``output_size=``) or ``join_lines[level]`` (a line run
    just before the join, e.g. ``F.pad``), or by running an ``output_padding`` fix's line
    with ``self`` bound to the model.
    """

    def __init__(self, levels=4, ndim=2, down="pool", up=(2, 2, 0), join="cat", width=2):
        super().__init__()
        conv = CONV[ndim]
        self.join = join
        self.inc = conv(1, width, 3, padding=1)
        self.downs = nn.ModuleList()
        self.ups = nn.ModuleList()
        self.convs = nn.ModuleList()
        c = width
        for _ in range(levels):
            if down == "pool":
                shrink = [POOL[ndim](2), conv(c, 2 * c, 3, padding=1)]
            else:
                shrink = [conv(c, 2 * c, 3, stride=2, padding=1)]
            self.downs.append(nn.Sequential(*shrink, nn.ReLU()))
            c *= 2
        k, s, p = up
        for _ in range(levels):
            self.ups.append(UP[ndim](c, c // 2, k, stride=s, padding=p))
            self.convs.append(conv(c if join == "cat" else c // 2, c // 2, 3, padding=1))
            c //= 2
        self.up_lines: dict[int, str] = {}
        self.join_lines: dict[int, str] = {}

    def forward(self, x):
        x = self.inc(x)
        skips = [x]
        for down in self.downs:
            x = down(x)
            skips.append(x)
        skips.pop()
        for level, (up, conv) in enumerate(zip(self.ups, self.convs, strict=True)):
            scope = {"self": self, "x": x, "skip": skips.pop(), "F": F, "torch": torch}
            if level in self.up_lines:
                exec(self.up_lines[level], scope)
            else:
                scope["x"] = up(scope["x"])
            if level in self.join_lines:
                exec(self.join_lines[level], scope)
            x, skip = scope["x"], scope["skip"]
            x = torch.cat([x, skip], dim=1) if self.join == "cat" else x + skip
            x = conv(x)
        return x


def level_of(mismatch) -> int:
    """The level of the transposed convolution that made the wrong size (``ups.2`` → 2)."""
    return int(mismatch.culprit.name.split(".")[1].partition("#")[0])


def apply(model: UNet, mismatch, kind: str) -> None:
    """Apply the report's fix of ``kind`` for ``mismatch`` to ``model``, as written."""
    (fix,) = [f for f in mismatch.fixes if f.kind == kind]
    level = level_of(mismatch)
    if kind == "output_padding":
        exec(fix.code, {"self": model, "nn": nn})
    elif kind == "output_size":
        model.up_lines[level] = fix.code
    else:
        model.join_lines[level] = fix.code
