"""The coverage part (reviewers' edition): who spoke about what, and what nobody covered."""

from __future__ import annotations

from collections import defaultdict

from ..base import ids
from ..base.names import Names
from ..figures import Figures
from ..model import Project
from ..review import Block, Items, Prose, Report, Row, Subsection, Table, Voice


def coverage(project: Project, f: Figures, voices: list[Voice], names: Names, goals=None) -> Report:
    """`goals`: only these (a working group's pack, which holds their comments alone), as statistics takes them."""
    m, n = names.msgs, names.msgs.number
    counts: dict[tuple[str, int], int] = defaultdict(int)
    for v in voices:
        for g in v.goals:
            counts[(v.seminar.region, g.number)] += 1
    top = max(counts.values(), default=0)
    goals = [g for g in names.fw.goals if g in goals] if goals is not None else list(names.fw.goals)
    rows = []
    for code in f.regions_existing:
        row = [counts[(code, g)] for g in goals]
        rows.append(Row((names.region(code), *(n(c) if c else "" for c in row), n(sum(row))),
                        shades=(None, *(_shade(c, top) for c in row), None)))
    table = Table(m("coverage.table"), (m("col.region"), *map(str, goals), m("col.total")), tuple(rows),
                  m("coverage.note"), numeric=tuple(range(1, len(goals) + 2)), heat=True)
    spoken = {g for (_, g) in counts}
    reported = {g for c in project.chapters for g in c.goals}

    def listed(key: str, items: list[str]) -> Subsection:
        blocks: tuple[Block, ...] = (Items(tuple(items)),) if items else (Prose(m("coverage.none")),)
        return Subsection(ids.subsection("coverage", key.replace('_', '-')), m(f"coverage.{key}"), blocks)

    return Report(
        id="coverage", kind="coverage", title=m("coverage.title"),
        intro=(Prose(m("coverage.intro"), "lead"), table),
        sections=(
            listed("no_seminar", [names.region(c) for c in f.regions_existing if c not in f.regions_covered]),
            listed("silent_goals", [names.goal(g).label for g in goals if g not in spoken]),
            listed("unreported_goals", [names.goal(g).label for g in goals if g not in reported]),
        ),
    )


def _shade(count: int, top: int) -> str | None:
    """White to deep blue by count; None for zero, so empty cells stay blank."""
    if not count or not top:
        return None
    t = 0.15 + 0.85 * count / top
    low, high = (238, 243, 248), (84, 140, 196)  # dark enough to see, light enough for black digits
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))
