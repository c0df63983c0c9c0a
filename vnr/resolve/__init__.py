"""Resolve: the project turned into the Review every writer reads (see review.py).

Two phases. First the chapter bodies are rendered (Jinja, Markdown, image and link checks):
they are input and may hold errors, which are reported with the loader's, all at once.
Then the parts are made from valid input only: an exception there is a bug in vnr.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import figures, placement
from ..base import ids
from ..base.errors import Problems
from ..base.i18n import Messages
from ..base.names import Names
from ..model import Chapter, Group, Project
from ..read import opensdg
from ..read.history import Changes
from ..read.sources import Tree
from ..review import (
    ChapterPart,
    Links,
    Part,
    Review,
    SectionView,
    Subsection,
    Tokens,
    Unplaced,
)
from .annex import annex
from .bodies import Bodies
from .changes import changes_part
from .consultations import consultations
from .coverage import coverage
from .indicator import Tables
from .outline import cover, outline
from .responses import responses
from .review_notes import open_notes
from .statistics import statistics
from .voices import notes, voices


def resolve(project: Project, lang: str, edition: str, revision: str, date: dt.date,
            problems: Problems | None = None, changes: Changes | None = None, group: Group | None = None) -> Review:
    """The Review; raises InputError with every problem in `problems` and in the bodies. `group`:
    the review is that working group's pack (`project` cut down by groups.pack)."""
    problems = Problems() if problems is None else problems
    names = Names(Messages(lang), project.framework)
    figs = figures.compute(project, names.fw)
    data = opensdg.data(Tree(project.root), problems)
    tables = Tables(data, names, problems)
    bodies = Bodies(project.root, figs, names, problems, tables)
    texts = {}
    for c in project.chapters:  # in document order: indicator tables are numbered as they are made
        texts[c.id] = bodies.tokens(c.body, 2)
        texts.update({s.id: bodies.tokens(s.body, 3) for s in c.sections})
    stats = statistics(data, names, problems, group.goals if group else None) if data else None
    problems.raise_if_any()

    annotated = edition == "review"
    heard = voices(project, names, changes if annotated else None)
    at = notes(heard, project, names) if annotated else {}
    reviewed = open_notes(project, names, at) if annotated else {}
    made: dict[str, Part] = {c.id: _chapter(c, texts, names, at, reviewed) for c in project.chapters
                             if not c.generated}
    made["consultations"] = consultations(project, figs, names, annotated)
    if project.responses is not None:
        made["responses"] = responses(heard, names)
    if stats:
        made["statistics"] = stats[0]
    if annotated:
        made["coverage"] = coverage(project, figs, heard, names, group.goals if group else None)
    made["annex"] = annex(heard, figs, names)
    if at.get(placement.UNPLACED):
        made["unplaced"] = Unplaced(id="unplaced", title=names.msgs("unplaced.title"),
                                    intro=names.msgs("unplaced.intro"), placed=tuple(at[placement.UNPLACED]))
    for name in set(made) & set(reviewed) - {c.id for c in project.chapters}:  # notes on generated parts
        made[name] = dataclasses.replace(made[name], review_notes=reviewed[name])
    first = (changes_part(changes, names.msgs),) if changes and annotated else ()
    parts = outline(project.chapters, made, texts, first)
    if "coverage" in made and project.review_notes:
        parts = _with_note_list(parts, names)
    listed = stats[1] if stats else set()
    shown_indicators = tables.used | listed
    settings, shown_targets = project.settings, {t.id for v in heard for t in v.targets}
    shown_targets |= {t for c in project.chapters for s in c.sections for t in s.targets}
    fallbacks = names.fallbacks(names.fw.goals, shown_targets, shown_indicators & set(names.fw.indicators))
    if fallbacks:
        problems.warn(settings.language_at, f"no {lang} translation in the official data for "
                                            f"{', '.join(fallbacks)}; shown in English, marked [en]")
    shown_regions = {*figs.regions_existing, *figs.regions_covered, *(s.region for s in project.seminars)}
    unnamed = names.unnamed(shown_regions)
    if unnamed:
        problems.warn(settings.language_at, f"no {lang} name for region {', '.join(unnamed)}; shown as ISO 3166-2 "
                                            f"names it: give its name under 'name: {{{lang}: ...}}' in regions.yaml")
    for key in sorted(names.msgs.borrowed or ()):  # a language only the official names data holds
        problems.warn(settings.language_at, f"vnr has no {lang} words of its own: '{key}' is shown in English "
                                            f"(\"{names.msgs.source(key)}\")")
    problems.raise_if_any()  # --strict: the warnings are errors
    return Review(
        cover=cover(edition, revision, date, names.msgs, group.title if group else None),
        title=settings.title, subtitle=settings.subtitle,
        revision=revision, date=date, lang=lang, edition=edition, msgs=names.msgs,
        parts=parts, figures=figs, images=dict(bodies.images),
        warnings=tuple(sorted(problems.warnings)),
        indicators=len(listed), data_read=dict(data.read) if data else {},
    )


def _chapter(c: Chapter, texts: dict[str, Tokens], names: Names, at: dict, reviewed: dict) -> ChapterPart:
    return ChapterPart(
        id=c.id, title=c.title, goals=tuple(names.goal(g) for g in c.goals), tokens=texts[c.id],
        sections=tuple(SectionView(s.id, s.title, tuple(names.target(t) for t in s.targets), texts[s.id],
                                   tuple(at.get(s.id, ())), reviewed.get(s.id)) for s in c.sections),
        own_notes=tuple(at.get(c.id, ())), review_notes=reviewed.get(c.id),
    )


def _with_note_list(parts: tuple[Part, ...], names: Names) -> tuple[Part, ...]:
    """The coverage part with the list of every open reviewer's note, by part, with its page."""
    items = []
    for part in parts:
        blocks = [part.review_notes, *(s.review_notes for s in getattr(part, "sections", ())
                                       if isinstance(s, SectionView))]
        margin = [r for n in part.notes for r in n.replies]
        for note in [*(n for b in blocks if b for n in b.notes), *margin]:
            excerpt = note.text if len(note.text) <= 90 else note.text[:89] + "…"
            items.append((f"{part.title} · {note.author}: {excerpt}", ids.review_anchor(note.id)))
    if not items:
        return parts
    m = names.msgs
    listed = Subsection(ids.subsection("coverage", "review-notes"), m("coverage.review_notes"), (Links(tuple(items)),))
    return tuple(dataclasses.replace(p, sections=(*p.sections, listed)) if p.id == "coverage" else p for p in parts)
