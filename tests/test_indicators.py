"""National indicator data (Open SDG format) in the review: tables from `indicator()` calls, charts,
the statistical annex, the manifest; every error at its line. On a small data folder written here."""

from __future__ import annotations

import csv
import json
import re
import shutil
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pypdf
import pytest
from docx import Document
from helpers import DATA, HEALTH, SDG03, data_project, errors, put, run

from vnr.base.framework import official
from vnr.build import Options, build


class Tables(HTMLParser):
    """Each <table>: its caption and its rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.cell, self.in_caption = [], None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None:
            self.tables[-1]["rows"][-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.in_caption:
            self.tables[-1]["caption"] += data
        elif self.cell is not None:
            self.cell += data


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return {t["caption"].strip(): t["rows"] for t in parser.tables}


@pytest.fixture(scope="module")
def built_data(tmp_path_factory) -> Path:
    root = data_project(tmp_path_factory.mktemp("data") / "project")
    build(Options(root, root / "build", revision="r1"))
    return root


def test_tables_show_the_chosen_years_values_and_missing_years(built_data):
    found = tables((built_data / "build" / "review.html").read_text(encoding="utf-8"))
    assert found["Table 1. 3.1.1 Maternal mortality ratio"] == [
        ["", "2015", "2017", "2021"], ["Total", "12.5", "..", "44.7"]]
    # by: the total first, then the regions by their names; a region without a value: ".."
    assert found["Table 2. 3.1.1 Maternal mortality ratio"] == [
        ["Region", "2021", "2022"], ["Total", "44.7", ".."], ["Abai Region", "..", "20.0"],
        ["Aktobe Region", "61.3", ".."], ["Almaty", "1,234.5", ".."]]
    # the last 6 years with data (here 2), SERIES-less rows by SEX labelled from translations/
    assert found["Table 3. 3.2.1 Under\u20115 mortality rate, per 1000 live births"] == [
        ["Sex", "2018", "2019"], ["Total", "10.11", "10.69"], ["Female", "8.90", "9.50"], ["Male", "11.30", "11.80"]]
    # a national indicator (four parts) named from the data's translations
    assert found["Table 4. 11.6.1.1 Share of household waste recycled, Percent"] == [
        ["", "2016", "2021"], ["Total", "9.0", "21.1"]]


def test_source_lines_charts_and_the_map(built_data):
    html = unescape((built_data / "build" / "review.html").read_text(encoding="utf-8"))
    assert "Source: Ministry of Healthcare (Administrative data); national SDG indicator data, indicator 3.1.1." in html
    assert "Source: national SDG indicator data, indicator 11.6.1.1." in html
    assert '".." means that no value is published for the year.' in html
    figures = re.findall(r'<figure class="chart( map)?">\s*<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]*)"',
                         html)
    alts = [alt for _, alt in figures]
    assert any(alt.startswith("Map of the regions shaded by 3.1.1 Maternal mortality ratio in 2021: ")
               and "Aktobe Region 61.3" in alt for alt in alts), alts
    assert any(alt.startswith("Line chart of 3.2.1 Under\u20115 mortality rate: Total: 2018 10.11, 2019 10.69")
               for alt in alts), alts


def test_statistics_part_first_and_latest_values_and_availability(built_data):
    html = (built_data / "build" / "review.html").read_text(encoding="utf-8")
    part = html[html.index('id="statistics"'):]
    found = tables(part)
    goal3 = found["SDG 3: first and latest values"]
    assert goal3[0] == ["Indicator", "Name", "Unit", "First year", "Value", "Latest year", "Value", "Change"]
    assert ["3.1.1", "Maternal mortality ratio", "", "2015", "12.5", "2021", "44.7", "+32.2"] in goal3
    assert ["3.2.1", "Under\u20115 mortality rate", "per 1000 live births", "2018", "10.11", "2019", "10.69", "+0.58"] \
        in goal3
    goal11 = found["SDG 11: first and latest values"]
    assert ["11.6.1.1", "Share of household waste recycled", "Percent", "2016", "9.0", "2021", "21.1", "+12.1"] \
        in goal11
    availability = {row[0]: row[1:] for row in found["Indicators with national data, by goal"]}
    assert availability["SDG 3: Good health and well-being"][:2] == ["28", "2"]
    assert availability["SDG 11: Sustainable cities and communities"][1:] == ["0", "0.0%", "1"]
    parts = json.loads((built_data / "build" / "review.manifest.json").read_text())["parts"]
    assert parts.index("consultations") < parts.index("statistics") < parts.index("annex")


def test_manifest_counts_indicators_and_lists_the_data_read(built_data):
    manifest = json.loads((built_data / "build" / "review.manifest.json").read_text())
    assert manifest["counts"]["indicators"] == 3
    for rel in ("indicators/data/indicator_3-1-1.csv", "indicators/data/indicator_3-2-1.csv",
                "indicators/data/indicator_11-6-1-1.csv", "indicators/meta/3-1-1.yml",
                "indicators/translations/en/UNIT_MEASURE.yml", "indicators/translations/en/national_indicators.yml"):
        assert rel in manifest["inputs"], rel
    assert "indicators/translations/ru/UNIT_MEASURE.yml" not in manifest["inputs"]  # read only as needed


def test_docx_has_real_tables_and_the_charts_with_alt_text(built_data):
    doc = Document(str(built_data / "build" / "review.docx"))
    grids = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert [["", "2015", "2017", "2021"], ["Total", "12.5", "..", "44.7"]] in grids
    assert ["Almaty", "1,234.5", ".."] in [row for g in grids for row in g]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert "Table 3. 3.2.1 Under\u20115 mortality rate, per 1000 live births" in captions
    alts = [e.get("descr") for e in doc.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/"
                                                            "wordprocessingDrawing}docPr")]
    assert any(a.startswith("Map of the regions shaded by 3.1.1") for a in alts), alts


def test_pdf_shows_the_tables_in_their_chapter(built_data):
    reader = pypdf.PdfReader(str(built_data / "build" / "review.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Table 1. 3.1.1 Maternal mortality ratio" in text
    assert "1,234.5" in text
    assert text.index("Table 4. 11.6.1.1") < text.index("The national SDG indicator data holds values for 3 indicators")


@pytest.mark.parametrize("lang, names, number", [
    ("ru", ["Всего", "Актюбинская область", "Алматы", "область Абай"], "1\u00a0234,5"),
    ("kk", ["Барлығы", "Абай облысы", "Ақтөбе облысы", "Алматы"], "1\u00a0234,5"),  # Kazakh order: қ before л
])
def test_regions_units_and_numbers_in_the_build_language(tmp_path, lang, names, number):
    root = data_project(tmp_path / "project")
    build(Options(root, root / "build", formats=("html",), lang=lang, revision="r1"))
    found = tables((root / "build" / "review.html").read_text(encoding="utf-8"))
    by_region = next(rows for caption, rows in found.items() if caption.startswith(("Таблица 2.", "2-кесте.")))
    assert [row[0] for row in by_region[1:]] == names
    assert {row[0]: row[1] for row in by_region}["Алматы"] == number
    assert by_region[1][1] == "44,7"
    national = next(caption for caption in found if caption.startswith(("Таблица 4.", "4-кесте.")))
    assert national.endswith({"ru": "11.6.1.1 Доля переработанных бытовых отходов, процент",
                              "kk": "11.6.1.1 Қайта өңделген тұрмыстық қалдықтар үлесі, пайыз"}[lang])


def test_each_error_at_its_line_all_in_one_run(tmp_path):
    body = SDG03 + """\
  {{ indicator("3.1.9") }}

  {{ indicator("3.1.2") }}

  {{ indicator("3.1.1", by="REGION") }}

  {{ indicator("3.1.1", years=[2015, 2030]) }}

  {{ indicator("3.2.1", chart="pie") }}

  {{ indicator("3.3.1") }}
"""
    data = {**DATA,
            "indicators/data/indicator_3-2-1.csv": "Year,SEX,Value\n2018,,10.1\n2019,,9x.6\n2020,M\n",
            "indicators/data/indicator_3-3-1.csv": "Year,SEX,Amount\n2018,,1.0\n"}
    root = data_project(tmp_path / "project", body, data)
    assert errors(root) == [
        "chapters/sdg-03.yaml:6:3: error: unknown indicator '3.1.9' (did you mean 3.1.1?)",
        "chapters/sdg-03.yaml:8:3: error: no data for indicator 3.1.2: there is no "
        "indicators/data/indicator_3-1-2.csv",
        "chapters/sdg-03.yaml:10:3: error: unknown column 'REGION' in by: indicator 3.1.1 has the columns REF_AREA",
        "chapters/sdg-03.yaml:12:3: error: indicator 3.1.1 has no data for 2030 (it has 2015-2022)",
        "indicators/data/indicator_3-2-1.csv:3:3: error: value '9x.6' is not a number",
        "indicators/data/indicator_3-2-1.csv:4:1: error: 2 cells where the header has 3 columns",
        "indicators/data/indicator_3-3-1.csv:1:1: error: no 'Value' column (the columns are Year, SEX, Amount)",
    ]
    assert not (root / "build").exists()


def test_two_values_for_a_cell_shown_is_an_error_at_the_second_row(tmp_path):
    data = {**DATA, "indicators/data/indicator_11-6-1-1.csv": "Year,UNIT_MEASURE,Value\n2016,PT,9.0\n2021,PT,21.1\n"
                                                              "2021,PT,12.1\n"}
    root = data_project(tmp_path / "project", data=data)
    assert errors(root) == [
        "indicators/data/indicator_11-6-1-1.csv:4:3: error: a second value for 2021 (12.1; line 3 has 21.1): "
        "which one is right?"]


def test_a_project_without_indicators_has_no_statistics_part(built):
    manifest = json.loads((built / "review.manifest.json").read_text())
    assert "statistics" not in manifest["parts"]
    assert manifest["counts"]["indicators"] == 0


ROOT = Path(__file__).resolve().parent.parent


def _csv_values(rel: str) -> dict[int, list[Decimal]]:
    """Every value of a CSV by year, read here with the csv module (not vnr's reader)."""
    with open(ROOT / rel, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.reader(f) if any(c.strip() for c in r)]
    year, value = rows[0].index("Year"), [h.strip() for h in rows[0]].index("Value")
    found: dict[int, list[Decimal]] = {}
    for row in rows[1:]:
        if row[value].strip():
            found.setdefault(int(row[year]), []).append(Decimal(row[value].strip()))
    return found


def _matches(shown: str, values: list[Decimal]) -> bool:
    number = Decimal(shown.replace(",", "").replace("\u2212", "-").lstrip("+"))
    half = Decimal(1).scaleb(number.as_tuple().exponent) / 2  # the shown value is the data rounded, if at all
    return any(abs(v - number) <= half for v in values)


def test_every_number_in_the_sample_tables_is_in_the_data(tmp_path):
    build(Options(ROOT, tmp_path, formats=("html",), revision="sample"))
    found = tables((tmp_path / "review.html").read_text(encoding="utf-8"))
    checked = 0
    for caption, rows in found.items():
        call = re.match(r"Table \d+\. (\d+(?:\.[0-9a-z]+){2,3}) ", caption)
        if call:  # an indicator() table: years as columns
            values = _csv_values(f"indicators/data/indicator_{call[1].replace('.', '-')}.csv")
            years = [int(y) for y in rows[0][1:]]
            for row in rows[1:]:
                for year, cell in zip(years, row[1:]):
                    if cell != "..":
                        assert _matches(cell, values[year]), (caption, row[0], year, cell)
                        checked += 1
        elif caption.endswith(": first and latest values"):  # the statistical annex
            current = None
            for row in rows[1:]:
                current = row[0] or current
                if row[4] == "..":
                    continue
                values = _csv_values(f"indicators/data/indicator_{current.replace('.', '-')}.csv")
                for year, cell in ((row[3], row[4]), (row[5], row[6])):
                    assert _matches(cell, values[int(year)]), (caption, current, year, cell)
                    checked += 2
    assert checked > 1500, checked  # 75 tables in the chapters and the statistical annex


def test_a_row_without_a_value_in_the_years_shown_is_left_out(tmp_path):
    body = HEALTH.split("body: |")[0] + 'body: |\n  {{ indicator("3.1.1", by="REF_AREA", years=[2015, 2017]) }}\n'
    root = data_project(tmp_path / "project", body)
    build(Options(root, root / "build", formats=("html",), revision="r1"))
    found = tables((root / "build" / "review.html").read_text(encoding="utf-8"))
    # Abai Region has values from 2022 only; the total row stays though it has none for 2017
    assert found["Table 1. 3.1.1 Maternal mortality ratio"] == [
        ["Region", "2015", "2017"], ["Total", "12.5", ".."], ["Aktobe Region", "14.0", "15.0"], ["Almaty", "9.8", ".."]]


def test_a_rebuild_keeps_outputs_until_a_data_file_it_reads_or_the_folder_changes(tmp_path):
    root = data_project(tmp_path / "project")
    out = root / "build"

    def rebuilt() -> bool:
        said: list[str] = []
        build(Options(root, out, formats=("html",), revision="r1"), say=said.append)
        return not any("up to date" in line for line in said)

    assert rebuilt()
    assert not rebuilt()  # nothing changed: kept (the manifest lists the data files read)
    put(root, "indicators/translations/kk/SEX.yml", "F: Әйелдер\n")  # not read by an English build...
    assert rebuilt()  # ...but a new file in indicators/ may be read: rebuilt once
    assert not rebuilt()
    put(root, "indicators/translations/kk/SEX.yml", "F: Әйел\n")  # a file the build did not read changed
    assert not rebuilt()
    csv_path = root / "indicators/data/indicator_3-1-1.csv"
    csv_path.write_text(csv_path.read_text().replace("2021,,44.7", "2021,,44.9"))
    assert rebuilt()
    assert "44.9" in (out / "review.html").read_text(encoding="utf-8")


def test_a_name_the_framework_lacks_in_kazakh_is_shown_in_english_and_said(tmp_path, monkeypatch):
    monkeypatch.delitem(official("kk").indicators, "1.a.1")  # as if the official data had no Kazakh name
    extra = {"indicators/data/indicator_1-a-1.csv": "Year,Value\n2020,1.5\n"}
    root = data_project(tmp_path / "project", data={**DATA, **extra})
    said: list[str] = []
    build(Options(root, root / "build", formats=("html",), lang="kk", revision="r1"), say=said.append)
    notes = [line for line in said if ": warning: no kk translation" in line]
    assert notes and "indicator 1.a.1" in notes[0] and "indicator 3.1.1" not in notes[0]
    goal1 = tables((root / "build" / "review.html").read_text(encoding="utf-8"))["ТДМ 1: бірінші және соңғы мәндер"]
    assert goal1[1][1].endswith("[en]")


def test_a_warning_is_said_at_its_place_and_strict_makes_it_an_error(tmp_path, monkeypatch):
    monkeypatch.delitem(official("kk").indicators, "1.a.1")  # as if the official data had no Kazakh name
    extra = {"indicators/data/indicator_1-a-1.csv": "Year,Value\n2020,1.5\n"}
    root = data_project(tmp_path / "project", data={**DATA, **extra})
    settings = (root / "vnr.yaml").read_text(encoding="utf-8")
    (root / "vnr.yaml").write_text(settings.replace("language: en", "language: kk"), encoding="utf-8")
    warning = "vnr.yaml:5:11: warning: no kk translation in the official data for indicator 1.a.1"
    code, lines = run("check", str(root))
    assert code == 0 and any(line.startswith(warning) for line in lines), lines
    code, lines = run("build", str(root), "--format", "html", "--quiet")
    assert code == 0 and any(line.startswith(warning) for line in lines), lines  # --quiet keeps warnings
    (root / "build").rename(root / "lenient")
    for command in (["check"], ["build", "--format", "html"]):
        code, lines = run(*command, str(root), "--strict")
        assert code == 1, lines
        assert any(line.startswith(warning.replace("warning:", "error:")) for line in lines), lines
    assert not (root / "build").exists()  # nothing written


def test_a_data_file_linked_from_outside_the_project_is_never_read(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("Year,Value\n2020,passport-number-9x\n")
    root = data_project(tmp_path / "project")
    (root / "indicators/data/indicator_3-1-2.csv").symlink_to(secret)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "3-2-1.yml").write_text("source_organisation_1: passport office\n")
    (tmp_path / "elsewhere" / "SEX.yml").write_text("F: passport holders\n")
    (root / "indicators/meta/3-2-1.yml").symlink_to(tmp_path / "elsewhere" / "3-2-1.yml")  # a linked file
    shutil.rmtree(root / "indicators/translations/en")
    (root / "indicators/translations/en").symlink_to(tmp_path / "elsewhere")  # a linked folder
    (root / "chapters/leak.yaml").write_text('id: leak\norder: 5\ntitle: Leak\nbody: |\n  {{ indicator("3.1.2") }}\n')
    lines = errors(root)
    assert lines == ["chapters/leak.yaml:5:3: error: no data for indicator 3.1.2: there is no "
                     "indicators/data/indicator_3-1-2.csv"]
    assert not any("passport" in line for line in lines)
    (root / "chapters/leak.yaml").unlink()
    build(Options(root, root / "build", formats=("html",), revision="r1"))
    html = (root / "build" / "review.html").read_text(encoding="utf-8")
    assert "passport" not in html and "Source: national SDG indicator data, indicator 3.2.1." in html
    manifest = json.loads((root / "build" / "review.manifest.json").read_text())
    assert not any("meta/3-2-1" in path for path in manifest["inputs"])


def test_identical_bytes_hold_with_indicator_tables_charts_and_the_annex(tmp_path, monkeypatch):
    """The tables' markers are random per build; nothing of them, or of the data's folder, reaches
    an output."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    made = [build(Options(data_project(tmp_path / name), tmp_path / f"out-{name}", revision="v3"))
            for name in ("one", "two")]
    assert set(made[0]) == {"review.pdf", "review.docx", "review.html", "review.manifest.json"}
    for output in made[0]:
        assert made[0][output] == made[1][output], output
    assert b"vnr-indicator-" not in made[0]["review.html"]


def test_the_public_edition_has_the_annex_and_data_text_stays_text(tmp_path):
    data = {**DATA, "indicators/translations/en/SEX.yml": "F: <b onclick='x()'>Female</b>\nM: Male\n"}
    root = data_project(tmp_path / "project", data=data)
    build(Options(root, root / "build", formats=("html",), edition="public", revision="r1"))
    manifest = json.loads((root / "build" / "public.manifest.json").read_text())
    assert "statistics" in manifest["parts"] and "coverage" not in manifest["parts"]
    assert manifest["counts"]["indicators"] == 3
    html = (root / "build" / "public.html").read_text(encoding="utf-8")
    assert "&lt;b onclick=&#39;x()&#39;&gt;Female&lt;/b&gt;" in html and "<b onclick" not in html


def test_by_default_the_last_six_years_with_data_and_a_bar_chart(tmp_path):
    eight = "Year,UNIT_MEASURE,Value\n" + "".join(f"{y},PT,{y - 2000}.5\n" for y in range(2014, 2022))
    body = HEALTH.split("body: |")[0] + 'body: |\n  {{ indicator("11.6.1.1", chart="bar") }}\n'
    root = data_project(tmp_path / "project", body, {**DATA, "indicators/data/indicator_11-6-1-1.csv": eight})
    build(Options(root, root / "build", formats=("html",), revision="r1"))
    html = unescape((root / "build" / "review.html").read_text(encoding="utf-8"))
    assert tables(html)["Table 1. 11.6.1.1 Share of household waste recycled, Percent"] == [
        ["", "2016", "2017", "2018", "2019", "2020", "2021"], ["Total", "16.5", "17.5", "18.5", "19.5", "20.5", "21.5"]]
    assert 'alt="Bar chart of 11.6.1.1 Share of household waste recycled: Total: 2016 16.5, 2017 17.5' in html


def _refused(root: Path) -> list[str]:
    """What `vnr check` reports, and `vnr build` the same (exit 1, nothing written)."""
    found = errors(root)
    code, lines = run("build", str(root), "--format", "html")
    assert code == 1 and lines[:-1] == found, lines
    assert not (root / "build").exists()
    return found


RULE = ("a value has at most 15 significant digits (17 as a program writes a floating-point number) "
        "and is 0 or between 10^-15 and 10^15 in magnitude")


@pytest.mark.parametrize("value, message", [
    ("1e400", "is too large"),
    ("1e15", "is too large"),
    ("-1234567890123456", "is too large"),
    ("1e-999999999", "is too small"),  # rounded for a table, a billion digits (2 GB, a timeout)
    ("0e-999999999", "has more digits than a value holds"),
    ("1.23456789012345678", "has more digits than a value holds"),
], ids=["1e400", "1e15", "16 digits", "1e-999999999", "0e-999999999", "18 digits"])
def test_a_value_out_of_bounds_is_an_error_at_its_cell(tmp_path, value, message):
    data = {**DATA, "indicators/data/indicator_11-6-1-1.csv": f"Year,UNIT_MEASURE,Value\n2016,PT,9.0\n2021,PT,{value}\n"}
    root = data_project(tmp_path / "project", data=data)
    assert _refused(root) == [f"indicators/data/indicator_11-6-1-1.csv:3:3: error: value '{value}' {message}: {RULE}"]


def test_a_control_character_in_data_metadata_or_labels_is_an_error_at_its_place(tmp_path):
    data = {**DATA,
            # a NUL in a cell crashed the DOCX writer (exit 3) and reached the HTML as it was
            "indicators/data/indicator_3-2-1.csv": DATA["indicators/data/indicator_3-2-1.csv"]
            .replace("2019,M,", "2019,M\x00,").replace("2018,F,", "2018,F\x7f,"),
            "indicators/meta/3-1-1.yml": 'source_organisation_1: sources.3-1-1-org\nsource_data_1: "Admin\\x1b data"\n',
            "indicators/translations/en/UNIT_MEASURE.yml": "PT: Per\x01cent\n",  # raw: YAML refuses it
            "indicators/translations/en/sources.yml": '3-1-1-org: "Ministry\\0"\n'}
    root = data_project(tmp_path / "project", data=data)
    text = "text contains the control character U+{:04X}, which no output can hold"
    assert _refused(root) == [
        f"indicators/data/indicator_3-2-1.csv:4:2: error: {text.format(0x7f)}",
        f"indicators/data/indicator_3-2-1.csv:6:2: error: {text.format(0)}",
        f"indicators/meta/3-1-1.yml:2:16: error: {text.format(0x1b)}",
        f"indicators/translations/en/UNIT_MEASURE.yml:1:8: error: {text.format(1)}",
        f"indicators/translations/en/sources.yml:1:12: error: {text.format(0)}",
    ]


def test_metadata_in_a_markdown_header_is_read_and_checked_at_its_line(tmp_path):
    meta = "---\ntitle: Maternal mortality\nsource_organisation_1: Statistics Bureau\nsource_data_1: Survey\n---\n" \
           "# Maternal mortality\n\nsource_data_1: not metadata\n"
    data = {k: v for k, v in DATA.items() if "meta/" not in k}
    root = data_project(tmp_path / "project", data={**data, "indicators/meta/3-1-1.md": meta})
    build(Options(root, root / "first", formats=("html",), revision="r1"))
    html = unescape((root / "first" / "review.html").read_text(encoding="utf-8"))
    assert "Source: Statistics Bureau (Survey); national SDG indicator data, indicator 3.1.1." in html
    put(root, "indicators/meta/3-1-1.md", meta.replace("Survey", '"Sur\\0vey"'))
    assert _refused(root) == ["indicators/meta/3-1-1.md:4:16: error: text contains the control character U+0000, "
                              "which no output can hold"]


def test_bad_utf8_is_reported_at_its_line_and_column(tmp_path):
    rows = "".join(f"{2000 + n},PT,{n}.5\n" for n in range(38))
    data = {**DATA, "indicators/data/indicator_11-6-1-1.csv": ("Year,UNIT_MEASURE,Value\n" + rows).encode()
            + "2040,PТ,".encode() + b"\xff1.5\n"}  # a Cyrillic Т: the column counts characters
    root = data_project(tmp_path / "project", data=data)
    found = _refused(root)
    assert len(found) == 1 and found[0].startswith("indicators/data/indicator_11-6-1-1.csv:40:9: error: not UTF-8"), found


def test_a_translations_file_of_nested_aliases_is_an_error_where_it_expands(tmp_path):
    nested = "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]\n" for i in range(1, 9))  # 10^9 values
    root = data_project(tmp_path / "project", data={**DATA, "indicators/translations/en/SEX.yml": nested + "F: Female\n"})
    found = _refused(root)  # read with yaml.load, it never ended
    assert len(found) == 1 and found[0].startswith("indicators/translations/en/SEX.yml:6:5: error: aliases expand"), found


def test_arguments_too_large_to_write_are_one_short_error_at_the_call(tmp_path):
    huge = "10**999 * 10**999 * 10**999 * 10**999 * 10**999"  # 4,995 digits: Python will not write it
    body = SDG03 + f"""\
  {{{{ indicator("3.1.1", years=[2015, {huge}]) }}}}

  {{{{ indicator("3.1.1", years=range(99999) | list) }}}}

  {{{{ indicator("3.1.1", by="x" * 999999) }}}}
"""
    root = data_project(tmp_path / "project", body)
    assert _refused(root) == [
        "chapters/sdg-03.yaml:6:3: error: indicator 3.1.1 has no data for a number too large to write (it has 2015-2022)",
        "chapters/sdg-03.yaml:8:3: error: indicator 3.1.1 has no data for 0, 1, 2, 3, 4 and 99,986 more "
        "(it has 2015-2022)",
        "chapters/sdg-03.yaml:10:3: error: unknown column 'xxxxxxxxxxxx...xxxxxxxxxxxxx' in by: indicator 3.1.1 has "
        "the columns REF_AREA",
    ]
