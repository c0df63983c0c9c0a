"""Reviewers' notes from a returned PDF: every annotation `vnr` did not write.

`vnr` names its sticky notes `<comment key>#<place number>` and their replies `.../response`
(`/NM`); everything else with contents is a reviewer's. A note's place is the last chapter,
section or generated part that starts above it, on its page or an earlier one: WeasyPrint writes
a named destination (`/Dests`) for every element id, with its page and top. A highlight's quote
is the text under its `/QuadPoints`, read glyph by glyph with pdfplumber.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pypdf

from .load import IDENT

VNR_NAME = re.compile(rf"^({IDENT}/{IDENT})#\d+(/response)?$")  # a comment key, the place's number
NOT_NOTES = {"/Link", "/Popup", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/3D"}
QUOTED = {"/Highlight", "/Underline", "/StrikeOut", "/Squiggly"}
# For a PDF without vnr's list of its places (/VnrPlaces in its document info, written since
# collect exists): the ids vnr gives elements that are not places; every other named
# destination is a chapter, section or generated part, of this revision or an older one.
NOT_PLACES = re.compile(r"^(cover|contents|changes|note-\d+|annex-goal-\d+|review-[0-9a-f]{8}"
                        r"|(consultations|responses|statistics|coverage)-.+)$")


@dataclass(frozen=True)
class Found:
    """A note as read from a returned file, before it is placed against the project."""

    id: str
    author: str
    date: dt.date | None
    place: str
    page: int | None
    reply_to: str | None
    quote: str | None
    text: str


def vnr_key(name) -> str | None:
    match = VNR_NAME.match(str(name or ""))
    return match.group(1) if match else None


def read(path: Path, places: set[str]) -> tuple[list[Found], set[str]]:
    """The reviewers' notes of a PDF, and the comment keys of the `vnr` notes it holds."""
    reader = pypdf.PdfReader(path)
    listed = str((reader.metadata or {}).get("/VnrPlaces") or "").split()
    starts = _starts(reader, places | set(listed), strict=bool(listed))
    found, keys = [], set()
    quoter = _Quoter(path)
    for number, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            subtype = annot.get("/Subtype")
            key = vnr_key(annot.get("/NM"))
            if key:
                keys.add(key)
                continue
            text = str(annot.get("/Contents") or "")
            if subtype in NOT_NOTES or not text.strip():
                continue
            rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
            top = max(rect[1], rect[3])
            parent = annot.get("/IRT")
            reply_to = vnr_key(parent.get_object().get("/NM")) if parent is not None else None
            quote = quoter.quote(number, annot, float(page.mediabox.top)) if subtype in QUOTED else None
            # /NM alone is not enough: MuPDF names notes fitz-A0, fitz-A1... in every document anew
            where = str(annot.get("/NM") or "") or str([round(v) for v in rect])
            identity = f"{where}|{number}|{annot.get('/T')}|{text}"
            found.append(Found(
                hashlib.sha256(identity.encode("utf-8")).hexdigest()[:8], str(annot.get("/T") or ""),
                _date(annot.get("/M") or annot.get("/CreationDate")), _place(starts, number, top),
                number + 1, reply_to, quote or None, text,
            ))
    quoter.close()
    return found, keys


def _starts(reader: pypdf.PdfReader, places: set[str], strict: bool) -> list[tuple[int, float, str]]:
    """Where each chapter, section and generated part starts: (page index, top), in document order.
    `strict`: the file lists its places (vnr writes them); else any id vnr gives no other element."""
    starts = []
    for name, destination in reader.named_destinations.items():
        name = str(name)  # pypdf's string type: YAML wants a plain one
        if name in places or not (strict or NOT_PLACES.match(name)):
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

    def __init__(self, path: Path):
        self.path, self.pdf = path, None

    def quote(self, number: int, annot, height: float) -> str:
        quads = [float(v) for v in annot.get("/QuadPoints") or annot.get("/Rect") or []]
        if len(quads) < 4:
            return ""
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

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
