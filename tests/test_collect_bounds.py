"""vnr collect within bounds: what it writes, vnr check accepts; a returned file that inflates
past a bound is an error at its member or page; a reviewer's control characters are dropped;
reviews/*.yaml are read as the loader reads them, aliases bounded."""

from __future__ import annotations

import os
import zipfile

import pypdf
import pytest
import yaml
from helpers import put, run, vnr
from pypdf.annotations import Text
from pypdf.generic import NameObject, TextStringObject

from vnr.collect import pdf as collect_pdf
from vnr.collect import reviews as collecting
from vnr.read import load

PHRASE = "Heating networks in the north are worn"


def _sticky_notes(built, target, texts: list[str], author: str = "Ministry of Energy") -> int:
    """The reviewers' edition with sticky notes saying `texts` on the page of PHRASE (returned)."""
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open(built / "review.pdf")
    number = next(i for i, page in enumerate(document) if page.search_for(PHRASE))
    for text in texts:
        note = document[number].add_text_annot((72, 300), text)
        note.set_info(title=author)
        note.update()
    document.save(target)
    return number + 1


def test_a_note_longer_than_check_accepts_is_an_error_at_it_and_nothing_is_written(built, project, tmp_path):
    returned = tmp_path / "energy.pdf"
    page = _sticky_notes(built, returned, ["Fine.", "Жылу желілері. " * 10_000])
    done = vnr("collect", str(returned), "--path", str(project))
    assert done.returncode == 1
    assert (f"{returned}:1:1: error: the sticky note by 'Ministry of Energy' on page {page}: its text has 150,000 "
            "characters, more than vnr check accepts in one value (100,000)") in done.stderr
    assert "Traceback" not in done.stderr and not (project / "reviews").exists()


def test_notes_that_would_make_a_reviews_file_larger_than_check_reads_are_an_error(built, project, tmp_path,
                                                                                    monkeypatch):
    """The bound lowered: at 10 MB, 110 notes of 95,000 characters (10.9 MB) take 16 s to write as YAML."""
    monkeypatch.setattr(load, "MAX_FILE_BYTES", 60_000)
    returned = tmp_path / "energy.pdf"
    _sticky_notes(built, returned, [f"Note {n}: " + "figures by region, " * 1_000 for n in range(4)])
    code, lines = run("collect", str(returned), "--path", str(project))
    assert code == 1
    assert lines[0].startswith(f"reviews/energy.yaml:1:1: error: the notes collected from {returned} would make "
                               "this file ") and lines[0].endswith("more than vnr check reads (60,000): ask for "
                                                                   "fewer or shorter notes"), lines
    assert not (project / "reviews").exists()


def test_control_characters_in_a_note_are_dropped_and_the_note_collected(built, project, tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(built / "review.pdf"))
    note = Text(rect=(70, 300, 90, 320), text="Check\x00 the\x07 figures\x1b.\r\nAnd the\x7f map.\rThanks,\x85\tMoE")
    note[NameObject("/T")] = TextStringObject("Ministry\x01 of Energy")
    writer.add_annotation(page_number=0, annotation=note)
    writer.write(tmp_path / "energy.pdf")
    done = vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(project))
    assert done.returncode == 0, done.stderr
    (collected,) = yaml.safe_load((project / "reviews" / "energy.yaml").read_text(encoding="utf-8"))
    assert collected["text"] == "Check the figures.\nAnd the map.\nThanks,\n\tMoE"
    assert collected["author"] == "Ministry of Energy"
    assert vnr("check", str(project)).returncode == 0
    before = (project / "reviews" / "energy.yaml").read_bytes()
    assert vnr("collect", str(tmp_path / "energy.pdf"), "--path", str(project)).returncode == 0
    assert (project / "reviews" / "energy.yaml").read_bytes() == before


def _docx_with_document(built, target, middle: bytes) -> None:
    """The reviewers' DOCX with `middle` put at the end of its body (whitespace or empty paragraphs)."""
    with zipfile.ZipFile(built / "review.docx") as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            new.writestr(item, data.replace(b"</w:body>", middle + b"</w:body>")
                         if item.filename == "word/document.xml" else data)


def _random_text(size: int) -> bytes:
    """A paragraph of `size` bytes of text that does not compress (runs of 1,000 characters)."""
    text = os.urandom(size // 2).hex().encode()
    return b"<w:p><w:r><w:t>" + b"</w:t><w:t>".join(text[i:i + 1000] for i in range(0, len(text), 1000)) \
        + b"</w:t></w:r></w:p>"


BOMBS = [
    (lambda: b"<w:p/>" * 4_000_000, "inflates more than 200 times its compressed size"),  # 24 MB from 30 KB
    (lambda: _random_text(34_000_000), "inflates to more than 32 MB"),
]


@pytest.mark.parametrize("middle, expected", BOMBS, ids=["ratio", "size"])
def test_a_docx_part_that_inflates_past_a_bound_is_an_error_at_the_member(built, project, tmp_path, middle,
                                                                          expected):
    returned = tmp_path / "notes.docx"
    _docx_with_document(built, returned, middle())
    code, lines = run("collect", str(returned), "--path", str(project))
    assert code == 1
    assert any(line.startswith(f"{returned}:word/document.xml: error: {expected}") for line in lines), lines
    assert not (project / "reviews").exists()


def test_a_page_whose_contents_inflate_past_a_bound_is_an_error_at_it(built, project, tmp_path):
    """pdfplumber inflates a page it reads for a highlight's quote without a bound: measured first."""
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open(built / "review.pdf")
    number = next(i for i, page in enumerate(document) if page.search_for(PHRASE))
    page = document[number]
    highlight = page.add_highlight_annot(page.search_for(PHRASE, quads=True))
    highlight.set_info(title="Ministry of Energy", content="Which year?")
    highlight.update()
    xref = page.get_contents()[0]
    document.update_stream(xref, document.xref_stream(xref) + b" " * 20_000_000)  # some 20 KB deflated
    document.save(tmp_path / "energy.pdf", deflate=True)
    code, lines = run("collect", str(tmp_path / "energy.pdf"), "--path", str(project))
    assert code == 1
    assert (f"{tmp_path / 'energy.pdf'}:1:1: error: page {number + 1}: its text and fonts inflate past "
            "16,000,000 bytes (a page vnr lays out: under 1 MB); collect reads no such page") in lines
    assert not (project / "reviews").exists()


def test_pages_with_highlights_that_inflate_past_a_bound_in_all_are_an_error(built, project, tmp_path, monkeypatch):
    """Each page within its bound, but as many as a PDF may hold: the bound lowered to under one page."""
    pymupdf = pytest.importorskip("pymupdf")
    monkeypatch.setattr(collect_pdf, "MAX_QUOTED_BYTES", 1_000)
    document = pymupdf.open(built / "review.pdf")
    number = next(i for i, page in enumerate(document) if page.search_for(PHRASE))
    page = document[number]
    page.add_highlight_annot(page.search_for(PHRASE, quads=True)).update()
    document.save(tmp_path / "energy.pdf")
    code, lines = run("collect", str(tmp_path / "energy.pdf"), "--path", str(project))
    assert code == 1
    assert lines[0].startswith(f"{tmp_path / 'energy.pdf'}:1:1: error: page {number + 1}: with the pages before it "
                               "that have highlights, its text and fonts inflate past 1,000 bytes"), lines


def test_a_returned_file_larger_than_collect_reads_is_an_error(built, project, monkeypatch):
    monkeypatch.setattr(collecting, "MAX_RETURNED_BYTES", 100_000)
    size = (built / "review.pdf").stat().st_size
    code, lines = run("collect", str(built / "review.pdf"), "--path", str(project))
    assert code == 1
    assert f"{built / 'review.pdf'}:1:1: error: a file of {size:,} bytes; collect reads at most 100,000" in lines[0]


def _aliases(levels: int) -> str:
    """A reviewer's note whose author is a list that its aliases expand to 10**levels items."""
    lists = ", ".join([f"&a0 [{', '.join(['lol'] * 10)}]",
                       *(f"&a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, levels))])
    return f"- id: 0000000b\n  place: sdg-07\n  text: Fine.\n  quote: [{lists}]\n  author: *a{levels - 1}\n"


def test_reviews_files_are_read_as_check_reads_them_aliases_bounded(project):
    """collect --summary read reviews/*.yaml with yaml.safe_load and counted what check refuses: a
    note whose author is a million items by alias (a billion made it hang)."""
    put(project, "reviews/unep.yaml", "- id: 5e6f7a8b\n  author: UNEP\n  place: sdg-07\n  text: Fine.\n")
    put(project, "reviews/laughs.yaml", _aliases(6))
    done = vnr("collect", "--summary", "--path", str(project))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["reviewers' notes: 1 (1 open, 0 done)", "  by reviewer: UNEP 1 (1 open)",
                                        "  by part: sdg-07 1 (1 open)"]
