"""Arabic right to left and Chinese, by the outputs (issue 26): the sample built in ar and zh and the
Jordan example, each once per module; an English build (conftest's `built`) for the other side."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml
from helpers import pdf_lacks
from lxml import etree, html

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def ar(shared_build):
    return shared_build("--lang", "ar")[0]


@pytest.fixture(scope="module")
def zh(shared_build):
    return shared_build("--lang", "zh")


@pytest.fixture(scope="module")
def jordan(shared_build):
    return shared_build("examples/jordan-ar")[0]


def official(lang: str, goal: int) -> str:
    return yaml.safe_load((REPO / "vnr/data/sdg-i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))["goals"][goal]["short"]


def sticky_xs(pdf: Path) -> list[float]:
    """Where each sticky note (not a reply) starts, as a share of its page's width."""
    reader = pypdf.PdfReader(pdf)
    return [float(a["/Rect"][0]) / float(page.mediabox.width) for page in reader.pages
            for a in (x.get_object() for x in page.get("/Annots") or [])
            if a["/Subtype"] == "/Text" and "/IRT" not in a]


def docx_xml(path: Path, part: str = "word/document.xml"):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


@pytest.mark.parametrize("which", ["ar", "jordan"])
def test_arabic_is_laid_out_right_to_left(which, request):
    out = request.getfixturevalue(which)
    page = html.fromstring((out / "review.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    reader = pypdf.PdfReader(out / "review.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    assert not pdf_lacks(out / "review.pdf", [official("ar", 6)])  # the text layer holds Arabic, in logical order
    xs = sticky_xs(out / "review.pdf")
    assert xs and all(x < 0.5 for x in xs), xs  # the notes stand in the left margin


def test_english_notes_stand_on_the_right(built):
    page = html.fromstring((built / "review.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("en", "ltr")
    xs = sticky_xs(built / "review.pdf")
    assert xs and all(x > 0.5 for x in xs), xs


@pytest.mark.parametrize("which", ["ar", "jordan"])
def test_arabic_docx_is_right_to_left(which, request):
    path = request.getfixturevalue(which) / "review.docx"
    body = docx_xml(path)
    paragraphs, runs, tables = body.iter(W + "p"), list(body.iter(W + "r")), list(body.iter(W + "tbl"))
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs)
    assert runs and all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)
    assert tables and all(t.find(f"{W}tblPr/{W}bidiVisual") is not None for t in tables)
    assert body.find(f".//{W}sectPr/{W}bidi") is not None
    comments = docx_xml(path, "word/comments.xml")
    assert all(p.find(f"{W}pPr/{W}bidi") is not None for p in comments.iter(W + "p"))
    assert all(r.find(f"{W}rPr/{W}rtl") is not None for r in comments.iter(W + "r"))
    defaults = docx_xml(path, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(W + "rtl") is not None and defaults.find(W + "lang").get(W + "bidi") == "ar"
    assert defaults.find(W + "rFonts").get(W + "cs") == "Noto Naskh Arabic"


def test_chinese(zh, built):
    out, stderr = zh
    assert "Glyph" not in stderr and "missing from font" not in stderr  # matplotlib had every glyph
    page = html.fromstring((out / "review.html").read_bytes())
    assert (page.get("lang"), page.get("dir")) == ("zh", "ltr")
    reader = pypdf.PdfReader(out / "review.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "zh"
    assert not pdf_lacks(out / "review.pdf", [official("zh-Hans", 6)])
    fonts = {str(f.get_object()["/BaseFont"]) for p in reader.pages[:12]
             for f in (p["/Resources"].get("/Font") or {}).values()}
    assert any("Noto-Sans-CJK-SC" in f for f in fonts), fonts
    defaults = docx_xml(out / "review.docx", "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert defaults.find(W + "lang").get(W + "eastAsia") == "zh-CN"
    assert defaults.find(W + "rFonts").get(W + "eastAsia") == "Noto Sans CJK SC"
    assert docx_xml(out / "review.docx").find(f".//{W}bidi") is None  # left to right
    assert docx_xml(built / "review.docx").find(f".//{W}bidi") is None


def bar_baselines(out: Path) -> list[str]:
    """For each horizontal bar chart of the review (3 bars or more), the side its bars grow from:
    "left" where they start at one x, "right" where they end at one x. In matplotlib's SVG a
    bar is a patch (a closed path of four corners) inside the axes' background, the second patch."""
    import base64
    import re
    from collections import Counter

    sides, prefix = [], "data:image/svg+xml;base64,"
    for img in html.fromstring((out / "review.html").read_bytes()).iter("img"):
        if not (img.get("src") or "").startswith(prefix):
            continue
        svg = etree.fromstring(base64.b64decode(img.get("src")[len(prefix):]))
        boxes = []
        for group in svg.iter("{*}g"):
            for path in group.iter("{*}path") if (group.get("id") or "").startswith("patch_") else ():
                points = re.findall(r"[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)", path.get("d") or "")
                if len(points) in (4, 5):
                    xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
                    boxes.append((round(min(xs), 1), round(max(xs), 1), min(ys), max(ys)))
        if len(boxes) < 5:
            continue
        axes = boxes[1]
        bars = [b for b in boxes[2:] if b[2] >= axes[2] - 0.5 and b[3] <= axes[3] + 0.5 and b[1] > b[0]]
        if len(bars) < 3 or any(b[3] - b[2] > (axes[3] - axes[2]) / 2 for b in bars):
            continue  # not horizontal bars (a column chart's bars are tall)
        # the baseline is the x that most bars (a stacked bar's first segment) start or end at
        start, end = (Counter(b[i] for b in bars).most_common(1)[0][1] for i in (0, 1))
        sides.append("left" if start > end else "right" if end > start else "?")
    return sides


def test_bars_labelled_in_arabic_grow_from_the_right(jordan, built):
    assert "right" in bar_baselines(jordan) and "left" not in bar_baselines(jordan)
    assert "left" in bar_baselines(built) and "right" not in bar_baselines(built)
