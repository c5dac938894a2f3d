"""Every framework's transposed-convolution parameters as one crop model, and back.

The rules themselves (each framework's padding, output length and output_padding bound)
live in :mod:`tconvmat.core.rules`; this package adapts names and arguments, and writes code.

Per axis, the uncropped scatter has ``L = (I − 1)·s + d·(k − 1) + 1`` positions;
each framework's padding rule picks a window of it (``crops``), and some
frameworks correlate with the kernel as given (``flip_kernel``). PyTorch and
ONNX (``padding``, ``output_padding``), TensorFlow (``'SAME'``/``'VALID'`` and
``output_shape``), Keras (``'same'``/``'valid'`` and ``output_padding``) and JAX
(``lax.conv_transpose``) all reduce to that. Each converter returns a
:class:`tconvmat.ConvTranspose` whose ``framework`` and ``flip_kernel`` fields say where
it came from, so every view (``apply``, ``matrix``, ``symbolic_matrix``,
``general_term``, figures) gives that framework's numbers.

:data:`FRAMEWORKS` is the one registry of converters: a new framework is one
module plus one entry, and the command line reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tconvmat.api import ConvTranspose
from tconvmat.conventions import jax, keras, onnx, pytorch, tensorflow
from tconvmat.conventions._common import Options
from tconvmat.conventions.compare import Comparison, compare
from tconvmat.conventions.jax import from_jax
from tconvmat.conventions.keras import from_keras
from tconvmat.conventions.layouts import channels_first, channels_last, weight_to_pytorch
from tconvmat.conventions.onnx import from_onnx
from tconvmat.conventions.pytorch import PyTorchCall, from_pytorch, to_pytorch
from tconvmat.conventions.tensorflow import from_tensorflow
from tconvmat.core.geometry import Geometry
from tconvmat.core.rules import jax_padding, keras_output_length

__all__ = [
    "FRAMEWORKS",
    "Comparison",
    "Framework",
    "Options",
    "PyTorchCall",
    "channels_first",
    "channels_last",
    "compare",
    "from_jax",
    "from_keras",
    "from_onnx",
    "from_pytorch",
    "from_tensorflow",
    "jax_padding",
    "keras_output_length",
    "to_pytorch",
    "weight_to_pytorch",
]


@dataclass(frozen=True)
class Framework:
    """One framework's converter, under its own signature and from the common options.

    Attributes
    ----------
    name : str
        The ``framework`` field its geometries carry.
    convert : callable
        The converter with the framework's own parameter names (``from_jax``, ...).
    from_options : callable
        The same converter fed from :class:`Options` (the command line).
    to_code : callable
        Runnable code in this framework for any geometry: a function
        ``conv_transpose(x, weight)`` with the weight in PyTorch's layout.
    modes : tuple of str
        The padding modes it names (``'SAME'``, ``'valid'``, ...), as it spells them.
    default_padding : object
        Its own default padding (None: it has none, the padding must be given).
    options : frozenset of str
        The optional parameters it has among ``output_padding``, ``output_shape`` and
        ``transpose_kernel`` (the command line refuses the others for it).
    """

    name: str
    convert: Callable[..., ConvTranspose]
    from_options: Callable[[Options], ConvTranspose]
    to_code: Callable[[Geometry], str]
    modes: tuple[str, ...]
    default_padding: object
    options: frozenset[str]


FRAMEWORKS: dict[str, Framework] = {
    framework.name: framework
    for framework in (
        Framework(
            "pytorch",
            from_pytorch,
            pytorch.from_options,
            pytorch.to_code,
            (),
            0,
            frozenset({"output_padding", "output_shape"}),
        ),
        Framework(
            "tensorflow",
            from_tensorflow,
            tensorflow.from_options,
            tensorflow.to_code,
            ("SAME", "VALID"),
            "SAME",
            frozenset({"output_shape"}),
        ),
        Framework(
            "keras",
            from_keras,
            keras.from_options,
            keras.to_code,
            ("same", "valid"),
            "valid",
            frozenset({"output_padding"}),
        ),
        Framework(
            "jax",
            from_jax,
            jax.from_options,
            jax.to_code,
            ("SAME", "VALID"),
            None,
            frozenset({"transpose_kernel"}),
        ),
        Framework(
            "onnx",
            from_onnx,
            onnx.from_options,
            onnx.to_code,
            onnx.AUTO_PAD,
            "NOTSET",
            frozenset({"output_padding", "output_shape"}),
        ),
    )
}
"""Framework name → its converters, its padding modes and defaults, and the options it has."""
