"""Assemble the explanation of one problem from its sections."""

from __future__ import annotations

from tconvmat.analysis.overlap import overlap_counts
from tconvmat.core import budget
from tconvmat.problem import Problem
from tconvmat.routes import interpreted
from tconvmat.teaching.explanation import (
    autoencoder,
    basics,
    channels,
    checkerboard,
    effects,
    homework,
    sizes,
    steps,
)
from tconvmat.teaching.explanation.checks import checks, integer_stand_ins
from tconvmat.teaching.explanation.document import Explanation
from tconvmat.teaching.explanation.figures import figures_for
from tconvmat.teaching.explanation.parts import Figure, Section

__all__ = ["build"]


def _with(section: Section, *extra: Figure | None) -> Section:
    """The section with the figures that exist appended."""
    parts = tuple(p for p in extra if p is not None)
    return Section(section.title, section.parts + parts, section.key)


def _steps(
    problem: Problem, figures: dict[str, Figure], symbolic: bool, root: Problem
) -> list[Section]:
    """The single-channel walk: every stamp, the other views, C, the sums, the closed form,
    each parameter's effect, overlap and the checkerboard."""
    g = problem.geometry
    y = problem.output()
    found = []
    if problem.numeric:
        slices = None if problem is root else figures.get("slices")  # the pair's, with channels
        found.append(_with(steps.scatter(problem), slices, figures.get("scatter_steps")))
        numeric = problem
    else:
        x, kernel, _ = integer_stand_ins(problem)
        numeric = Problem(g, x, kernel)
    found += [
        _with(steps.views(numeric), figures.get("zero_insertion"), figures.get("polyphase")),
        _with(steps.matrix(problem), figures.get("matrix"), figures.get("footprint")),
        steps.sums(problem, y),
    ]
    if symbolic:
        from tconvmat.teaching.explanation import symbols  # SymPy only when asked

        found.append(symbols.symbols(problem))
    pair = "" if problem is root else PAIR
    if problem.numeric:
        found.append(effects.parameter_effects(problem, y, figures.get("parameter_effects"), pair))
    found.append(checkerboard.section(numeric, figures))
    if pair:  # every section of the walk says which pair it shows
        found = [Section(f"{s.title} ({pair})", s.parts, s.key or s.anchor) for s in found]
    return found


PAIR = "input channel 0 → output channel 0"
"""The (input channel → output channel) pair a problem with channels is walked through."""


def build(
    problem: Problem, *, symbolic: bool = False, pytorch: bool = False, limit: int | None = None
) -> Explanation:
    """Every section for this problem, in reading order, with its figures.

    Single-channel problems get the step-by-step scatter, the other views, C
    and the sums; problems with channels get the channel section, then the
    same steps for one (input channel → output channel) pair.
    Symbolic values give the closed form in those symbols (checked with
    integers put in for them). Explaining never loads or compiles a compiled kernel
    (:func:`tconvmat.routes.interpreted`). ``limit`` is the view budget
    (:func:`tconvmat.core.budget.check_view`), checked before any work.
    """
    budget.check_view(problem.geometry, limit)
    with interpreted():
        return _assemble(problem, symbolic=symbolic, pytorch=pytorch)


def _assemble(problem: Problem, *, symbolic: bool, pytorch: bool) -> Explanation:
    g = problem.geometry
    y = problem.output()
    report = overlap_counts(g)
    figures = figures_for(problem)
    single = g.single_channel
    sections: list[Section] = [
        basics.introduction(g),
        _with(basics.problem_section(problem), figures.get("slices") if single else None),
        sizes.sizes(g),
    ]
    if single:
        walk = problem
    else:  # the channels, then one (input channel → output channel) pair step by step
        section = channels.channels(problem, y, figures.get("channels"))
        sections.append(_with(section, figures.get("channel_matrix")))
        walk = problem.pair(0, 0)
    sections += _steps(walk, figures, symbolic, problem)
    sections += [
        autoencoder.autoencoder(problem),
        homework.homework(problem),
        checks(problem, pytorch=pytorch),
    ]
    title = "Transposed convolution, step by step"
    summary = basics.summary(problem, y, report)
    return Explanation(problem, y, title, summary, tuple(sections))
