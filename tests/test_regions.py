"""Regions of any country: ISO 3166-2 through pycountry, named from iso-codes, a project's regions.yaml
over them; read back from the outputs (manifest counts, sticky notes, Word comments, the coverage part)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import docx
import pytest
from helpers import errors, put, run, vnr
from pypdf import PdfReader

SETTINGS = """\
title: Deuxième Revue nationale volontaire de la République du Sénégal
country: SN
year: 2022
language: fr
"""

CHAPTER = """\
id: eau
order: 10
title: Eau propre et assainissement
goals: [6]
body: |
  L'accès à l'eau potable dans les villages reste la première préoccupation des populations.
"""


def seminar(region: str, date: str = "2022-03-14", text: str = "Les forages tombent en panne en saison sèche.") -> str:
    return textwrap.dedent(f"""\
        region: {region}
        city: Ville
        date: {date}
        audience: residents
        participants:
          civil_society: 12
          youth: 8
        comments:
          - id: eau-1
            text: "{text}"
            goals: [6]
            kind: problem
            from: civil_society
        """)


def senegal(root: Path, seminars: dict[str, str], settings: str = SETTINGS) -> Path:
    put(root, "vnr.yaml", settings)
    put(root, "chapters/eau.yaml", CHAPTER)
    for name, text in seminars.items():
        put(root, f"feedback/{name}.yaml", text)
    return root


@pytest.fixture(scope="module")
def dakar(tmp_path_factory) -> Path:
    """A Senegalese project with no regions.yaml, built in French: its build folder (and stderr in build.err)."""
    root = senegal(tmp_path_factory.mktemp("sn") / "project",
                   {"sn-dk-residents": seminar("SN-DK"),  # (another text: the same one would be folded into Dakar's)
                    "sn-th-residents": seminar("SN-TH", "2022-03-20", "Les pistes rurales sont coupées en hivernage.")})
    done = vnr("build", str(root), "-o", str(root / "build"), "--format", "pdf,docx,html")
    assert done.returncode == 0, done.stderr
    (root / "build" / "build.err").write_text(done.stderr, encoding="utf-8")
    return root / "build"


def test_a_new_countrys_project_builds_with_no_regions_file_and_counts_its_iso_regions(dakar):
    counts = json.loads((dakar / "review.manifest.json").read_text())["counts"]
    assert (counts["regions"], counts["regions_existing"]) == (2, 14)  # Senegal's 14 regions
    assert "regions.yaml" not in (dakar / "build.err").read_text()  # iso-codes names all of them in French


def test_sticky_notes_and_word_comments_are_by_the_regions_french_names(dakar):
    authors = {str(a.get_object()["/T"]) for page in PdfReader(dakar / "review.pdf").pages
               for a in page.get("/Annots", ()) if a.get_object()["/Subtype"] == "/Text"}
    assert {"Dakar", "Thiès"} <= authors
    comments = {(c.author, c.initials) for c in docx.Document(dakar / "review.docx").comments}
    assert {("Dakar", "SN-DK"), ("Thiès", "SN-TH")} <= comments


def test_the_coverage_part_names_the_regions_without_a_seminar(dakar):
    html = (dakar / "review.html").read_text(encoding="utf-8")
    assert "Kédougou" in html and "Ziguinchor" in html


def test_a_build_language_iso_codes_lacks_shows_iso_names_with_a_warning_naming_regions_yaml(tmp_path):
    root = senegal(tmp_path / "p", {"sn-th-residents": seminar("SN-TH")})
    done = vnr("build", str(root), "-o", str(tmp_path / "out"), "--format", "html", "--lang", "es")
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if "regions.yaml" in line]
    assert warning and warning[0].startswith("vnr.yaml:4:11: warning: no es name for region ")
    assert "SN-TH" in warning[0]
    assert "Thiès" in (tmp_path / "out" / "review.html").read_text(encoding="utf-8")


def test_regions_yaml_names_a_region_per_language_and_adds_a_unit(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK"),
                                    "sn-old-residents": seminar("SN-XX-PIKINE", text="Les inondations reviennent "
                                                                "chaque hivernage à Pikine.")})
    put(root, "regions.yaml", "SN-DK:\n  name: {fr: Région de Dakar}\n"
                              "SN-XX-PIKINE:\n  name: {fr: Pikine-Guédiawaye}\n  parent: SN-DK\n")
    done = vnr("build", str(root), "-o", str(tmp_path / "out"), "--format", "docx")
    assert done.returncode == 0, done.stderr
    comments = {(c.author, c.initials) for c in docx.Document(tmp_path / "out" / "review.docx").comments}
    assert {("Région de Dakar", "SN-DK"), ("Pikine-Guédiawaye", "SN-XX-PIKINE")} <= comments
    counts = json.loads((tmp_path / "out" / "review.manifest.json").read_text())["counts"]
    assert counts["regions"] == 1  # the unit in Dakar counts for Dakar


def test_a_region_that_did_not_yet_or_no_longer_exist_is_an_error_at_the_seminars_date(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK", "2021-05-01"),
                                    "sn-th-residents": seminar("SN-TH", "2022-05-01")})
    put(root, "regions.yaml", "SN-DK:\n  established: 2021-06-01\nSN-TH:\n  abolished: 2022-01-01\n")
    assert errors(root) == [
        "feedback/sn-dk-residents.yaml:3:7: error: region SN-DK (Dakar) did not exist on 2021-05-01: "
        "it was established on 2021-06-01",
        "feedback/sn-th-residents.yaml:3:7: error: region SN-TH (Thiès) did not exist on 2022-05-01: "
        "it was abolished on 2022-01-01",
    ]


def test_every_mistake_in_regions_yaml_at_its_line_and_column(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK")})
    put(root, "regions.yaml", textwrap.dedent("""\
        SN-DK:
          nom: {fr: Dakar}
        JO-AM:
          name: {fr: Amman}
        SN-XX-NEW:
          name: {en: New district}
        SN-TH:
          established: 2022-02-30
          ref_area: "bad code!"
        """))
    assert errors(root) == [
        "regions.yaml:2:3: error: unknown key 'nom'; did you mean one of: name, established, abolished, ref_area, "
        "parent?",
        "regions.yaml:3:1: error: 'JO-AM' is not a region code of SN: a code here begins with 'SN-'",
        "regions.yaml:5:1: error: 'SN-XX-NEW' is not in ISO 3166-2:SN: a unit added here needs a name in the "
        "project's language (fr)",
        "regions.yaml:8:16: error: invalid date '2022-02-30' (expected YYYY-MM-DD)",
        "regions.yaml:9:13: error: invalid REF_AREA code 'bad code!'",
    ]


def test_an_unknown_region_gets_the_closest_codes_and_names_of_that_country(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DKR"), "sn-th-residents": seminar("Thies")})
    assert errors(root) == [
        "feedback/sn-dk-residents.yaml:1:9: error: unknown region 'SN-DKR'; did you mean SN-DK (Dakar) or "
        "SN-KL (Kaolack) or SN-KE (Kédougou)?",
        "feedback/sn-th-residents.yaml:1:9: error: unknown region 'Thies'; did you mean SN-TH (Thiès)?",
    ]


def test_an_unknown_country_is_an_error_at_its_code(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK")}, SETTINGS.replace("SN", "XS"))
    assert errors(root) == ["vnr.yaml:2:10: error: unknown country 'XS': use its ISO 3166-1 alpha-2 code "
                            "(such as SN, JO, KZ)"]


def test_a_seminar_in_a_department_counts_for_its_region_or_itself_at_region_level_2(tmp_path):
    settings = "title: Revue nationale volontaire de la France\ncountry: FR\nyear: 2022\nlanguage: fr\n"
    for level, covered in ((1, "FR-PAC"), (2, "FR-13")):
        root = senegal(tmp_path / f"fr{level}", {"fr-13-residents": seminar("FR-13"),
                                                 "fr-06-residents": seminar("FR-06")},
                       settings + f"region_level: {level}\n")
        code, lines = run("build", str(root), "-o", str(root / "out"), "--format", "html", "-q")
        assert code == 0, lines
        counts = json.loads((root / "out" / "review.manifest.json").read_text())["counts"]
        html = (root / "out" / "review.html").read_text(encoding="utf-8")
        if level == 1:  # Bouches-du-Rhône and Alpes-Maritimes are both in Provence-Alpes-Côte-d'Azur
            assert (counts["regions"], counts["regions_existing"]) == (1, 26)
            assert "Provence-Alpes-Côte d&#39;Azur" in html  # iso-codes' French name
        else:
            assert counts["regions"] == 2 and counts["regions_existing"] > 90  # the departments
            assert "Bouches-du-Rhône" in html and covered == "FR-13"


def test_kazakhstan_needs_no_regions_file_and_keeps_its_2022_regions(tmp_path):
    from conftest import write_project

    root = write_project(tmp_path / "kz")
    put(root, "feedback/kz-10-leb.yaml", (root / "feedback" / "kz-43-residents.yaml").read_text()
        .replace("KZ-43", "KZ-10").replace("2022-04-02", "2022-06-20"))
    code, lines = run("build", str(root), "-o", str(root / "out"), "--format", "docx", "-q")
    assert code == 0, lines
    comments = {(c.author, c.initials) for c in docx.Document(root / "out" / "review.docx").comments}
    assert ("Abai Region", "KZ-10") in comments
    counts = json.loads((root / "out" / "review.manifest.json").read_text())["counts"]
    assert counts["regions_existing"] == 20


def test_the_export_offers_the_countrys_regions_by_name_and_import_takes_a_name_back(tmp_path):
    from openpyxl import load_workbook

    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK")})
    code, lines = run("export", "--path", str(root), str(tmp_path / "f.xlsx"))
    assert code == 0, lines
    book = load_workbook(tmp_path / "f.xlsx")
    offered = {c.value for row in book["Lists"].iter_rows() for c in row if c.value}
    assert {"Thiès", "Kédougou", "SN-TH"} <= offered
    seminars = book["Seminars"]
    assert seminars.cell(3, 2).value == "Dakar"  # the region column, by its French name
    seminars.cell(3, 1).value, seminars.cell(3, 2).value = "sn-th-residents", "Thiès"
    book["Comments"].cell(3, 1).value = "sn-th-residents"
    book.save(tmp_path / "f.xlsx")
    code, lines = run("import", "--path", str(root), str(tmp_path / "f.xlsx"))
    assert code == 0, lines
    assert (root / "feedback" / "sn-th-residents.yaml").read_text(encoding="utf-8").startswith("region: SN-TH\n")


def test_a_regions_yaml_added_or_changed_rebuilds_and_is_listed_in_the_manifest(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK")})
    out = tmp_path / "out"
    assert run("build", str(root), "-o", str(out), "--format", "html", "-q")[0] == 0
    for name in ("Région de Dakar", "Dakar et sa banlieue"):  # added, then changed
        put(root, "regions.yaml", f"SN-DK:\n  name: {{fr: {name}}}\n")
        assert run("build", str(root), "-o", str(out), "--format", "html", "-q")[0] == 0
        assert name in (out / "review.html").read_text(encoding="utf-8")
    assert "regions.yaml" in json.loads((out / "review.manifest.json").read_text())["inputs"]


def test_regions_existing_counts_only_the_units_that_existed_on_the_last_seminars_date(tmp_path):
    root = senegal(tmp_path / "p", {"sn-dk-residents": seminar("SN-DK", "2022-03-14")})
    put(root, "regions.yaml", "SN-ZG:\n  abolished: 2022-01-01\nSN-KD:\n  established: 2022-06-01\n"
                              "SN-XX-NEW:\n  name: {fr: Nouvelle région}\n  established: 2020-01-01\n")
    code, lines = run("build", str(root), "-o", str(tmp_path / "out"), "--format", "html", "-q")
    assert code == 0, lines
    counts = json.loads((tmp_path / "out" / "review.manifest.json").read_text())["counts"]
    assert counts["regions_existing"] == 14 - 2 + 1  # Ziguinchor gone, Kolda not yet, the new unit there
