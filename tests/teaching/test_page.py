"""The explorable page in a real browser: links, sums, sliders, keyboard (issue 21).

Every link the page draws is checked against PyTorch: which (input, tap) pairs reach
each output is measured by running ``conv_transpose`` on one-hot inputs and kernels,
and the canvas, zero-insertion and phase positions follow PyTorch's definitions
(``y = full[p : L − p + op]``, the equivalent convolution pads ``d·(k − 1) − p``,
phase of t is ``t mod s``). Each output's sum must read exactly as ``tconvmat explain``
prints it.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil

import numpy as np
import pytest
import torch
from page_browser import PROBLEMS, open_page, torch_output, torch_run
from repository import ROOT

import tconvmat
import tconvmat.core.budget
import tconvmat.teaching.pages
from tconvmat.cli import main

CHROMIUM = shutil.which("chromium-headless-shell")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="chromium-headless-shell is not installed (CI installs it)",
)

# Hover every output, input and entry of C and Cᵀ in one evaluation; collect what is framed.
SWEEP = """root => {
  const views = root.querySelector('[data-views]');
  const result = [];
  const cells = ['y', 'x', 'kernel', 'reversed-kernel', 'C', 'CT'].map(v => `[data-view="${v}"]`).join();
  for (const el of root.querySelectorAll(cells)) {
    el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    const linked = {};
    for (const c of root.querySelectorAll('[data-linked]')) {
      const key = c.dataset.view + (c.dataset.phase ? '@' + c.dataset.phase : '');
      (linked[key] = linked[key] || []).push(c.dataset.index);
    }
    result.push({view: el.dataset.view, index: el.dataset.index, linked,
                 text: root.querySelector('[data-readout]').textContent});
  }
  views.dispatchEvent(new MouseEvent('mouseleave'));
  return result;
}"""


@pytest.fixture(scope="module", autouse=True)
def page_cache(tmp_path_factory):
    """A cache folder of this module's own, so no test reads what another machine wrote."""
    folder = tmp_path_factory.mktemp("page-cache")
    old = os.environ.get("TCONVMAT_CACHE")
    os.environ["TCONVMAT_CACHE"] = str(folder)
    yield folder
    if old is None:
        del os.environ["TCONVMAT_CACHE"]
    else:
        os.environ["TCONVMAT_CACHE"] = old


def landing(problem):
    """PyTorch's answer: output index (tuple) of every (input, tap) pair, or None if cropped."""
    g = problem.geometry
    n_in, n_k = int(np.prod(g.in_shape)), int(np.prod(g.kernel_shape))
    x = torch.eye(n_in, dtype=torch.float64).reshape(n_in, 1, *g.in_shape)
    w = torch.eye(n_k, dtype=torch.float64).reshape(1, n_k, *g.kernel_shape)
    y = torch_run(g, x, w)
    found = {}
    for i, j in itertools.product(range(n_in), range(n_k)):
        where = np.argwhere(y[i, j].numpy() != 0)
        found[i, j] = tuple(int(v) for v in where[0]) if len(where) else None
    return found


def label(position):
    return ",".join(str(v) for v in position)


def expected_links(problem):
    """For every output and input: the framed cells per view, from PyTorch's definitions."""
    g = problem.geometry
    s, d, k = g.stride, g.dilation, g.kernel_shape
    p = [lo for lo, _ in g.padding]
    lands = landing(problem)
    inputs = list(np.ndindex(*g.in_shape))
    taps = list(np.ndindex(*g.kernel_shape))
    n_out = list(np.ndindex(*g.out_shape))
    flat_out = {t: n for n, t in enumerate(n_out)}
    # the kernel the equivalent convolution slides is PyTorch's weight flipped on every axis
    flipped = torch.flip(torch.arange(len(taps)).reshape(g.kernel_shape), list(range(g.ndim)))
    reversed_at = {int(b): label(r) for r, b in zip(taps, flipped.reshape(-1), strict=True)}

    def canvas_of_output(t):  # the uncropped scatter starts p before y
        return tuple(a + b for a, b in zip(t, p, strict=True))

    def canvas_of_pair(i, j):
        return tuple(a * b + c * e for a, b, c, e in zip(i, s, j, d, strict=True))

    def zero_cell(i):  # the equivalent convolution pads d·(k − 1) − p
        return tuple(a * b + e * (kk - 1) - q for a, b, e, kk, q in zip(i, s, d, k, p, strict=True))

    def phase(t):
        return label(tuple(a % b for a, b in zip(t, s, strict=True))), label(
            tuple(a // b for a, b in zip(t, s, strict=True))
        )

    def views(pairs, outputs, extra):
        linked: dict[str, set] = {}

        def add(view, position):
            linked.setdefault(view, set()).add(position)

        for a, b in pairs:
            i, j = inputs[a], taps[b]
            add("x", label(i))
            add("kernel", label(j))
            add("reversed-kernel", reversed_at[b])
            add("canvas", label(canvas_of_pair(i, j)))
            add("zero-insertion", label(zero_cell(i)))
            t = lands[a, b]
            if t is not None:
                add("C", f"{a},{flat_out[t]}")
                add("CT", f"{flat_out[t]},{a}")
        for t in outputs:
            add("y", label(t))
            add("canvas", label(canvas_of_output(t)))
            first, where = phase(t)
            add(f"phase@{first}", where)
        for view, position in extra:
            add(view, position)
        return linked

    expected = {}
    for t in n_out:
        pairs = [ab for ab, where in lands.items() if where == t]
        expected["y", label(t)] = views(pairs, [t], [])
    for a, i in enumerate(inputs):
        pairs = [(a, b) for b in range(len(taps))]
        reached = sorted({lands[a, b] for b in range(len(taps))} - {None})
        expected["x", label(i)] = views(pairs, reached, [("x", label(i))])
    for b, j in enumerate(taps):  # a tap, on the kernel or the reversed kernel: every stamp
        pairs = [(a, b) for a in range(len(inputs))]
        reached = sorted({lands[a, b] for a in range(len(inputs))} - {None})
        expected["kernel", label(j)] = expected["reversed-kernel", reversed_at[b]] = views(
            pairs, reached, []
        )
    for (a, b), t in lands.items():  # an entry of C is one (input, tap, output) triple
        if t is not None:
            expected["C", f"{a},{flat_out[t]}"] = views([(a, b)], [t], [])
            expected["CT", f"{flat_out[t]},{a}"] = views([(a, b)], [t], [])
    return expected


def printed_sums(arguments):
    """Each output's sum line exactly as the explanation prints it."""
    text = tconvmat.explain(**arguments).to_markdown()
    return {m.group(1): m.group(0) for m in re.finditer(r"^y\[([\d,]+)\] = .*$", text, re.M)}


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_every_output_and_input_frames_what_pytorch_computes(browser, tmp_path, name):
    arguments = PROBLEMS[name]
    view = tconvmat.page(**arguments, sliders=False)
    path = view.save(tmp_path / "page.html")
    messages: list[str] = []
    page = open_page(browser, path, messages)
    sweep = page.evaluate(SWEEP, page.query_selector("[data-tconvmat-page]"))
    expected = expected_links(view.problem)
    sums = printed_sums(arguments)
    y = torch_output(view.problem)
    assert len(sweep) == len(expected)  # every output, input, tap and entry of C was hovered
    for found in sweep:
        want = expected[found["view"], found["index"]]
        got = {v: set(indices) for v, indices in found["linked"].items()}
        assert got == want, (name, found["view"], found["index"])
        if found["view"] == "y":
            line = sums[found["index"]]
            assert found["text"] == line
            position = tuple(int(v) for v in found["index"].split(","))
            if line.endswith("(no stamp reaches it)"):
                assert y[position] == 0
            else:
                assert line.endswith(f"= {y[position]}")
    assert messages == []


EVERY_STATE = """async root => {
  const box = root.querySelector('[data-controls]');
  const sliders = [...box.querySelectorAll('input[type=range]')];
  const lists = sliders.map(r => Array.from({length: +r.max - +r.min + 1}, (_, n) => +r.min + n));
  const combos = lists.reduce((acc, list) => acc.flatMap(c => list.map(v => [...c, v])), [[]]);
  const seen = {};
  for (const radio of box.querySelectorAll('input[type=radio]')) {
    radio.checked = true;
    for (const combo of combos) {
      combo.forEach((v, a) => { sliders[a].value = v; });
      const key = `${radio.value}:${combo.join(',')}`;
      const done = new Promise(resolve => {
        const listen = e => { if (e.detail === key) { root.removeEventListener('tcm-render', listen); resolve(); } };
        root.addEventListener('tcm-render', listen);
      });
      sliders[0].dispatchEvent(new Event('input', {bubbles: true}));
      await done;
      const error = root.querySelector('[data-error]');
      seen[key] = {error: error.hidden ? null : error.textContent,
                   y: root.querySelectorAll('[data-view="y"]').length};
    }
  }
  return seen;
}"""


def test_every_slider_state_loads_without_a_console_error(browser, tmp_path):
    view = tconvmat.page()
    path = view.save(tmp_path / "page.html")
    messages: list[str] = []
    page = open_page(browser, path, messages)
    seen = page.evaluate(EVERY_STATE, page.query_selector("[data-tconvmat-page]"))
    grid = view.grid
    assert len(seen) == sum(1 for _ in grid.positions())
    for ndim, (n, k, s, p, d, op) in grid.positions():
        found = seen[f"{ndim}:{n},{k},{s},{p},{d},{op}"]
        try:
            g = tconvmat.ConvTranspose((n,) * ndim, (k,) * ndim, s, p, d, op)
        except ValueError as error:  # the library's own message, word for word
            assert found["error"] == f"Not a valid transposed convolution: {error}"
            assert found["y"] == 0
        else:
            assert found["error"] is None
            assert found["y"] == int(np.prod(g.out_shape))
    assert messages == []


def linked_now(page):
    return page.evaluate(
        """() => { const out = {};
        for (const c of document.querySelectorAll('[data-linked]')) {
          const key = c.dataset.view + (c.dataset.phase ? '@' + c.dataset.phase : '');
          (out[key] = out[key] || []).push(c.dataset.index); }
        return out; }"""
    )


def as_sets(found):
    return {view: set(indices) for view, indices in found.items()}


def test_real_pointer_click_and_keyboard(browser, tmp_path):
    view = tconvmat.page(sliders=False)
    expected = expected_links(view.problem)
    messages: list[str] = []
    page = open_page(browser, view.save(tmp_path / "page.html"), messages)
    readout = page.locator("[data-readout]")
    page.hover('[data-view="y"][data-index="1,2"]')  # a real mouse move
    assert as_sets(linked_now(page)) == expected["y", "1,2"]
    assert readout.text_content() == "y[1,2] = w[0,1]·x[1,1] = 2·5 = 10"
    page.mouse.move(2, 2)  # away from the views: nothing stays framed
    assert linked_now(page) == {}
    page.click('[data-view="x"][data-index="1,1"]')  # a click pins
    assert page.get_attribute('[data-view="x"][data-index="1,1"]', "aria-pressed") == "true"
    page.mouse.move(2, 2)
    assert as_sets(linked_now(page)) == expected["x", "1,1"]
    assert readout.text_content().startswith("x[1,1] = 5 adds 5·w at canvas rows 2–3, columns 2–3")
    page.keyboard.press("Escape")
    assert linked_now(page) == {}
    # Tab reaches the first cell of x; arrows move inside the grid; focus frames the links
    page.locator('[data-view="x"][data-index="0,0"]').focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate(
        "document.activeElement.dataset.view + ' ' + document.activeElement.dataset.index"
    )
    assert focused == "x 1,1"
    assert as_sets(linked_now(page)) == expected["x", "1,1"]
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")  # one tab stop per view: the next grid, not the next cell
    assert page.evaluate("document.activeElement.dataset.view") == "kernel"
    assert messages == []


def test_every_number_cell_carries_the_contract(browser, tmp_path):
    view = tconvmat.page(sliders=False)
    page = open_page(browser, view.save(tmp_path / "page.html"))
    cells = page.evaluate(
        """() => Array.from(document.querySelectorAll('.tcm-cell'), c => ({
        view: c.dataset.view, index: c.dataset.index, phase: c.dataset.phase || null,
        text: c.textContent, label: c.getAttribute('aria-label')}))"""
    )
    problem = view.problem
    g = problem.geometry
    y = torch_output(problem)
    C = g.matrix(problem.kernel).toarray()
    assert {c["view"] for c in cells} == set(tconvmat.teaching.pages.VIEWS)
    for c in cells:
        assert re.fullmatch(r"\d+(,\d+)?", c["index"]), c
        assert c["label"].endswith(f"= {c['text']}") or c["view"] in ("C", "CT")
        position = tuple(int(v) for v in c["index"].split(","))
        arrays = {"x": problem.x, "kernel": problem.kernel, "y": y, "C": C, "CT": C.T}
        arrays["reversed-kernel"] = np.flip(problem.kernel)  # PyTorch's weight, flipped
        if c["view"] in arrays:
            assert c["text"] == str(arrays[c["view"]][position]), c
    count = {
        v: sum(c["view"] == v for c in cells)
        for v in ("x", "kernel", "reversed-kernel", "y", "C", "CT", "phase")
    }
    assert count == {
        "x": 9,
        "kernel": 4,
        "reversed-kernel": 4,
        "y": 16,
        "C": 16,
        "CT": 16,
        "phase": 16,
    }


STEP_KEEPING_CELLS = """root => {
  for (const el of root.querySelectorAll('.tcm-cell')) el.tcmEarlier = true;
  const padding = root.querySelectorAll('input[type=range]')[3];
  padding.value = 0;
  return new Promise(resolve => {
    root.addEventListener('tcm-render', () => {
      const kept = {}, left = root.querySelectorAll('[data-linked], [data-active], [aria-pressed]');
      for (const el of root.querySelectorAll('.tcm-cell')) {
        (kept[el.dataset.view] = kept[el.dataset.view] || new Set()).add(Boolean(el.tcmEarlier));
      }
      const stops = [...root.querySelectorAll('[data-grid]')].map(g =>
        [...g.querySelectorAll('.tcm-cell')].filter(c => c.tabIndex === 0).length === 1 &&
        g.querySelector('.tcm-cell').tabIndex === 0);
      const crop = root.querySelector('.tcm-crop');
      resolve({kept: Object.fromEntries(Object.entries(kept).map(([v, s]) => [v, [...s]])),
               left: left.length, stops, crop: [crop.style.gridRow, crop.style.gridColumn],
               caption: root.querySelector('[data-section="canvas"] .tcm-caption').textContent});
    }, {once: true});
    padding.dispatchEvent(new Event('input', {bubbles: true}));
  });
}"""


def test_cells_kept_across_a_slider_step_show_the_new_state(browser, tmp_path):
    """Padding 1 → 0 keeps x, w and the canvas where they were: their elements stay, and
    every cell still frames what PyTorch computes for padding 0, with nothing left over."""
    view = tconvmat.page()
    messages: list[str] = []
    page = open_page(browser, view.save(tmp_path / "page.html"), messages)
    page.click('[data-view="x"][data-index="1,1"]')  # pinned, framed and focused
    page.mouse.move(1, 1)
    root = page.query_selector("[data-tconvmat-page]")
    step = page.evaluate(STEP_KEEPING_CELLS, root)
    assert page.get_attribute("[data-tconvmat-page]", "data-state") == "2:3,2,2,0,1,0"
    assert {v: step["kept"][v] for v in ("x", "kernel", "canvas")} == {
        "x": [True],
        "kernel": [True],
        "canvas": [True],
    }
    assert step["kept"]["y"] == [False]  # 4×4 → 6×6: drawn anew
    assert step["left"] == 0 and all(step["stops"])
    fresh = tconvmat.page(padding=0, sliders=False)
    problem = fresh.problem
    rows, cols = (f"1 / {n + 1}" for n in problem.geometry.out_shape)  # no crop at padding 0
    assert step["crop"] == [rows, cols]
    assert step["caption"] == fresh.data["states"]["given"]["crop"]
    x = np.array(page.eval_on_selector_all('[data-view="x"]', "e => e.map(c => +c.textContent)"))
    w = np.array(
        page.eval_on_selector_all('[data-view="kernel"]', "e => e.map(c => +c.textContent)")
    )
    shown_y = page.eval_on_selector_all('[data-view="y"]', "e => e.map(c => +c.textContent)")
    y = torch_run(
        problem.geometry,
        torch.tensor(x.reshape(1, 1, 3, 3), dtype=torch.float64),
        torch.tensor(w.reshape(1, 1, 2, 2), dtype=torch.float64),
    )
    assert shown_y == np.rint(y.numpy()).astype(int).reshape(-1).tolist()
    sweep = page.evaluate(SWEEP, root)
    expected = expected_links(problem)
    assert len(sweep) == len(expected)
    for found in sweep:
        got = {v: set(indices) for v, indices in found["linked"].items()}
        assert got == expected[found["view"], found["index"]], (found["view"], found["index"])
    assert messages == []


def test_an_invalid_combination_shows_the_library_message(browser, tmp_path):
    view = tconvmat.page(dims=(2,))
    messages: list[str] = []
    page = open_page(browser, view.save(tmp_path / "page.html"), messages)
    stride = page.locator("input[type=range]").nth(2)
    stride.focus()
    page.keyboard.press("ArrowLeft")  # a real key on the stride slider: 2 → 1
    page.wait_for_selector('[data-tconvmat-page][data-state="2:3,2,1,1,1,0"]')
    assert page.locator('[data-view="y"]').count() == 4  # 2×2: (3 − 1)·1 − 2 + 1 + 1
    op = page.locator("input[type=range]").nth(5)
    op.focus()
    page.keyboard.press("ArrowRight")  # output_padding 1 at stride 1, dilation 1
    page.wait_for_selector('[data-tconvmat-page][data-state="2:3,2,1,1,1,1"]')
    with pytest.raises(ValueError) as error:
        tconvmat.ConvTranspose((3, 3), (2, 2), stride=1, padding=1, output_padding=1)
    shown = page.locator("[data-error]")
    assert shown.is_visible()
    assert shown.text_content() == f"Not a valid transposed convolution: {error.value}"
    assert page.locator('[data-view="y"]').count() == 0
    assert messages == []


def test_page_command_writes_one_self_contained_file(tmp_path, capsys):
    out = tmp_path / "page.html"
    assert main(["page", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 1_000_000  # the worked example with its default sliders
    assert not re.search(r"(src|href)\s*=|@import|url\(|<link|fetch\(|XMLHttpRequest", html)
    assert html.count("<script") == 2  # the states (JSON) and the page's own script
    assert main(["page", "--out", str(out)]) == 2  # never overwritten without --force
    assert "exists; pass --force" in capsys.readouterr().err
    assert main(["page", "--out", str(out), "--force", "--no-sliders"]) == 0
    assert out.stat().st_size < 100_000
    capsys.readouterr()
    for bad, message in [
        (["--input-shape", "2x2x2", "--kernel-shape", "2x2x2"], "shows 1-D and 2-D problems"),
        (["--in-channels", "2"], "one input and one output channel"),
        (["--output-padding", "3"], "output_padding (3) must be smaller than stride (2)"),
        (["--out", str(tmp_path / "page.txt")], "must end in .html or .htm"),
    ]:
        arguments = (
            ["page", *bad] if "--out" in bad else ["page", *bad, "--out", str(out), "--force"]
        )
        assert main(arguments) == 2
        err = capsys.readouterr().err
        assert err.startswith("tconvmat: error: ") and message in err and "Traceback" not in err


def test_sliders_hold_the_problem_and_fit_the_page_budget():
    worked = tconvmat.page()
    assert worked.grid.dims == (1, 2)
    assert worked.data["start"] == "2:3,2,2,1,1,0"
    assert len(worked.to_html().encode()) < 1_000_000
    big = tconvmat.page(input_shape=(8, 8), kernel_shape=(3, 3))
    assert 8 in big.grid.ranges["input size"] and big.grid.dims == (2,)
    assert len(big.to_html().encode()) < 5_000_000
    with pytest.raises(tconvmat.core.budget.SizeError, match="above the page budget"):
        tconvmat.page(sliders={"input size": range(1, 13), "kernel size": range(1, 8)})
    with pytest.raises(ValueError, match="unknown slider 'size'"):
        tconvmat.page(sliders={"size": range(1, 3)})
    uneven = tconvmat.page(stride=(2, 1))
    assert uneven.grid is None and "No sliders" in uneven.note


def test_explore_is_the_page_and_shows_itself_in_a_notebook():
    explorer = tconvmat.explore(sliders=False)
    assert explorer.geometry == tconvmat.ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    first, second = explorer._repr_html_(), explorer._repr_html_()
    ids = [re.search(r'id="(tcm-[^"]+)"', h).group(1) for h in (first, second)]
    assert ids[0] != ids[1]  # two outputs in one notebook do not share an id
    assert first.startswith('<div class="tcm"') and "<html" not in first
    assert tconvmat.explore(input_shape=5, kernel_shape=3, dims=(1,)).grid.dims == (1,)


def test_cached_slider_states_are_the_ones_computed_afresh(tmp_path, monkeypatch):
    page_cache = tmp_path / "cache"
    fresh_x = "2,0,1;1,3,1;0,1,2"
    monkeypatch.setenv("TCONVMAT_CACHE", "off")
    fresh = tconvmat.page(input=fresh_x).data
    monkeypatch.setenv("TCONVMAT_CACHE", str(page_cache))
    first = tconvmat.page(input=fresh_x).data  # computes and stores
    entries = sorted(page_cache.rglob("*.txt"))
    assert len(entries) == len(fresh["chunks"])
    again = tconvmat.page(input=fresh_x).data  # reads back
    assert fresh == first == again
    entries[0].write_text("not json", encoding="ascii")  # a damaged entry is computed again
    assert tconvmat.page(input=fresh_x).data == fresh
    other = tconvmat.page(input="1,1,1;1,1,1;1,1,1").data  # other values: another key
    assert other["chunks"]["2:3,2"] != fresh["chunks"]["2:3,2"]
    assert other["chunks"]["1:3,2"] == fresh["chunks"]["1:3,2"]  # counting numbers in 1-D


def test_matrix_entries_sit_on_their_row_and_column_even_when_framed(browser, tmp_path):
    view = tconvmat.page(input_shape=(4, 4), kernel_shape=(3, 3), sliders=False)
    page = open_page(browser, view.save(tmp_path / "page.html"))
    page.hover('[data-view="y"][data-index="3,3"]')  # four entries of C framed at once
    for matrix in ("C", "CT"):
        cells = page.evaluate(
            """view => Array.from(document.querySelectorAll(`[data-view="${view}"]`), c => {
              const r = c.getBoundingClientRect();
              return [c.dataset.index, r.left, r.top, r.width, c.hasAttribute('data-linked')]; })""",
            matrix,
        )
        assert sum(linked for *_, linked in cells) == 4
        index = [tuple(int(v) for v in i.split(",")) for i, *_ in cells]
        width = cells[0][3]
        left = min(c[1] - col * width for c, (_, col) in zip(cells, index, strict=True))
        top = min(c[2] - row * width for c, (row, _) in zip(cells, index, strict=True))
        for (_, x, y, _, _), (row, col) in zip(cells, index, strict=True):
            assert abs(x - (left + col * width)) < 1 and abs(y - (top + row * width)) < 1


def test_page_benchmark_runs(tmp_path):
    """A smoke run of benchmarks/bench_page.py (not timed here), in a process of its own:
    Playwright's synchronous API cannot start inside this module's running browser."""
    import subprocess
    import sys

    script = ROOT / "benchmarks" / "bench_page.py"
    out = tmp_path / "PAGE.md"
    subprocess.run(
        [sys.executable, str(script), "--quick", "--repeats", "1", "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    row = re.search(r"\| worked example, no sliders \| (\d+\.\d+) \|", out.read_text("utf-8"))
    assert row and float(row.group(1)) < 0.05  # MB: the problem alone, about 40 kB
