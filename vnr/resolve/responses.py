"""The responses part: how the comments were taken into account, by status, goal and region."""

from __future__ import annotations

import functools
from collections import Counter

from ..base import charts, ids
from ..base.names import Names
from ..model import STATUSES
from ..review import Block, Chart, Figure, Prose, Report, Row, Subsection, Table, Voice

ALL = (*STATUSES, "open")


def responses(voices: list[Voice], names: Names) -> Report:
    m, n, fw = names.msgs, names.msgs.number, names.fw
    labels = [m(f"status.{s}") for s in ALL]
    counts = Counter(v.state for v in voices)
    total = len(voices)
    answered = total - counts["open"]
    share = lambda part, whole: m.percent(part / whole) if whole else "–"  # noqa: E731

    def row(label: str, tally: Counter, colour: str | None = None, is_total: bool = False) -> Row:
        whole = sum(tally.values())
        return Row((label, *(n(tally[s]) for s in ALL), n(whole), share(whole - tally["open"], whole)), colour,
                   total=is_total)

    by_goal: dict[int, Counter] = {}
    by_region: dict[str, Counter] = {}
    for v in voices:
        for g in v.goals:
            by_goal.setdefault(g.number, Counter())[v.state] += 1
        by_region.setdefault(v.seminar.region, Counter())[v.state] += 1
    header = (*labels, m("col.total"), m("col.share_answered"))
    numeric = tuple(range(1, len(header) + 1))
    goals = [names.goal(g) for g in sorted(by_goal)]
    goal_table = Table(m("responses.by_goal"), (m("col.goal"), *header),
                       tuple(row(g.label, by_goal[g.number], g.colour) for g in goals), m("responses.note"), numeric)
    region_table = Table(m("responses.by_region"), (m("col.region"), *header),
                         (*(row(names.region(code), by_region[code]) for code in fw.regions if code in by_region),
                          row(m("total"), counts, is_total=True)), numeric=numeric)
    status_table = Table(m("responses.by_status"), (m("col.status"), m("col.comments"), m("col.share")),
                         (*(Row((label, n(counts[s]), share(counts[s], total))) for s, label in zip(ALL, labels)),
                          Row((m("total"), n(total), share(total, total)), total=True)), numeric=(1, 2))
    declined = [v for v in voices if v.state == "declined"]
    reasons: tuple[Block, ...] = (
        (Table(m("responses.declined"), (m("col.region"), m("col.comment"), m("col.reason")),
               tuple(Row((v.region, f"{v.comment.text} ({v.key})", v.response.text)) for v in declined)),)
        if declined else (Prose(m("responses.none_declined")),))
    rows = [(g.code, g.colour, tuple(by_goal[g.number][s] for s in ALL)) for g in goals]
    items = "; ".join(f"{g.code}: " + ", ".join(f"{label} {by_goal[g.number][s]}" for s, label in zip(ALL, labels))
                      for g in goals)
    chart = Chart(functools.partial(charts.status_bars, rows, labels), m("responses.chart_alt", items=items),
                  charts.status_size(len(rows)))
    sub = functools.partial(ids.subsection, "responses")
    return Report(
        id="responses", kind="responses", title=m("responses.title"),
        intro=(Prose(m("responses.intro", comments=total, answered=answered, share=share(answered, total),
                       **{s: counts[s] for s in ALL}), "lead"),),  # counts: each in its plural form
        sections=(
            Subsection(sub("status"), m("responses.by_status"), (status_table,)),
            Subsection(sub("goals"), m("responses.by_goal"), ((Figure(chart),) if goals else ()) + (goal_table,)),
            Subsection(sub("regions"), m("responses.by_region"), (region_table,)),
            Subsection(sub("declined"), m("responses.declined"), reasons),
        ),
    )
