"""The ``tconvmat`` command line.

Values on the command line are parsed as numbers or symbol names, never
evaluated as code. Errors print ``tconvmat: error: ...`` and exit with status 2.
"""

from tconvmat.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
