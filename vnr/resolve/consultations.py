"""The consultations part: seminars, participants, the priority ranking, the maps."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict

from .. import placement
from ..base import charts, ids
from ..base.i18n import Messages
from ..base.names import Names
from ..figures import Figures
from ..model import CATEGORIES, KINDS, Comment, Project
from ..review import Chart, Figure, Prose, Report, Row, Subsection, Table
from .voices import folded_text

TOP_PROPOSALS = 5  # the proposals made most often, per goal


def consultations(project: Project, f: Figures, names: Names, annotated: bool) -> Report:
    m = names.msgs
    name = exercise(project, m)
    seminars, by_category, by_audience, by_region, priorities = _tables(project, f, names, name)
    chart = _chart(f, names, name)
    ranking = (Figure(chart), priorities) if chart else (Prose(m("consultations.no_priorities")),)
    shapes = names.fw.map
    maps = _maps(f, names, annotated) if shapes and f.seminars else ()
    missing = [code for code in f.regions_covered if code not in shapes.rings] if maps else []
    map_note = (Prose(m("map.missing", regions=", ".join(map(names.region, missing))), "note"),) if missing else ()
    sub = functools.partial(ids.subsection, "consultations")
    return Report(
        id="consultations", kind="consultations", title=m("consultations.title"),
        intro=(Prose(_intro(f, names), "lead"),) if f.seminars else (),
        sections=(
            Subsection(sub("priorities"), priorities.title, ranking),
            Subsection(sub("participants"), m("consultations.participants"), (by_category, by_audience)),
            Subsection(sub("regions"), m("consultations.regions"), (*maps, *map_note, by_region)),
            Subsection(sub("seminars"), m("consultations.seminar_list"), (seminars,)),
            *_by_goal(project, names),
        ),
    )


def _by_goal(project: Project, names: Names) -> tuple[Subsection, ...]:
    """Per goal, its comments by kind and region and the proposals made most often: the shape of
    thousands of comments on a page per goal. A comment is counted under each goal it concerns;
    the same text made at several seminars is one proposal (voices.folded_text), with its count."""
    m, n, fw = names.msgs, names.msgs.number, names.fw
    seminars = {s.id: s for s in project.seminars}
    on: dict[int, list[Comment]] = defaultdict(list)
    for c in project.comments:
        for goal in placement.concerned_goals(c, fw):
            on[goal].append(c)
    if not on:
        return ()
    region_order = {code: i for i, code in enumerate(fw.regions)}
    made = [Subsection(ids.subsection("consultations", "goals"), m("consultations.goals"),
                       (Prose(m("consultations.goals_intro"), "lead"),))]
    for goal in sorted(on):
        comments = on[goal]
        counts = Counter((seminars[c.seminar].region, c.kind) for c in comments)
        regions = sorted({r for r, _ in counts}, key=lambda r: region_order.get(r, len(region_order)))
        kinds = [k for k in KINDS if any(kind == k for _, kind in counts)]
        cells = lambda row: (*(n(row[k]) if row[k] else "–" for k in kinds), n(sum(row.values())))  # noqa: E731
        rows = [Row((names.region(r), *cells(Counter({k: counts[(r, k)] for k in kinds})))) for r in regions]
        rows.append(Row((m("total"), *cells(Counter(c.kind for c in comments))), total=True))
        blocks = [Table(m("consultations.goal_kinds"), (m("col.region"), *(m(f"kind.{k}") for k in kinds),
                                                        m("col.total")),
                        tuple(rows), numeric=tuple(range(1, len(kinds) + 2)))]
        same: dict[str, list[Comment]] = {}
        for c in comments:
            if c.kind == "proposal":
                same.setdefault(folded_text(c.text), []).append(c)
        top = sorted(same.values(), key=len, reverse=True)[:TOP_PROPOSALS]  # stable: first made first
        if top:
            blocks.append(Table(m("consultations.goal_proposals"),
                                (m("col.proposal"), m("col.seminars"), m("col.region")),
                                tuple(Row((cs[0].text, n(len(cs)), _regions(cs, seminars, names))) for cs in top),
                                numeric=(1,), wide=0))
        goal_ref = names.goal(goal)
        made.append(Subsection(ids.subsection("consultations", f"goal-{goal}"), goal_ref.label, tuple(blocks)))
    return tuple(made)


def _regions(comments, seminars, names: Names, shown: int = 3) -> str:
    found = list(dict.fromkeys(names.region(seminars[c.seminar].region) for c in comments))
    more = f" +{names.msgs.number(len(found) - shown)}" if len(found) > shown else ""
    return ", ".join(found[:shown]) + more


def exercise(project: Project, m: Messages) -> str:
    """What the priority vote was called in the build language (vnr.yaml's priority_exercise), else vnr's words."""
    return project.settings.priority_exercise.get(m.lang) or m("consultations.exercise")


def _intro(f: Figures, names: Names) -> str:
    m = names.msgs
    return m("consultations.intro", start=m.date(f.start), end=m.date(f.end), seminars=f.seminars,
             covered=len(f.regions_covered), existing=len(f.regions_existing), participants=f.participants,
             comments=f.comments)  # counts: each in its plural form


def _tables(project: Project, f: Figures, names: Names, exercise_name: str) -> tuple[Table, ...]:
    m, n = names.msgs, names.msgs.number
    seminars = sorted(project.seminars, key=lambda s: (s.date, s.region, s.audience))
    total = m("total")
    top = lambda ps: ", ".join(f"{p.goal} ({m.percent(p.share)})" for p in ps[:3])  # noqa: E731
    return (
        Table(m("consultations.seminars"),
              (m("col.date"), m("col.region"), m("col.city"), m("col.audience"), m("col.participants"),
               m("col.comments")),
              tuple(Row((m.date(s.date), names.region(s.region), s.city, m(f"audience.{s.audience}"),
                         n(s.total), n(len(s.comments)))) for s in seminars), numeric=(4, 5)),
        Table(m("consultations.by_category"), (m("col.category"), m("col.participants")),
              (*(Row((m(f"category.{c}"), n(f.by_category[c]))) for c in CATEGORIES if f.by_category[c]),
               Row((total, n(f.participants)), total=True)), numeric=(1,)),
        Table(m("consultations.by_audience"), (m("col.audience"), m("col.seminars"), m("col.participants")),
              (*(Row((m(f"audience.{a}"), n(f.seminars_by_audience[a]), n(f.by_audience[a])))
                 for a in f.by_audience),
               Row((total, n(f.seminars), n(f.participants)), total=True)), numeric=(1, 2)),
        Table(m("consultations.by_region"),
              (m("col.region"), m("col.participants"), m("col.comments"), m("col.priorities")),
              (*(Row((names.region(code), n(f.by_region[code]), n(f.comments_by_region[code]),
                      top(f.regional_priorities[code]))) for code in f.regions_covered),
               Row((total, n(f.participants), n(f.comments), top(f.priorities)), total=True)), numeric=(1, 2)),
        Table(m("consultations.priorities", exercise=exercise_name),
              (m("col.goal"), m("col.votes"), m("col.share")),
              tuple(Row((names.goal(p.goal).label, n(p.votes), m.percent(p.share)), names.goal(p.goal).colour)
                    for p in f.priorities),
              m("consultations.priorities_note", seminars=f.priority_seminars,
                participants=f.priority_participants), numeric=(1, 2)),
    )


def _chart(f: Figures, names: Names, name: str) -> Chart | None:
    if not f.priorities:
        return None
    m = names.msgs
    goals = [names.goal(p.goal) for p in f.priorities]
    bars = [(g.code, g.short, p.share, g.colour) for g, p in zip(goals, f.priorities)]
    alt = m("consultations.chart_alt", exercise=name,
            items="; ".join(f"{g.code} {g.short} {m.percent(p.share)}" for g, p in zip(goals, f.priorities)))
    return Chart(functools.partial(charts.priority_bars, bars, m.percent), alt, charts.bars_size(len(bars)))


def _maps(f: Figures, names: Names, annotated: bool) -> tuple[Figure, ...]:
    m = names.msgs
    cities = names.fw.cities
    wanted = [("map.participants", f.by_region, "#0a6eb4")]
    if annotated:
        wanted.append(("map.comments", f.comments_by_region, "#b5541c"))
    drawn = []
    for key, values, colour in wanted:
        items = "; ".join(f"{names.region(code)} {m.number(v)}" for code, v in values.items())
        draw = functools.partial(charts.region_map, names.fw.map.rings, values, colour, m.number, cities)
        chart = Chart(draw, m("map.alt", what=m(key), items=items),
                      charts.MAP_SIZE, title=m(key))
        drawn.append(Figure(chart, chart.title, "map"))
    return tuple(drawn)
