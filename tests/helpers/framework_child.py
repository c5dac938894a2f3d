"""Run framework code in a child process that may die without taking the tests with it.

Keras on the JAX backend can abort inside XLA on some layers. The tests send each case
(Python source defining ``run(*arrays)`` plus the arrays) to one long-lived child; when
the child dies, that one case is reported as aborted and a fresh child serves the rest.

Run as a script, this module is the child: one JSON request per line on stdin, one JSON
reply per line on stdout. :func:`run_script` runs one whole script in a fresh child instead
(a model built in the child, results pickled back).
"""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np


def _pack(array: Any) -> str:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode()


def _unpack(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


class Aborted(Exception):
    """The child died on this case (an abort inside the framework)."""


class Refused(Exception):
    """The framework raised an error for this case (the message is the exception's)."""


class Child:
    """One child process with ``env`` added to its environment; restarted when it dies."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen[str] | None = None
        self.aborts = 0

    def _start(self) -> subprocess.Popen[str]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, __file__],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                env=self.env,
            )
        return self.process

    def run(self, source: str, *arrays: Any) -> np.ndarray:
        """``run(*arrays)`` of ``source`` in the child: its result, or Refused/Aborted."""
        process = self._start()
        assert process.stdin is not None and process.stdout is not None
        request = {"source": source, "arrays": [_pack(a) for a in arrays]}
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            process.wait()
            self.aborts += 1
            raise Aborted(f"the child died (exit status {process.returncode})")
        reply = json.loads(line)
        if not reply["ok"]:
            raise Refused(reply["error"])
        return _unpack(reply["result"])

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=60)


HERE = Path(__file__).resolve().parent


def run_script(code: str, timeout: float = 600) -> dict | None:
    """Run ``code`` once in a fresh Python with Keras on JAX; return the dict it leaves in
    ``result`` (pickled, so any objects), or None when the child died of a signal (an XLA
    abort). For whole models; :class:`Child` serves many small cases as JSON."""
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


def _serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        namespace: dict[str, Any] = {}
        try:
            exec(compile(request["source"], "<case>", "exec"), namespace)
            result = namespace["run"](*(_unpack(a) for a in request["arrays"]))
            reply = {"ok": True, "result": _pack(np.asarray(result))}
        except Exception as error:  # the framework's refusal, reported to the parent
            reply = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
