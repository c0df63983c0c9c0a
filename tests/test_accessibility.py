"""The public edition is accessible; the archive carries its sources."""

from __future__ import annotations

import hashlib
import json

import pypdf
import pytest
from conftest import write_project
from docx import Document

from vnr.build import Options, build


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("public") / "p")
    out = root / "out"
    build(Options(root, out, edition="public", revision="r", archive=True))
    return out


def test_public_pdf_is_tagged_titled_with_language_and_bookmarks(public):
    reader = pypdf.PdfReader(public / "public.pdf")
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == "Second Voluntary National Review of the Republic of Kazakhstan"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    titles = [i.title for i in reader.outline if not isinstance(i, list)]
    assert {"Introduction", "Clean water and sanitation", "Affordable and clean energy",
            "Consultations in the regions"} <= set(titles)
    sections = [c.title for i in reader.outline if isinstance(i, list) for c in i]
    assert {"Drinking water in villages", "Uninterrupted electricity and heating"} <= set(sections)


def test_public_pdf_images_have_alt_text_and_header_cells_have_scope(public):
    reader = pypdf.PdfReader(public / "public.pdf")
    kinds, figures_alt, scopes = [], [], []
    seen = set()

    def walk(node):
        node = node.get_object()
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            kind = node.get("/S")
            if kind:
                kinds.append(kind)
            if kind == "/Figure":
                figures_alt.append(node.get("/Alt"))
            if kind == "/TH":
                scopes.append(node.get("/A", {}).get("/Scope"))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    if hasattr(kid, "get_object"):
                        walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "/H1" in kinds and "/Table" in kinds
    assert figures_alt and all(figures_alt)
    assert scopes and all(s in ("/Column", "/Row") for s in scopes)


def test_pdfua_triage_finds_nothing(public):
    """The PyPI `pdfua` checker covers a machine-checkable subset of PDF/UA-1: a triage, not a proof."""
    pdfua = pytest.importorskip("pdfua")
    report = pdfua.validate(str(public / "public.pdf"))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []


def test_public_docx_headings_alt_text_language_and_title(public):
    doc = Document(public / "public.docx")
    styles = {p.style.name for p in doc.paragraphs if p.text}
    assert {"Heading 1", "Heading 2", "Heading 3", "Heading 4"} <= styles
    pictures = doc.inline_shapes
    assert len(pictures) >= 2 and all(s._inline.docPr.get("descr") for s in pictures)
    assert doc.core_properties.title == "Second Voluntary National Review of the Republic of Kazakhstan"
    assert doc.core_properties.language == "en-GB"
    assert 'w:val="en-GB"' in doc.styles.element.xml


def test_archive_is_pdfa_with_the_sources_attached(public):
    reader = pypdf.PdfReader(public / "archive.pdf")
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    manifest = json.loads((public / "public.manifest.json").read_text(encoding="utf-8"))
    attached = {name: hashlib.sha256(data[0]).hexdigest() for name, data in reader.attachments.items()}
    assert attached == manifest["inputs"]
    assert manifest["outputs"]["archive.pdf"]["sha256"] == hashlib.sha256((public / "archive.pdf").read_bytes()).hexdigest()
    relationships = {spec.get_object()["/AFRelationship"] for spec in reader.trailer["/Root"]["/AF"]}
    assert relationships == {"/Source"}
