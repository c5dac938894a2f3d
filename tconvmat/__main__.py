"""``python -m tconvmat``: the command line."""

import sys

from tconvmat.cli import main

sys.exit(main())
