"""The one place vnr reaches into python-docx's internals, written for python-docx 1.2.0: what its
public API does not reach, and three methods replaced while a review is written, for linear time.

tests/test_internals.py checks each, and fails naming it when a python-docx upgrade changes it.

What the public API does not reach (python-docx keeps it under a private name):
- `element(item)`: the XML of a paragraph, a table cell or row, or a comment (`_element`; a run's is
  public too, `Run.element`). vnr writes there what python-docx has no API for: shading (`w:shd`:
  python-openxml/python-docx#146, open), a header row repeated on every page (`w:tblHeader`: #322,
  open), and a comment's w14:paraId, which threads replies (docx_replies.py; #1467, a pull request
  for replies, was closed, not merged).
- `date_comment`: `add_comment` dates a comment now and `Comment.timestamp` is read-only; vnr dates
  each comment with the build's date, so that equal inputs give equal bytes (no request for a
  settable date found upstream; #1533, open, asks for the time zone).
- `describe_picture`: a picture's alternative text (`wp:docPr`, from `InlineShape._inline`): #317
  (feature request) and #1530 (pull request), both open, would add it.

The three replacements (`linear_python_docx`): python-docx answers each of these with a scan on
every call, of the whole document for the first two, which makes a large review quadratic (1,600
comments: 87 s of a 108 s DOCX), of all styles for the third (4,368 comments: 23 s of 36 s). While
vnr writes, which only appends, each is answered in constant time:
- a new comment's id is max(all ids) + 1, found by an XPath over every comment: a counter (no
  upstream issue found; #940, open, reports the same scan for numbering ids);
- a new body paragraph goes before the section properties, found by scanning the body from its
  first child (#408, open: "Document.add_paragraph performance drops with document length"): they
  are the body's last child;
- a style given by name is looked up among all styles and compared with the default style, found
  by another scan (no upstream issue found): vnr adds no style while it writes, so each name's id
  is looked up once.
They are private methods: an upgrade may rename them or stop calling them, and the quadratic time
would come back silently, hence the test. Only the document being written gets the replacements;
any other document opened meanwhile gets python-docx's own methods.
"""

from __future__ import annotations

import contextlib
import itertools
import threading

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.comments import CT_Comments
from docx.oxml.document import CT_Body
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart

# (class, method name): what `linear_python_docx` replaces, for the test that they are still used
PATCHED = (
    (CT_Comments, "_next_available_comment_id"),
    (CT_Body, "insert_element_before"),
    (DocumentPart, "get_style_id"),
)
_PATCHING = threading.RLock()  # the classes are the whole process's: one writer replaces them at a time


def element(item):
    """The XML element behind a python-docx run, paragraph, table cell, table row or comment."""
    return item._element


def date_comment(comment, when: str) -> None:
    """Date a comment (`w:date`, as '2024-05-31T00:00:00Z')."""
    element(comment).set(qn("w:date"), when)


def describe_picture(shape, description: str, title: str | None = None) -> None:
    """A picture's alternative text (`descr`) and title, which screen readers read."""
    properties = shape._inline.docPr
    properties.set("descr", description)
    if title is not None:
        properties.set("title", title)


def _comments_element(part):
    try:
        return part.part_related_by(RT.COMMENTS).element
    except KeyError:  # no comment yet
        return None


@contextlib.contextmanager
def linear_python_docx(doc):
    """While in this context, the three methods of PATCHED answer in constant time for `doc`."""
    body, part = doc.element.body, doc.part  # held: lxml keeps one proxy per element while it is referenced
    original_id, original_insert = CT_Comments._next_available_comment_id, CT_Body.insert_element_before
    original_style_id = DocumentPart.get_style_id
    mine: dict = {}  # the document's comments element and its next ids, from its first comment on
    style_ids: dict = {}

    def next_comment_id(comments):
        if not mine and comments is _comments_element(part):  # add_comment has made the part by now
            mine.update(element=comments, ids=itertools.count(original_id(comments)))
        return next(mine["ids"]) if mine and comments is mine["element"] else original_id(comments)

    def insert_before(parent, child, *tagnames):
        last = next(parent.iterchildren(reversed=True), None) if parent is body else None  # at once
        if last is not None and last.tag in {qn(t) for t in tagnames}:
            last.addprevious(child)
            return child
        return original_insert(parent, child, *tagnames)

    def get_style_id(of, style, style_type):
        if of is not part or not isinstance(style, str):
            return original_style_id(of, style, style_type)
        if (style, style_type) not in style_ids:
            style_ids[style, style_type] = original_style_id(of, style, style_type)
        return style_ids[style, style_type]

    with _PATCHING:
        CT_Comments._next_available_comment_id = next_comment_id
        CT_Body.insert_element_before = insert_before
        DocumentPart.get_style_id = get_style_id
        try:
            yield
        finally:
            CT_Comments._next_available_comment_id = original_id
            CT_Body.insert_element_before = original_insert
            DocumentPart.get_style_id = original_style_id
