"""Where the repository's files are, for tests that read README, figures, benchmarks, examples."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
"""The repository's top folder (this file is ``tests/helpers/repository.py``)."""
