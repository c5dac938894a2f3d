"""How things are written: the one notation (values, shapes, positions, the size formula),
axis words, parsing user text (never evaluated), strict JSON and objects' displays.

Sits right above :mod:`tconvmat.core`: the symbolic layer, the analyses and the inspection
all write values with it.
"""
