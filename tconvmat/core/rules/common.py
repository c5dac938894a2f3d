"""The rules every framework shares: the output_padding bound and what a crop cuts or adds."""

from __future__ import annotations

from tconvmat.core.rules._types import Pair

__all__ = [
    "OUTPUT_PADDING_RULES",
    "check_output_padding",
    "crop_cut",
    "crop_extension",
    "output_padding_limit",
]

OUTPUT_PADDING_RULES = {
    "pytorch": "smaller than stride or dilation (PyTorch's rule)",
    "keras": "smaller than strides (Keras's rule)",
    "onnx": "smaller than strides (ONNX Runtime's rule, whatever the dilation)",
}
"""How each framework bounds ``output_padding``, in words (the bound is
:func:`output_padding_limit`)."""


def output_padding_limit(stride: int, dilation: int = 1, framework: str = "pytorch") -> int:
    """The smallest ``output_padding`` a framework refuses on one axis.

    PyTorch accepts ``op < max(s, d)``. Keras refuses ``op >= s`` whatever the
    dilation. ONNX Runtime 1.32 checks ``op < max(s, d)`` and then refuses any
    ``op >= s`` because the output no longer convolves back to the input.

    Examples
    --------
    >>> output_padding_limit(2, 1), output_padding_limit(1, 2)
    (2, 2)
    >>> output_padding_limit(1, 2, "keras"), output_padding_limit(1, 2, "onnx")
    (1, 1)
    """
    if framework == "pytorch":
        return max(stride, dilation)
    if framework in ("keras", "onnx"):
        return stride
    raise ValueError(f"framework {framework!r} has no output_padding rule")


def check_output_padding(
    value: int,
    stride: int,
    dilation: int = 1,
    framework: str = "pytorch",
    *,
    where: str = "",
    name: str = "output_padding",
) -> int:
    """Refuse an ``output_padding`` the framework refuses, with its rule; return it.

    Examples
    --------
    >>> check_output_padding(1, 2)
    1
    >>> check_output_padding(1, 1, 2, "keras")
    Traceback (most recent call last):
    ...
    ValueError: output_padding (1) must be smaller than strides (1) (Keras's rule)
    """
    if not 0 <= value < output_padding_limit(stride, dilation, framework):
        if value < 0:
            raise ValueError(f"{name} ({value}) must be >= 0{where}")
        if framework == "pytorch":
            bound = f"stride ({stride}) or dilation ({dilation})"
        else:
            bound = f"strides ({stride})"
        rule = OUTPUT_PADDING_RULES[framework].split("(", 1)[1]
        raise ValueError(f"{name} ({value}) must be smaller than {bound}{where} ({rule}")
    return value


def crop_cut(crop: Pair) -> Pair:
    """What a crop cuts from each end: its positive parts.

    Examples
    --------
    >>> crop_cut((1, -2))
    (1, 0)
    """
    return max(crop[0], 0), max(crop[1], 0)


def crop_extension(crop: Pair) -> Pair:
    """How many zeros a crop adds at each end: its negative parts, as counts.

    Examples
    --------
    >>> crop_extension((1, -2))
    (0, 2)
    """
    return max(-crop[0], 0), max(-crop[1], 0)
