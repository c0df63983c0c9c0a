"""Pages a reader and a ministry can use (issue 28): the HTML page fits the window in a real browser
(headless Chromium, as tests/test_preview_browser.py drives it) with its margin notes in view; a
margin note of the PDF is never cut by a page break; no word breaks inside a DOCX table column."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pypdf
import pytest
from conftest import write_project
from docx import Document
from docx.oxml.ns import qn
from PIL import ImageFont

from vnr.build import Options, build

BROWSER = bool(shutil.which("chromium") and shutil.which("chromedriver")) or bool(os.environ.get("CI"))
needs_browser = pytest.mark.skipif(not BROWSER, reason="Debian's chromium and chromium-driver are not installed "
                                                       "(README's test command installs them)")


# -- the HTML page in a browser -------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    yield driver
    driver.quit()


# A phone is 390 px wide: emulated as one (`mobile`), the page is laid out at the width its
# viewport meta tag asks for; without it a phone lays a page out 980 px wide and shrinks it.
WIDTHS = {1280: False, 390: True}

MEASURE = """
const width = document.documentElement.clientWidth;
const box = e => {
  const r = e.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
};
const notes = [...document.querySelectorAll('aside.note')].map(note => {
  // the block the note stands under when it is not beside the text: the paragraph it stands beside in
  // print (with it in a `.noted` box), else (the notes after a place's last block) the block before it
  const kin = note.parentElement.matches('.noted') ? [...note.parentElement.children] : [];
  let before = kin.find(e => !e.matches('aside.note')) || note.previousElementSibling;
  while (before && before.matches('aside.note')) before = before.previousElementSibling;
  return {id: note.id || note.className, note: box(note), part: box(note.closest('.chapter')),
          before: before ? box(before) : null};
});
const tables = [...document.querySelectorAll('main table')].map(
  t => ({box: box(t), scrolls: t.scrollWidth > t.clientWidth}));
return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, width: width,
        rtl: document.documentElement.dir === 'rtl', notes: notes, tables: tables};
"""


def measure(browser, page: Path, width: int, shots: Path) -> dict:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": WIDTHS[width]})
    browser.get(page.as_uri())
    seen = browser.execute_script(MEASURE)
    # for the eye: the first section with a margin note, at this width
    browser.execute_script("const n = document.querySelector('.section aside.note'); "
                           "if (n) { n.scrollIntoView(); window.scrollBy(0, -150); }")
    browser.save_screenshot(str(shots / f"{page.parent.name}-{width}.png"))
    return seen


@pytest.fixture(scope="module")
def pages(shared_build) -> dict[str, Path]:
    """The reviewers' edition as HTML: the sample (left to right) and Jordan's (Arabic, right to left)."""
    return {"sample": shared_build("--format", "html")[0] / "review.html",
            "jordan-ar": shared_build("examples/jordan-ar")[0] / "review.html"}


@needs_browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["sample", "jordan-ar"])
def test_the_page_fits_the_window_with_its_margin_notes_in_view(browser, pages, name, width, tmp_path_factory):
    seen = measure(browser, pages[name], width, tmp_path_factory.mktemp("screens"))
    assert seen["inner"] == width  # the phone's viewport is the phone's width (viewport meta tag)
    assert seen["scroll"] <= seen["inner"], f"the page is {seen['scroll']} px wide in a {width} px window"
    assert seen["rtl"] == (name == "jordan-ar")
    assert len(seen["notes"]) > 10
    for item in seen["notes"]:
        note, part = item["note"], item["part"]
        assert 0 <= note["left"] and note["right"] <= seen["width"], item  # visible, not off-screen
        if width == 1280:  # beside the text: in the margin on the end side, the part's text not under it
            if seen["rtl"]:
                assert note["right"] <= part["left"] + 0.5, item
            else:
                assert note["left"] >= part["right"] - 0.5, item
        else:  # under the paragraph it stands beside in print, across the text's column
            assert item["before"] and note["top"] >= item["before"]["bottom"] - 0.5, item
            assert note["left"] >= part["left"] - 0.5 and note["right"] <= part["right"] + 0.5, item
            assert note["right"] - note["left"] > 0.9 * (part["right"] - part["left"]), item
    # a wide table scrolls in its own box, never the page (the sample's heat map does at 390 px)
    assert all(t["box"]["right"] <= seen["width"] + 0.5 for t in seen["tables"])
    if name == "sample" and width == 390:
        assert any(t["scrolls"] for t in seen["tables"])


# -- a margin note across a page break (PDF) -----------------------------------------------------

FILLER = ("Drinking water reaches most villages through group pipelines built since the first review, but "
          "the networks are worn and the supply is cut for hours in summer, when demand is highest and the "
          "wells of the steppe run low; the regional programmes replace the oldest mains first. ")


def _chapter() -> str:
    sections = []
    for target, name in (("6.1", "water"), ("6.2", "sanitation")):
        body = "\n\n".join(f"Paragraph {name} {k}. " + FILLER * 3 for k in range(8))
        sections.append(f"  - id: sdg-06-{name}\n    title: Section {target}\n    targets: [\"{target}\"]\n"
                        f"    body: |\n{textwrap.indent(body, '      ')}\n")
    return "id: sdg-06\norder: 60\ntitle: Clean water and sanitation\ngoals: [6]\nsections:\n" + "".join(sections)


def _comment(n: int) -> str:
    return (f"Comment number {n:02d} begins here: the villagers of the district ask that the review say when "
            f"the pipeline reaches them, who pays for the connection to each house, and how the quality of the "
            f"water is checked in summer, when the wells run low. Comment number {n:02d} ends here.")


def _feedback(region: str, first: int) -> str:
    comments = "".join(
        f"  - id: c{n:02d}\n    text: \"{_comment(n)}\"\n    targets: [\"{'6.1' if n % 2 else '6.2'}\"]\n"
        f"    kind: {'problem' if n % 3 else 'proposal'}\n    from: civil_society\n" for n in range(first, first + 8))
    return (f"region: {region}\ncity: Town\ndate: 2022-04-02\naudience: residents\n"
            f"participants:\n  civil_society: 12\ncomments:\n{comments}")


@pytest.fixture(scope="module")
def noted(tmp_path_factory) -> Path:
    """A project whose margin notes (16 of them, two sections' worth) run over several pages."""
    root = write_project(tmp_path_factory.mktemp("notes") / "project", chapters={"sdg-06.yaml": _chapter()},
                         feedback={"kz-43-residents.yaml": _feedback("KZ-43", 1),
                                   "kz-75-residents.yaml": _feedback("KZ-75", 9)})
    build(Options(root, root / "build", formats=("pdf",), revision="r"))
    return root / "build" / "review.pdf"


def test_a_margin_note_is_never_cut_by_a_page_break(noted):
    pages = [" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(noted).pages]
    regions = {n: ("Kyzylorda Region" if n < 9 else "Almaty") for n in range(1, 17)}
    where = {}
    for n, region in regions.items():
        kind = "PROBLEM" if n % 3 else "PROPOSAL"
        # the note's header (region, goal, target, kind) and its whole text, on one page
        whole = re.compile(re.escape(region) + r".{0,40}?" + kind + r" " + re.escape(_comment(n)))
        found = [i for i, text in enumerate(pages) if whole.search(text)]
        assert found, f"note {n:02d}: its header and text are not on one page"
        where[n] = found[0]
    assert len(set(where.values())) >= 3  # the notes do run over several pages: the case is made


# -- DOCX table columns --------------------------------------------------------------------------

def _font(style: str) -> ImageFont.FreeTypeFont:
    found = subprocess.run(["fc-match", "-f", "%{file}", f"Noto Sans:{style}"], capture_output=True, text=True)
    if found.returncode or "NotoSans" not in found.stdout:
        pytest.skip("Noto Sans is not installed (README's commands install fonts-noto-core)")
    return ImageFont.truetype(found.stdout, 1000)


def test_no_docx_table_column_is_narrower_than_a_word_of_its_header(built):
    """Every column's width (w:gridCol, which LibreOffice follows, and each cell's w:tcW, which Word
    does) holds the longest word of its header, measured in the font (bold, at the header's size),
    and every number of its cells, with the cells' margins (108 twips each side)."""
    bold, regular = _font("bold"), _font("regular")
    document = Document(built / "review.docx")
    # the table that showed "Participa-nts" is among them
    assert any({"Participants", "Comments"} <= {c.text for c in t.rows[0].cells} for t in document.tables)
    margins = 2 * 108
    checked = 0
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        rows = table._tbl.findall(qn("w:tr"))
        for r, row in enumerate(rows):
            for column, cell in enumerate(row.findall(qn("w:tc"))):
                assert int(cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}").get(qn("w:w"))) == grid[column]
                for run in cell.iter(qn("w:r")):
                    size = run.find(f"{qn('w:rPr')}/{qn('w:sz')}")
                    points = int(size.get(qn("w:val"))) / 2 if size is not None else 10
                    text = "".join(t.text or "" for t in run.iter(qn("w:t")))
                    words = text.split() if r == 0 else [w for w in text.split() if not re.search(r"[^\W\d_]", w)]
                    for word in words:  # the header's words; the cells' numbers
                        twips = (bold if r == 0 else regular).getlength(word) / 1000 * points * 20
                        assert twips + margins <= grid[column], (word, points, grid)
                        checked += 1
    assert checked > 50

