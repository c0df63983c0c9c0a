"""The Review every writer reads: the document as one ordered tuple of parts, plain data.

`resolve` makes it once. Every label is already in the build language and every decision a
reader can see (the order of the parts, which headings a group gets, which row is a total,
where a note stands) is taken there. Writers only turn parts into bytes: the HTML renders
`parts/<kind>.html.j2` for each part (`parts/report.html.j2` for a Report without a template of
its own), the DOCX calls its rule for the part's kind (`report` for a Report).

A new generated part is a function in `resolve/` returning a `Report` (nothing else to add), or
one dataclass here, its function, one template and one DOCX rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Union

from markdown_it.token import Token

from .base import ids
from .base.errors import Diagnostic
from .base.i18n import Messages
from .base.names import GoalRef, TargetRef
from .figures import Figures
from .model import Comment, Seminar
from .read.history import CommentChange, TextChange

# A body's Markdown as markdown-it tokens. An `indicator()` table stands in it as one `vnr_blocks`
# token whose meta["blocks"] holds its Table (and Figure): blocks like the generated parts' below,
# which the writers write with the same rules.
Tokens = tuple[Token, ...]


# -- voices and the notes that place them -------------------------------------------------

@dataclass(frozen=True)
class ResponseView:
    """The editors' response to a comment, in the build language."""

    status: str  # accepted | partly | noted | declined
    label: str  # "Accepted"
    text: str  # verbatim
    editors: str  # who answers: "Drafting team"

    @property
    def resolved(self) -> bool:
        """Accepted or declined: the thread is closed (Word's "done")."""
        return self.status in ("accepted", "declined")

    @property
    def line(self) -> str:  # the reply's contents: the status, then the text
        return f"{self.label}: {self.text}"


@dataclass(frozen=True)
class Voice:
    """A comment with everything a reader sees about it, in the build language."""

    comment: Comment
    seminar: Seminar
    region: str  # region name
    goals: tuple[GoalRef, ...]
    targets: tuple[TargetRef, ...]
    kind: str  # kind label
    meta: str  # goal/target, kind, date, city, audience (and "new since"): a note's one line
    line: str  # kind, seminar, key: the annex's line under the text
    new: bool = False  # added since the revision of `--since`
    response: ResponseView | None = None  # None: open (or the project has no responses/)
    status: str = ""  # the response's label, or "Open" where the project records responses
    heard: str = ""  # region and seminar: "Almaty · Almaty, 14 March 2022, local executive bodies"

    @property
    def state(self) -> str:
        """accepted | partly | noted | declined | open; "" where the project records no responses."""
        return self.response.status if self.response else "open" if self.status else ""

    @property
    def colour(self) -> str | None:
        """The colour of its notes: its first goal's."""
        return self.goals[0].colour if self.goals else None

    @property
    def key(self) -> str:
        return self.comment.key


@dataclass(frozen=True)
class ReviewNoteView:
    """An open reviewer's note as the reviewers' edition shows it."""

    id: str
    author: str
    date: str  # in the build language, "" where the note has none
    about: str  # "in reply to kz-75-leb/heat-1", "" for a note of its own
    quote: str | None
    text: str

    @property
    def signed(self) -> str:  # beside the margin note it answers: "UNDP · 2 December 2026"
        return " · ".join(x for x in (self.author, self.date) if x)

    @property
    def meta(self) -> str:  # listed at the end of its place: what it answers too
        return " · ".join(x for x in (self.signed, self.about) if x)


@dataclass(frozen=True)
class Note:
    """One annotation: a voice at one place, and the voices of the same text there folded into it."""

    voice: Voice
    number: int  # the number of this place among the comment's places (1-based)
    anchor: str  # unique element id of the note in the document
    replies: tuple[ReviewNoteView, ...] = ()  # reviewers' open notes answering it, shown beside it
    folded: tuple[Voice, ...] = ()  # the same text (normalized) made at other seminars, at this place
    raised: str = ""  # with `folded`: "Raised at 3 seminars:"
    hidden: bool = False  # past the place's notes_per_place: a sticky note only, summed up in `more`
    more: NoteSummary | None = None  # on the place's first hidden note: what the hidden ones are

    @property
    def name(self) -> str:  # the PDF /NM
        return ids.note_name(self.voice.key, self.number)

    @property
    def voices(self) -> tuple[Voice, ...]:
        return (self.voice, *self.folded)

    @property
    def raised_lines(self) -> list[str]:
        """Folded: "Raised at 3 seminars:", then each seminar's region, line and key; else none."""
        if not self.folded:
            return []
        return [self.raised, *(f"{v.heard} · {v.key}" for v in self.voices)]

    @property
    def contents(self) -> str:
        """The sticky note's text: the comment verbatim, its line, and where else it was raised."""
        return "\n".join([self.voice.comment.text, self.voice.meta, *self.raised_lines])

    @property
    def margin_chars(self) -> int:
        """About how many characters its margin note shows besides its header: its text, the reviewers'
        replies with their signatures, the list of where it was raised (how tall it stands)."""
        replies = sum(len(r.text) + len(r.author) + 20 for r in self.replies)
        raised = len(self.raised) + sum(len(heard) + 8 for heard, _ in self.heard) if self.folded else 0
        return len(self.voice.comment.text) + replies + raised

    @property
    def heard(self) -> list[tuple[str, int]]:
        """The margin's list of where a folded comment was made: each seminar, or past three
        seminars each region with its count (the sticky note names every seminar)."""
        several = len(self.voices) > 3
        return list(Counter(v.region if several else v.heard for v in self.voices).items())


@dataclass(frozen=True)
class NoteSummary:
    """A place's margin notes past notes_per_place, summed up where the next one would stand."""

    text: str  # "27 more comments at this place: Problem 15 · Proposal 12; Almaty 9 · Shymkent 6 ..."
    annex: tuple[tuple[str, str], ...]  # (goal label, anchor): where the annex lists them


# -- blocks of generated parts --------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    colour: str | None = None  # a goal colour for the first cell, where there is one
    shades: tuple[str | None, ...] = ()  # a background per cell (heat maps)
    total: bool = False


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""
    numeric: tuple[int, ...] = ()  # indexes of the columns that hold numbers (aligned right)
    heat: bool = False  # a dense grid of shaded counts (smaller type)
    wide: int | None = None  # the column of long texts, given the room the others leave
    caption: bool = True  # False: the heading right above says the title (Subsection decides)
    kind = "table"  # blocks name their kind (a class attribute, not a field): the writers' rule key


class Chart:
    """A figure, drawn on first use in the format a writer asks for (SVG for HTML/PDF, PNG for DOCX)."""

    def __init__(self, draw: Callable[[str], bytes], alt: str, size: tuple[float, float], title: str = ""):
        self.draw, self.alt, self.title = draw, alt, title  # draw: a partial of a charts function, plain data
        self.width_mm, self.height_mm = size

    def __getstate__(self) -> dict:  # what it is made of, not what it has drawn so far (html.Kept's key)
        return {k: v for k, v in self.__dict__.items() if k not in ("svg", "png")}

    @functools.cached_property
    def svg(self) -> str:
        return self.draw("svg").decode("utf-8")

    @functools.cached_property
    def png(self) -> bytes:
        return self.draw("png")


@dataclass(frozen=True)
class Prose:
    text: str
    style: str = ""  # "" | "lead" | "note" (small print under a table or a figure)
    kind = "prose"


@dataclass(frozen=True)
class Figure:
    chart: Chart
    caption: str = ""
    style: str = ""  # "" | "map"
    kind = "figure"


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    kind = "items"


@dataclass(frozen=True)
class Links:
    """Lines that point at places in the document, with their page where the format has pages."""

    items: tuple[tuple[str, str], ...]  # (text, element id)
    kind = "links"


Block = Union[Prose, Table, Figure, Items, Links]


@dataclass(frozen=True)
class Subsection:
    """A titled run of blocks inside a generated part."""

    id: str
    title: str
    blocks: tuple[Block, ...]

    def __post_init__(self):
        # A table titled as its section shows no caption of its own: the heading above says it, and
        # the reader would see the same words twice ("Comments by response" / "Comments by response").
        object.__setattr__(self, "blocks", tuple(
            dataclasses.replace(b, caption=False) if isinstance(b, Table) and b.title == self.title else b
            for b in self.blocks))


@dataclass(frozen=True)
class ReviewNotes:
    """The open notes at the end of one place."""

    title: str  # "Reviewers' notes"
    notes: tuple[ReviewNoteView, ...]


# -- parts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A line of the table of contents."""

    id: str
    title: str
    children: tuple["Entry", ...] = ()


@dataclass(frozen=True, kw_only=True)
class Part:
    id: str  # the element id, bookmark target and `parts` name: a chapter id or a generated part's name
    title: str
    kind: str  # which template and DOCX rule write it
    lead: Tokens = ()  # generated parts: the body of the chapter file that placed them
    review_notes: ReviewNotes | None = None  # reviewers' edition: the open notes placed on the part itself

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note of the part, in document order."""
        return ()

    @property
    def entry(self) -> Entry:
        return Entry(self.id, self.title)


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    targets: tuple[TargetRef, ...]
    tokens: Tokens
    notes: tuple[Note, ...]
    review_notes: ReviewNotes | None = None


@dataclass(frozen=True, kw_only=True)
class ChapterPart(Part):
    kind: str = "chapter"
    goals: tuple[GoalRef, ...]
    tokens: Tokens
    sections: tuple[SectionView, ...]
    own_notes: tuple[Note, ...]  # the notes placed on the chapter itself

    @property
    def notes(self) -> tuple[Note, ...]:
        return (*self.own_notes, *(n for s in self.sections for n in s.notes))

    @property
    def entry(self) -> Entry:
        return Entry(self.id, self.title, tuple(Entry(s.id, s.title) for s in self.sections))


@dataclass(frozen=True, kw_only=True)
class Report(Part):
    """A generated part made of blocks: consultations, coverage."""

    intro: tuple[Block, ...]
    sections: tuple[Subsection, ...]


@dataclass(frozen=True)
class Said:
    """A comment in the annex, and those of the same text made at other seminars of the region:
    the text once, then each seminar with its key and response."""

    voices: tuple[Voice, ...]
    raised: str = ""  # more than one: "Raised at 3 seminars:"

    @property
    def voice(self) -> Voice:
        return self.voices[0]


@dataclass(frozen=True)
class AnnexGroup:
    """The voices on one goal and one target (target None: on the goal in general), by region."""

    goal: GoalRef
    goal_heading: str | None  # set on the first group of each goal
    target_heading: str
    target_text: str | None
    regions: tuple[tuple[str, tuple[Said, ...]], ...]


@dataclass(frozen=True, kw_only=True)
class Annex(Part):
    kind: str = "annex"
    intro: str
    groups: tuple[AnnexGroup, ...]


@dataclass(frozen=True, kw_only=True)
class Unplaced(Part):
    kind: str = "unplaced"
    intro: str
    placed: tuple[Note, ...]

    @property
    def notes(self) -> tuple[Note, ...]:
        return self.placed


@dataclass(frozen=True)
class TextChangeView:
    change: TextChange
    status: str  # "added", "changed", "removed" in the build language
    linked: bool  # the place is still in the document


@dataclass(frozen=True, kw_only=True)
class ChangesPart(Part):
    """Reviewers' edition built with --since: what changed since that revision."""

    kind: str = "changes"
    since: str
    intro: str
    texts_title: str
    texts: tuple[TextChangeView, ...]
    lists: tuple[tuple[str, tuple[str, ...]], ...]  # (title, seminars) of those added, removed
    comments: tuple[tuple[str, tuple[CommentChange, ...]], ...]  # (title, comments) by status
    was: str  # the label before an edited comment's earlier text
    moved_title: str
    moved: tuple[str, ...]
    responses_title: str
    responses: tuple[tuple[str, str], ...]  # (comment key, "Accepted: text" now), added or changed
    none: str | None  # "No changes.", when nothing changed


@dataclass(frozen=True)
class Cover:
    """The front matter's words, for the cover, the running footer and the contents' title."""

    kicker: str  # "Draft · Reviewers' edition (annotated)"
    revision_label: str  # "Revision"
    date_label: str  # "Date"
    date: str  # the build date in the build language
    running: str  # "Revision 1a2b3c · 30 November 2026": the foot of every page
    contents: str  # "Contents"
    group: str | None = None  # a working group's pack: the group's title


@dataclass(frozen=True)
class Review:
    cover: Cover
    title: str
    subtitle: str | None
    revision: str
    date: dt.date
    lang: str
    edition: str
    msgs: Messages
    parts: tuple[Part, ...]  # in document order: the one outline every writer follows
    figures: Figures
    images: dict[str, Path]  # image src in the bodies -> its file inside the project
    warnings: tuple[Diagnostic, ...] = ()  # what the build can go on with but an editor should know
    indicators: int = 0  # indicators with data in indicators/
    data_read: dict[str, bytes] = field(default_factory=dict)  # the files of indicators/ read, by path

    @property
    def annotated(self) -> bool:
        return self.edition == "review"

    @property
    def chapters(self) -> tuple[ChapterPart, ...]:
        return tuple(p for p in self.parts if isinstance(p, ChapterPart))

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(n for p in self.parts for n in p.notes)

    @property
    def contents(self) -> tuple[Entry, ...]:
        return tuple(p.entry for p in self.parts)

    def part(self, pid: str) -> Part | None:
        return next((p for p in self.parts if p.id == pid), None)
