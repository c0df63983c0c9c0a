"""Threaded replies and resolved threads in Word, which python-docx 1.2 has no API for.

Word keeps a reply as a comment of its own in comments.xml, anchored where its parent is, and
ties the two in word/commentsExtended.xml: one w15:commentEx per comment of a thread, keyed by
the w14:paraId of the comment's last paragraph, with w15:paraIdParent on the reply and
w15:done="1" on both when the thread is resolved. The paraId is written through
docx_internals.element; where python-docx anchors a comment is checked by tests/test_internals.py.
"""

from __future__ import annotations

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from .docx_internals import element

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
RELATIONSHIP = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


class Threads:
    def __init__(self, doc):
        self.doc = doc
        self.entries: list[tuple[str, str | None, bool]] = []  # (paraId, parent's paraId, done)
        self.ids = 0

    def reply(self, parent, runs, text: str, author: str, done: bool):
        """A reply to the Word comment `parent`, anchored on the same runs."""
        initials = "".join(word[0] for word in author.split()[:3]).upper()
        reply = self.doc.add_comment(runs, text=text, author=author, initials=initials)
        _after_parent(runs[-1].element, parent.comment_id, reply.comment_id)
        parent_id, reply_id = self._para_id(parent), self._para_id(reply)
        self.entries += [(parent_id, None, done), (reply_id, parent_id, done)]
        return reply

    def _para_id(self, comment) -> str:
        # Ids in order of writing, so equal inputs give equal bytes; Word wants them below 0x80000000.
        self.ids += 1
        para_id = f"{self.ids:08X}"
        element(comment.paragraphs[-1]).set(f"{{{W14}}}paraId", para_id)
        return para_id

    def write(self) -> None:
        """The commentsExtended part, related from the document: call once, before saving."""
        if not self.entries:
            return
        root = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
        for para_id, parent, done in self.entries:
            entry = etree.SubElement(root, f"{{{W15}}}commentEx")
            entry.set(f"{{{W15}}}paraId", para_id)
            if parent:
                entry.set(f"{{{W15}}}paraIdParent", parent)
            entry.set(f"{{{W15}}}done", "1" if done else "0")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI("/word/commentsExtended.xml"), CONTENT_TYPE, blob, self.doc.part.package)
        self.doc.part.relate_to(part, RELATIONSHIP)


def _after_parent(last_run, parent: int, reply: int) -> None:
    """Close the reply's range after its parent's, as Word writes a thread: start of the parent,
    start of the reply, the text, end and reference of the parent, end and reference of the reply.

    python-docx puts each new comment's end and reference right after the anchored runs, so the
    reply's pair stands just before its parent's (added just before it): the two pairs are swapped
    by walking from the last run, not by searching a paragraph that may carry hundreds of comments.
    """
    end = last_run.getnext()
    reference = end.getnext()
    parent_end = reference.getnext()
    parent_reference = parent_end.getnext()
    found = [node.get(qn("w:id")) or node[-1].get(qn("w:id"))
             for node in (end, reference, parent_end, parent_reference)]
    if found != [str(reply), str(reply), str(parent), str(parent)]:  # python-docx changed how it anchors comments
        raise RuntimeError(f"unexpected comment anchors after the runs: {found}")
    parent_reference.addnext(end)
    end.addnext(reference)
