"""Memory of ``tconvmat.inspect`` against the size of the model's weights.

Each case runs in a fresh process: the model is built or loaded first, the peak resident
size is reset (``/proc/self/clear_refs``), then ``inspect`` runs, and what it added at its
peak (``VmHWM`` after − ``VmRSS`` before) is printed next to the weights' size, in one run:

    python benchmarks/bench_inspect.py               # 512 MiB of weights
    python benchmarks/bench_inspect.py --mib 64      # smaller

To compare two versions, run it with each on ``PYTHONPATH``. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SETUP = {
    "ONNX file, weights inside": (
        "import onnx\nonnx.save(big_onnx(MIB), FOLDER + '/m.onnx')\nmodel = FOLDER + '/m.onnx'\n"
    ),
    "ONNX file, external data": (
        "import onnx\n"
        "onnx.save(big_onnx(MIB), FOLDER + '/e.onnx', save_as_external_data=True,"
        " location='e.bin')\n"
        "model = FOLDER + '/e.onnx'\n"
    ),
    "onnx.ModelProto in memory": ("model = big_onnx(MIB)\n"),
    "PyTorch module": (
        "import torch\n"
        "channels = int((MIB * 2**20 / 4 / 4) ** 0.5)\n"
        "model = torch.nn.ConvTranspose2d(channels, channels, 2, stride=2)\n"
    ),
}

SHAPE = {
    "PyTorch module": "(1, channels, 4, 4)",
}

PROLOGUE = """
import gc, re
import numpy as np

def big_onnx(mib):
    from onnx import TensorProto, helper, numpy_helper
    channels = int((mib * 2**20 / 4 / 4) ** 0.5)
    w = np.zeros((channels, channels, 2, 2), np.float32)
    node = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2])
    graph = helper.make_graph(
        [node], "big", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, channels, 4, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(w, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model

def status(key):
    text = open("/proc/self/status").read()
    return int(re.search(key + r":\\s+(\\d+) kB", text).group(1)) / 1024
"""


def _case(name: str, mib: int, folder: str) -> dict[str, float]:
    shape = SHAPE.get(name, "None")
    script = (
        PROLOGUE
        + f"MIB, FOLDER = {mib}, {folder!r}\n"
        + SETUP[name]
        + "import tconvmat\n"
        + f"tconvmat.inspect(model, {shape}) if {shape!r} != 'None' else None\n"  # warm imports
        + "gc.collect()\n"
        + "before = status('VmRSS')\n"
        + "open('/proc/self/clear_refs', 'w').write('5')\n"
        + "import time; start = time.perf_counter()\n"
        + f"report = tconvmat.inspect(model, {shape}) if {shape!r} != 'None' "
        + "else tconvmat.inspect(model)\n"
        + "seconds = time.perf_counter() - start\n"
        + "peak = status('VmHWM')\n"
        + "import json; print(json.dumps({'before': before, 'peak': peak, 's': seconds}))\n"
    )
    done = subprocess.run(  # in the temporary folder: "-c" puts the working folder first
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=folder
    )
    if done.returncode != 0:
        raise RuntimeError(f"{name}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Print the table (Markdown)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=512, help="weights in MiB (default 512)")
    args = parser.parse_args(argv)
    rows = [
        f"inspect's memory, {args.mib} MiB of weights (float32), one process per case",
        "",
        "| model | RSS before MiB | peak MiB | inspect adds MiB | / weights | seconds |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name in SETUP:
            found = _case(name, args.mib, folder)
            added = max(found["peak"] - found["before"], 0.0)
            rows.append(
                f"| {name} | {found['before']:.0f} | {found['peak']:.0f} | {added:.0f} | "
                f"{added / args.mib:.2f}× | {found['s']:.2f} |"
            )
            for path in Path(folder).iterdir():
                path.unlink()
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
