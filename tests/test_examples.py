"""The shipped examples (a French-language Senegal, an Arabic Jordan) build with no warning at all, and
their outputs speak of their own country: region names on sticky notes and Word comments as the
country writes them, official goal names in the build language."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
import yaml
from helpers import pdf_lacks
from pypdf import PdfReader

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# example -> its language, the regions its seminars were held in, by the names the outputs must show
CASES = {
    "senegal-fr": ("fr", {"SN-DK": "Dakar", "SN-TH": "Thiès", "SN-SL": "Saint-Louis", "SN-ZG": "Ziguinchor"}),
    # regions.yaml renames JO-AM (ISO: "Al ‘A̅şimah") as the Ministry writes it
    "jordan-ar": ("ar", {"JO-AM": "العاصمة", "JO-IR": "إربد", "JO-MA": "المفرق", "JO-AQ": "العقبة"}),
}


@pytest.fixture(scope="module", params=list(CASES))
def example(request, shared_build) -> tuple[str, Path]:
    out, stderr = shared_build(f"examples/{request.param}")
    assert "warning" not in stderr  # none at all: `vnr build --strict` would pass
    return request.param, out


def _official_shorts(lang: str) -> dict[int, str]:
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "vnr" / "data" / "sdg-i18n"
                           / f"{lang}.yaml").read_text(encoding="utf-8"))
    return {int(n): " ".join(g["short"].split()) for n, g in data["goals"].items()}


def test_sticky_notes_are_by_the_regions_as_the_country_names_them(example):
    name, out = example
    authors = {str(a.get_object()["/T"]) for page in PdfReader(out / "review.pdf").pages
               for a in page.get("/Annots", ()) if a.get_object()["/Subtype"] == "/Text"}
    assert set(CASES[name][1].values()) <= authors


def test_word_comments_are_by_the_regions_with_their_codes_as_initials(example):
    name, out = example
    comments = {(c.author, c.initials) for c in docx.Document(out / "review.docx").comments}
    assert {(region, code) for code, region in CASES[name][1].items()} <= comments


def test_the_goals_the_chapters_report_on_carry_their_official_names_in_pdf_and_docx(example):
    name, out = example
    lang = CASES[name][0]
    goals = {g for path in (EXAMPLES / name / "chapters").glob("*.yaml")
             for g in yaml.safe_load(path.read_text(encoding="utf-8")).get("goals", [])}
    assert goals
    shorts = _official_shorts(lang)
    assert not pdf_lacks(out / "review.pdf", [shorts[goal] for goal in goals])
    document = docx.Document(out / "review.docx")
    words = " ".join(" ".join(p.text for p in document.paragraphs).split())
    for goal in goals:
        assert shorts[goal] in words, goal


def test_the_manifest_counts_the_countrys_first_level_units(example):
    name, out = example
    counts = json.loads((out / "review.manifest.json").read_text())["counts"]
    existing = {"senegal-fr": 14, "jordan-ar": 12}[name]  # Senegal's regions, Jordan's governorates
    assert (counts["regions"], counts["regions_existing"]) == (len(CASES[name][1]), existing)


def test_latin_pieces_of_an_arabic_notes_line_are_isolated_so_they_keep_their_place(example):
    name, out = example
    html = (out / "review.html").read_text(encoding="utf-8")
    key = "jo-am-residents/"  # a comment key: Latin letters, a slash, in an Arabic line
    if name == "jordan-ar":
        assert f"\u2068{key}" in html and "\u2069 · \u2068" in html
    else:  # left to right: nothing to isolate
        assert "\u2068" not in html
