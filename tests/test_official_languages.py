"""Every language the official names data holds builds: goal and target names official, vnr's own words
in the language where it has them (fr, es, ar, zh, ru, kk), else in English, each word a warning."""

from __future__ import annotations

import re

import pytest
from conftest import write_project
from docx import Document
from helpers import run

from vnr.base.framework import official


def _build(tmp_path, lang: str) -> tuple[str, Document, list[str]]:
    root = write_project(tmp_path / "p")
    code, lines = run("build", str(root), "--format", "html,docx", "--lang", lang, "--revision", "r", "-q")
    assert code == 0, lines
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    return html, Document(root / "build" / "review.docx"), lines


@pytest.mark.parametrize("lang, goal_6, contents", [
    ("fr", "Eau propre et assainissement", "Table des matières"),
    ("es", "Agua Limpia y Saneamiento", "Índice"),
    ("zh", "清洁饮水和卫生设施", "目录"),
])
def test_a_catalogued_language_has_official_names_and_its_own_words(tmp_path, lang, goal_6, contents):
    html, doc, lines = _build(tmp_path, lang)
    assert official(lang).short[6] == goal_6
    assert goal_6 in html and contents in html
    headings = " ".join(p.text for p in doc.paragraphs if p.style.name.startswith("Heading"))
    assert goal_6 in headings
    assert not [line for line in lines if "vnr has no" in line]  # its own words: no warning for them


def test_a_language_only_the_official_data_holds_builds_with_english_words_each_a_warning(tmp_path):
    html, doc, lines = _build(tmp_path, "de")
    assert "Sauberes Wasser und Sanitärversorgung" in html  # official German names
    assert "Contents" in html  # vnr's own words in English ...
    said = [line for line in lines if ": warning: vnr has no de words of its own: " in line]
    assert len(said) > 10 and all(line.startswith("vnr.yaml:5:11: warning:") for line in said)  # ... each said
    assert any("'annex.title' is shown in English" in line for line in said)
    assert doc.core_properties.language == "de"
    code, lines = run("check", str(tmp_path / "p"), "--strict")  # en in vnr.yaml: nothing to say
    assert code == 0, lines


def test_an_unknown_language_is_refused_with_the_ones_there_are(tmp_path):
    root = write_project(tmp_path / "p")
    settings = (root / "vnr.yaml").read_text(encoding="utf-8")
    (root / "vnr.yaml").write_text(settings.replace("language: en", "language: xx"), encoding="utf-8")
    code, lines = run("check", str(root))
    assert code == 1
    assert re.match(r"vnr.yaml:5:11: error: unknown language 'xx' \(expected one of: en, ru, kk, fr, es, ar, zh, ",
                    lines[0]), lines
