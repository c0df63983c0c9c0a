"""Responses: each comment's answer, threaded under its notes in the PDF and in Word, counted,
shown in the annex and in the responses part."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile

import pypdf
import pytest
from conftest import CHAPTERS, write_project
from docx import Document
from docx.oxml.ns import qn
from helpers import DONE, RESPONSES, errors, git, named, put, responses_yaml

from vnr.build import Options, build


@pytest.fixture(scope="module")
def answered(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("answered") / "p")
    (root / "responses").mkdir()
    (root / "responses" / "drafting-team.yaml").write_text(responses_yaml(), encoding="utf-8")
    build(Options(root, root / "build", revision="r"))
    build(Options(root, root / "build", edition="public", revision="r"))
    return root / "build"


def _annots(path) -> list[dict]:
    return [a.get_object() for page in pypdf.PdfReader(path).pages for a in page.get("/Annots") or []
            if a.get_object()["/Subtype"] == "/Text"]


def test_each_sticky_note_of_an_answered_comment_has_its_reply(answered):
    annots = _annots(answered / "review.pdf")
    notes = [a for a in annots if "/IRT" not in a]
    replies = [a for a in annots if "/IRT" in a]
    manifest = json.loads((answered / "review.manifest.json").read_text(encoding="utf-8"))
    assert len(notes) == manifest["counts"]["annotations"] == 6
    answered_notes = [n for n in notes if n["/NM"].split("#")[0] in RESPONSES]
    assert len(replies) == len(answered_notes) == 5  # heat-1 has two places; solar-1 is open
    labels = {"accepted": "Accepted", "partly": "Partly accepted", "noted": "Noted", "declined": "Declined"}
    for reply in replies:
        parent = reply["/IRT"].get_object()
        assert reply["/NM"] == f"{parent['/NM']}/response" and "/IRT" not in parent
        status, text, _ = RESPONSES[parent["/NM"].split("#")[0]]
        assert reply["/Contents"] == f"{labels[status]}: {text}"
        assert reply["/T"] == "Drafting team"
    assert _annots(answered / "public.pdf") == []


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


def _threads(path) -> tuple[dict[int, dict], list[tuple[dict, dict, bool]]]:
    """The Word comments by id, and (reply, parent, done) for every reply, from commentsExtended.xml."""
    from lxml import etree

    archive = zipfile.ZipFile(path)
    comments = etree.fromstring(archive.read("word/comments.xml"))
    by_id, by_para = {}, {}
    for comment in comments.iter(f"{W}comment"):
        paragraphs = comment.findall(f"{W}p")
        entry = {"author": comment.get(f"{W}author"),
                 "text": "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in paragraphs)}
        by_id[int(comment.get(f"{W}id"))] = entry
        if paragraphs[-1].get(f"{W14}paraId"):
            by_para[paragraphs[-1].get(f"{W14}paraId")] = entry
    threads = []
    for ex in etree.fromstring(archive.read("word/commentsExtended.xml")).iter(f"{W15}commentEx"):
        if ex.get(f"{W15}paraIdParent"):
            threads.append((by_para[ex.get(f"{W15}paraId")], by_para[ex.get(f"{W15}paraIdParent")],
                            ex.get(f"{W15}done") == "1"))
    return by_id, threads


def test_word_replies_hang_under_their_comments_and_are_done_for_accepted_and_declined(answered):
    by_id, threads = _threads(answered / "review.docx")
    manifest = json.loads((answered / "review.manifest.json").read_text(encoding="utf-8"))
    assert len(threads) == 5 and len(by_id) - len(threads) == manifest["counts"]["annotations"] == 6
    texts = {
        "kz-75-leb/waste-1": "Separate collection of household waste exists only in the city centre.",
        "kz-75-leb/heat-1": "Отопление в микрорайонах отключают зимой",
        "kz-11-residents/school-1": "How will the review reflect small rural schools?",
        "kz-43-residents/water-1": "Ауылда ауыз су тәулігіне екі сағат қана беріледі.",
    }
    labels = {"accepted": "Accepted", "partly": "Partly accepted", "noted": "Noted", "declined": "Declined"}
    for reply, parent, done in threads:
        key = next(k for k, (_, text, _) in RESPONSES.items() if text in reply["text"])
        status, text, _ = RESPONSES[key]
        assert reply["text"] == f"{labels[status]}: {text}" and reply["author"] == "Drafting team"
        assert parent["text"].startswith(texts[key]) and parent["author"] != "Drafting team"
        assert done == (status in DONE), key
    assert len(Document(answered / "public.docx").comments) == 0


def test_the_manifest_counts_responses_by_status(answered):
    manifest = json.loads((answered / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["responses"] == 4
    assert manifest["responses"] == {"accepted": 1, "partly": 1, "noted": 1, "declined": 1, "open": 1}
    assert "responses/drafting-team.yaml" in manifest["inputs"]
    assert manifest["parts"] == ["intro", "sdg-06", "sdg-07", "consultations", "responses", "coverage", "annex",
                                 "unplaced"]
    public = json.loads((answered / "public.manifest.json").read_text(encoding="utf-8"))
    assert public["parts"] == ["intro", "sdg-06", "sdg-07", "consultations", "responses", "annex"]


def test_responses_in_kazakh_and_russian_survive_in_pdf_annex_and_docx(answered):
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(answered / "review.pdf").pages).split())
    for status, response, _ in RESPONSES.values():
        assert " ".join(response.split()) in text
    doc = Document(answered / "review.docx")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Жылу беру желілерінің тозуы 7.1-бөлімде көрсетілді" in body
    assert "Малокомплектные школы будут отдельно рассмотрены" in body
    assert any("қаржыландыру" in c.text for c in doc.comments)


def test_the_responses_part_by_status_goal_region_and_the_declined_reasons(answered):
    doc = Document(answered / "review.docx")
    tables = {t.rows[0].cells[0].text + "|" + str(len(t.columns)): [[c.text for c in r.cells] for r in t.rows]
              for t in doc.tables}
    by_status = tables["Response|3"]
    assert by_status == [["Response", "Comments", "Share"], ["Accepted", "1", "20.0%"],
                         ["Partly accepted", "1", "20.0%"], ["Noted", "1", "20.0%"], ["Declined", "1", "20.0%"],
                         ["Open", "1", "20.0%"], ["Total", "5", "100.0%"]]
    by_goal = tables["Goal|8"]
    assert by_goal[0] == ["Goal", "Accepted", "Partly accepted", "Noted", "Declined", "Open", "Total", "Answered"]
    assert ["SDG 7: Affordable and clean energy", "0", "1", "0", "0", "1", "2", "50.0%"] in by_goal
    by_region = tables["Region|8"]
    assert by_region[-1] == ["Total", "1", "1", "1", "1", "1", "5", "80.0%"]
    declined = tables["Region|3"]
    assert declined[1] == ["Kyzylorda Region", "Ауылда ауыз су тәулігіне екі сағат қана беріледі. "
                           "(kz-43-residents/water-1)", RESPONSES["kz-43-residents/water-1"][1]]
    html = (answered / "review.html").read_text(encoding="utf-8")
    assert "Of the 5 comments, 4 (80.0%) have a response from the drafting team" in html
    assert 'alt="Bar chart of the comments on each goal by response' in html
    assert html.count('class="note-status status-open"') >= 2  # solar-1's note and its annex entries


def test_each_heading_of_the_responses_part_is_printed_once_not_again_as_its_tables_caption(answered):
    titles = ["Comments by response", "Comments on each goal by response", "Comments from each region by response",
              "Declined comments and why"]
    doc = Document(answered / "review.docx")
    shown = [(p.style.name, p.text) for p in doc.paragraphs if p.text in titles]
    assert shown == [("Heading 2", t) for t in titles], shown
    html = (answered / "review.html").read_text(encoding="utf-8")
    for title in titles:
        assert html.count(f">{title}<") == 1, title  # the heading (its entry in the contents links by id)
    assert "<caption>" in html  # other tables keep theirs
    reader = pypdf.PdfReader(answered / "review.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    part = text[text.index("Of the 5 comments"):]
    for title in titles:
        assert part.count(title) == 1, title


def test_numbers_in_the_docx_tables_are_aligned_to_the_end_as_in_the_pdf(answered):
    doc = Document(answered / "review.docx")
    by_status = next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == ["Response", "Comments", "Share"])
    aligned = [[_jc(c) for c in row.cells] for row in by_status.rows]
    for cells in aligned:  # the response's name as written; the count and share (and their headers) to the end
        assert cells == [None, "right", "right"], cells
    right = sum(1 for t in doc.tables for r in t.rows for c in r.cells if _jc(c) == "right")
    assert right > 50  # the other generated tables too: consultations, coverage, responses


def _jc(cell) -> str | None:
    """A table cell's paragraph alignment as written in the XML (`w:jc`), None when not set."""
    jc = cell.paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:jc')}")
    return None if jc is None else jc.get(qn("w:val"))


def test_a_chapter_file_places_the_responses_part(tmp_path):
    chapters = {**CHAPTERS, "shaped.yaml": "id: responses\norder: 15\ngenerated: responses\n"}
    root = write_project(tmp_path / "p", chapters=chapters)
    (root / "responses").mkdir()
    build(Options(root, root / "build", formats=("html",), revision="r"))
    manifest = json.loads((root / "build" / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"][:2] == ["intro", "responses"]
    assert manifest["responses"]["open"] == 5 and manifest["counts"]["responses"] == 0


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_keeps_every_comment_and_reply_and_the_resolved_threads(answered, tmp_path):
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "odt",
                    "--outdir", str(tmp_path), str(answered / "review.docx")], check=True, capture_output=True,
                   timeout=300)
    content = zipfile.ZipFile(tmp_path / "review.odt").read("content.xml").decode("utf-8")
    annotations = re.findall(r"<office:annotation( [^>]*)?>(.*?)</office:annotation>", content, re.S)
    assert len(annotations) == 6 + 5
    resolved = [re.sub(r"<[^>]+>", " ", body) for attrs, body in annotations if 'loext:resolved="true"' in attrs]
    assert sum("Drafting team" in body for body in resolved) == 2  # accepted and declined, each one place
    assert "қаржыландыру" in content
    version = subprocess.run(["soffice", "--version"], capture_output=True, text=True).stdout
    if int(re.search(r"LibreOffice (\d+)", version).group(1)) >= 24:  # 7.4 (Debian 12) keeps no thread in ODT
        names = {re.search(r'office:name="([^"]+)"', attrs).group(1): (attrs, body) for attrs, body in annotations}
        replies = {name: re.search(r'loext:parent-name="([^"]+)"', attrs) for name, (attrs, body) in names.items()
                   if "Drafting team" in body}
        assert len(replies) == 5 and all(replies.values())
        for name, parent in replies.items():
            assert "Drafting team" not in names[parent.group(1)][1]  # hangs under a region's comment


@pytest.mark.skipif(not shutil.which("pandoc"), reason="pandoc is not installed")
def test_pandoc_lists_every_comment_and_reply(answered):
    done = subprocess.run(["pandoc", "--track-changes=all", "-t", "json", str(answered / "review.docx")],
                          check=True, capture_output=True, timeout=300)
    authors = re.findall(r'"comment-start"\],\[\["id","\d+"\],\["author","([^"]*)"\]', done.stdout.decode("utf-8"))
    assert len(authors) == 11 and authors.count("Drafting team") == 5


def test_responses_added_since_a_revision_show_in_changes(tmp_path):
    root = write_project(tmp_path / "p")
    (root / "responses").mkdir()
    (root / "responses" / "team.yaml").write_text(responses_yaml({k: RESPONSES[k] for k in
                                                                  ["kz-75-leb/waste-1"]}), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "first answers")
    first = git(root, "rev-parse", "--short", "HEAD")
    (root / "responses" / "team.yaml").write_text(responses_yaml(), encoding="utf-8")
    build(Options(root, root / "build", formats=("html",), revision="r", since=first))
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    changes = html[html.index('id="changes"'):html.index('id="intro"')]
    assert "Responses added or changed" in changes
    assert "Noted: Малокомплектные школы будут отдельно рассмотрены в главе 4." in changes
    assert "kz-75-leb/waste-1" not in changes  # unchanged
    done = subprocess.run([sys.executable, "-m", "vnr", "diff", first, "--path", str(root)], capture_output=True,
                          text=True, check=True)
    assert "  response added: kz-11-residents/school-1: noted: Малокомплектные школы будут отдельно рассмотрены " \
           "в главе 4." in done.stdout.splitlines()


ERRORS = [
    ('kz-75-leb/wast-1:\n  status: accepted\n  text: "Done."\n',
     "responses/r.yaml:1:1: error: unknown comment 'kz-75-leb/wast-1'; did you mean 'kz-75-leb/waste-1'?"),
    ('kz-75-leb/waste-1:\n  status: acepted\n  text: "Done."\n',
     "responses/r.yaml:2:11: error: unknown status 'acepted'; did you mean 'accepted'?"),
    ('kz-75-leb/waste-1:\n  status: accepted\n  text: ""\n', "responses/r.yaml:3:9: error: must not be empty"),
    ('kz-75-leb/waste-1:\n  status: accepted\n  text: "Done."\n  place: sdg-7-heat\n',
     "responses/r.yaml:4:10: error: unknown place 'sdg-7-heat': not a chapter or section id; "
     "did you mean 'sdg-07-heat'?"),
    ('kz-75-leb/waste-1:\n  status: accepted\n  text: "Done."\nkz-75-leb/waste-1:\n  status: noted\n  text: "Again."\n',
     "responses/r.yaml:4:1: error: comment 'kz-75-leb/waste-1' is answered twice (first at responses/r.yaml:1:1)"),
    ('kz-75-leb/waste-1:\n  status: accepted\n  text: "Done."\n  reason: "x"\n',
     "responses/r.yaml:4:3: error: unknown key 'reason'; did you mean one of: status, text, place?"),
]


@pytest.mark.parametrize("text, expected", ERRORS, ids=named(ERRORS))
def test_each_response_error_at_its_position(project, text, expected):
    put(project, "responses/r.yaml", text)
    assert expected in errors(project)


def test_a_comment_answered_in_two_files_is_an_error(project):
    put(project, "responses/a.yaml", 'kz-75-leb/waste-1:\n  status: accepted\n  text: "Done."\n')
    put(project, "responses/b.yaml", 'kz-75-leb/waste-1:\n  status: declined\n  text: "No."\n')
    assert errors(project) == ["responses/b.yaml:1:1: error: comment 'kz-75-leb/waste-1' is answered twice "
                               "(first at responses/a.yaml:1:1)"]
