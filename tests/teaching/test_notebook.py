"""The tutorial notebook reads without running and runs from a clean kernel, every figure
inline and ``explore()``'s page among its outputs (issue 11)."""

from __future__ import annotations

from repository import ROOT


def test_the_tutorial_notebook_runs_from_a_clean_kernel():
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "examples" / "tutorial.ipynb", as_version=4)
    stored = {k for c in notebook.cells for o in c.get("outputs", []) for k in o.get("data", {})}
    assert {"image/png", "text/markdown", "text/latex"} <= stored  # it reads without running
    for cell in notebook.cells:
        cell.outputs = [] if cell.cell_type == "code" else cell.get("outputs")
    NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "examples")}},
    ).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    kinds = [k for o in outputs for k in o.get("data", {})]
    assert kinds.count("image/png") >= 8  # every figure inline, no %matplotlib needed
    assert "text/markdown" in kinds and "text/latex" in kinds
    pages = [o["data"]["text/html"] for o in outputs if "data-tconvmat-page" in str(o.get("data"))]
    assert len(pages) == 1 and "data-states" in pages[0]  # explore(): the page, inline
