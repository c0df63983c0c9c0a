"""Text is data; nothing outside the project is read or fetched; builds are atomic and reproducible."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pypdf
import pytest
from conftest import write_project

from vnr.base.errors import InputError
from vnr.build import Options, build
from vnr.write import docx


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    hits: list[tuple] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            hits.append(addr)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join(2)
    server.close()


def passwd_marker() -> str:
    return Path("/etc/passwd").read_text().splitlines()[0][:20]


def test_chapter_images_outside_the_project_are_errors_and_never_fetched(project, listener):
    port, hits = listener
    (project / "chapters" / "x.yaml").write_text(
        "id: x\ntitle: X\nbody: |\n"
        f"  ![a](http://127.0.0.1:{port}/a.png)\n\n  ![b](/etc/passwd)\n\n  ![c](../../../../etc/passwd)\n",
        encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(Options(project, project / "build"))
    assert [str(d) for d in caught.value.diagnostics] == [
        f"chapters/x.yaml:4:8: error: image 'http://127.0.0.1:{port}/a.png' is not a file of the project; "
        "use a path relative to the project, such as assets/map.png",
        "chapters/x.yaml:6:8: error: image '/etc/passwd' is not a file of the project; "
        "use a path relative to the project, such as assets/map.png",
        "chapters/x.yaml:8:8: error: image '../../../../etc/passwd' is outside the project",
    ]
    assert hits == [] and not (project / "build").exists()


def test_links_are_written_but_never_followed(project, listener, tmp_path):
    port, hits = listener
    (project / "chapters" / "x.yaml").write_text(
        f"id: x\ntitle: X\nbody: |\n  See [the portal](http://127.0.0.1:{port}/sdg).\n", encoding="utf-8")
    build(Options(project, tmp_path / "o", revision="r"))
    assert hits == []
    links = [a.get_object().get("/A", {}).get("/URI") for page in pypdf.PdfReader(tmp_path / "o" / "review.pdf").pages
             for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Link"]
    assert f"http://127.0.0.1:{port}/sdg" in links


def _streams(reader: pypdf.PdfReader) -> list[bytes]:
    """Every stream reachable from the trailer, decompressed: page contents, fonts, embedded files."""
    found, seen = [], set()

    def walk(obj) -> None:
        if isinstance(obj, pypdf.generic.IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                return
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, pypdf.generic.StreamObject):
            found.append(obj.get_data())
        if isinstance(obj, dict):
            for value in obj.values():
                walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(reader.trailer)
    return found


def test_templates_cannot_pull_in_local_files_or_the_network(project, listener, tmp_path):
    port, hits = listener
    (project / "templates").mkdir()
    (project / "templates" / "cover.html.j2").write_text(
        '<section class="cover" id="cover"><h1 class="cover-title">{{ review.title }}</h1>'
        '<img src="file:///etc/passwd" alt="p"><img src="http://127.0.0.1:%d/logo.png" alt="l">'
        '<a rel="attachment" href="file:///etc/passwd">data</a>'
        '<link rel="attachment" href="file:///etc/passwd"></section>' % port, encoding="utf-8")
    build(Options(project, tmp_path / "o", formats=("pdf",), revision="r"))
    assert hits == []
    reader = pypdf.PdfReader(tmp_path / "o" / "review.pdf")
    streams = _streams(reader)
    assert len(streams) > 10  # the walk reaches the pages' contents and the fonts
    assert not any(passwd_marker().encode() in data for data in streams)
    assert reader.attachments == {}  # document-level files (<link rel=attachment>)
    subtypes = {a.get_object()["/Subtype"] for page in reader.pages for a in page.get("/Annots") or []}
    assert "/FileAttachment" not in subtypes  # page-level files (<a rel=attachment>)


def test_a_failed_build_leaves_the_previous_outputs_intact(project, monkeypatch):
    out = project / "build"
    build(Options(project, out, revision="first"))
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(review):
        raise RuntimeError("disk full while writing the DOCX")

    monkeypatch.setattr(docx, "render", broken)
    (project / "chapters" / "intro.yaml").write_text("id: intro\ntitle: Changed\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build(Options(project, out, revision="second"))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no staging folder left behind


def test_same_inputs_and_source_date_epoch_give_identical_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    first = write_project(tmp_path / "one")
    second = write_project(tmp_path / "two")  # another folder: paths must not leak into outputs
    a = build(Options(first, tmp_path / "a", revision="v2.0"))
    b = build(Options(second, tmp_path / "b", revision="v2.0"))
    assert set(a) == {"review.pdf", "review.docx", "review.html", "review.manifest.json"}
    for name in a:
        assert a[name] == b[name], name
    assert b'"date": "2022-04-15"' in a["review.manifest.json"]


def test_identical_bytes_hold_with_responses_and_reviewers_notes(tmp_path, monkeypatch):
    """Replies, Word threads (paraIds, commentsExtended.xml) and reviewers' notes are derived from
    the inputs alone."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    outputs = []
    for name in ("one", "two"):
        root = write_project(tmp_path / name)
        (root / "responses").mkdir()
        (root / "responses" / "team.yaml").write_text(
            'kz-75-leb/heat-1:\n  status: accepted\n  text: "Жылу желілері 7.1-бөлімде."\n  place: sdg-07-heat\n'
            'kz-43-residents/water-1:\n  status: declined\n  text: "A matter for the akimat."\n', encoding="utf-8")
        (root / "reviews").mkdir()
        (root / "reviews" / "energy.yaml").write_text(
            "- id: 0a1b2c3d\n  author: Ministry of Energy\n  date: 2026-12-02\n  place: sdg-07-heat\n"
            "  reply_to: kz-75-leb/heat-1\n  text: Согласны.\n- id: 1b2c3d4e\n  author: UNDP\n  place: intro\n"
            "  text: Add the 2022 figures.\n", encoding="utf-8")
        outputs.append(build(Options(root, tmp_path / f"out-{name}", revision="v2.1")))
    assert set(outputs[0]) == {"review.pdf", "review.docx", "review.html", "review.manifest.json"}
    for output in outputs[0]:
        assert outputs[0][output] == outputs[1][output], output
    assert b"word/commentsExtended.xml" in outputs[0]["review.docx"]  # the threads are there
