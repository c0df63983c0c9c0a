"""The built files read back: PDF (pypdf), DOCX (python-docx), HTML (html.parser), manifest."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pypdf
from docx import Document


def manifest(build: Path) -> dict:
    return json.loads((build / "review.manifest.json").read_text(encoding="utf-8"))


def pdf_text(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_every_output_exists_and_the_manifest_describes_it(built):
    data = manifest(built)
    assert set(data["outputs"]) == {"review.pdf", "review.docx", "review.html"}
    for name, info in data["outputs"].items():
        blob = (built / name).read_bytes()
        assert info["sha256"] == hashlib.sha256(blob).hexdigest()
        assert info["bytes"] == len(blob)
    assert data["outputs"]["review.pdf"]["pages"] == len(pypdf.PdfReader(built / "review.pdf").pages)
    assert data["revision"] == "rev-test-1" and data["edition"] == "review" and data["language"] == "en"
    assert set(data["inputs"]) == {
        "vnr.yaml", "chapters/intro.yaml", "chapters/sdg-06.yaml", "chapters/sdg-07.yaml",
        "feedback/kz-11-residents.yaml", "feedback/kz-43-residents.yaml", "feedback/kz-75-leb.yaml",
    }


def test_manifest_counts_and_priority_shares_computed_by_hand(built):
    data = manifest(built)
    assert data["counts"] == {
        "chapters": 3, "seminars": 3, "regions": 3, "regions_existing": 17,
        "participants": 40 + 30 + 20, "comments": 5, "annotations": 6, "merged": 0, "unplaced": 2, "responses": 0,
        "review_notes": 0, "review_notes_open": 0, "indicators": 0,
    }
    # Kyzylorda recorded no priorities: shares are over the 70 participants of the other two.
    assert data["priorities"] == {"6": round(21 / 70, 4), "7": 0.3, "4": round(20 / 70, 4), "11": round(18 / 70, 4)}


def test_pdf_has_cover_chapters_consultations_and_annex_text(built):
    reader = pypdf.PdfReader(built / "review.pdf")
    pages = pdf_text(reader)
    assert "Second Voluntary National" in pages[0] and "rev-test-1" in pages[0]
    text = "\n".join(pages)
    for expected in ("Contents", "Affordable and clean energy", "SDG 7: Affordable and clean energy",
                     "Clean water and sanitation", "Consultations in the regions", "Priority ranking (vote of the participants)",
                     "Annex: comments from the regional seminars", "Ауылда ауыз су тәулігіне екі сағат қана беріледі."):
        assert expected in text, expected
    # the Jinja expressions in the body were evaluated over the feedback
    assert "gathered 90 participants in 3 seminars" in re.sub(r"\s+", " ", text)
    assert "SDG 6 with 30.0%" in re.sub(r"\s+", " ", text)
    # every page but the cover carries the revision in its footer
    assert all("rev-test-1" in page for page in pages[1:])


def test_toc_page_numbers_are_the_pages_where_chapters_start(built):
    reader = pypdf.PdfReader(built / "review.pdf")
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}
    toc = next(t for t in pdf_text(reader) if t.lstrip().startswith("Contents"))
    listed = dict(re.findall(r"^(.+?)\s*\.*\s*(\d+)\s*$", toc, re.M))
    checked = 0
    for title, page in starts.items():
        if title == "Contents":
            continue
        assert int(listed[title].strip()) == page, title
        checked += 1
    assert checked == 7  # 3 chapters, consultations, coverage, annex, unplaced comments


def test_pdf_bookmarks_follow_chapters_and_sections(built):
    reader = pypdf.PdfReader(built / "review.pdf")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:4] == ["Contents", "Introduction", "Clean water and sanitation", "Affordable and clean energy"]
    nested = [child.title for item in reader.outline if isinstance(item, list) for child in item]
    assert "Uninterrupted electricity and heating" in nested


def test_docx_headings_tables_and_chart(built):
    doc = Document(built / "review.docx")
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Affordable and clean energy") in headings
    assert ("Heading 2", "Uninterrupted electricity and heating") in headings
    assert ("Heading 1", "Consultations in the regions") in headings
    assert ("Heading 1", "Annex: comments from the regional seminars") in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert ["Year", "Renewable share of electricity, %"] in [t[0] for t in tables]
    category = next(t for t in tables if t[0] == ["Category", "Participants"])
    assert category[-1] == ["Total", "90"]
    descriptions = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    assert any(d and d.startswith("Bar chart of the priority ranking (vote of the participants)") for d in descriptions)
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Отопление в микрорайонах отключают зимой" in body
    assert "<script>alert(1)</script>" in body  # shown as text, never markup


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_structure_and_escaping(built):
    html = (built / "review.html").read_text(encoding="utf-8")
    page = _Collect()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags  # the comment's <script> stayed text
    assert "<script>alert(1)</script>" in "".join(page.text)
    assert ("html", {"lang": "en", "dir": "ltr"}) in page.tags
    ids = [a.get("id") for _, a in page.tags if a.get("id")]
    assert len(ids) == len(set(ids))
    assert {"sdg-07", "sdg-07-heat", "consultations", "annex"} <= set(ids)
    images = [a for t, a in page.tags if t == "img"]
    assert images and all(a.get("alt") for a in images)


def test_total_rows_are_marked_in_html_and_docx_alike(built):
    doc = Document(built / "review.docx")
    category = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Category", "Participants"])
    last, first = category.rows[-1], category.rows[1]
    assert [c.text for c in last.cells] == ["Total", "90"]
    assert all(run.bold for cell in last.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in first.cells for run in cell.paragraphs[0].runs)
    html = (built / "review.html").read_text(encoding="utf-8")
    # participants by category, by audience, by region; the comments by kind of each goal commented (4, 6, 7, 11, 12)
    assert html.count('<tr class="total">') == 3 + 5


def test_a_chapter_with_goals_opens_with_their_badges(built):
    """The badge, not the annex heading of the same words: on the chapter's first page, under its title."""
    reader = pypdf.PdfReader(built / "review.pdf")
    start = next(reader.get_destination_page_number(item) for item in reader.outline
                 if not isinstance(item, list) and item.title == "Affordable and clean energy")
    first_page = " ".join(reader.pages[start].extract_text().split())
    assert first_page.index("Affordable and clean energy") < first_page.index("SDG 7: Affordable and clean energy")
    paragraphs = Document(built / "review.docx").paragraphs
    heading = next(i for i, p in enumerate(paragraphs)
                   if p.style.name == "Heading 1" and p.text == "Affordable and clean energy")
    assert paragraphs[heading + 1].text.strip() == "7  SDG 7: Affordable and clean energy"
    assert paragraphs[heading + 1].runs[0].bold
