"""The one place vnr reaches into python-docx's internals: three methods replaced while a
review is written, so that a large review is written in linear time.

Three of python-docx's conveniences scan the whole document on every call, which makes a
large review quadratic (1,600 comments: 87 s of a 108 s DOCX). While vnr writes, which only
appends, each is answered in constant time:

- a new comment's id is max(all ids) + 1, found by an XPath over every comment: a counter;
- a new body paragraph goes before the section properties, found by scanning the body from
  its first child: they are the body's last child;
- a style given by name is looked up among all styles, and compared with the default style
  (found by another scan), for every paragraph (4,368 comments: 23 s of 36 s): vnr adds no
  style while it writes, so each name's id is looked up once.

These are private methods: a python-docx upgrade may rename them or stop calling them, and the
quadratic time would come back silently. tests/test_internals.py writes a document with
python-docx alone and fails, naming the method, if any of them is no longer called.
"""

from __future__ import annotations

import contextlib
import itertools

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


@contextlib.contextmanager
def linear_python_docx():
    """While in this context, the three methods of PATCHED answer in constant time."""
    ids = itertools.count()
    original_id, original_insert = CT_Comments._next_available_comment_id, CT_Body.insert_element_before
    original_style_id = DocumentPart.get_style_id
    style_ids: dict = {}

    def get_style_id(part, style, style_type):
        if not isinstance(style, str):
            return original_style_id(part, style, style_type)
        key = (style, style_type)  # one document per context
        if key not in style_ids:
            style_ids[key] = original_style_id(part, style, style_type)
        return style_ids[key]

    def insert_before(body, element, *tagnames):
        try:
            last = body[-1]  # lxml finds the last child at once; len(body) would count them all
        except IndexError:
            return original_insert(body, element, *tagnames)
        if last.tag in {qn(t) for t in tagnames}:
            last.addprevious(element)
            return element
        return original_insert(body, element, *tagnames)

    CT_Comments._next_available_comment_id = lambda self: next(ids)
    CT_Body.insert_element_before = insert_before
    DocumentPart.get_style_id = get_style_id
    try:
        yield
    finally:
        CT_Comments._next_available_comment_id = original_id
        CT_Body.insert_element_before = original_insert
        DocumentPart.get_style_id = original_style_id
