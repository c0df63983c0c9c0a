"""Every comment annotated at each place it concerns, in the PDF and in Word; none dropped."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pypdf
import pytest
from docx import Document

from vnr.base.framework import framework
from vnr.build import Options, build
from vnr.placement import UNPLACED, places
from vnr.read.load import load

# The fixture of conftest.py: what each comment concerns and where the rule puts it.
EXPECTED_PLACES = {
    "kz-75-leb/heat-1": ("sdg-06-water", "sdg-07-heat"),  # two targets, each with its section
    "kz-11-residents/solar-1": ("sdg-07-heat",),  # 7.1 has a section, 7.b none: goal 7 already covered
    "kz-43-residents/water-1": ("sdg-06",),  # a goal only: the chapter of that goal
    "kz-75-leb/waste-1": (UNPLACED,),  # goals 11 and 12: no chapter reports on them
    "kz-11-residents/school-1": (UNPLACED,),
}
TEXTS = {
    "kz-75-leb/heat-1": "Отопление в микрорайонах отключают зимой; жылу беру үзіліссіз болуы керек.",
    "kz-43-residents/water-1": "Ауылда ауыз су тәулігіне екі сағат қана беріледі.",
    "kz-75-leb/waste-1": "Separate collection of household waste exists only in the city centre. <script>alert(1)</script>",
}


def sticky_notes(path: Path) -> list[dict]:
    notes = []
    for page in pypdf.PdfReader(path).pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Text":
                notes.append({"T": annot["/T"], "NM": annot["/NM"], "Contents": annot["/Contents"],
                              "Rect": [float(v) for v in annot["/Rect"]]})
    return notes


def test_placement_follows_the_three_steps(project):
    loaded = load(project)
    got = {c.key: places(c, loaded.chapters, framework()) for c in loaded.comments}
    assert got == EXPECTED_PLACES


def test_pdf_sticky_notes_one_per_place_with_region_key_and_verbatim_text(built):
    notes = sticky_notes(built / "review.pdf")
    per_key = Counter(n["NM"].rsplit("#", 1)[0] for n in notes)
    assert per_key == {key: len(where) for key, where in EXPECTED_PLACES.items()}
    assert sorted(n["NM"] for n in notes if n["NM"].startswith("kz-75-leb/heat-1")) == [
        "kz-75-leb/heat-1#1", "kz-75-leb/heat-1#2"]
    manifest = json.loads((built / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["annotations"] == len(notes) == 6
    assert manifest["counts"]["unplaced"] == 2
    for note in notes:
        key = note["NM"].rsplit("#", 1)[0]
        if key in TEXTS:
            assert note["Contents"].split("\n")[0] == TEXTS[key]
    by_key = {n["NM"]: n for n in notes}
    assert by_key["kz-75-leb/heat-1#1"]["T"] == "Almaty"
    assert by_key["kz-43-residents/water-1#1"]["T"] == "Kyzylorda Region"
    assert "Kyzylorda, 2 April 2022, Residents" in by_key["kz-43-residents/water-1#1"]["Contents"]


def test_sticky_notes_sit_in_the_right_margin(built):
    reader = pypdf.PdfReader(built / "review.pdf")
    width = float(reader.pages[3].mediabox.width)
    body_right = width - 64 / 25.4 * 72  # the annotated pages' right margin is 64 mm
    for note in sticky_notes(built / "review.pdf"):
        left, _, right, _ = note["Rect"]
        assert body_right < left < right <= width


def test_margin_notes_are_visible_text_in_the_pdf(built):
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(built / "review.pdf").pages)
    flat = " ".join(text.split())
    assert "<script>alert(1)</script>" in flat  # literal, in the margin note and the annex
    assert "жылу беру үзіліссіз болуы керек" in flat


def test_word_comments_one_per_place_author_region_text_verbatim(built):
    doc = Document(built / "review.docx")
    comments = list(doc.comments)
    assert len(comments) == 6
    texts = Counter(c.text.split("\n")[0] for c in comments)
    assert texts[TEXTS["kz-75-leb/heat-1"]] == 2
    assert texts[TEXTS["kz-75-leb/waste-1"]] == 1  # raw HTML kept as text
    heat = [c for c in comments if c.text.startswith("Отопление")]
    assert {(c.author, c.initials) for c in heat} == {("Almaty", "KZ-75")}
    # every comment is anchored in the document body
    body = doc.element.body.xml
    assert all(f'w:id="{c.comment_id}"' in body for c in comments)


def test_coverage_page_in_reviewers_edition(built):
    doc = Document(built / "review.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Coverage: comments by region and goal" in headings
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Region" and len(t.columns) == 19)
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows[1:]}
    assert len(rows) == 17  # the units that existed in April 2022
    assert rows["Almaty"][6] == "1" and rows["Almaty"][10] == "1"  # goal 7 and goal 11
    assert rows["Kyzylorda Region"][5] == "1" and rows["Kyzylorda Region"][-1] == "1"
    assert rows["Atyrau Region"] == [""] * 17 + ["0"]


def test_public_edition_has_no_annotations_and_keeps_the_annex(project, tmp_path):
    out = tmp_path / "public"
    build(Options(project, out, edition="public", revision="r1"))
    assert sticky_notes(out / "public.pdf") == []
    doc = Document(out / "public.docx")
    assert len(list(doc.comments)) == 0
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out / "public.pdf").pages)
    assert "Coverage: comments by region and goal" not in text
    assert "Annex: comments from the regional seminars" in text
    assert "Ауылда ауыз су тәулігіне екі сағат қана беріледі." in " ".join(text.split())
    manifest = json.loads((out / "public.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["annotations"] == 0 and manifest["counts"]["unplaced"] == 0
    html = (out / "public.html").read_text(encoding="utf-8")
    assert 'class="note"' not in html


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_keeps_every_word_comment(built, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(built / "review.docx")],
                   check=True, capture_output=True, timeout=300)
    content = zipfile.ZipFile(tmp_path / "review.odt").read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == 6
    assert "жылу беру үзіліссіз болуы керек" in content


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed")
def test_pandoc_lists_every_word_comment(built):
    done = subprocess.run(["pandoc", "--track-changes=all", "-t", "json", str(built / "review.docx")],
                          check=True, capture_output=True, timeout=300)
    document = json.loads(done.stdout)
    starts = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Span" and "comment-start" in node["c"][0][1]:
                starts.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document["blocks"])
    assert len(starts) == 6
