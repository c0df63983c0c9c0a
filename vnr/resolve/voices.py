"""Each comment as a reader sees it (a Voice), and the notes that place it (placement.py's rule)."""

from __future__ import annotations

from collections import defaultdict

from .. import placement
from ..base import ids
from ..base.names import Names
from ..model import Comment, Project, Response, Seminar
from ..read.history import Changes
from ..review import Note, ResponseView, Voice


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
    return Voice(comment, seminar, names.region(seminar.region), goals, targets, kind,
                 m.pieces(about, kind, label, since), m.pieces(kind, label, comment.key), new, response, status)


def voices(project: Project, names: Names, changes: Changes | None) -> list[Voice]:
    return [voice(c, s, names, changes, project.responses) for s in project.seminars for c in s.comments]


def notes(voices: list[Voice], project: Project, names: Names) -> dict[str, list[Note]]:
    """The notes at each place (a section or chapter id, or placement.UNPLACED), in voice order."""
    at: dict[str, list[Note]] = defaultdict(list)
    counter = 0
    for v in voices:
        for number, place in enumerate(placement.places(v.comment, project.chapters, names.fw), 1):
            counter += 1
            at[place].append(Note(v, number, ids.note_anchor(counter)))
    return at
