"""The package's metadata: pyproject's project table, the files a release carries, and README's
links and section order."""

from __future__ import annotations

from repository import ROOT


def test_packaging_metadata_and_readme_links():

    import tomllib

    root = ROOT
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    for key in ("urls", "classifiers", "keywords", "authors", "license-files"):
        assert project[key], key
    for extra, requirements in project["optional-dependencies"].items():
        assert not [r for r in requirements if "==" in r], f"exact pin in the {extra} extra"
    for name in ("LICENSE", "CITATION.cff", "CHANGELOG.md", "constraints.txt"):
        assert (root / name).is_file()
    readme = (root / "README.md").read_text(encoding="utf-8")
    links = __import__("re").findall(r"\]\(([^)]+)\)", readme)
    local = [link for link in links if not link.startswith(("https://", "#"))]
    assert links and all((root / link).exists() for link in local), links  # render in a clone
    assert "License ::" not in " ".join(project["classifiers"])  # the SPDX expression only
    assert project["license"] == "MIT"
    assert all((root / link).is_file() for link in local)
    assert (
        readme.index("## Install")
        < readme.index("## Two commands")
        < readme.index("## The worked example")
    )
