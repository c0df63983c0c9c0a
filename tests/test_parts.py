"""One outline for every writer: generated parts placed by chapter files, in every output alike."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pypdf
import pytest
from conftest import CHAPTERS, write_project
from docx import Document
from helpers import errors, named, put

from vnr.build import Options, build

PLACED = {
    **CHAPTERS,
    "how-we-consulted.yaml": """\
        id: consultations
        order: 20
        title: How this review was prepared with the regions
        generated: consultations
        body: |
          Akimats of every region invited residents and local executive bodies to the seminars.
        """,
    "voices.yaml": """\
        id: voices
        order: 65
        generated: annex
        """,
}
# intro 10, consultations 20, sdg-06 60, annex 65, sdg-07 70; then coverage and unplaced
ORDER = ["intro", "consultations", "sdg-06", "annex", "sdg-07", "coverage", "unplaced"]
TITLES = ["Introduction", "How this review was prepared with the regions", "Clean water and sanitation",
          "Annex: comments from the regional seminars", "Affordable and clean energy",
          "Coverage: comments by region and goal", "Unplaced comments"]


@pytest.fixture(scope="module")
def placed(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("placed") / "p", chapters=PLACED)
    build(Options(root, root / "build", revision="r"))
    build(Options(root, root / "build", edition="public", revision="r"))
    return root / "build"


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "chapter" in (attrs.get("class") or "").split():
            self.ids.append(attrs["id"])


def _html_parts(path) -> list[str]:
    parser = _Sections()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.ids


def test_placed_parts_stand_at_their_order_in_the_manifest_pdf_docx_and_html(placed):
    manifest = json.loads((placed / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"] == ORDER
    assert manifest["counts"]["chapters"] == 3  # chapter files that place a part are not chapters of their own

    reader = pypdf.PdfReader(placed / "review.pdf")
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Contents", *TITLES]
    starts = [reader.get_destination_page_number(item) for item in top]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    # the placing file's body opens the part, before the generated content, on its first page
    first = " ".join(reader.pages[starts[2]].extract_text().split())
    assert first.index("How this review was prepared") < first.index("Akimats of every region invited") \
        < first.index("From 14 March 2022 to 2 April 2022")
    toc = next(p.extract_text() for p in reader.pages if p.extract_text().lstrip().startswith("Contents"))
    listed = [title for title in re.findall(r"^(.+?)\s*\.+\s*\d+\s*$", toc, re.M) if title in TITLES]
    assert listed == TITLES

    doc = Document(placed / "review.docx")
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == TITLES
    assert _html_parts(placed / "review.html") == ORDER


def test_the_public_edition_leaves_coverage_and_unplaced_out(placed):
    manifest = json.loads((placed / "public.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"] == ["intro", "consultations", "sdg-06", "annex", "sdg-07"]
    assert _html_parts(placed / "public.html") == manifest["parts"]
    doc = Document(placed / "public.docx")
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == TITLES[:5]


def test_by_default_generated_parts_follow_the_last_chapter(built):
    manifest = json.loads((built / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["parts"] == ["intro", "sdg-06", "sdg-07", "consultations", "coverage", "annex", "unplaced"]


def test_a_part_the_edition_does_not_show_is_left_out_with_its_chapter_file(tmp_path):
    chapters = {**CHAPTERS, "cov.yaml": "id: coverage\norder: 15\ntitle: Who spoke\ngenerated: coverage\n"}
    root = write_project(tmp_path / "p", chapters=chapters)
    build(Options(root, root / "build", formats=("html",), revision="r"))
    build(Options(root, root / "build", formats=("html",), edition="public", revision="r"))
    review = json.loads((root / "build" / "review.manifest.json").read_text(encoding="utf-8"))["parts"]
    public = json.loads((root / "build" / "public.manifest.json").read_text(encoding="utf-8"))["parts"]
    assert review[:2] == ["intro", "coverage"] and "coverage" not in public
    assert "Who spoke" in (root / "build" / "review.html").read_text(encoding="utf-8")
    assert "Who spoke" not in (root / "build" / "public.html").read_text(encoding="utf-8")


PLACEMENT_ERRORS = [
    ("chapters/a.yaml", "id: a\norder: 5\ngenerated: annex\n",
     "chapters/b.yaml", "id: b\norder: 6\ngenerated: annex\n",
     "chapters/b.yaml:3:12: error: duplicate placement of the generated part 'annex' "
     "(first defined at chapters/a.yaml:3:12)"),
    ("chapters/u.yaml", "id: u\norder: 5\ngenerated: unplaced\n", None, None,
     "chapters/u.yaml:3:12: error: the 'unplaced' part cannot be placed: it is always the last part "
     "of the reviewers' edition"),
    ("chapters/g.yaml", "id: g\ngenerated: coverage\ngoals: [6]\n", None, None,
     "chapters/g.yaml:3:1: error: a chapter file that places a generated part has no 'goals' "
     "(this one places 'coverage')"),
    ("chapters/s.yaml", "id: s\ngenerated: annex\nsections:\n  - id: s-1\n    title: S\n", None, None,
     "chapters/s.yaml:3:1: error: a chapter file that places a generated part has no 'sections' "
     "(this one places 'annex')"),
    ("chapters/n.yaml", "id: annex\ntitle: Our own annex\n", None, None,
     "chapters/n.yaml:1:5: error: 'annex' is the name of a generated part: only a chapter file with "
     "'generated: annex' may take it as its id"),
    ("chapters/t.yaml", "id: t\ngenerated: anex\n", None, None,
     "chapters/t.yaml:2:12: error: unknown generated part 'anex'; did you mean 'annex'?"),
]


@pytest.mark.parametrize("rel, text, rel2, text2, expected", PLACEMENT_ERRORS,
                         ids=named(PLACEMENT_ERRORS))
def test_each_placement_error_at_its_position(project, rel, text, rel2, text2, expected):
    put(project, rel, text)
    if rel2:
        put(project, rel2, text2)
    assert expected in errors(project)


def test_every_placement_error_in_one_run(project):
    for rel, text, rel2, text2, _ in PLACEMENT_ERRORS:
        put(project, rel, text)
        if rel2:
            put(project, rel2, text2)
    assert set(errors(project)) >= {e[-1] for e in PLACEMENT_ERRORS}


def test_a_project_template_overrides_one_report_part_by_its_name(tmp_path):
    root = write_project(tmp_path / "project")
    (root / "templates" / "parts").mkdir(parents=True)
    (root / "templates" / "parts" / "coverage.html.j2").write_text(
        '<section class="chapter" id="{{ part.id }}"><h1>{{ part.title }}</h1><p>Coverage is discussed '
        'with the akimats.</p></section>\n', encoding="utf-8")
    build(Options(root, root / "build", formats=("html",), revision="r"))
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    assert "Coverage is discussed with the akimats." in html
    assert "Consultations in the regions" in html and 'class="data' in html  # the other reports as they were
