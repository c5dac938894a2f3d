"""Keras U-Nets whose skips may not fit, built so that a suggested fix's line of code can be
applied as written (``up_lines[level]`` replaces the up-sampling line, ``join_lines[level]``
runs just before the merge)."""

from __future__ import annotations

import functools


def unet(levels=4, ndim=2, up=(2, 2, "valid"), join="cat", width=2, up_lines=None, join_lines=None):
    import keras
    from keras import layers

    # zeros: Keras on JAX compiles a random initializer per weight shape (seconds each)
    conv = functools.partial(getattr(layers, f"Conv{ndim}D"), kernel_initializer="zeros")
    pool = getattr(layers, f"MaxPooling{ndim}D")
    transposed = functools.partial(
        getattr(layers, f"Conv{ndim}DTranspose"), kernel_initializer="zeros"
    )
    up_lines, join_lines = up_lines or {}, join_lines or {}
    inputs = keras.Input((None,) * ndim + (1,))
    x = conv(width, 3, padding="same", name="inc")(inputs)
    skips, c = [x], width
    for i in range(levels):
        x = pool(2, name=f"pool{i}")(x)
        c *= 2
        x = conv(c, 3, padding="same", activation="relu", name=f"down{i}")(x)
        skips.append(x)
    skips.pop()
    k, s, padding = up
    for i in range(levels):
        c //= 2
        scope = {"x": x, "skip": skips.pop(), "layers": layers}
        if i in up_lines:
            exec(up_lines[i], scope)
        else:
            scope["x"] = transposed(c, k, strides=s, padding=padding, name=f"up{i}")(x)
        if i in join_lines:
            exec(join_lines[i], scope)
        x, skip = scope["x"], scope["skip"]
        merge = layers.Concatenate(name=f"cat{i}") if join == "cat" else layers.Add(name=f"add{i}")
        x = merge([x, skip])
        x = conv(c, 3, padding="same", name=f"conv{i}")(x)
    return keras.Model(inputs, x, name="unet")


def conv_shapes(model, shape):
    """Each Conv layer's input and output shapes on zeros of ``shape``, as Keras computes."""
    import keras
    import numpy as np

    names = [layer.name for layer in model.layers if "Conv" in type(layer).__name__]
    probe = keras.Model(
        model.inputs,
        [t for n in names for t in (model.get_layer(n).input, model.get_layer(n).output)],
    )
    values = probe(np.zeros(shape, "float32"))
    pairs = [tuple(v.shape) for v in values]
    return names, list(zip(pairs[::2], pairs[1::2], strict=True))
