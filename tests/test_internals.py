"""The dependencies' internals vnr relies on (vnr/write/docx_internals.py, weasy_internals.py), each
checked where vnr uses it: an upgrade of python-docx or WeasyPrint that changes one fails here, by name."""

from __future__ import annotations

import io
import zipfile

import pydyf
import pypdf
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from weasyprint import CSS, HTML

from vnr.write import docx_internals, weasy_internals
from vnr.write.docx_replies import Threads


def test_python_docx_still_calls_the_methods_vnr_replaces(monkeypatch):
    """If python-docx stops calling one of these, vnr's replacement does nothing and a large
    review's DOCX is quadratic again (see docx_internals.py)."""
    calls = {name: 0 for _, name in docx_internals.PATCHED}
    for owner, name in docx_internals.PATCHED:
        original = getattr(owner, name)

        def spy(*args, original=original, name=name, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, spy)
    doc = Document()
    paragraph = doc.add_paragraph("Heating networks in the north are worn.", style="List Bullet")
    doc.add_comment(paragraph.runs, text="Отопление отключают зимой.", author="Almaty", initials="KZ")
    doc.save(io.BytesIO())
    for name, count in calls.items():
        assert count, f"python-docx no longer calls {name}: update vnr/write/docx_internals.py"


def _write(doc) -> bytes:
    for n in range(3):
        p = doc.add_paragraph(f"Paragraph {n}", style="List Bullet")
        doc.add_comment(p.runs, text=f"Comment {n}", author="Astana", initials="KZ")
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as archive:
        return archive.read("word/document.xml") + archive.read("word/comments.xml")


def test_the_replacements_write_the_same_document():
    plain = _write(Document())
    doc = Document()
    with docx_internals.linear_python_docx(doc):
        fast = _write(doc)
    assert fast == plain


def test_only_the_document_being_written_gets_the_replacements():
    """Another document opened meanwhile (vnr collect reads returned ones) numbers its comments
    as python-docx does, after the ones it has; the classes get their own methods back after."""
    returned = Document(io.BytesIO(_saved(Document(), comments=2)))
    originals = [getattr(owner, name) for owner, name in docx_internals.PATCHED]
    doc = Document()
    with docx_internals.linear_python_docx(doc):
        runs = doc.add_paragraph("Heating networks in the north are worn.").runs
        first = doc.add_comment(runs, text="Отопление отключают зимой.", author="Almaty")
        theirs = returned.add_comment(returned.paragraphs[0].runs, text="Agreed.", author="Ministry")
        second = doc.add_comment(runs, text="Since 2019.", author="Almaty")
    assert (first.comment_id, second.comment_id, theirs.comment_id) == (0, 1, 2)
    assert [getattr(owner, name) for owner, name in docx_internals.PATCHED] == originals


def _saved(doc, comments: int) -> bytes:
    runs = doc.add_paragraph("A returned review").runs
    for n in range(comments):
        doc.add_comment(runs, text=f"Note {n}", author="Reviewer")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_python_docx_keeps_the_xml_vnr_writes_to_where_docx_internals_reads_it():
    doc = Document()
    paragraph = doc.add_paragraph("Almaty")
    row = doc.add_table(rows=1, cols=1).rows[0]
    comment = doc.add_comment(paragraph.runs, text="Heating", author="Almaty")
    items = ((paragraph, "w:p"), (paragraph.runs[0], "w:r"), (row.cells[0], "w:tc"), (row, "w:tr"),
             (comment, "w:comment"))
    for item, tag in items:
        kept = getattr(item, "_element", None)
        assert kept is not None and kept.tag == qn(tag), (f"python-docx no longer keeps a {type(item).__name__}'s "
                                                          "XML in `_element`: update vnr/write/docx_internals.py")
        assert docx_internals.element(item) is kept
    assert paragraph.runs[0].element.tag == qn("w:r"), "python-docx's Run.element changed (docx.py, docx_replies.py)"


def test_a_comment_dated_and_a_picture_described_through_python_docx_internals(tmp_path):
    Image.new("RGB", (4, 3), "white").save(tmp_path / "map.png")
    doc = Document()
    comment = doc.add_comment(doc.add_paragraph("Almaty").runs, text="Heating", author="Almaty")
    docx_internals.date_comment(comment, "2024-05-31T00:00:00Z")
    assert comment.timestamp.isoformat() == "2024-05-31T00:00:00+00:00"
    shape = doc.add_picture(str(tmp_path / "map.png"))
    assert hasattr(shape, "_inline"), \
        "python-docx's InlineShape no longer keeps `_inline`: update vnr/write/docx_internals.py"
    docx_internals.describe_picture(shape, "Heating networks by region", "Heating networks")
    out = io.BytesIO()
    doc.save(out)
    with zipfile.ZipFile(out) as archive:
        xml = archive.read("word/document.xml").decode()
    assert 'descr="Heating networks by region"' in xml and 'title="Heating networks"' in xml


def test_python_docx_anchors_a_comment_right_after_its_last_run():
    """docx_replies closes a reply's range after its parent's by swapping the two comments' ends,
    which python-docx puts right after the last anchored run (it raises if they are not there)."""
    doc = Document()
    paragraph = doc.add_paragraph("Heating networks in the north are worn.")
    runs = paragraph.runs  # the text's: a comment's reference is a run too
    parent = doc.add_comment(runs, text="Отопление отключают зимой.", author="Almaty")
    Threads(doc).reply(parent, runs, "Planned for 2026.", "Editors", True)
    found = [(node.tag.split("}")[1], node.get(qn("w:id")) or node[-1].get(qn("w:id")))
             for node in docx_internals.element(paragraph)]
    assert found == [("commentRangeStart", "0"), ("commentRangeStart", "1"), ("r", None),
                     ("commentRangeEnd", "0"), ("r", "0"), ("commentRangeEnd", "1"), ("r", "1")]


def _pdf(html: str, **options):
    document = HTML(string=html).render(**options)
    seen = {}

    def finisher(document, pdf):
        seen["pairs"] = weasy_internals.page_objects(document, pdf)
        seen["pdf"] = pdf

    document.write_pdf(io.BytesIO(), finisher=finisher, **options)
    return document, seen


def test_weasyprint_pairs_each_page_with_its_pdf_page_object():
    document, seen = _pdf("<p id=a>one</p><p id=b style='break-before: page'>two</p>"
                          "<p id=c style='break-before: page'>three</p>")
    pairs = seen["pairs"]
    assert len(pairs) == len(document.pages) == 3
    for page, obj in pairs:
        assert isinstance(obj, pydyf.Dictionary) and obj["Type"] == "/Page", \
            "WeasyPrint's pdf.pages['Kids'] layout changed: update vnr/write/weasy_internals.py"
    assert [sorted(page.anchors) for page, _ in pairs] == [["a"], ["b"], ["c"]]


def test_weasyprint_ids_tagged_header_cells_by_table_row_and_column():
    _, seen = _pdf("<table><thead><tr><th>Region</th><th>Comments</th></tr></thead>"
                   "<tbody><tr><th>Almaty</th><td>17</td></tr></tbody></table>", pdf_variant="pdf/ua-1")
    headers = [obj for obj in seen["pdf"].objects if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH"]
    assert len(headers) == 3, "WeasyPrint no longer tags header cells as /TH"
    rows = sorted(weasy_internals.header_row(th) for th in headers)
    assert rows == [0, 0, 1], "WeasyPrint's header cell ids changed: update vnr/write/weasy_internals.py"
    cells = [obj for obj in seen["pdf"].objects if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TD"]
    named = {h.string for h in cells[0]["A"]["Headers"]}
    assert named <= {th["ID"].string for th in headers}, "WeasyPrint's /Headers no longer name the header ids"
    weasy_internals.header_scopes(seen["pdf"], "p3")
    assert sorted(str(th["A"]["Scope"]) for th in headers) == ["/Column", "/Column", "/Row"]
    # ids unique across the parts of a merged PDF: each part's prefix, on the ids and on what names them
    assert all(th["ID"].string.startswith("p3-") for th in headers)
    assert {h.string for h in cells[0]["A"]["Headers"]} == {f"p3-{h}" for h in named}


def test_a_link_to_an_anchor_given_a_stand_in_keeps_its_annotation_and_tag():
    """write/merge.py: a part's link to another part's anchor stays, by name, while WeasyPrint
    drops a link to an anchor it does not find."""
    document = HTML(string="<html lang=en><title>t</title><p><a href='#far'>see there</a></p>").render(
        pdf_variant="pdf/ua-1")
    bare = pypdf.PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/ua-1")))
    assert "/Annots" not in bare.pages[0], "WeasyPrint keeps links to missing anchors now: the stand-ins can go"
    with weasy_internals.standing_in(document, ["far"]) as added:
        kept = pypdf.PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/ua-1")))
    assert added == {"far"} and "far" not in document.pages[0].anchors
    (link,) = [a.get_object() for a in kept.pages[0]["/Annots"]]
    assert link["/Subtype"] == "/Link" and link["/Dest"] == "far" and "/StructParent" in link


PAGES = ("<style>@page {{ size: A6; @bottom-left {{ content: 'Revision x' }} @bottom-right {{ content: {number} }} }}"
         "</style><p>one</p><p style='break-before: page'>two</p>")


def test_weasyprint_keeps_page_number_boxes_that_can_be_swapped_for_another_pages():
    """write/layout.py renumbers a kept part by taking the page-number margin boxes of blank pages."""
    kept = HTML(string=PAGES.format(number="counter(page)")).render()
    blank = HTML(string=PAGES.format(number="counter(page)")).render(
        stylesheets=[CSS(string="@page :first { counter-reset: page 7 }")])
    assert all(hasattr(p, "_page_box") for p in kept.pages), \
        "WeasyPrint's Page no longer keeps its box in `_page_box`: update vnr/write/weasy_internals.py"
    assert [weasy_internals.page_name(p) for p in kept.pages] == ["", ""]
    assert all(weasy_internals.renumber(page, other) for page, other in zip(kept.pages, blank.pages))
    reader = pypdf.PdfReader(io.BytesIO(kept.write_pdf()))
    assert [p.extract_text().split() for p in reader.pages] == [["one", "Revision", "x", "7"], ["two", "Revision", "x", "8"]]


def test_a_page_number_sharing_its_box_with_a_running_string_is_not_swapped():
    mixed = "string(chapter) ' ' counter(page)"
    kept = HTML(string=PAGES.format(number=mixed)).render()
    blank = HTML(string=PAGES.format(number=mixed)).render()
    assert not weasy_internals.renumber(kept.pages[0], blank.pages[0])
    wider = HTML(string=PAGES.format(number="counter(page)").replace("A6", "A5")).render()
    assert not weasy_internals.renumber(HTML(string=PAGES.format(number="counter(page)")).render().pages[0],
                                        wider.pages[0])
