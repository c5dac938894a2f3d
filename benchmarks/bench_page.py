"""The explorable page in a real browser: size, first paint, slider steps; explore() start.

Measured in headless Chromium with ``performance.now()`` (Playwright drives Debian's
``chromium-headless-shell``): first paint is the paint timing of the page (and the
moment its first state is drawn), a slider step runs from the ``input`` event to the
next painted frame. ``explore()`` start (import, build, ``_repr_html_``) is timed against
``tconvmat explain`` in the terminal, both in fresh processes, interleaved.

    python benchmarks/bench_page.py [--repeats 5] [--out benchmarks/PAGE.md] [--before COMMIT]
        [--earlier FOLDER]

``--before COMMIT`` also times the ipywidgets explorer of that commit (start + one move;
it needs ``pip install ipywidgets``, which tconvmat no longer uses);
``--earlier FOLDER`` also times the pages and the explore() start of the tconvmat checked out
in FOLDER (``git archive COMMIT tconvmat | tar -x -C FOLDER``), in the same runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tconvmat

HERE = Path(__file__).resolve().parent
CASES = {
    "worked example, default sliders": {},
    "worked example, no sliders": {"sliders": False},
    "1-D 4, k3 s2 p1, default sliders": {"input": "1,2,3,4", "kernel": "1,2,3", "padding": 1},
    "8×8, k3 s2 p1, sliders fitted": {"input_shape": (8, 8), "kernel_shape": (3, 3)},
}

WALK = """async root => {
  const box = root.querySelector('[data-controls]');
  const sliders = [...box.querySelectorAll('input[type=range]')];
  const radios = [...box.querySelectorAll('input[type=radio]')];
  const start = sliders.map(s => +s.value);
  const moves = [];
  for (const radio of radios) {  // drag every slider over its range and back, in each dimension
    sliders.forEach((s, a) => { moves.push([radio.value, a, start[a]]); });
    sliders.forEach((s, a) => {
      for (let v = +s.min; v <= +s.max; v++) moves.push([radio.value, a, v]);
      moves.push([radio.value, a, start[a]]);
    });
  }
  const seen = new Set(), steps = [];
  for (const [dim, a, v] of moves) {
    radios.find(r => r.value === dim).checked = true;
    sliders[a].value = v;
    const key = `${dim}:${sliders.map(s => s.value).join(',')}`;
    const chunk = key.split(',').slice(0, 2).join(',');
    const t0 = performance.now();
    const drawn = new Promise(resolve => {
      const done = e => {
        if (e.detail === key) { root.removeEventListener('tcm-render', done); resolve(); }
      };
      root.addEventListener('tcm-render', done);
    });
    sliders[a].dispatchEvent(new Event('input', {bubbles: true}));
    await drawn;
    await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const cells = root.querySelectorAll('.tcm-cell').length;
    steps.push({ms: performance.now() - t0, cold: !seen.has(chunk), cells});
    seen.add(chunk);
  }
  return steps;
}"""


FIRST_PAINT = """new Promise(resolve => {  // the entry can come a frame after the page settles
  const look = () => {
    const [entry] = performance.getEntriesByName('first-contentful-paint');
    if (entry) resolve(entry.startTime); else requestAnimationFrame(look);
  };
  look();
})"""


def chromium() -> str:
    path = shutil.which("chromium-headless-shell")
    if path is None:
        sys.exit("needs chromium-headless-shell (apt-get install -y chromium-headless-shell)")
    return path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def saved(arguments: dict, path: Path, source: str | None = None) -> Path:
    """The page of ``arguments`` written to ``path``, by this tconvmat or the checkout in
    the folder ``source``."""
    if source is None:
        return tconvmat.page(**arguments).save(path)
    program = f"import tconvmat; tconvmat.page(**{arguments!r}).save({str(path)!r})"
    environment = {**os.environ, "PYTHONPATH": source, "TCONVMAT_CACHE": "off"}
    subprocess.run([sys.executable, "-c", program], check=True, env=environment, cwd=source)
    return path


def revision(folder: str) -> str:
    """The short commit of a checkout, or the folder's name when it is not a repository."""
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=folder
    ).stdout.strip()
    return found or Path(folder).name


def browser_numbers(repeats: int, quick: bool, earlier: str | None = None) -> list[tuple]:
    from playwright.sync_api import sync_playwright

    rows = []
    cases = {"worked example, no sliders": {"sliders": False}} if quick else dict(CASES)
    sources: dict[str, str] = {}
    if earlier:  # the pages with sliders, as the earlier checkout writes them
        for name, arguments in list(cases.items()):
            if arguments.get("sliders", True) is not False:
                cases[f"{name}, at {revision(earlier)}"] = arguments
                sources[f"{name}, at {revision(earlier)}"] = earlier
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium())
        paths = {
            name: saved(arguments, Path(folder) / f"page{n}.html", sources.get(name))
            for n, (name, arguments) in enumerate(cases.items())
        }
        paints: dict[str, list[float]] = {name: [] for name in cases}
        drawn: dict[str, list[float]] = {name: [] for name in cases}
        steps: dict[str, list[dict]] = {name: [] for name in cases}
        for _ in range(repeats):  # pages interleaved, so a busy moment hits each alike
            for name, arguments in cases.items():
                tab = browser.new_page(viewport={"width": 1280, "height": 800})
                tab.goto(paths[name].as_uri())
                tab.wait_for_selector("[data-tconvmat-page][data-state]")
                tab.evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
                paints[name].append(tab.evaluate(FIRST_PAINT))
                first = tab.get_attribute("[data-tconvmat-page]", "data-first-render")
                drawn[name].append(float(first))
                if arguments.get("sliders", True) is not False:  # every walk counts
                    steps[name] += tab.evaluate(WALK, tab.query_selector("[data-tconvmat-page]"))
                tab.close()
        for name in cases:
            size = paths[name].stat().st_size
            paint, first = statistics.median(paints[name]), statistics.median(drawn[name])
            rows.append((name, size, paint, first, steps[name]))
        browser.close()
    return rows


def timed(command: list[str], cache: str, source: str | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of a fresh child process; ``source``:
    a folder holding another checkout of tconvmat to run instead of this one."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    environment = {**os.environ, "TCONVMAT_CACHE": cache}
    if source is not None:  # python -c puts its folder first on the path: run it there
        environment["PYTHONPATH"] = source
    subprocess.run(
        command,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment,
        cwd=source,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


EXPLORE = "import tconvmat; tconvmat.explore()._repr_html_()"
OLD_EXPLORE = "import tconvmat.explorer as m; e = m.explore(); e.controls['stride'].value = 3"
"""The ipywidgets explorer of an earlier commit, run inside that commit's own package."""


def checkout(commit: str) -> str:
    """A folder holding ``tconvmat/`` as of ``commit`` (``git archive``, no worktree)."""
    folder = tempfile.mkdtemp(prefix=f"tconvmat-{commit[:7]}-")
    archive = subprocess.run(
        ["git", "archive", commit, "tconvmat"], check=True, capture_output=True, cwd=HERE.parent
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return folder


def start_numbers(
    repeats: int, before: str | None, earlier: str | None = None
) -> dict[str, tuple[float, float]]:
    commands = {
        "tconvmat explain (terminal)": [sys.executable, "-m", "tconvmat", "explain"],
        "explore() start, first time (empty cache)": [sys.executable, "-c", EXPLORE],
        "explore() start, again (cached states)": [sys.executable, "-c", EXPLORE],
    }
    sources: dict[str, str] = {}
    if earlier:
        name = f"explore() start, first time (empty cache), at {revision(earlier)}"
        commands[name] = [sys.executable, "-c", EXPLORE]
        sources[name] = earlier
    if before:  # its whole package: the old explorer imports modules since moved
        name = f"ipywidgets explore() of {before[:7]}: start + one move"
        commands[name] = [sys.executable, "-c", OLD_EXPLORE]
        sources[name] = checkout(before)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    warm = tempfile.mkdtemp()
    timed([sys.executable, "-c", EXPLORE], warm)  # fills the cache the "again" row reads
    for _ in range(repeats):  # interleaved, so a busy moment hits every command alike
        for name, command in commands.items():
            cache = tempfile.mkdtemp() if "empty" in name else warm
            runs[name].append(timed(command, cache, sources.get(name)))
    return {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in runs.items()
    }


def report(rows: list[tuple], starts: dict[str, tuple[float, float]], load: str = "") -> str:
    lines = [
        "# The explorable page: size, first paint, slider steps",
        "",
        *([f"- {load}"] if load else []),
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
        f"Python {platform.python_version()}, tconvmat {tconvmat.__version__}",
        "- browser: Debian's chromium-headless-shell driven by Playwright, 1280×800",
        "- targets (issue 21): worked example page < 1 MB, default slider grid < 5 MB, "
        "first paint < 1 s, slider step < 50 ms",
        "",
        "| page | MB | first paint ms | first state drawn ms | steps | step median ms | "
        "step p95 ms | step max ms | max, chunk unpacked ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, size, paint, drawn, steps in rows:
        if steps:
            warm = [s["ms"] for s in steps if not s["cold"]] or [0.0]
            cold = [s["ms"] for s in steps if s["cold"]] or [0.0]
            every = [s["ms"] for s in steps]
            cells = (
                f"{len(steps)} | {statistics.median(every):.1f} | {percentile(every, 0.95):.1f} | "
                f"{max(warm):.1f} | {max(cold):.1f}"
            )
        else:
            cells = "– | – | – | – | –"
        lines.append(f"| {name} | {size / 1e6:.2f} | {paint:.0f} | {drawn:.0f} | {cells} |")
    lines += [
        "",
        "Each page is opened once per repeat, the pages interleaved; every opening walks every "
        "slider over its range and back (`steps`: all walks together). `step max` is over "
        "steps whose slider chunk was already unpacked; the last column is the slowest step "
        "that first unpacked a chunk (gzip, in the browser).",
    ]
    if not starts:
        return "\n".join(lines) + "\n"
    base_wall, base_cpu = starts["tconvmat explain (terminal)"]
    lines += [
        "",
        "## explore() against tconvmat explain, fresh processes, interleaved (medians)",
        "",
        "| command | wall s | CPU s | wall ratio | CPU ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, (wall, cpu) in starts.items():
        lines.append(
            f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / base_wall:.2f} | {cpu / base_cpu:.2f} |"
        )
    lines += [
        "",
        "A slider move after the start costs one browser step (the table above); the page "
        "never calls back into Python. The cached start reads the slider states this version "
        "of tconvmat computed before (`TCONVMAT_CACHE`, tconvmat.teaching.pages.cache).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(HERE / "PAGE.md"))
    parser.add_argument("--before", help="a commit whose ipywidgets explorer to time as well")
    parser.add_argument(
        "--earlier", help="a folder with an earlier checkout whose explore() to time as well"
    )
    parser.add_argument(
        "--quick", action="store_true", help="one page, no start-up timing (a smoke run)"
    )
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows = browser_numbers(args.repeats, args.quick, args.earlier)
    starts = {} if args.quick else start_numbers(args.repeats, args.before, args.earlier)
    load = f"load average (1, 5, 15 min; {os.cpu_count()} cores shared with other work) "
    load += "{:.1f}, {:.1f}, {:.1f}"
    load = (load + " before, {:.1f}, {:.1f}, {:.1f} after").format(*load_before, *os.getloadavg())
    text = report(rows, starts, load)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
