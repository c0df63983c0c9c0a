"""Reviewers' notes (reviews/*.yaml) as the reviewers' edition shows them: the open ones, by place.

A note that answers a citizen's comment stands beside that comment's margin note, where the note
is at the same place; every other open note is listed at the end of its place.
"""

from __future__ import annotations

import dataclasses

from ..base.names import Names
from ..model import Project
from ..review import Note, ReviewNotes, ReviewNoteView


def open_notes(project: Project, names: Names, at: dict[str, list[Note]]) -> dict[str, ReviewNotes]:
    """The blocks of open notes by place; the replies are attached to their margin notes in `at`."""
    m = names.msgs
    blocks: dict[str, list[ReviewNoteView]] = {}
    for note in project.review_notes:
        if note.status != "open":
            continue
        view = ReviewNoteView(note.id, note.author, m.date(note.date) if note.date else "",
                              m("review.reply_to", comment=note.reply_to) if note.reply_to else "",
                              note.quote if note.quote != note.text else None,  # a highlight's text is its quote
                              note.text)
        beside = [i for i, n in enumerate(at.get(note.place, ())) if n.voice.key == note.reply_to]
        if beside:
            margin = at[note.place][beside[0]]
            at[note.place][beside[0]] = dataclasses.replace(margin, replies=(*margin.replies, view))
        else:
            blocks.setdefault(note.place, []).append(view)
    return {place: ReviewNotes(m("review.title"), tuple(views)) for place, views in blocks.items()}
