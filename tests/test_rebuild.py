"""Rebuilds render only what changed; a failing or progress-less build stays quiet and correct."""

from __future__ import annotations

import json

import pytest

from vnr.build import Options, build


def test_nothing_changed_nothing_rendered(project):
    said: list[str] = []
    first = build(Options(project, project / "build", revision="r"))
    stamps = {p.name: p.stat().st_mtime_ns for p in (project / "build").iterdir()}
    assert build(Options(project, project / "build", revision="r"), say=said.append) == {}
    assert said == [f"{project / 'build'}: up to date, nothing rendered (no input, option or vnr version changed)"]
    assert {p.name: p.stat().st_mtime_ns for p in (project / "build").iterdir()} == stamps
    assert set(first) == set(stamps)


def test_a_template_change_rerenders_html_and_pdf_but_keeps_the_docx(project):
    out = project / "build"
    build(Options(project, out, revision="r"))
    docx_before = (out / "review.docx").read_bytes()
    (project / "templates").mkdir()
    (project / "templates" / "project.css").write_text("h1 { color: #003366; }", encoding="utf-8")
    said: list[str] = []
    build(Options(project, out, revision="r"), say=said.append)
    assert any(line.startswith("kept") and "review.docx" in line for line in said)
    assert any(line.startswith("wrote") and "review.pdf" in line for line in said)
    assert (out / "review.docx").read_bytes() == docx_before
    assert "#003366" in (out / "review.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert "templates/project.css" in manifest["inputs"] and manifest["outputs"]["review.pdf"]["pages"] > 3


def test_a_chapter_change_or_another_revision_rerenders_everything(project):
    out = project / "build"
    build(Options(project, out, revision="r"))
    said: list[str] = []
    build(Options(project, out, revision="r2"), say=said.append)
    assert not any(line.startswith("kept") for line in said)
    said.clear()
    (project / "chapters" / "intro.yaml").write_text("id: intro\ntitle: Introduction (revised)\n", encoding="utf-8")
    build(Options(project, out, revision="r2"), say=said.append)
    assert not any(line.startswith("kept") for line in said)
    assert "Introduction (revised)" in (out / "review.html").read_text(encoding="utf-8")


def test_an_output_edited_by_hand_is_rebuilt(project):
    out = project / "build"
    build(Options(project, out, revision="r"))
    (out / "review.docx").write_bytes(b"not a document")
    said: list[str] = []
    build(Options(project, out, revision="r"), say=said.append)
    assert any(line.startswith("wrote") and "review.docx" in line for line in said)
    assert (out / "review.docx").read_bytes()[:2] == b"PK"


def _png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), colour).save(out, format="PNG")
    return out.getvalue()


def test_a_replaced_image_outside_assets_is_rendered_again(project):
    """Images may stand anywhere in the project: the last build's inputs say which were read."""
    import base64

    out = project / "build"
    (project / "img").mkdir()
    (project / "img" / "map.png").write_bytes(_png((0, 90, 160)))
    (project / "chapters" / "intro.yaml").write_text(
        "id: intro\ntitle: Introduction\nbody: |\n  ![Map of the seminars](img/map.png)\n", encoding="utf-8")
    build(Options(project, out, revision="r"))
    assert "img/map.png" in json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))["inputs"]
    (project / "img" / "map.png").write_bytes(_png((200, 30, 30)))
    said: list[str] = []
    build(Options(project, out, revision="r"), say=said.append)
    assert not any(line.startswith("kept") for line in said), said
    assert base64.b64encode(_png((200, 30, 30))).decode() in (out / "review.html").read_text(encoding="utf-8")
    said.clear()
    build(Options(project, out, revision="r"), say=said.append)  # and now it is up to date
    assert said and "up to date" in said[0]


def _edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


CHANGES = {
    "settings": lambda p: _edit(p / "vnr.yaml", "Draft for consultation", "Second draft for consultation"),
    "chapter": lambda p: _edit(p / "chapters" / "intro.yaml", "This review reports", "This second draft reports"),
    "feedback": lambda p: _edit(p / "feedback" / "kz-43-residents.yaml", "civil_society: 12", "civil_society: 13"),
    "a new chapter": lambda p: (p / "chapters" / "new.yaml").write_text("id: new\ntitle: New chapter\n"),
    "a removed seminar": lambda p: (p / "feedback" / "kz-43-residents.yaml").unlink(),
    "a template": lambda p: (p / "templates" / "project.css").write_text("h1 { color: #123456; }"),
    "an image in assets": lambda p: (p / "assets" / "logo.png").write_bytes(_png((10, 200, 10))),
    "an image elsewhere": lambda p: (p / "img" / "map.png").write_bytes(_png((200, 10, 10))),
    "a reviewer's note": lambda p: (p / "reviews").mkdir() or (p / "reviews" / "health.yaml").write_text(
        "- id: 0a1b2c3d\n  author: Ministry of Health\n  place: intro\n  text: Cite the 2022 figures.\n"),
    "responses": lambda p: (p / "responses").mkdir() or (p / "responses" / "team.yaml").write_text(
        'kz-75-leb/waste-1:\n  status: noted\n  text: "The akimat will answer."\n'),
    "indicator data": lambda p: (p / "indicators" / "data").mkdir(parents=True) or (
        p / "indicators" / "data" / "indicator_6-1-1.csv").write_text("Year,Value\n2021,95.4\n"),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_a_change_to_any_input_renders_again(project, kind):
    (project / "templates").mkdir()
    (project / "templates" / "project.css").write_text("h1 { color: #0a2240; }")
    for folder, name, colour in (("assets", "logo.png", (0, 90, 160)), ("img", "map.png", (0, 160, 90))):
        (project / folder).mkdir()
        (project / folder / name).write_bytes(_png(colour))
    (project / "chapters" / "pictures.yaml").write_text(
        "id: pictures\ntitle: Pictures\nbody: |\n  ![Logo](assets/logo.png)\n\n  ![Map](img/map.png)\n")
    out = project / "build"
    build(Options(project, out, formats=("html",), revision="r"))
    html = (out / "review.html").read_text(encoding="utf-8")
    CHANGES[kind](project)
    said: list[str] = []
    build(Options(project, out, formats=("html",), revision="r"), say=said.append)
    assert any(line.startswith("wrote") and "review.html" in line for line in said), said
    assert (out / "review.html").read_text(encoding="utf-8") != html


def _listed(out) -> set[str]:
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    return {*manifest["outputs"], "review.manifest.json"}


def test_the_output_folder_holds_exactly_what_the_manifest_lists(project):
    out = project / "build"
    build(Options(project, out, revision="r1"))
    build(Options(project, out, formats=("html",), revision="r1"))  # same inputs: the PDF and DOCX are its too
    assert {p.name for p in out.iterdir()} == _listed(out) == {f"review.{f}" for f in ("pdf", "docx", "html",
                                                                                       "manifest.json")}
    build(Options(project, out, formats=("html",), revision="r2"))  # another revision: they are not
    assert {p.name for p in out.iterdir()} == _listed(out) == {"review.html", "review.manifest.json"}
    build(Options(project, out, formats=("html",), edition="public", revision="r2"))
    assert {p.name for p in out.iterdir()} == {"review.html", "review.manifest.json", "public.html",
                                               "public.manifest.json"}  # the other edition's stay
