"""Keras (JAX backend) as a reference, run in a child process: XLA can abort the process on
some layers, and an abort must skip one case, not end the test run."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(code: str, timeout: float = 600) -> dict | None:
    """Run ``code`` in a fresh Python with Keras on JAX; return the dict it leaves in
    ``result`` (pickled), or None when the child died of a signal (an XLA abort)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.pkl"
        script = (
            "import os, pickle, sys\n"
            f"sys.path.insert(0, {str(HERE)!r})\n"
            "import numpy as np\nimport keras\nfrom keras import layers\n"
            f"{code}\n"
            f"pickle.dump(result, open({str(out)!r}, 'wb'))\n"
        )
        env = {**os.environ, "KERAS_BACKEND": "jax", "TF_CPP_MIN_LOG_LEVEL": "3"}
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode < 0:
            return None
        if done.returncode != 0:
            raise AssertionError(f"the Keras child failed:\n{done.stderr[-3000:]}")
        with open(out, "rb") as handle:
            return pickle.load(handle)
