"""Types shared by the rules."""

Pair = tuple[int, int]
"""(low, high) on one axis: a crop, or a padding."""
