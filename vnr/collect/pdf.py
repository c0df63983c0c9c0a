"""Reviewers' notes from a returned PDF: every annotation `vnr` did not write.

`vnr` names its sticky notes and their replies (`/NM`, base/ids.py); everything else is a
reviewer's. A note's place is the last chapter, section or generated part that starts above it,
on its page or an earlier one: WeasyPrint writes a named destination (`/Dests`) for every
element id, with its page and top. A highlight's quote is the text under its `/QuadPoints`,
read glyph by glyph with pdfplumber; a highlight with no text of its own is collected with its
quote as its text.

A note's id comes from where it is (`identify`), not from what it says: a note the reviewer
edited keeps its id, and collect updates its text. What a returned PDF may make collect inflate
is bounded: each stream by pypdf (75 MB), and a page pdfplumber reads for quotes here first
(`_Quoter`), as pdfplumber itself inflates without a bound.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from ..base import ids
from ..read.schema import MAX_TEXT, UNWRITABLE

NOT_NOTES = {"/Link", "/Popup", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/3D"}
QUOTED = {"/Highlight", "/Underline", "/StrikeOut", "/Squiggly"}
KINDS = {"/Text": "sticky note", "/FreeText": "text box", "/Highlight": "highlight", "/Underline": "underline",
         "/StrikeOut": "strike-out", "/Squiggly": "squiggly underline", "/Ink": "drawing"}
# What pdfplumber may inflate to read one page, and the pages it quotes in all: a page vnr lays
# out is well under 1 MB (the sample's largest: 0.4 MB; its 213 pages, each font once: 8 MB).
MAX_PAGE_BYTES = 16_000_000
MAX_QUOTED_BYTES = 100_000_000
# A highlight over a whole page has some fifty quadrilaterals; each costs a pass over the page.
MAX_QUADS = 1_000


@dataclass(frozen=True)
class Found:
    """A note as read from a returned file, before it is placed against the project."""

    id: str  # until `identify`: its slot, where it is
    author: str
    date: dt.date | None
    place: str
    page: int | None
    reply_to: str | None
    quote: str | None
    text: str  # "" for a mark with no text and none under it: collect reports it
    origin: str = ""  # the note for a person: "highlight by 'UNDP' on page 3"
    earlier: str = ""  # the id vnr gave it before edited notes kept theirs (its text was hashed in)


ENTRY = ("id", "author", "date", "place", "page", "reply_to", "quote", "text")  # what reviews/*.yaml keeps of it


class Refused(Exception):
    """A returned file, or a part of it, past what collect reads: at the file, or FILE:member."""

    def __init__(self, message: str, member: str = ""):
        super().__init__(message)
        self.member = member


def plain(value) -> str:
    """A reviewer's text as reviews/*.yaml may hold it: line breaks as newlines (Acrobat ends
    lines with a carriage return; YAML would read U+0085 back as a space), every other control
    character dropped, never the note."""
    return UNWRITABLE.sub("", re.sub(r"\r\n?|\x85", "\n", str(value or "")))


def clip(quote: str) -> str:
    """A quote within what one value may hold: it is the document's text, which the note
    points at, not the reviewer's (a comment anchored on a whole chapter)."""
    return quote if len(quote) <= MAX_TEXT else quote[:MAX_TEXT - 1] + "…"


def identify(stem: str, found: list[Found]) -> list[Found]:
    """Each note's id from its slot (`Found.id` until here): where it is, not what it says, so an
    edited note keeps its id. The file stem keeps apart two reviewers whose viewer names notes
    alike (MuPDF: fitz-A0 in every document); a count, two notes in one slot."""
    seen: Counter = Counter()
    out = []
    for note in found:
        seen[note.id] += 1
        out.append(dataclasses.replace(note, id=ids.note_id(f"{stem}|{note.id}|{seen[note.id]}")))
    return out


def read(path: Path, places: set[str]) -> tuple[list[Found], set[str]]:
    """The reviewers' notes of a PDF, and the comment keys of the `vnr` notes it holds."""
    reader = pypdf.PdfReader(path)
    listed = str((reader.metadata or {}).get("/VnrPlaces") or "").split()
    starts = _starts(reader, places | set(listed), strict=bool(listed))
    found, keys = [], set()
    quoter = _Quoter(path, reader)
    try:
        for number, page in enumerate(reader.pages):
            for ref in page.get("/Annots") or []:
                annot = ref.get_object()
                key = ids.key_of_name(annot.get("/NM"))
                if key:
                    keys.add(key)
                elif annot.get("/Subtype") not in NOT_NOTES:
                    found.append(_note(annot, number, starts, quoter, float(page.mediabox.top)))
    finally:
        quoter.close()
    return identify(path.stem, found), keys


def _note(annot, number: int, starts, quoter: _Quoter, height: float) -> Found:
    subtype, contents, author = annot.get("/Subtype"), str(annot.get("/Contents") or ""), plain(annot.get("/T"))
    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
    parent = annot.get("/IRT")
    text, quote = plain(contents), clip(plain(quoter.quote(number, annot, height))) if subtype in QUOTED else ""
    # /NM alone is not enough: MuPDF names notes fitz-A0, fitz-A1... in every document anew (identify)
    where = f"{annot.get('/NM') or [round(v) for v in rect]}|{number}|{annot.get('/T')}"
    return Found(
        where, author, _date(annot.get("/M") or annot.get("/CreationDate")),
        _place(starts, number, max(rect[1], rect[3])), number + 1,
        ids.key_of_name(parent.get_object().get("/NM")) if parent is not None else None, quote or None,
        text if text.strip() else quote,  # a highlight with no text of its own: what it marks is the note
        f"the {KINDS.get(subtype, 'annotation')} " + (f"by '{author}' " if author else "") + f"on page {number + 1}",
        ids.note_id(f"{where}|{contents}"),
    )


def _starts(reader: pypdf.PdfReader, places: set[str], strict: bool) -> list[tuple[int, float, str]]:
    """Where each chapter, section and generated part starts: (page index, top), in document order.
    `strict`: the file lists its places (vnr writes them); else any id vnr gives no other element."""
    starts = []
    for name, destination in reader.named_destinations.items():
        name = str(name)  # pypdf's string type: YAML wants a plain one
        if name in places or not (strict or ids.not_a_place(name)):
            starts.append((reader.get_destination_page_number(destination), float(destination.get("/Top") or 0),
                           name))
    return sorted(starts, key=lambda s: (s[0], -s[1]))


def _place(starts: list[tuple[int, float, str]], page: int, top: float) -> str:
    place = ""
    for start_page, start_top, name in starts:
        if start_page < page or (start_page == page and start_top >= top - 2):  # 2 pt: a note level with a title
            place = name
    return place or (starts[0][2] if starts else "")


def _date(value) -> dt.date | None:
    match = re.match(r"D?:?(\d{4})(\d{2})(\d{2})", str(value or ""))
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


class _Quoter:
    """The text under an annotation's QuadPoints, from the glyphs' boxes (pdfplumber)."""

    def __init__(self, path: Path, reader: pypdf.PdfReader):
        self.path, self.reader, self.pdf = path, reader, None
        self.measured, self.seen, self.total = set(), set(), 0  # pages; streams (fonts are shared); bytes

    def quote(self, number: int, annot, height: float) -> str:
        quads = [float(v) for v in annot.get("/QuadPoints") or annot.get("/Rect") or []]
        if len(quads) < 4:
            return ""
        if len(quads) > 8 * MAX_QUADS:
            raise Refused(f"page {number + 1}: a mark of {len(quads) // 8:,} areas (at most {MAX_QUADS:,} are read)")
        self._measure(number)
        if self.pdf is None:
            import pdfplumber  # only a returned PDF with highlights needs it

            self.pdf = pdfplumber.open(self.path)
        page = self.pdf.pages[number]
        parts = []
        step = 8 if len(quads) >= 8 else 4
        for i in range(0, len(quads) - step + 1, step):
            xs, ys = quads[i:i + step:2], quads[i + 1:i + step:2]
            box = (min(xs), height - max(ys), max(xs), height - min(ys))
            under = page.filter(lambda o, box=box: o.get("object_type") == "char"
                                and box[0] <= (o["x0"] + o["x1"]) / 2 <= box[2]
                                and box[1] <= (o["top"] + o["bottom"]) / 2 <= box[3])
            parts.append(" ".join(under.extract_text().split()))  # the spaces pdfplumber infers from the gaps
        return " ".join(p for p in parts if p)

    def _measure(self, number: int) -> None:
        """Inflate here, within bounds, what pdfplumber will inflate to read page `number`."""
        if number in self.measured:
            return
        total = 0
        try:
            for stream in _streams(self.reader.pages[number], self.seen):
                total += len(stream.get_data())  # pypdf stops at 75 MB a stream
                if total > MAX_PAGE_BYTES:
                    break
        except pypdf.errors.LimitReachedError:
            total = MAX_PAGE_BYTES + 1
        if total > MAX_PAGE_BYTES:
            raise Refused(f"page {number + 1}: its text and fonts inflate past {MAX_PAGE_BYTES:,} bytes "
                          "(a page vnr lays out: under 1 MB); collect reads no such page")
        self.total += total
        if self.total > MAX_QUOTED_BYTES:
            raise Refused(f"page {number + 1}: with the pages before it that have highlights, its text and "
                          f"fonts inflate past {MAX_QUOTED_BYTES:,} bytes (every page of vnr's 213-page "
                          "sample: 8 MB); collect reads no such file")
        self.measured.add(number)

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _streams(page, seen: set):
    """The streams reachable from a page's contents and resources (its fonts, forms and theirs)
    but those in `seen` (added to it), and images, which pdfplumber does not inflate to read text."""
    todo = [page.get("/Contents"), page.get("/Resources")]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            if obj.get("/Subtype") == "/Image":
                continue
            yield obj
        if isinstance(obj, DictionaryObject):
            todo.extend(value for key, value in obj.items() if key != "/Parent")
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
