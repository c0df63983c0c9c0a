"""Reviewers' notes (reviews/*.yaml) as the reviewers' edition shows them: the open ones, by place."""

from __future__ import annotations

from ..model import Project
from ..names import Names
from ..review import ReviewNotes, ReviewNoteView


def open_notes(project: Project, names: Names) -> dict[str, ReviewNotes]:
    m = names.msgs
    at: dict[str, list[ReviewNoteView]] = {}
    for note in project.review_notes:
        if note.status == "open":
            about = m("review.reply_to", comment=note.reply_to) if note.reply_to else ""
            at.setdefault(note.place, []).append(ReviewNoteView(
                note.id, note.author, m.date(note.date) if note.date else "", about, note.quote, note.text))
    return {place: ReviewNotes(m("review.title"), tuple(views)) for place, views in at.items()}
