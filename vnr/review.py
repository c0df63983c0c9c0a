"""Resolve: the project turned into the Review every writer reads.

Everything two writers need (labels, numbering, which comment goes where, figures) is
computed here once; writers only turn it into bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from markdown_it.token import Token

from . import charts, figures, placement
from .bodies import Bodies
from .errors import Problems
from .framework import Framework, boundaries, framework, mapped_regions
from .history import Changes
from .i18n import Messages
from .model import CATEGORIES, Comment, Project, Seminar


@dataclass(frozen=True)
class GoalRef:
    number: int
    short: str
    title: str
    colour: str


@dataclass(frozen=True)
class TargetRef:
    id: str
    goal: GoalRef
    text: str


@dataclass(frozen=True)
class Voice:
    """A comment with everything a reader sees about it, in the build language."""

    comment: Comment
    seminar: Seminar
    region: str  # region name
    goals: tuple[GoalRef, ...]
    targets: tuple[TargetRef, ...]
    kind: str  # kind label
    seminar_label: str  # city, date, audience
    meta: str  # goal/target, kind, date, city, audience (and "new since"): one line
    new: bool = False  # added since the revision of `--since`

    @property
    def key(self) -> str:
        return self.comment.key


@dataclass(frozen=True)
class Note:
    """One annotation: a voice at one place."""

    voice: Voice
    number: int  # the number of this place among the comment's places (1-based)
    anchor: str  # unique element id of the note in the document

    @property
    def name(self) -> str:  # the PDF /NM
        return f"{self.voice.key}#{self.number}"


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    targets: tuple[TargetRef, ...]
    tokens: tuple[Token, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class ChapterView:
    id: str
    title: str
    goals: tuple[GoalRef, ...]
    tokens: tuple[Token, ...]
    sections: tuple[SectionView, ...]
    notes: tuple[Note, ...]


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    colour: str | None = None  # a goal colour for the first cell, where there is one
    shades: tuple[str | None, ...] = ()  # a background per cell (heat maps)


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""
    numeric: tuple[int, ...] = ()  # indexes of the columns that hold numbers (aligned right)


@dataclass(frozen=True)
class Tables:
    """The consultations part's tables."""

    seminars: Table
    by_category: Table
    by_audience: Table
    by_region: Table
    priorities: Table


class Chart:
    """A figure, drawn on first use in the format a writer asks for (SVG for HTML/PDF, PNG for DOCX)."""

    def __init__(self, draw: Callable[[str], bytes], alt: str, size: tuple[float, float], title: str = ""):
        self.draw, self.alt, self.title = draw, alt, title
        self.width_mm, self.height_mm = size

    @functools.cached_property
    def svg(self) -> str:
        return self.draw("svg").decode("utf-8")

    @functools.cached_property
    def png(self) -> bytes:
        return self.draw("png")


@dataclass(frozen=True)
class Coverage:
    """Reviewers' edition: who spoke about what, and what nobody covered."""

    table: Table  # regions x goals, comment counts, shaded
    no_seminar: tuple[str, ...]  # regions that existed but held no seminar
    silent_goals: tuple[str, ...]  # goals no comment concerns
    unreported_goals: tuple[str, ...]  # goals no chapter reports on


@dataclass(frozen=True)
class AnnexGroup:
    """The voices on one goal and one target (target None: on the goal in general), by region."""

    goal: GoalRef
    target: TargetRef | None
    regions: tuple[tuple[str, tuple[Voice, ...]], ...]


@dataclass(frozen=True)
class Review:
    title: str
    subtitle: str | None
    revision: str
    date: dt.date
    lang: str
    edition: str
    msgs: Messages
    chapters: tuple[ChapterView, ...]
    figures: figures.Figures
    intro: str  # the consultations part's opening sentence
    tables: Tables
    chart: Chart | None
    maps: tuple[Chart, ...]
    map_note: str  # why there is no map, where there is none
    coverage: Coverage | None  # reviewers' edition only
    annex: tuple[AnnexGroup, ...]
    unplaced: tuple[Note, ...]
    images: dict[str, Path]  # image src in the bodies -> its file inside the project
    fallbacks: tuple[str, ...]  # official names shown in English (marked [en]) for want of a translation
    changes: Changes | None = None  # reviewers' edition built with --since

    @property
    def annotated(self) -> bool:
        return self.edition == "review"

    @property
    def notes(self) -> tuple[Note, ...]:
        ordered = [n for c in self.chapters for n in (*c.notes, *(n for s in c.sections for n in s.notes))]
        return (*ordered, *self.unplaced)


class _Resolver:
    def __init__(self, project: Project, lang: str, edition: str, changes: Changes | None = None):
        self.changes = changes
        self.project = project
        self.fw: Framework = framework()
        self.msgs = Messages(lang)
        self.lang = lang
        self.edition = edition
        self.fallbacks: set[str] = set()  # names shown in English for want of a translation

    def goal(self, number: int) -> GoalRef:
        g = self.fw.goals[number]
        return GoalRef(number, self.name(g.short, f"goal {number}"), self.name(g.title, f"goal {number}"), g.colour)

    def goal_label(self, number: int) -> str:
        return self.msgs("goal_label", number=number, title=self.goal(number).short)

    def target(self, tid: str) -> TargetRef:
        t = self.fw.targets[tid]
        return TargetRef(tid, self.goal(t.goal), self.name(t.text, f"target {tid}"))

    def region(self, code: str) -> str:
        return self.name(self.fw.regions[code].name, f"region {code}")

    def name(self, texts: dict[str, str], what: str) -> str:
        """An official name in the build language; English, marked, where the data lacks it."""
        if self.lang in texts:
            return texts[self.lang]
        self.fallbacks.add(what)
        return f"{texts['en']} [en]"

    def voice(self, comment: Comment, seminar: Seminar) -> Voice:
        m = self.msgs
        goals = tuple(self.goal(g) for g in placement.concerned_goals(comment, self.fw))
        targets = tuple(self.target(t) for t in comment.targets)
        kind = m(f"kind.{comment.kind}")
        label = m("seminar_label", city=seminar.city, date=m.date(seminar.date),
                  audience=m(f"audience.{seminar.audience}"))
        about = ", ".join([m("target_label", id=t.id) for t in targets]
                          + [m("goal_short", number=g.number) for g in goals
                             if all(t.goal.number != g.number for t in targets)])
        new = self.changes is not None and comment.key in self.changes.new_comments
        since = f" · {m('note.new_since', since=self.changes.since)}" if new else ""
        return Voice(comment, seminar, self.region(seminar.region), goals, targets, kind, label,
                     f"{about} · {kind} · {label}{since}", new)

    def resolve(self, revision: str, date: dt.date, problems: Problems) -> Review:
        project, m = self.project, self.msgs
        figs = figures.compute(project, self.fw)
        bodies = Bodies(project.root, figs, self.fw, m, problems)
        voices = [self.voice(c, s) for s in project.seminars for c in s.comments]

        notes_at: dict[str, list[Note]] = defaultdict(list)
        if self.edition == "review":
            counter = 0
            for v in voices:
                for number, place in enumerate(placement.places(v.comment, project.chapters, self.fw), 1):
                    counter += 1
                    notes_at[place].append(Note(v, number, f"note-{counter}"))

        chapters = tuple(
            ChapterView(
                c.id, c.title, tuple(self.goal(g) for g in c.goals), bodies.tokens(c.body, 2),
                tuple(SectionView(s.id, s.title, tuple(self.target(t) for t in s.targets),
                                  bodies.tokens(s.body, 3), tuple(notes_at[s.id]))
                      for s in c.sections),
                tuple(notes_at[c.id]),
            )
            for c in project.chapters
        )
        settings = project.settings
        return Review(
            title=settings.title, subtitle=settings.subtitle, revision=revision, date=date,
            lang=self.lang, edition=self.edition, msgs=m, chapters=chapters, figures=figs,
            intro=self.intro(figs), tables=self.tables(figs),
            chart=self.chart(figs), maps=self.maps(figs), map_note=self.map_note(figs),
            coverage=self.coverage(figs, voices) if self.edition == "review" else None,
            annex=self.annex(voices), unplaced=tuple(notes_at[placement.UNPLACED]),
            images=dict(bodies.images), fallbacks=(), changes=self.changes,
        )

    def intro(self, f: figures.Figures) -> str:
        m = self.msgs
        if not f.seminars:
            return ""
        return m("consultations.intro", start=m.date(f.start), end=m.date(f.end), seminars=m.number(f.seminars),
                 covered=m.number(len(f.regions_covered)), existing=m.number(len(f.regions_existing)),
                 participants=m.number(f.participants), comments=m.number(f.comments))

    def tables(self, f: figures.Figures) -> Tables:
        m, n = self.msgs, self.msgs.number
        seminars = sorted(self.project.seminars, key=lambda s: (s.date, s.region, s.audience))
        total = m("total")
        top = lambda ps: ", ".join(f"{p.goal} ({m.percent(p.share)})" for p in ps[:3])  # noqa: E731
        return Tables(
            Table(m("consultations.seminars"),
                  (m("col.date"), m("col.region"), m("col.city"), m("col.audience"), m("col.participants"),
                   m("col.comments")),
                  tuple(Row((m.date(s.date), self.region(s.region), s.city, m(f"audience.{s.audience}"),
                             n(s.total), n(len(s.comments)))) for s in seminars), numeric=(4, 5)),
            Table(m("consultations.by_category"), (m("col.category"), m("col.participants")),
                  (*(Row((m(f"category.{c}"), n(f.by_category[c]))) for c in CATEGORIES if f.by_category[c]),
                   Row((total, n(f.participants)))), numeric=(1,)),
            Table(m("consultations.by_audience"), (m("col.audience"), m("col.seminars"), m("col.participants")),
                  (*(Row((m(f"audience.{a}"), n(f.seminars_by_audience[a]), n(f.by_audience[a])))
                     for a in f.by_audience),
                   Row((total, n(f.seminars), n(f.participants)))), numeric=(1, 2)),
            Table(m("consultations.by_region"),
                  (m("col.region"), m("col.participants"), m("col.comments"), m("col.priorities")),
                  (*(Row((self.region(code), n(f.by_region[code]), n(f.comments_by_region[code]),
                          top(f.regional_priorities[code]))) for code in f.regions_covered),
                   Row((total, n(f.participants), n(f.comments), top(f.priorities)))), numeric=(1, 2)),
            Table(m("consultations.priorities"), (m("col.goal"), m("col.votes"), m("col.share")),
                  tuple(Row((m("goal_label", number=p.goal, title=self.goal(p.goal).short), n(p.votes),
                             m.percent(p.share)), self.goal(p.goal).colour) for p in f.priorities),
                  m("consultations.priorities_note", seminars=n(f.priority_seminars),
                    participants=n(f.priority_participants)), numeric=(1, 2)),
        )

    def chart(self, f: figures.Figures) -> Chart | None:
        if not f.priorities:
            return None
        m = self.msgs
        bars = [(m("goal_short", number=p.goal), self.goal(p.goal).short, p.share, self.goal(p.goal).colour)
                for p in f.priorities]
        alt = m("consultations.chart_alt",
                items="; ".join(f"{m('goal_short', number=p.goal)} {self.goal(p.goal).short} {m.percent(p.share)}"
                                for p in f.priorities))
        return Chart(lambda fmt: charts.priority_bars(bars, m.percent, fmt), alt, charts.bars_size(len(bars)))

    def _missing_geometry(self, f: figures.Figures) -> list[str]:
        mapped = mapped_regions()
        return [code for code in f.regions_covered if code not in mapped]

    def maps(self, f: figures.Figures) -> tuple[Chart, ...]:
        if not f.seminars or self._missing_geometry(f):
            return ()
        m = self.msgs
        cities = {code for code, r in self.fw.regions.items() if r.kind == "city"}
        wanted = [("map.participants", f.by_region, "#0a6eb4")]
        if self.edition == "review":
            wanted.append(("map.comments", f.comments_by_region, "#b5541c"))
        drawn = []
        for key, values, colour in wanted:
            items = "; ".join(f"{self.region(code)} {m.number(v)}" for code, v in values.items())
            draw = functools.partial(charts.region_map, values=values, colour=colour, label=m.number, cities=cities)
            drawn.append(Chart(lambda fmt, draw=draw: draw(boundaries(), fmt=fmt), m("map.alt", what=m(key), items=items),
                               charts.MAP_SIZE, title=m(key)))
        return tuple(drawn)

    def map_note(self, f: figures.Figures) -> str:
        missing = self._missing_geometry(f)
        if not missing:
            return ""
        return self.msgs("map.missing", regions=", ".join(self.region(code) for code in missing))

    def coverage(self, f: figures.Figures, voices: list[Voice]) -> Coverage:
        m, n = self.msgs, self.msgs.number
        counts: dict[tuple[str, int], int] = defaultdict(int)
        for v in voices:
            for g in v.goals:
                counts[(v.seminar.region, g.number)] += 1
        top = max(counts.values(), default=0)
        goals = list(self.fw.goals)
        rows = []
        for code in f.regions_existing:
            row = [counts[(code, g)] for g in goals]
            rows.append(Row((self.region(code), *(n(c) if c else "" for c in row), n(sum(row))),
                            shades=(None, *(_shade(c, top) for c in row), None)))
        table = Table(m("coverage.table"), (m("col.region"), *map(str, goals), m("col.total")), tuple(rows),
                      m("coverage.note"), numeric=tuple(range(1, len(goals) + 2)))
        spoken = {g for (_, g) in counts}
        reported = {g for c in self.project.chapters for g in c.goals}
        return Coverage(
            table,
            tuple(self.region(code) for code in f.regions_existing if code not in f.regions_covered),
            tuple(self.goal_label(g) for g in goals if g not in spoken),
            tuple(self.goal_label(g) for g in goals if g not in reported),
        )

    def annex(self, voices: list[Voice]) -> tuple[AnnexGroup, ...]:
        groups: dict[tuple[int, str], dict[str, list[Voice]]] = defaultdict(lambda: defaultdict(list))
        region_order = {code: i for i, code in enumerate(self.fw.regions)}
        for v in sorted(voices, key=lambda v: (region_order[v.seminar.region], v.seminar.date, v.key)):
            for g in v.goals:
                on_goal = [t.id for t in v.targets if t.goal.number == g.number]
                for tid in on_goal or [""]:
                    groups[(g.number, tid)][v.region].append(v)
        target_order = {tid: i for i, tid in enumerate(self.fw.targets)}
        return tuple(
            AnnexGroup(self.goal(g), self.target(tid) if tid else None,
                       tuple((region, tuple(vs)) for region, vs in by_region.items()))
            for (g, tid), by_region in sorted(groups.items(),
                                              key=lambda kv: (kv[0][0], target_order.get(kv[0][1], -1)))
        )


def _shade(count: int, top: int) -> str | None:
    """White to deep blue by count; None for zero, so empty cells stay blank."""
    if not count or not top:
        return None
    t = 0.15 + 0.85 * count / top
    low, high = (238, 243, 248), (84, 140, 196)  # dark enough to see, light enough for black digits
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))


def resolve(project: Project, lang: str, edition: str, revision: str, date: dt.date,
            problems: Problems | None = None, changes: Changes | None = None) -> Review:
    """The Review; problems in bodies (Jinja, images) are added to `problems`, or raised if none given."""
    own = problems is None
    problems = Problems() if own else problems
    resolver = _Resolver(project, lang, edition, changes if edition == "review" else None)
    review = resolver.resolve(revision, date, problems)
    review = dataclasses.replace(review, fallbacks=tuple(sorted(resolver.fallbacks)))
    if own:
        problems.raise_if_any()
    return review
