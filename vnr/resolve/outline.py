"""The order of the parts: decided here, once, for every writer.

Chapters go by `order`, then id. A chapter file with `generated: <part>` puts that part at its
place, with its title (if it has one) and its body before the generated content. The generated
parts no file placed follow the last chapter in the contract's order; `unplaced` is always
last. A part this edition does not show is left out, with the chapter file that placed it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..base.i18n import Messages
from ..model import GENERATED, Chapter
from ..review import Cover, Part, Tokens


def cover(edition: str, revision: str, date: dt.date, m: Messages, group: str | None = None) -> Cover:
    day = m.date(date)
    return Cover(f"{m('draft')} · {m('edition.' + edition)}", m("revision"), m("col.date"), day,
                 f"{m('revision_label', revision=revision)} · {day}", m("contents"), group)


def outline(chapters: tuple[Chapter, ...], made: dict[str, Part], texts: dict[str, Tokens],
            first: tuple[Part, ...] = ()) -> tuple[Part, ...]:
    """`made`: the chapters' parts by id and the generated parts this edition shows, by name;
    `texts`: the tokens of each chapter file's body; `first`: parts before the chapters."""
    placed, parts = {c.generated for c in chapters if c.generated}, list(first)
    for c in chapters:  # already sorted by order, then id
        if c.generated is None:
            parts.append(made[c.id])
        elif c.generated in made:
            part = made[c.generated]
            parts.append(dataclasses.replace(part, title=c.title or part.title, lead=texts[c.id]))
    parts += [made[name] for name in GENERATED if name in made and name not in placed]
    return tuple(parts)
