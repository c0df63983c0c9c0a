"""vnr collect: reviewers' notes written into returned PDFs by viewers come back, placed."""

from __future__ import annotations

import json
import re

import pdfplumber
import pypdf
import pytest
import yaml
from conftest import write_project
from docx import Document
from helpers import errors, named, put, responses_yaml, vnr
from pypdf.annotations import Highlight, Popup, Text
from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

from vnr.build import Options, build

PHRASE = "Heating networks in the north are worn"


@pytest.fixture
def reviewed(tmp_path):
    """A project with responses, its reviewers' and public editions, and where PHRASE stands."""
    root = write_project(tmp_path / "p")
    (root / "responses").mkdir()
    (root / "responses" / "team.yaml").write_text(responses_yaml(), encoding="utf-8")
    build(Options(root, root / "build", formats=("pdf",), revision="r1"))
    build(Options(root, root / "build", formats=("pdf",), edition="public", revision="r1"))
    with pdfplumber.open(root / "build" / "review.pdf") as pdf:
        number, hit = next((i, page.search(PHRASE)[0]) for i, page in enumerate(pdf.pages) if page.search(PHRASE))
        height = float(pdf.pages[number].height)
    return root, number, hit, height


def _as_acrobat(source, target, number: int, hit: dict, height: float) -> None:
    """A highlight with /QuadPoints, a sticky note with its /Popup, and a reply to one of vnr's
    sticky notes, each with /T and /M, as Acrobat writes them."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    x0, x1, top, bottom = hit["x0"], hit["x1"], height - hit["top"], height - hit["bottom"]
    highlight = Highlight(rect=(x0, bottom, x1, top),
                          quad_points=ArrayObject(FloatObject(v) for v in (x0, top, x1, top, x0, bottom, x1, bottom)))
    highlight[NameObject("/Contents")] = TextStringObject("Жылу желілерінің тозуы туралы дерек 2021 жылға қатысты ма?")
    note = Text(rect=(70, bottom - 40, 90, bottom - 20), text="Добавьте данные по Экибастузу.")
    for annot, author, when in ((highlight, "Ministry of Energy", "D:20261202101500+05'00'"),
                                (note, "UNDP Kazakhstan", "D:20261203090000Z")):
        annot[NameObject("/T")] = TextStringObject(author)
        annot[NameObject("/M")] = TextStringObject(when)
        writer.add_annotation(page_number=number, annotation=annot)
    added = writer.pages[number]["/Annots"][-1]
    writer.add_annotation(page_number=number, annotation=Popup(rect=(200, 500, 400, 600), parent=added))
    for page_number, page in enumerate(writer.pages):
        for ref in page.get("/Annots") or []:
            if ref.get_object().get("/NM") == "kz-75-leb/heat-1#2":
                reply = Text(rect=ref.get_object()["/Rect"], text="The ministry confirms: the networks are 70% worn.")
                reply[NameObject("/T")] = TextStringObject("Ministry of Energy")
                reply[NameObject("/IRT")] = ref
                reply[NameObject("/RT")] = NameObject("/R")
                writer.add_annotation(page_number=page_number, annotation=reply)
    writer.write(target)


def _notes(root, stem) -> list[dict]:
    return yaml.safe_load((root / "reviews" / f"{stem}.yaml").read_text(encoding="utf-8"))


def test_notes_written_as_acrobat_does_come_back_placed_and_again_change_nothing(reviewed, tmp_path):
    root, number, hit, height = reviewed
    returned = tmp_path / "energy.pdf"
    _as_acrobat(root / "build" / "review.pdf", returned, number, hit, height)
    done = vnr("collect", str(returned), "--path", str(root))
    assert done.returncode == 0, done.stderr
    notes = {n["author"] + "|" + n["text"][:12]: n for n in _notes(root, "energy")}
    assert len(notes) == 3
    highlight = notes["Ministry of Energy|Жылу желілер"]
    assert highlight["quote"] == PHRASE and highlight["place"] == "sdg-07-heat"
    assert highlight["page"] == number + 1 and str(highlight["date"]) == "2026-12-02"
    assert highlight["text"] == "Жылу желілерінің тозуы туралы дерек 2021 жылға қатысты ма?"
    note = notes["UNDP Kazakhstan|Добавьте дан"]
    assert note["text"] == "Добавьте данные по Экибастузу." and note["place"] == "sdg-07-heat"
    assert "quote" not in note and "reply_to" not in note and note["status"] == "open"
    reply = notes["Ministry of Energy|The ministry"]
    assert reply["reply_to"] == "kz-75-leb/heat-1"
    assert all(len(n["id"]) == 8 for n in notes.values())
    # again: nothing changes; an editor's status is kept
    before = (root / "reviews" / "energy.yaml").read_bytes()
    assert vnr("collect", str(returned), "--path", str(root)).returncode == 0
    assert (root / "reviews" / "energy.yaml").read_bytes() == before
    edited = before.decode("utf-8").replace("status: open", "status: done", 1)
    (root / "reviews" / "energy.yaml").write_text(edited, encoding="utf-8")
    assert vnr("collect", str(returned), "--path", str(root)).returncode == 0
    assert (root / "reviews" / "energy.yaml").read_text(encoding="utf-8") == edited


def test_collected_notes_are_inputs_shown_at_their_place_and_counted(reviewed, tmp_path):
    root, number, hit, height = reviewed
    _as_acrobat(root / "build" / "review.pdf", tmp_path / "energy.pdf", number, hit, height)
    assert vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(root)).returncode == 0
    build(Options(root, root / "out", formats=("html",), revision="r2"))
    build(Options(root, root / "out", formats=("html",), edition="public", revision="r2"))
    manifest = json.loads((root / "out" / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["review_notes"] == manifest["counts"]["review_notes_open"] == 3
    assert "reviews/energy.yaml" in manifest["inputs"]
    html = (root / "out" / "review.html").read_text(encoding="utf-8")
    section = html[html.index('id="sdg-07-heat"'):html.index("</section>", html.index('id="sdg-07-heat"'))]
    assert section.count('class="review-note"') == 2 and "Добавьте данные по Экибастузу." in section
    # the reply stands beside the margin note of the comment it answers
    margin = re.search(r'<aside class="note"[^>]*data-key="kz-75-leb/heat-1#2".*?</aside>', html, re.S).group(0)
    assert 'class="note-reply"' in margin and "The ministry confirms: the networks are 70% worn." in margin
    assert 'class="review-note"' not in (root / "out" / "public.html").read_text(encoding="utf-8")


def test_notes_written_by_pymupdf_come_back_too(reviewed, tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    root, number, hit, height = reviewed
    document = pymupdf.open(root / "build" / "review.pdf")
    page = document[number]
    note = page.add_text_annot((72, hit["bottom"] + 30), "Please cite the 2022 figures.")
    note.set_info(title="Ministry of National Economy")
    note.update()
    quads = page.search_for(PHRASE, quads=True)
    highlight = page.add_highlight_annot(quads)
    highlight.set_info(content="Источник: Министерство энергетики.", title="Ministry of National Economy")
    highlight.update()
    document.save(tmp_path / "mne.pdf")
    assert vnr("collect", str(tmp_path / "mne.pdf"), "--path", str(root)).returncode == 0
    notes = {n["text"]: n for n in _notes(root, "mne")}
    assert set(notes) == {"Please cite the 2022 figures.", "Источник: Министерство энергетики."}
    assert notes["Источник: Министерство энергетики."]["quote"] == PHRASE
    assert {n["place"] for n in notes.values()} == {"sdg-07-heat"}
    assert {n["author"] for n in notes.values()} == {"Ministry of National Economy"}


def test_a_file_that_is_not_a_reviewers_edition_of_this_project_is_an_error(reviewed, tmp_path):
    root, *_ = reviewed
    other = write_project(tmp_path / "other")
    (other / "feedback" / "kz-75-leb.yaml").write_text(
        (other / "feedback" / "kz-75-leb.yaml").read_text(encoding="utf-8").replace("waste-1", "bins-1")
        .replace("heat-1", "boilers-1"), encoding="utf-8")
    (other / "feedback" / "kz-11-residents.yaml").unlink()
    (other / "feedback" / "kz-43-residents.yaml").unlink()
    build(Options(other, other / "build", formats=("pdf",), revision="x"))
    for pdf in (root / "build" / "public.pdf", other / "build" / "review.pdf"):
        done = vnr("collect", str(pdf), "--path", str(root))
        assert done.returncode == 1
        assert f"{pdf}:1:1: error: not a reviewers' edition of this project" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (root / "reviews").exists()


REVIEW_ERRORS = [
    ("- id: 0000000a\n  place: sdg-07-hot\n  text: Fine.\n",
     "reviews/r.yaml:2:10: error: unknown place 'sdg-07-hot': not a chapter, section or generated part; "
     "did you mean 'sdg-07-heat'?"),
    ("- id: 0000000a\n  place: sdg-07\n  reply_to: kz-75-leb/heat-9\n  text: Fine.\n",
     "reviews/r.yaml:3:13: error: unknown comment 'kz-75-leb/heat-9'"),
    ("- id: 0000000a\n  place: sdg-07\n  text: Fine.\n  status: closed\n",
     "reviews/r.yaml:4:11: error: unknown status 'closed' (expected one of: open, done)"),
    ("- id: 0000000a\n  place: annex\n  text: Fine.\n- id: 0000000a\n  place: sdg-07\n  text: Again.\n",
     "reviews/r.yaml:4:7: error: duplicate note id '0000000a' (first defined at reviews/r.yaml:1:7)"),
]


@pytest.mark.parametrize("text, expected", REVIEW_ERRORS, ids=named(REVIEW_ERRORS))
def test_each_reviews_error_at_its_position(project, text, expected):
    put(project, "reviews/r.yaml", text)
    assert expected in errors(project)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


def _as_word(source, target) -> None:
    """A reviewer's comment on a paragraph and a threaded reply to one of vnr's comments, as Word
    writes them: the reply anchored where its parent is, tied to it in commentsExtended.xml."""
    import io
    import zipfile

    from docx import Document

    doc = Document(source)
    body = next(p for p in doc.paragraphs if p.text.startswith(PHRASE))
    doc.add_comment(body.runs, text="Уточните долю изношенных сетей по данным акиматов.", author="Ministry of Energy",
                    initials="ME")
    parent = next(c for c in doc.comments if c.author == "Almaty" and c.text.startswith("Отопление"))
    heading = next(p for p in doc.paragraphs if p.text == "Uninterrupted electricity and heating")
    reply = doc.add_comment(heading.runs, text="Келісеміз: министрлік 2021 жылғы деректерді жібереді.",
                            author="Ministry of Energy", initials="ME")
    parent_id = parent._comment_elm.findall(f"{W}p")[-1].get(f"{W14}paraId")
    reply._comment_elm.findall(f"{W}p")[-1].set(f"{W14}paraId", "7AAA0002")
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "word/commentsExtended.xml":
                data = data.replace(b"</w15:commentsEx>", f'<w15:commentEx w15:paraId="7AAA0002" w15:paraIdParent='
                                    f'"{parent_id}" w15:done="0"/></w15:commentsEx>'.encode())
            new.writestr(item, data)


def test_word_comments_and_replies_come_back_placed_by_the_bookmarks(tmp_path):
    root = write_project(tmp_path / "p")
    (root / "responses").mkdir()
    (root / "responses" / "team.yaml").write_text(responses_yaml(), encoding="utf-8")
    build(Options(root, root / "build", formats=("docx",), revision="r1"))
    _as_word(root / "build" / "review.docx", tmp_path / "energy-word.docx")
    assert vnr("collect", str(tmp_path / "energy-word.docx"), "--path", str(root)).returncode == 0
    notes = {n["text"]: n for n in _notes(root, "energy-word")}
    assert set(notes) == {"Уточните долю изношенных сетей по данным акиматов.",
                          "Келісеміз: министрлік 2021 жылғы деректерді жібереді."}  # none of vnr's 11 comments
    comment = notes["Уточните долю изношенных сетей по данным акиматов."]
    assert comment["place"] == "sdg-07-heat" and comment["quote"] == "Heating networks in the north are worn."
    assert comment["author"] == "Ministry of Energy" and "reply_to" not in comment and "page" not in comment
    reply = notes["Келісеміз: министрлік 2021 жылғы деректерді жібереді."]
    assert reply["reply_to"] == "kz-75-leb/heat-1" and reply["place"] == "sdg-07-heat"
    before = (root / "reviews" / "energy-word.yaml").read_bytes()
    assert vnr("collect", str(tmp_path / "energy-word.docx"), "--path", str(root)).returncode == 0
    assert (root / "reviews" / "energy-word.yaml").read_bytes() == before
    assert vnr("check", str(root)).returncode == 0


def test_a_note_on_a_section_gone_since_keeps_its_place_with_a_warning_and_the_summary_counts(reviewed, tmp_path):
    root, number, hit, height = reviewed
    _as_acrobat(root / "build" / "review.pdf", tmp_path / "energy.pdf", number, hit, height)
    chapter = root / "chapters" / "sdg-07.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("sdg-07-heat", "sdg-07-heating"), encoding="utf-8")
    (root / "responses" / "team.yaml").write_text(
        (root / "responses" / "team.yaml").read_text(encoding="utf-8").replace("sdg-07-heat", "sdg-07-heating"),
        encoding="utf-8")
    done = vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stdout.splitlines() if ": warning: " in line]
    assert len(warnings) == 3 and all("sits in 'sdg-07-heat', which is no longer a chapter, section or generated "
                                      "part; its place is kept" in w for w in warnings)
    assert {n["place"] for n in _notes(root, "energy")} == {"sdg-07-heat"}
    assert "reviews/energy.yaml:" in errors(root)[0]  # the editor moves them to their new place before a build
    (root / "reviews" / "energy.yaml").write_text((root / "reviews" / "energy.yaml").read_text(encoding="utf-8")
                                                  .replace("sdg-07-heat", "sdg-07-heating").replace("status: open",
                                                                                                     "status: done", 1),
                                                  encoding="utf-8")
    summary = vnr("collect", "--summary", "--path", str(root)).stdout.splitlines()
    assert summary == ["reviewers' notes: 3 (2 open, 1 done)",
                       "  by reviewer: Ministry of Energy 2 (1 open); UNDP Kazakhstan 1 (1 open)",
                       "  by part: sdg-07 3 (2 open)"]


def test_notes_of_two_reviewers_with_the_same_viewer_do_not_collide(reviewed, tmp_path):
    """MuPDF names the first note of every document fitz-A0: ids must tell them apart."""
    pymupdf = pytest.importorskip("pymupdf")
    root, number, hit, height = reviewed
    for reviewer in ("Ministry of Health", "Ministry of Education"):
        document = pymupdf.open(root / "build" / "review.pdf")
        note = document[number].add_text_annot((72, hit["bottom"] + 30), f"Comments of the {reviewer}.")
        note.set_info(title=reviewer)
        note.update()
        document.save(tmp_path / f"{reviewer.split()[-1].lower()}.pdf")
    done = vnr("collect", str(tmp_path / "health.pdf"), str(tmp_path / "education.pdf"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    ids = [n["id"] for stem in ("health", "education") for n in _notes(root, stem)]
    assert len(ids) == len(set(ids)) == 2
    assert vnr("check", str(root)).returncode == 0


def test_a_reviewer_returning_the_pdf_and_the_docx_keeps_the_notes_of_both(reviewed, tmp_path):
    root, number, hit, height = reviewed
    build(Options(root, root / "build", formats=("docx",), revision="r1"))
    (tmp_path / "pdf").mkdir()
    (tmp_path / "docx").mkdir()
    _as_acrobat(root / "build" / "review.pdf", tmp_path / "pdf" / "energy.pdf", number, hit, height)
    _as_word(root / "build" / "review.docx", tmp_path / "docx" / "energy.docx")
    done = vnr("collect", str(tmp_path / "pdf" / "energy.pdf"), str(tmp_path / "docx" / "energy.docx"),
               "--path", str(root))
    assert done.returncode == 0, done.stderr
    notes = _notes(root, "energy")
    assert len(notes) == 3 + 2 and len({n["id"] for n in notes}) == 5
    assert sum("page" in n for n in notes) == 3  # the PDF's


def test_the_reviewers_pdf_lists_its_places_for_collect(reviewed):
    root, *_ = reviewed
    info = pypdf.PdfReader(root / "build" / "review.pdf").metadata
    assert info["/VnrPlaces"].split() == ["intro", "sdg-06", "sdg-06-water", "sdg-07", "sdg-07-heat",
                                          "consultations", "responses", "coverage", "annex", "unplaced"]
    assert "/VnrPlaces" not in (pypdf.PdfReader(root / "build" / "public.pdf").metadata or {})


def test_a_reply_to_an_unplaced_comment_shows_in_the_docx_as_in_the_html(tmp_path):
    root = write_project(tmp_path / "project")
    put(root, "reviews/unep.yaml", "- id: 5e6f7a8b\n  author: UNEP\n  place: unplaced\n"
                                   "  reply_to: kz-75-leb/waste-1\n  text: Separate collection is goal 12.5; "
                                   "add a section on it.\n")
    build(Options(root, root / "build", formats=("html", "docx"), revision="r"))
    reply = "Separate collection is goal 12.5; add a section on it."
    assert reply in (root / "build" / "review.html").read_text(encoding="utf-8")
    paragraphs = [p.text for p in Document(str(root / "build" / "review.docx")).paragraphs]
    at = paragraphs.index(reply)
    assert paragraphs.index("Unplaced comments") < at and paragraphs[at - 1].startswith("UNEP")


def _page_of(document, phrase: str) -> int:
    return next(number for number, page in enumerate(document) if page.search_for(phrase))


def _energy_note(built, tmp_path) -> tuple[int, str]:
    """The reviewers' PDF returned as energy.pdf with one sticky note: its page (0-based) and /NM."""
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open(built / "review.pdf")
    number = _page_of(document, PHRASE)
    note = document[number].add_text_annot((72, 300), "Add the 2021 figures.")
    note.set_info(title="Ministry of Energy")
    note.update()
    name = note.info["id"]
    document.save(tmp_path / "energy.pdf")
    return number, name


def test_an_edited_note_updates_its_entry_keeping_its_id_and_status(built, project, tmp_path):
    """The reviewer sends the PDF back again with a note rewritten (same /NM): one entry, its new text."""
    number, _ = _energy_note(built, tmp_path)
    pymupdf = pytest.importorskip("pymupdf")
    assert vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(project)).returncode == 0
    first = _notes(project, "energy")
    reviews = project / "reviews" / "energy.yaml"
    reviews.write_text(reviews.read_text(encoding="utf-8").replace("status: open", "status: done"), encoding="utf-8")
    document = pymupdf.open(tmp_path / "energy.pdf")
    page = document[number]  # held: an annotation lives while its page does
    edited = next(a for a in page.annots() if a.info["content"] == "Add the 2021 figures.")
    edited.set_info(content="Add the 2021 and 2022 figures, by region.")
    edited.update()
    (tmp_path / "again").mkdir()
    document.save(tmp_path / "again" / "energy.pdf")
    done = vnr("collect", str(tmp_path / "again" / "energy.pdf"), "--path", str(project))
    assert done.returncode == 0, done.stderr
    assert "reviews/energy.yaml: 0 new note(s), 1 updated, 1 in all" in done.stdout
    (again,) = _notes(project, "energy")
    assert again["text"] == "Add the 2021 and 2022 figures, by region."
    assert again["id"] == first[0]["id"] and again["status"] == "done" and again["place"] == "sdg-07-heat"
    before = reviews.read_bytes()
    assert vnr("collect", str(tmp_path / "again" / "energy.pdf"), "--path", str(project)).returncode == 0
    assert reviews.read_bytes() == before
    assert vnr("check", str(project)).returncode == 0


def _with_member(source, target, name: str, change) -> None:
    """A copy of the zip `source` with its member `name` changed by `change` (bytes to bytes)."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, change(data) if item.filename == name else data)


def test_an_edited_word_comment_updates_its_entry_and_one_with_no_text_comes_with_its_quote(built, project,
                                                                                             tmp_path):
    doc = Document(str(built / "review.docx"))
    body = next(p for p in doc.paragraphs if p.text.startswith(PHRASE))
    doc.add_comment(body.runs, text="Add the 2021 figures.", author="Ministry of Energy", initials="ME")
    heading = next(p for p in doc.paragraphs if p.text == "Uninterrupted electricity and heating")
    doc.add_comment(heading.runs, text="", author="Ministry of Energy", initials="ME")
    doc.save(tmp_path / "energy.docx")
    assert vnr("collect", str(tmp_path / "energy.docx"), "--path", str(project)).returncode == 0
    notes = {n["text"]: n for n in _notes(project, "energy")}
    assert set(notes) == {"Add the 2021 figures.", "Uninterrupted electricity and heating"}
    assert notes["Uninterrupted electricity and heating"]["quote"] == "Uninterrupted electricity and heating"
    # edited in a word processor that stamps the date of the edit
    (tmp_path / "again").mkdir()
    _with_member(tmp_path / "energy.docx", tmp_path / "again" / "energy.docx", "word/comments.xml",
                 lambda xml: re.sub(rb'(w:date=")[^"]*("[^>]*><w:p>(?:(?!</w:comment>).)*Add the 2021 figures\.)',
                                    rb"\g<1>2027-01-15T09:00:00Z\2", xml)
                 .replace(b"Add the 2021 figures.", b"Add the 2021 and 2022 figures."))
    done = vnr("collect", str(tmp_path / "again" / "energy.docx"), "--path", str(project))
    assert done.returncode == 0, done.stderr
    again = {n["text"]: n for n in _notes(project, "energy")}
    assert set(again) == {"Add the 2021 and 2022 figures.", "Uninterrupted electricity and heating"}
    assert again["Add the 2021 and 2022 figures."]["id"] == notes["Add the 2021 figures."]["id"]
    assert str(again["Add the 2021 and 2022 figures."]["date"]) == "2027-01-15"
    assert vnr("check", str(project)).returncode == 0


def test_a_highlight_with_no_text_comes_with_its_quote_and_one_over_nothing_is_reported(built, project, tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open(built / "review.pdf")
    number = _page_of(document, PHRASE)
    page = document[number]
    for quads in (page.search_for(PHRASE, quads=True), [pymupdf.Rect(300, 795, 400, 805).quad]):
        highlight = page.add_highlight_annot(quads)
        highlight.set_info(title="Ministry of Energy")
        highlight.update()
    document.save(tmp_path / "energy.pdf")
    done = vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(project))
    assert done.returncode == 0, done.stderr
    (note,) = _notes(project, "energy")
    assert note["text"] == note["quote"] == PHRASE and note["page"] == number + 1
    assert (f"{tmp_path / 'energy.pdf'}:1:1: warning: the highlight by 'Ministry of Energy' on page {number + 1} "
            "has no text of its own and none under it: not collected") in done.stdout


def test_notes_collected_before_edited_notes_kept_their_ids_are_not_collected_twice(built, project, tmp_path):
    """Until edited notes kept their ids, a PDF note's id hashed its /NM, page, author and text."""
    import hashlib

    number, name = _energy_note(built, tmp_path)
    earlier = hashlib.sha256(f"{name}|{number}|Ministry of Energy|Add the 2021 figures.".encode()).hexdigest()[:8]
    put(project, "reviews/energy.yaml", f"- id: {earlier}\n  author: Ministry of Energy\n  place: sdg-07-heat\n"
                                        f"  page: {number + 1}\n  text: Add the 2021 figures.\n  status: done\n")
    done = vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(project))
    assert done.returncode == 0, done.stderr
    assert "reviews/energy.yaml: 0 new note(s), 1 in all" in done.stdout


def test_a_note_whose_text_is_its_quote_shows_the_words_once(project, tmp_path):
    put(project, "reviews/energy.yaml", "- id: 3f2a9c1e\n  author: Ministry of Energy\n  place: sdg-07-heat\n"
        "  quote: Heating networks are worn out.\n  text: Heating networks are worn out.\n"
        "- id: 3f2a9c1f\n  author: Ministry of Energy\n  place: sdg-07-heat\n"
        "  quote: Heating networks are worn out.\n  text: Give the share of worn networks.\n")
    out = tmp_path / "out"
    build(Options(project, out, formats=("html", "docx"), revision="r"))
    html = (out / "review.html").read_text(encoding="utf-8")
    assert html.count("<blockquote>Heating networks are worn out.</blockquote>") == 1  # the second note's
    assert html.count('"review-note-text">Heating networks are worn out.') == 1  # the first note's text
    quotes = [p.text for p in Document(out / "review.docx").paragraphs if p.style.name == "Quote"]
    assert quotes == ["Heating networks are worn out."]
