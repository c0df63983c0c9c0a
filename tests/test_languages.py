"""Three languages: complete catalogues, official names, locale numbers and dates."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from importlib import resources

import pypdf
import pytest
import yaml
from docx import Document

from vnr.base.errors import Problems
from vnr.base.framework import framework, official
from vnr.build import Options, build
from vnr.read import regions


def catalogue(lang: str) -> dict[str, str]:
    return yaml.safe_load(resources.files("vnr").joinpath("messages", f"{lang}.yaml").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.lang = None

        self.in_style = False

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        self.in_style = False

    def handle_data(self, data):
        if not self.in_style:  # the stylesheet's comments are not text a reader sees
            self.parts.append(data)


@pytest.fixture(scope="module", params=["ru", "kk"])
def localized(request, tmp_path_factory):
    from conftest import write_project

    root = write_project(tmp_path_factory.mktemp(request.param) / "p")
    out = root / "out"
    build(Options(root, out, lang=request.param, revision="r"))
    sources = " ".join(p.read_text(encoding="utf-8") for p in root.rglob("*.yaml"))
    return request.param, out, " ".join(sources.split())


def test_interface_words_and_official_names_in_the_build_language(localized):
    lang, out, sources = localized
    page = _Text()
    page.feed((out / "review.html").read_text(encoding="utf-8"))
    assert page.lang == lang
    text = " ".join(" ".join(page.parts).split())
    messages, english = catalogue(lang), catalogue("en")
    fw = framework()
    assert messages["contents"] in text and messages["annex.title"] in text
    assert fw.goals[7].short[lang] in text and fw.goals[6].short[lang] in text
    assert fw.targets["7.1"].text[lang][:40] in text
    assert regions.read("KZ", lang, Problems(), None)["KZ-43"].name[lang] in text
    # no English word of the interface (chapter text is the editors' and stays as written)
    assert "The seminars gathered" in text
    for key, value in english.items():
        texts = [value] if isinstance(value, str) else [
            value["text"], *(form for name, forms in value.items() if name != "text" for form in forms.values())]
        for words in (re.sub(r"\{[^}]*\}", " ", t) for t in texts):
            for phrase in re.split(r"[:.,;()]", words):
                phrase = phrase.strip()
                if len(phrase) > 6 and " " in phrase and phrase not in sources:
                    assert phrase not in text, (key, phrase)


def test_numbers_dates_and_percentages_follow_the_locale(localized):
    lang, out, _ = localized
    html = (out / "review.html").read_text(encoding="utf-8")
    assert {"ru": "30,0\xa0%", "kk": "30,0%"}[lang] in html
    assert {"ru": "14 марта 2022", "kk": "2022\u202fж. 14 наурыз"}[lang] in html


def test_pdf_and_docx_keep_kazakh_and_russian_letters(localized):
    lang, out, _ = localized
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(out / "review.pdf").pages)
    title = framework().goals[11].short[lang]
    assert catalogue(lang)["annex.title"] in " ".join(text.split())
    doc = Document(out / "review.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(title in h for h in headings)
    assert doc.core_properties.language == {"ru": "ru-RU", "kk": "kk-KZ"}[lang]
    assert "үзіліссіз" in text.replace("\n", " ")


def test_a_name_missing_in_the_official_data_is_shown_in_english_marked_and_noted(project, monkeypatch):
    monkeypatch.delitem(framework().goals[6].short, "kk")  # as if the official data had no Kazakh title
    monkeypatch.delitem(official("kk").short, 6)  # in either source
    said: list[str] = []
    build(Options(project, project / "out", formats=("html", "docx"), lang="kk", revision="r"), say=said.append)
    assert "vnr.yaml:5:11: warning: no kk translation in the official data for goal 6; shown in English, marked [en]" in said
    page = _Text()
    page.feed((project / "out" / "review.html").read_text(encoding="utf-8"))
    text = " ".join(" ".join(page.parts).split())
    assert "ТДМ 6: Clean water and sanitation [en]" in text  # the chapter's badge and the annex
    assert framework().goals[7].short["kk"] in text  # the others in Kazakh
    headings = [p.text for p in Document(project / "out" / "review.docx").paragraphs if p.style.name == "Heading 2"]
    assert "ТДМ 6: Clean water and sanitation [en]" in headings


def test_each_chapter_shows_its_goal_badge_in_the_build_language(localized):
    lang, out, _ = localized
    badge = catalogue(lang)["goal_label"].format(number=7, title=framework().goals[7].short[lang])
    reader = pypdf.PdfReader(out / "review.pdf")
    start = next(reader.get_destination_page_number(item) for item in reader.outline
                 if not isinstance(item, list) and item.title == "Affordable and clean energy")
    first_page = " ".join(reader.pages[start].extract_text().split())
    assert first_page.index("Affordable and clean energy") < first_page.index(badge)
    paragraphs = Document(out / "review.docx").paragraphs
    heading = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == "Affordable and clean energy")
    assert paragraphs[heading + 1].text.strip() == f"7  {badge}"
    html = (out / "review.html").read_text(encoding="utf-8")
    chapter = html[html.index('<section class="chapter" id="sdg-07">'):]
    assert re.search(r'<li class="goal-badge"[^>]*><span class="goal-number"[^>]*>7</span> ' + re.escape(badge), chapter)


def test_sticky_notes_and_word_comments_are_signed_with_region_names_in_the_build_language(localized):
    lang, out, _ = localized
    units = regions.read("KZ", lang, Problems(), None)
    names = {units[code].name[lang] for code in ("KZ-11", "KZ-43", "KZ-75")}
    reader = pypdf.PdfReader(out / "review.pdf")
    authors = {a.get_object()["/T"] for page in reader.pages for a in page.get("/Annots") or []
               if a.get_object()["/Subtype"] == "/Text" and "/IRT" not in a.get_object()}
    assert authors == names
    assert {c.author for c in Document(out / "review.docx").comments} == names


def test_the_language_of_vnr_yaml_is_the_default_and_lang_overrides_it(tmp_path):
    from conftest import SETTINGS, write_project

    root = write_project(tmp_path / "p", settings=SETTINGS.replace("language: en", "language: ru"))
    build(Options(root, root / "ru", formats=("html",), revision="r"))
    build(Options(root, root / "en", formats=("html",), revision="r", lang="en"))
    assert '<html lang="ru" dir="ltr">' in (root / "ru" / "review.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in (root / "en" / "review.html").read_text(encoding="utf-8")
    assert '"language": "ru"' in (root / "ru" / "review.manifest.json").read_text(encoding="utf-8")


def test_a_bodys_numbers_follow_the_build_language_when_one_process_builds_several(tmp_path):
    """Jinja works out a filter of a constant (`{{ 1234567.5 | number }}`) when it compiles a body, and
    vnr keeps compiled bodies for the next build (the preview's): one process building in English,
    then in Russian, then in English again shows each build's own numbers."""
    from conftest import write_project

    root = write_project(tmp_path / "p")
    intro = root / "chapters" / "intro.yaml"
    intro.write_text(intro.read_text(encoding="utf-8").replace(
        "This review reports", "{{ 1234567.5 | number }} and {{ 0.654 | percent }}. This review reports"),
        encoding="utf-8")
    shown = {}
    for n, lang in enumerate(("en", "ru", "en")):
        out = tmp_path / f"out{n}"
        build(Options(root, out, formats=("html",), lang=lang, revision="r"))
        shown[n] = (out / "review.html").read_text(encoding="utf-8")
    assert "1,234,567.5 and 65.4%." in shown[0] and "1,234,567.5 and 65.4%." in shown[2]
    assert "1\xa0234\xa0567,5 and 65,4\xa0%." in shown[1]
