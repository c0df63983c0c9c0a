"""Reviewers' notes from a returned DOCX: every Word comment `vnr` did not write.

A comment is placed by the last of vnr's place bookmarks (write/docx_marks.py) that starts
before it in the document; its quote is the text it is anchored on; a reply (Word's threads in
word/commentsExtended.xml) to one of vnr's comments gets that comment's key as `reply_to`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

from lxml import etree

from .collect_pdf import Found
from .write.docx_marks import bookmark_name, is_vnrs, key_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


def read(path: Path, places: set[str]) -> tuple[list[Found], set[str]]:
    """The reviewers' notes of a DOCX, and the comment keys of vnr's comments it holds."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        part = lambda name: etree.fromstring(archive.read(name)) if name in names else None  # noqa: E731
        document, comments, extended = (part("word/document.xml"), part("word/comments.xml"),
                                        part("word/commentsExtended.xml"))
    if document is None:
        raise ValueError("no word/document.xml: not a Word document")
    where, quotes, first = _anchors(document, {bookmark_name(p): p for p in places})
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
                 "vnr": is_vnrs(author, initials), "para": paragraphs[-1].get(f"{W14}paraId") if paragraphs else None}
        entry["key"] = key_of(paragraphs[-1].xpath("string()")) if entry["vnr"] and paragraphs else None
        by_para[entry["para"]] = entry
        entries.append(entry)
    found, keys = [], {e["key"] for e in entries if e["key"]}
    for e in entries:
        if e["vnr"] or not e["text"].strip():
            continue
        parent = by_para.get(parents.get(e["para"]))
        # Word renumbers comment ids on saving: the note is known by what it says and where
        identity = f"{e['author']}|{e['date']}|{e['text']}|{where.get(e['id'], '')}|{quotes.get(e['id'], '')}"
        found.append(Found(
            hashlib.sha256(identity.encode("utf-8")).hexdigest()[:8], e["author"], _date(e["date"]),
            where.get(e["id"]) or first,  # before the first heading (cover, contents): the first place
            None, parent["key"] if parent and parent["vnr"] else None,
            " ".join(quotes.get(e["id"], "").split()) or None, e["text"],
        ))
    return found, keys


def _anchors(document, bookmarks: dict[str, str]) -> tuple[dict[str, str], dict[str, str], str]:
    """For each comment id: the place it starts in, and the text it is anchored on; and the first
    place of the document."""
    place, first, where, quotes, open_ranges = "", "", {}, {}, set()
    for element in document.iter(f"{W}bookmarkStart", f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if element.tag == f"{W}bookmarkStart" and (element.get(f"{W}name") or "").startswith("vnr_"):
            # a place of an older revision keeps its id (collect warns that it is gone)
            name = element.get(f"{W}name")
            place = bookmarks.get(name) or name[4:].replace("_", "-")
            first = first or place
        elif element.tag == f"{W}commentRangeStart":
            where[element.get(f"{W}id")] = place
            open_ranges.add(element.get(f"{W}id"))
        elif element.tag == f"{W}commentRangeEnd":
            open_ranges.discard(element.get(f"{W}id"))
        else:
            for cid in open_ranges:
                quotes[cid] = quotes.get(cid, "") + (element.text or "")
    return where, quotes, first


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
