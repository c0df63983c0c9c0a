"""Promises of CONTRACT.md read back from the outputs: the annex order, margin notes in their
goal's colour, Word comments in their section, rankings by shares, the order of chapters, the
sandbox of chapter bodies."""

from __future__ import annotations

import json
import re

import pypdf
import pytest
from conftest import CHAPTERS, FEEDBACK, write_project
from docx import Document
from docx.oxml.ns import qn
from helpers import errors, put

from vnr.base.framework import framework
from vnr.build import Options, build


def _annex(doc: Document) -> list[str]:
    """The annex as headings (H2 goal, H3 target, H4 region) and voice lines, in document order."""
    paragraphs = doc.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text.startswith("Annex"))
    lines = []
    for p in paragraphs[start + 1:]:
        if p.style.name == "Heading 1":
            break
        if p.style.name.startswith("Heading"):
            lines.append(f"{p.style.name[-1]} {p.text}")
        elif p.style.name == "List Continue":
            lines.append(f"  {p.text}")
    return lines


def test_the_annex_lists_comments_by_goal_then_target_then_region_with_their_seminar(built):
    assert _annex(Document(built / "review.docx")) == [
        "2 SDG 4: Quality education", "3 General comments on the goal", "4 Akmola Region",
        "  Question · Kokshetau, 20 March 2022, Residents · kz-11-residents/school-1",
        "2 SDG 6: Clean water and sanitation", "3 General comments on the goal", "4 Kyzylorda Region",
        "  Problem · Kyzylorda, 2 April 2022, Residents · kz-43-residents/water-1",
        "3 Target 6.1", "4 Almaty",
        "  Problem · Almaty, 14 March 2022, Local executive bodies · kz-75-leb/heat-1",
        "2 SDG 7: Affordable and clean energy", "3 Target 7.1", "4 Akmola Region",
        "  Proposal · Kokshetau, 20 March 2022, Residents · kz-11-residents/solar-1",
        "4 Almaty", "  Problem · Almaty, 14 March 2022, Local executive bodies · kz-75-leb/heat-1",
        "3 Target 7.b", "4 Akmola Region",
        "  Proposal · Kokshetau, 20 March 2022, Residents · kz-11-residents/solar-1",
        "2 SDG 11: Sustainable cities and communities", "3 Target 11.6", "4 Almaty",
        "  Problem · Almaty, 14 March 2022, Local executive bodies · kz-75-leb/waste-1",
        "2 SDG 12: Responsible consumption and production", "3 Target 12.5", "4 Almaty",
        "  Problem · Almaty, 14 March 2022, Local executive bodies · kz-75-leb/waste-1",
    ]
    html = (built / "review.html").read_text(encoding="utf-8")
    annex = html[html.index('id="annex"'):]
    keys = re.findall(r"kz-\d+-\w+/[\w-]+", re.sub(r"<[^>]+>", " ", annex))
    assert keys == ["kz-11-residents/school-1", "kz-43-residents/water-1", "kz-75-leb/heat-1",
                    "kz-11-residents/solar-1", "kz-75-leb/heat-1", "kz-11-residents/solar-1",
                    "kz-75-leb/waste-1", "kz-75-leb/waste-1"]


def test_a_margin_note_and_its_sticky_note_take_the_colour_of_the_comments_first_goal(built):
    colour = framework().goals[12].colour  # waste-1 lists goal 12, then targets 11.6 and 12.5
    html = (built / "review.html").read_text(encoding="utf-8")
    note = re.search(r'<aside class="note"[^>]*data-key="kz-75-leb/waste-1#1"[^>]*>', html).group(0)
    assert f"border-inline-start-color: {colour}" in note  # the side the note stands on (right to left too)
    reader = pypdf.PdfReader(built / "review.pdf")
    sticky = next(a.get_object() for page in reader.pages for a in page.get("/Annots") or []
                  if a.get_object().get("/NM") == "kz-75-leb/waste-1#1")
    assert [round(float(c) * 255) for c in sticky["/C"]] == [int(colour[i:i + 2], 16) for i in (1, 3, 5)]


def test_a_word_comment_is_anchored_at_the_heading_of_its_section(built):
    doc = Document(built / "review.docx")
    ids = {c.comment_id: c.text for c in doc.comments}
    anchored: dict[str, list[str]] = {}  # comment text -> the paragraphs its comments are anchored in
    for p in doc.paragraphs:
        for start in p._p.iter(qn("w:commentRangeStart")):
            anchored.setdefault(ids[int(start.get(qn("w:id")))].split("\n")[0], []).append(p.text)

    def at(text: str) -> list[str]:
        return sorted(next(places for comment, places in anchored.items() if comment.startswith(text)))

    # heat-1 concerns targets 7.1 and 6.1, each with its own section; water-1 goal 6 only: the chapter
    assert at("Отопление в микрорайонах") == ["Drinking water in villages", "Uninterrupted electricity and heating"]
    assert at("Solar panels on the roofs") == ["Uninterrupted electricity and heating"]
    assert at("Ауылда ауыз су") == ["Clean water and sanitation"]


def test_the_ranking_by_region_uses_the_shares_of_the_seminars_that_recorded_priorities(tmp_path):
    more = FEEDBACK["kz-75-leb.yaml"].replace("audience: leb", "audience: residents").replace(
        "        priorities: {7: 21, 11: 18, 6: 9}\n", "").replace("leb: 31\n", "leb: 0\n          youth: 91\n") \
        .replace("waste-1", "waste-2").replace("heat-1", "heat-2")
    root = write_project(tmp_path / "p", feedback={**FEEDBACK, "kz-75-residents.yaml": more})
    build(Options(root, root / "build", formats=("html",), revision="r"))
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    row = re.search(r"<th scope=\"row\">Almaty</th>(.*?)</tr>", html, re.S).group(1)
    # 140 participants in Almaty, but only the 40 of the seminar that voted count: 21/40, 18/40, 9/40
    assert re.sub(r"<[^>]+>|\s+", " ", row).split() == ["140", "4", "7", "(52.5%),", "11", "(45.0%),", "6",
                                                        "(22.5%)"]
    national = json.loads((root / "build" / "review.manifest.json").read_text(encoding="utf-8"))["priorities"]
    assert national == {"6": round(21 / 70, 4), "7": 0.3, "4": round(20 / 70, 4), "11": round(18 / 70, 4)}


def test_chapters_of_the_same_order_go_by_id(tmp_path):
    chapters = {**CHAPTERS, "b.yaml": "id: b-second\norder: 65\ntitle: Second by id\n",
                "a.yaml": "id: a-first\norder: 65\ntitle: First by id\n"}
    root = write_project(tmp_path / "p", chapters=chapters)
    build(Options(root, root / "build", formats=("pdf",), revision="r"))
    parts = json.loads((root / "build" / "review.manifest.json").read_text(encoding="utf-8"))["parts"]
    assert parts[:5] == ["intro", "sdg-06", "a-first", "b-second", "sdg-07"]
    reader = pypdf.PdfReader(root / "build" / "review.pdf")
    titles = [i.title for i in reader.outline if not isinstance(i, list)]
    assert titles[1:6] == ["Introduction", "Clean water and sanitation", "First by id", "Second by id",
                           "Affordable and clean energy"]


ESCAPES = [
    ("''.__class__.__mro__", "access to attribute '__class__' of 'str' object is unsafe."),
    ("cycler.__init__.__globals__", "access to attribute '__init__' of 'type' object is unsafe."),
    ("self._TemplateReference__context",
     "access to attribute '_TemplateReference__context' of 'TemplateReference' object is unsafe."),
    ("lipsum.__globals__", "access to attribute '__globals__' of 'function' object is unsafe."),
]


@pytest.mark.parametrize("expression, message", ESCAPES, ids=[e for e, _ in ESCAPES])
def test_a_sandbox_escape_in_a_body_is_an_error_at_its_line(project, expression, message):
    put(project, "chapters/x.yaml", f"id: x\ntitle: X\nbody: |\n  Fine.\n  {{{{ {expression} }}}}\n")
    found = errors(project)
    assert any(line.startswith(f"chapters/x.yaml:5:3: error: template error: {message}") for line in found), found
