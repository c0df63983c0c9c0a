"""The "Changes since" part of a reviewers' edition built with --since."""

from __future__ import annotations

from ..base import ids
from ..base.i18n import Messages
from ..read.history import Changes
from ..review import ChangesPart, TextChangeView

STATUSES = ("added", "edited", "removed")


def changes_part(c: Changes, m: Messages) -> ChangesPart:
    comments = tuple((m(f"changes.comments.{status}"), items) for status in STATUSES
                     if (items := tuple(x for x in c.comments if x.status == status)))
    lists = tuple((title, seminars) for title, seminars in ((m("changes.seminars_added"), c.seminars_added),
                                                            (m("changes.seminars_removed"), c.seminars_removed))
                  if seminars)
    answers = tuple((r.key, f"{m('status.' + r.status) if r.status != 'withdrawn' else '–'}: {r.text}")
                    for r in c.responses)
    empty = not (c.texts or lists or comments or c.moved or answers)
    return ChangesPart(
        id=ids.CHANGES, title=m("changes.title", since=c.since), since=c.since, intro=m("changes.intro", since=c.since),
        texts_title=m("changes.texts"),
        texts=tuple(TextChangeView(t, m(f"changes.status.{t.status}"), t.status != "removed")
                    for t in c.texts),
        lists=lists, comments=comments, was=m("changes.was"), moved_title=m("changes.moved"),
        moved=tuple(m("changes.moved_item", key=x.key, before="; ".join(x.before), after="; ".join(x.after))
                    for x in c.moved),
        responses_title=m("changes.responses"), responses=answers,
        none=m("changes.none") if empty else None,
    )
