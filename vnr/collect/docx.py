"""Reviewers' notes from a returned DOCX: every Word comment `vnr` did not write.

A comment is placed by the last of vnr's place bookmarks (base/ids.py) that starts
before it in the document; its quote is the text it is anchored on; a reply (Word's threads in
word/commentsExtended.xml) to one of vnr's comments gets that comment's key as `reply_to`.

A comment is known by who wrote it and where (its place, the text it is anchored on), not by
what it says nor when: Word renumbers comment ids on saving, and an edit may change the text
and the date. The XML parts read are bounded before they are parsed: a zip member's size as
declared and as inflated, and its compression ratio (a zip bomb inflates a thousandfold).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from lxml import etree

from ..base import ids
from ..read.schema import MAX_TEXT
from .pdf import Found, Refused, clip, identify, plain

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
PARTS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml")
# The sample's word/document.xml is 1.7 MB for 213 pages, deflated 8 to 1; Word's most
# repetitive parts (styles) some 30 to 1. A zip bomb: 1,000 to 1.
MAX_PART_BYTES = 32_000_000
MAX_RATIO = 200
RATIO_FROM = 1_000_000  # a smaller part is harmless at any ratio
# No DTD, no entities (an XML "billion laughs"), nothing fetched, libxml2's own bounds on a node.
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def read(path: Path, places: set[str]) -> tuple[list[Found], set[str]]:
    """The reviewers' notes of a DOCX, and the comment keys of vnr's comments it holds."""
    with zipfile.ZipFile(path) as archive:
        document, comments, extended = (_part(archive, name) for name in PARTS)
    if document is None:
        raise ValueError("no word/document.xml: not a Word document")
    where, quotes, first = _anchors(document, {ids.bookmark_name(p): p for p in places})
    parents = {}
    if extended is not None:
        parents = {e.get(f"{W15}paraId"): e.get(f"{W15}paraIdParent") for e in extended.iter(f"{W15}commentEx")
                   if e.get(f"{W15}paraIdParent")}
    by_para, entries = {}, []
    for comment in (comments.iter(f"{W}comment") if comments is not None else ()):
        paragraphs = comment.findall(f"{W}p")
        text = "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs)
        author, initials = comment.get(f"{W}author") or "", comment.get(f"{W}initials") or ""
        entry = {"id": comment.get(f"{W}id"), "author": author, "text": text, "date": comment.get(f"{W}date"),
                 "vnr": ids.is_vnr_author(author, initials),
                 "para": paragraphs[-1].get(f"{W14}paraId") if paragraphs else None}
        entry["key"] = ids.key_at_end(paragraphs[-1].xpath("string()")) if entry["vnr"] and paragraphs else None
        by_para[entry["para"]] = entry
        entries.append(entry)
    found, keys = [], {e["key"] for e in entries if e["key"]}
    for e in entries:
        if e["vnr"]:
            continue
        parent = by_para.get(parents.get(e["para"]))
        place, quote = where.get(e["id"]) or first, quotes.get(e["id"], "")  # before the first heading: the first place
        text, tidy = plain(e["text"]), clip(plain(" ".join(quote.split())))
        found.append(Found(
            f"{e['author']}|{place}|{quote}", plain(e["author"]), _date(e["date"]), place, None,
            parent["key"] if parent and parent["vnr"] else None, tidy or None,
            text if text.strip() else tidy,  # a comment with no text of its own: what it marks is the note
            f"the Word comment {e['id']} by '{plain(e['author'])}'",
            ids.note_id(f"{e['author']}|{e['date']}|{e['text']}|{where.get(e['id'], '')}|{quote}"),
        ))
    return identify(path.stem, found), keys


def _part(archive: zipfile.ZipFile, name: str):
    """One XML part, parsed, or None where the file has none: its size bounded as the zip declares
    it and as it inflates (a declared size may lie), read a megabyte at a time."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    _within(info, info.file_size)
    data = bytearray()
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            data += chunk
            _within(info, len(data))
    return etree.fromstring(bytes(data), PARSER)


def _within(info: zipfile.ZipInfo, size: int) -> None:
    if size > MAX_PART_BYTES:
        raise Refused(f"inflates to more than {MAX_PART_BYTES // 1_000_000} MB; the part a reviewers' edition "
                      "holds is a few MB (the sample's: 1.7 MB); collect reads no such file", info.filename)
    if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
        raise Refused(f"inflates more than {MAX_RATIO} times its compressed size ({info.compress_size:,} bytes), "
                      "as a zip bomb does; a Word document inflates some 10 to 30 times", info.filename)


def _anchors(document, bookmarks: dict[str, str]) -> tuple[dict[str, str], dict[str, str], str]:
    """For each comment id: the place it starts in, and the text it is anchored on (as much of it
    as a value may hold); and the first place of the document."""
    place, first, where, parts, open_ranges = "", "", {}, {}, {}
    for element in document.iter(f"{W}bookmarkStart", f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if element.tag == f"{W}bookmarkStart":
            name = element.get(f"{W}name") or ""
            spelt = ids.bookmark_place(name)
            if spelt is not None:  # vnr's: a place of an older revision keeps its id (collect warns it is gone)
                place = bookmarks.get(name) or spelt
                first = first or place
        elif element.tag == f"{W}commentRangeStart":
            where[element.get(f"{W}id")] = place
            open_ranges[element.get(f"{W}id")] = 0
            parts.setdefault(element.get(f"{W}id"), [])
        elif element.tag == f"{W}commentRangeEnd":
            open_ranges.pop(element.get(f"{W}id"), None)
        else:
            for cid, length in open_ranges.items():
                if length <= MAX_TEXT:  # joined once at the end: a comment on a whole chapter costs no more
                    parts[cid].append(element.text or "")
                    open_ranges[cid] = length + len(element.text or "")
    return where, {cid: "".join(texts) for cid, texts in parts.items()}, first


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
