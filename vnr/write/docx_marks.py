"""How `vnr collect` recognises what `vnr` wrote in a DOCX, whatever a reviewer did to it.

- Places: a bookmark around the heading of every chapter, section and generated part, named
  after its id (`vnr_sdg_07_heat`: Word allows letters, digits and underscores, 40 at most), so a
  reviewer's comment is placed by the bookmark before it, not by heading text that may change.
- vnr's own comments: their author is a region's name (initials: its ISO code) or the editors'
  label, in one of the three languages; a reviewer can edit or resolve a comment in Word, but
  not change who wrote it. Their meta line ends with the comment's key, for replies to name it.
"""

from __future__ import annotations

import functools
import hashlib
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..base.framework import LANGUAGES, framework
from ..base.i18n import Messages
from ..read.load import IDENT

MAX_NAME = 40


def bookmark_name(place: str) -> str:
    name = "vnr_" + place.replace("-", "_")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME - 9] + "_" + hashlib.sha256(place.encode()).hexdigest()[:8]
    return name


def add_bookmark(paragraph, place: str, number: int) -> None:
    """A bookmark named after `place` around the paragraph's text."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), bookmark_name(place))
    end.set(qn("w:id"), str(number))
    p = paragraph._p
    first = p.find(qn("w:r"))
    if first is not None:
        first.addprevious(start)
    else:
        p.append(start)
    p.append(end)


@functools.cache
def _authors() -> tuple[frozenset, frozenset]:
    regions = frozenset((name, r.code) for r in framework().regions.values() for name in r.name.values())
    editors = frozenset(Messages(lang)("editors") for lang in LANGUAGES)
    return regions, editors


def is_vnrs(author: str, initials: str) -> bool:
    regions, editors = _authors()
    return (author, initials) in regions or author in editors


KEY_AT_END = re.compile(rf"({IDENT}/{IDENT})\s*$")


def key_of(text: str) -> str | None:
    """The comment key at the end of a vnr comment's meta line."""
    match = KEY_AT_END.search(text.strip())
    return match.group(1) if match else None
