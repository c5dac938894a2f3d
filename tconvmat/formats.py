"""The file formats tconvmat writes figures in (a constant, importable without matplotlib)."""

FORMATS = ("png", "svg", "pdf")
"""Figure formats whose bytes are identical on every run."""
