"""The DOCX bookmark around each place's heading, by which `vnr collect` places a reviewer's comment.

A chapter, section or generated part is bookmarked under its id (`ids.bookmark_name`), so a
comment is placed by the bookmark before it, not by heading text that may change. How collect
recognises vnr's own Word comments, whatever a reviewer did to them, is in base/ids.py too.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ..base import ids
from .docx_internals import element


def add_bookmark(paragraph, place: str, number: int) -> None:
    """A bookmark named after `place` around the paragraph's text."""
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), ids.bookmark_name(place))
    end.set(qn("w:id"), str(number))
    p = element(paragraph)
    first = p.find(qn("w:r"))
    if first is not None:
        first.addprevious(start)
    else:
        p.append(start)
    p.append(end)
