"""Each comment as a reader sees it (a Voice), and the notes that place it (placement.py's rule)."""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter, defaultdict

from .. import placement
from ..base import ids
from ..base.names import Names
from ..model import Comment, Project, Response, Seminar
from ..read.history import Changes
from ..review import Note, NoteSummary, ResponseView, Voice


def voice(comment: Comment, seminar: Seminar, names: Names, changes: Changes | None,
          responses: dict[str, Response] | None) -> Voice:
    m = names.msgs
    answer = (responses or {}).get(comment.key)
    response = answer and ResponseView(answer.status, m(f"status.{answer.status}"), answer.text, m("editors"))
    goals = tuple(names.goal(g) for g in placement.concerned_goals(comment, names.fw))
    targets = tuple(names.target(t) for t in comment.targets)
    kind = m(f"kind.{comment.kind}")
    label = m("seminar_label", city=seminar.city, date=m.date(seminar.date),
              audience=m(f"audience.{seminar.audience}"))
    about = ", ".join([t.label for t in targets]
                      + [g.code for g in goals if all(t.goal.number != g.number for t in targets)])
    new = changes is not None and comment.key in changes.new_comments
    since = m("note.new_since", since=changes.since) if new else ""
    status = response.label if response else m("status.open") if responses is not None else ""
    region = names.region(seminar.region)
    return Voice(comment, seminar, region, goals, targets, kind, m.pieces(about, kind, label, since),
                 m.pieces(kind, label, comment.key), new, response, status, m.pieces(region, label))


def voices(project: Project, names: Names, changes: Changes | None) -> list[Voice]:
    return [voice(c, s, names, changes, project.responses) for s in project.seminars for c in s.comments]


def notes(voices: list[Voice], project: Project, names: Names) -> dict[str, list[Note]]:
    """The notes at each place (a section or chapter id, or placement.UNPLACED), in voice order.

    Comments of the same text (`folded_text`) at one place are one note, the first one's, which
    names every seminar that made it. Past `notes_per_place` notes at a place, the rest are hidden:
    sticky notes and Word comments only, summed up in the first hidden one's `more`.
    """
    heard: dict[str, dict[str, list[tuple[Voice, int]]]] = defaultdict(dict)
    for v in voices:
        for number, place in enumerate(placement.places(v.comment, project.chapters, names.fw), 1):
            heard[place].setdefault(folded_text(v.comment.text), []).append((v, number))
    at: dict[str, list[Note]] = {}
    counter = 0
    m, shown = names.msgs, project.settings.notes_per_place
    for place, texts in heard.items():
        made = []
        for same in texts.values():
            counter += 1
            (v, number), folded = same[0], tuple(f for f, _ in same[1:])
            raised = m("note.folded", seminars=len(same)) if folded else ""
            made.append(Note(v, number, ids.note_anchor(counter), folded=folded, raised=raised))
        if len(made) > shown and place != placement.UNPLACED:  # there the notes are the part's text
            rest = made[shown:]
            made[shown:] = [dataclasses.replace(n, hidden=True) for n in rest]
            made[shown] = dataclasses.replace(made[shown], more=_summary(rest, names))
        at[place] = made
    return at


def folded_text(text: str) -> str:
    """A comment's text as compared for folding: case, spaces and punctuation set aside."""
    kept = "".join(c for c in unicodedata.normalize("NFKC", text).casefold()
                   if not unicodedata.category(c).startswith(("P", "Z", "C", "S")))
    return kept or text


def merged(notes) -> int:
    """The comments folded into another's note, and with no note of their own (counts.merged)."""
    notes = list(notes)
    return len({v.key for n in notes for v in n.folded} - {n.voice.key for n in notes})


def _summary(rest: list[Note], names: Names) -> NoteSummary:
    m = names.msgs
    voices = [v for n in rest for v in n.voices]
    kinds = Counter(v.kind for v in voices)
    regions = Counter(v.region for v in voices)
    goals = sorted({g.number for v in voices for g in v.goals})
    counted = lambda c: m.pieces(*(f"{k} {m.number(n)}" for k, n in c.most_common()))  # noqa: E731
    return NoteSummary(m("note.more", comments=len(voices), kinds=counted(kinds), regions=counted(regions)),
                       tuple((names.goal(g).code, ids.annex_goal_anchor(g)) for g in goals))
