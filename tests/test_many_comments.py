"""Many comments (CONTRACT.md, "Many comments"): the same text at one place is one note naming every
seminar, and a place shows `notes_per_place` margin notes then a summary, every comment keeping
its sticky note and Word comment. Read back from the PDF, the DOCX, the HTML and the manifest."""

from __future__ import annotations

import json
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from conftest import FEEDBACK, SETTINGS, write_project
from docx import Document

from vnr.build import Options, build

REGIONS = ("KZ-31", "KZ-39", "KZ-47")
# the sample's solar-1 ("Solar panels on the roofs of rural schools.") made again at 20 seminars,
# written as people write it: other case, spaces and punctuation
SAME = ("solar panels on the roofs of rural schools", "Solar panels on the roofs of rural schools!",
        "SOLAR PANELS  on the roofs of rural schools.", "Solar panels, on the roofs of rural schools…")


def seminar(i: int) -> str:
    return textwrap.dedent(f"""\
        region: {REGIONS[i % 3]}
        city: Taraz
        date: 2022-03-{10 + i}
        audience: residents
        comments:
          - id: solar-{i}
            text: "{SAME[i % 4]}"
            targets: ["7.1", "7.b"]
            kind: proposal
            from: youth
          - id: own-{i}
            text: "Heating in district {i} is switched off for days in January."
            targets: ["7.1"]
            kind: {'problem' if i % 2 else 'question'}
            from: youth
        """)


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    feedback = {**FEEDBACK, **{f"kz-r{i}.yaml": seminar(i) for i in range(20)}}
    root = write_project(tmp_path_factory.mktemp("many") / "p", feedback=feedback,
                         settings=SETTINGS + "notes_per_place: 5\n")
    build(Options(root, root / "build", revision="r"))
    return root / "build"


def _notes(pdf: Path) -> list[dict]:
    return [a.get_object() for page in pypdf.PdfReader(pdf).pages for a in page.get("/Annots") or []
            if a.get_object()["/Subtype"] == "/Text" and "/IRT" not in a.get_object()]


def test_the_same_text_at_one_place_is_one_note_naming_every_seminar(many):
    manifest = json.loads((many / "review.manifest.json").read_text(encoding="utf-8"))
    notes = _notes(many / "review.pdf")
    assert manifest["counts"]["merged"] == 20
    assert manifest["counts"]["annotations"] == len(notes)
    solar = [n for n in notes if "olar panels" in n["/Contents"]]
    assert [n["/NM"] for n in solar] == ["kz-11-residents/solar-1#1"]  # the first comment's key
    contents = solar[0]["/Contents"]
    assert contents.startswith("Solar panels on the roofs of rural schools.\n")  # verbatim
    assert "Raised at 21 seminars:" in contents
    for key in ["kz-11-residents/solar-1", *(f"kz-r{i}/solar-{i}" for i in range(20))]:
        assert key in contents
    for region in ("Akmola Region", "Jambyl Region", "Kostanay Region", "Mangystau Region"):
        assert region in contents
    assert not any(n["/NM"].startswith("kz-r") and "/solar-" in n["/NM"] for n in notes)


def test_every_comment_keeps_its_sticky_note_and_word_comment_past_notes_per_place(many):
    names = {n["/NM"] for n in _notes(many / "review.pdf")}
    assert {f"kz-r{i}/own-{i}#1" for i in range(20)} <= names  # 20 at one place, 5 shown
    manifest = json.loads((many / "review.manifest.json").read_text(encoding="utf-8"))
    words = Document(many / "review.docx").comments
    assert len(words) == manifest["counts"]["annotations"]
    folded = [c for c in words if c.text.startswith("Solar panels on the roofs of rural schools.")]
    assert len(folded) == 1 and all(f"kz-r{i}/solar-{i}" in folded[0].text for i in range(20))
    assert sum("Heating in district" in c.text for c in words) == 20


class _Notes(HTMLParser):
    """The margin notes of one place (by the section's id) in the HTML: their classes and text."""

    def __init__(self, place: str):
        super().__init__()
        self.place, self.inside, self.depth, self.notes = place, False, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == self.place:
            self.inside = True
        elif self.inside and tag == "section":
            self.inside = False
        if self.inside and tag == "aside":
            self.notes.append([attrs.get("class", ""), ""])
            self.depth = 1
        elif self.depth and tag == "aside":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "aside":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.notes[-1][1] += data


def test_a_crowded_place_shows_notes_per_place_then_a_summary_by_kind_and_region(many):
    parser = _Notes("sdg-07-heat")
    parser.feed((many / "review.html").read_text(encoding="utf-8"))
    shown = [text for cls, text in parser.notes if "note-summary" not in cls]
    summaries = [text for cls, text in parser.notes if "note-summary" in cls]
    assert len(shown) == 5 and len(summaries) == 1, parser.notes
    summary = " ".join(summaries[0].split())
    # at 7.1: heat-1, solar-1 (21 folded into one) and own-0..19: 22 notes, 5 shown, 17 summed up
    assert "17 comments more at this place:" in summary
    assert "Problem" in summary and "Question" in summary and "Jambyl Region" in summary
    assert "SDG 7" in summary
    pages = pypdf.PdfReader(many / "review.pdf").pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "17 comments more at this place:" in text
    assert sum(f"Heating in district {i} is" in text for i in range(20)) == 20  # 3 in the margin, all in the annex


def test_different_texts_are_not_folded(many):
    manifest = json.loads((many / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["comments"] == 45
    assert manifest["counts"]["annotations"] == 45 - 20 + 1  # heat-1 has two places


def test_the_consultations_part_sums_up_each_goal_by_kind_and_region_with_the_top_proposals(many):
    document = Document(many / "review.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "What the seminars said, goal by goal" in headings and "SDG 7: Affordable and clean energy" in headings
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    kinds = [t for t in tables if t[0] == ["Region", "Problem", "Proposal", "Question", "Total"]]
    # goal 7: heat-1 (a problem), solar-1 and its 20 copies (proposals), own-0..19 (10 problems, 10 questions)
    assert ["Total", "11", "21", "10", "42"] in [t[-1] for t in kinds]
    on_7 = next(t for t in kinds if t[-1] == ["Total", "11", "21", "10", "42"])
    assert ["Jambyl Region", "3", "7", "4", "14"] in on_7  # seminars 0, 3, ..., 18: own-i's kind alternates
    proposals = [t for t in tables if t[0] == ["Proposal", "Seminars", "Region"]]
    assert any(t[1][:2] == ["Solar panels on the roofs of rural schools.", "21"] for t in proposals)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(many / "review.pdf").pages)
    assert "Proposals made most often" in text and "Comments by kind and region" in text


@pytest.mark.parametrize("lang, raised, more", [
    ("ar", "أُثير في الحلقات الدراسية (21):", "على هذا الموضع"),  # (pypdf reads its brackets mirrored)
    ("zh", "在21场研讨会上提出：", "此处另有17条意见"),
])
def test_folding_and_the_summary_in_arabic_right_to_left_and_in_chinese(many, tmp_path, lang, raised, more):
    root = many.parent
    build(Options(root, tmp_path / lang, formats=("pdf",), lang=lang, revision="r"))
    reader = pypdf.PdfReader(tmp_path / lang / "review.pdf")
    notes = _notes(tmp_path / lang / "review.pdf")
    solar = next(n for n in notes if n["/NM"] == "kz-11-residents/solar-1#1")
    assert raised in solar["/Contents"] and "kz-r19/solar-19" in solar["/Contents"]
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "".join(more.split()) in text
    width = float(reader.pages[0].mediabox.width)
    sides = {float(n["/Rect"][0]) < width / 2 for n in notes}
    assert sides == {lang == "ar"}  # the margin notes, and their sticky notes, on the left in Arabic


def test_the_annex_gives_a_text_made_at_several_seminars_once_then_each_seminar(many):
    paragraphs = [p.text for p in Document(many / "review.docx").paragraphs]
    annex = paragraphs[paragraphs.index("Annex: comments from the regional seminars"):]
    # solar-1 in Akmola Region; its 20 copies in three other regions: 7, 7 and 6 seminars, each
    # region's under target 7.1 and again under 7.b
    assert sum(p in SAME or p == "Solar panels on the roofs of rural schools." for p in annex) == 2 * 4
    assert annex.count("Raised at 7 seminars:") == 4 and annex.count("Raised at 6 seminars:") == 2
    for i in range(20):
        assert sum(p.endswith(f"kz-r{i}/solar-{i}") for p in annex) == 2  # its line, under each target
    html = " ".join((many / "review.html").read_text(encoding="utf-8").split())
    assert html.count('<ul class="voice-seminars">') == 6


def test_a_word_comment_of_several_lines_says_its_line_and_key_once(tmp_path):
    """The Word comment of a comment written on two lines: its text, then one last line (meta and key)."""
    feedback = {**FEEDBACK, "kz-43-residents.yaml": FEEDBACK["kz-43-residents.yaml"].replace(
        'text: "Ауылда ауыз су тәулігіне екі сағат қана беріледі."',
        'text: "Ауылда ауыз су тәулігіне екі сағат қана беріледі.\\nКүзде құбыр жиі жарылады."')}
    root = write_project(tmp_path / "p", feedback=feedback)
    build(Options(root, root / "build", formats=("docx",), revision="r"))
    comment = next(c for c in Document(root / "build" / "review.docx").comments if "Ауылда ауыз су" in c.text)
    assert "Күзде құбыр жиі жарылады." in comment.text
    assert comment.text.count("kz-43-residents/water-1") == 1 and comment.text.count("Kyzylorda") == 1
