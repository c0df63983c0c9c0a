"""vnr import: feedback workbooks and form exports into feedback/*.yaml, every problem at its cell."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import write_project
from helpers import run, vnr

from vnr.build import Options, build
from vnr.read.load import load

ROOT = Path(__file__).resolve().parent.parent


def _empty_copy(tmp_path) -> Path:
    root = tmp_path / "copy"
    root.mkdir()
    shutil.copytree(ROOT / "chapters", root / "chapters")
    shutil.copytree(ROOT / "indicators", root / "indicators")  # the chapters' indicator tables
    shutil.copy(ROOT / "vnr.yaml", root / "vnr.yaml")
    (root / "feedback").mkdir()
    return root


def test_the_sample_exported_and_imported_into_an_empty_project_builds_the_same(tmp_path):
    root = _empty_copy(tmp_path)
    workbook = tmp_path / "feedback.xlsx"
    assert vnr("export", str(workbook), "--path", str(ROOT)).returncode == 0
    done = vnr("import", str(workbook), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert "34 seminars created" in done.stdout and "273 comments added" in done.stdout
    again = vnr("import", str(workbook), "--path", str(root))
    assert "0 comments added" in again.stdout and "273 comments unchanged" in again.stdout
    manifests = []
    for project in (ROOT, root):
        out = tmp_path / f"out-{project.name}"
        build(Options(project, out, formats=("html",), revision="r"))
        manifests.append(json.loads((out / "review.manifest.json").read_text(encoding="utf-8")))
    keep = ("seminars", "regions", "participants", "comments", "annotations", "unplaced")
    assert [{k: m["counts"][k] for k in keep} for m in manifests][0] == \
        [{k: m["counts"][k] for k in keep} for m in manifests][1]
    assert manifests[0]["priorities"] == manifests[1]["priorities"]
    assert {c.key: c.text for c in load(root).comments} == {c.key: c.text for c in load(ROOT).comments}


KOBO = ('\ufeff"_uuid";"_submission_time";"seminar";"comment/text";"comment/targets";"comment/kind";'
        '"respondent/category"\n'
        '"#meta+id";"#date";"#event";"#description";"#indicator";"#status";"#population"\n'
        '"4a1f0c2e-0d5b-4c1e-9a7e-1b2c3d4e5f60";"2022-03-15T10:12:00";"kz-75-residents";'
        '"Қоқыс жәшіктері аулада жеткіліксіз.";"11.6;12.5";"Проблема";"Молодёжь"\n'
        '"5b2a1d3f-1e6c-4d2f-8b8f-2c3d4e5f6071";"2022-03-15T10:20:00";"kz-75-residents";'
        '"Нужны пункты приёма батареек в каждом районе.";"12.5";"Предложение";"Молодёжь"\n')
KOBO_MAP = """\
columns:
  seminar: "seminar"
  text: "comment/text"
  targets: "comment/targets"
  kind: "comment/kind"
  from: "respondent/category"
  id: "_uuid"
fixed:
  region: Алматы
  city: Almaty
  date: 15.03.2022
  audience: residents
values:
  kind: {"Проблема": problem, "Предложение": proposal}
  from: {"Молодёжь": youth}
"""


def test_a_kobotoolbox_csv_with_bom_semicolons_and_hxl_row(tmp_path):
    root = write_project(tmp_path / "p")
    (tmp_path / "kobo.csv").write_text(KOBO, encoding="utf-8")
    (tmp_path / "map.yaml").write_text(KOBO_MAP, encoding="utf-8")
    done = vnr("import", str(tmp_path / "kobo.csv"), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((root / "feedback" / "kz-75-residents.yaml").read_text(encoding="utf-8"))
    assert data["region"] == "KZ-75" and str(data["date"]) == "2022-03-15" and data["audience"] == "residents"
    assert [c["id"] for c in data["comments"]] == ["4a1f0c2e-0d5b-4c1e-9a7e-1b2c3d4e5f60",
                                                   "5b2a1d3f-1e6c-4d2f-8b8f-2c3d4e5f6071"]
    assert data["comments"][0]["text"] == "Қоқыс жәшіктері аулада жеткіліксіз."
    assert data["comments"][0]["targets"] == ["11.6", "12.5"] and data["comments"][1]["kind"] == "proposal"
    assert vnr("check", str(root)).returncode == 0


def test_a_russian_excel_csv_in_windows_1251_added_to_a_seminar_that_has_a_file(tmp_path):
    root = write_project(tmp_path / "p")
    before = (root / "feedback" / "kz-43-residents.yaml").read_text(encoding="utf-8")
    rows = "Семинар;Текст;Цели;Вид;Категория\nkz-43-residents;Вода в Аральске солоноватая.;6;problem;other\n"
    (tmp_path / "excel.csv").write_bytes(rows.encode("cp1251"))
    (tmp_path / "map.yaml").write_text('columns: {seminar: "Семинар", text: "Текст", goals: "Цели", kind: "Вид", '
                                       'from: "Категория"}\n', encoding="utf-8")
    done = vnr("import", str(tmp_path / "excel.csv"), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert "1 seminars updated" in done.stdout and "1 comments added" in done.stdout
    after = (root / "feedback" / "kz-43-residents.yaml").read_text(encoding="utf-8")
    assert after.startswith(before) and "Вода в Аральске солоноватая." in after  # the rest kept as it was
    assert len([c for c in load(root).comments if c.seminar == "kz-43-residents"]) == 2


ERRORS = [
    ("targets", "7.9", "unknown target '7.9'"),
    ("region", "Atlantis", "unknown region 'Atlantis' (a code such as KZ-10 or a name of KZ: ISO 3166-2, or regions.yaml)"),
    ("date", "31.02.2022", "invalid date '31.02.2022' (expected YYYY-MM-DD or DD.MM.YYYY)"),
]


@pytest.mark.parametrize("column, value, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_land_on_their_cell_in_a_workbook_and_a_csv(tmp_path, column, value, message):
    root = _empty_copy(tmp_path)
    workbook = tmp_path / "feedback.xlsx"
    assert vnr("export", str(workbook), "--path", str(ROOT)).returncode == 0
    wb = openpyxl.load_workbook(workbook)
    sheet, col = ("Comments", "D") if column == "targets" else ("Seminars", "B" if column == "region" else "D")
    wb[sheet][f"{col}7"] = value
    wb.save(workbook)
    done = vnr("import", str(workbook), "--path", str(root))
    assert done.returncode == 1 and f"{workbook}:{sheet}!{col}7: error: {message}" in done.stderr.splitlines()
    assert not list((root / "feedback").iterdir())  # nothing written
    csv = tmp_path / "form.csv"
    csv.write_text("seminar,region,city,date,audience,text,targets,kind,from\n"
                   "kz-99-x,KZ-75,Almaty,2022-03-15,residents,Water.,6.1,problem,other\n"
                   "kz-99-x,KZ-75,Almaty,2022-03-15,residents,More water.,6.1,problem,other\n", encoding="utf-8")
    lines = csv.read_text(encoding="utf-8").splitlines()
    index = lines[0].split(",").index(column)
    cells = lines[2].split(",")
    cells[index] = value
    lines[2] = ",".join(cells)
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {" + ", ".join(f"{f}: {f}" for f in lines[0].split(",")) + "}\n")
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 1 and f"{csv}:3:{index + 1}: error: {message}" in done.stderr.splitlines(), done.stderr


def test_a_known_id_with_other_content_needs_update(tmp_path):
    root = write_project(tmp_path / "p")
    csv = tmp_path / "f.csv"
    csv.write_text("seminar,id,text,goals,kind,from\nkz-43-residents,water-1,Changed text.,6,problem,other\n",
                   encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {seminar: seminar, id: id, text: text, goals: goals, kind: kind, "
                                       "from: from}\n")
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 1
    assert f"{csv}:2:2: error: comment 'kz-43-residents/water-1' exists with other content; --update replaces it" \
        in done.stderr
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root), "--update")
    assert done.returncode == 0 and "1 comments updated" in done.stdout
    assert [c.text for c in load(root).comments if c.key == "kz-43-residents/water-1"] == ["Changed text."]


def test_a_kobotoolbox_xlsx_and_a_google_forms_csv(tmp_path):
    root = write_project(tmp_path / "p")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Feedback"
    ws.append(["start", "_uuid", "seminar", "comment/text", "comment/goals", "comment/kind", "respondent/category"])
    ws.append(["2022-03-20T10:00:00", "9c0d1e2f-3a4b-4c5d-8e6f-708192a3b4c5", "kz-11-residents",
               "Мектепке дейін балабақша кезегі ұзақ.", 4, "problem", "youth"])
    wb.save(tmp_path / "kobo.xlsx")
    (tmp_path / "kobo.yaml").write_text('sheet: Feedback\ncolumns: {seminar: seminar, id: _uuid, text: "comment/text", '
                                        'goals: "comment/goals", kind: "comment/kind", from: "respondent/category"}\n')
    done = vnr("import", str(tmp_path / "kobo.xlsx"), "--mapping", str(tmp_path / "kobo.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    forms = ("Timestamp,Which seminar did you attend?,Your comment,Goals it concerns (1-17),Type of comment,You are\n"
             '2022/04/02 11:03:12 AM GMT+5,kz-43-residents,"Арал ауданында ауыз су тұзды, ""Ақбастау"" ауылында '
             'әсіресе.","6, 3",Problem,Other\n')
    (tmp_path / "forms.csv").write_text(forms, encoding="utf-8")
    (tmp_path / "forms.yaml").write_text(
        'columns:\n  seminar: "Which seminar did you attend?"\n  text: "Your comment"\n'
        '  goals: "Goals it concerns (1-17)"\n  kind: "Type of comment"\n  from: "You are"\n'
        'values:\n  kind: {Problem: problem, Proposal: proposal}\n  from: {Other: other}\n', encoding="utf-8")
    done = vnr("import", str(tmp_path / "forms.csv"), "--mapping", str(tmp_path / "forms.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    comments = {c.key: c for c in load(root).comments}
    assert comments["kz-11-residents/9c0d1e2f-3a4b-4c5d-8e6f-708192a3b4c5"].text == "Мектепке дейін балабақша кезегі ұзақ."
    forms_comment = next(c for c in comments.values() if c.text.startswith("Арал ауданында"))
    assert forms_comment.text == 'Арал ауданында ауыз су тұзды, "Ақбастау" ауылында әсіресе.'
    assert forms_comment.goals == (6, 3) and forms_comment.id.startswith("c-")


def test_a_duplicate_id_and_a_dry_run(tmp_path):
    root = write_project(tmp_path / "p")
    csv = tmp_path / "f.csv"
    (tmp_path / "map.yaml").write_text("columns: {seminar: seminar, id: id, text: text, goals: goals, kind: kind, "
                                       "from: from}\n")
    csv.write_text("seminar,id,text,goals,kind,from\nkz-43-residents,well-1,A well.,6,problem,other\n"
                   "kz-43-residents,well-1,Another well.,6,problem,other\n", encoding="utf-8")
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 1
    assert f"{csv}:3:2: error: comment id 'well-1' is given twice in kz-43-residents with other content" \
        in done.stderr.splitlines()
    csv.write_text("seminar,id,text,goals,kind,from\nkz-43-residents,well-1,A well.,6,problem,other\n",
                   encoding="utf-8")
    before = (root / "feedback" / "kz-43-residents.yaml").read_bytes()
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root), "--dry-run")
    assert done.returncode == 0 and "would write feedback/kz-43-residents.yaml" in done.stdout
    assert "dry run: 0 seminars created, 1 seminars updated, 1 comments added" in done.stdout
    assert (root / "feedback" / "kz-43-residents.yaml").read_bytes() == before


def _empty_form(tmp_path, language: str):
    """A project with no feedback yet, and the empty form it exports: (the project, the form, its workbook)."""
    root = tmp_path / "new"
    (root / "chapters").mkdir(parents=True)
    (root / "vnr.yaml").write_text(f"title: T\ncountry: KZ\nyear: 2022\nlanguage: {language}\n", encoding="utf-8")
    form = tmp_path / "form.xlsx"
    assert vnr("export", str(form), "--path", str(root)).returncode == 0
    return root, form, openpyxl.load_workbook(form)


def test_the_empty_form_filled_in_by_seminar_staff(tmp_path):
    root, form, wb = _empty_form(tmp_path, "kk")
    seminars, comments = wb["Seminars"], wb["Comments"]
    keys = [c.value for c in seminars[2]]
    row = {"seminar": "kz-61-residents", "region": "Түркістан облысы", "city": "Turkistan", "date": "24.03.2022",
           "audience": "residents", "youth": 40, "teachers": 12, "priority_4": 30, "priority_6": 18}
    for key, value in row.items():
        seminars.cell(3, keys.index(key) + 1, value)
    for r, values in enumerate([["kz-61-residents", None, "Ауылдық мектептерде физика пәнінің мұғалімі жоқ.", "4.c",
                                 None, "problem", "teachers"],
                                ["kz-61-residents", "water-1", "Шағын ауылдарға су тасымалдап береді.", None, "6",
                                 "problem", "youth"]], 3):
        for c, value in enumerate(values, 1):
            comments.cell(r, c, value)
    wb.save(form)
    done = vnr("import", str(form), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert "1 seminars created" in done.stdout and "2 comments added" in done.stdout
    seminar = load(root).seminars[0]
    assert (seminar.region, str(seminar.date), seminar.total, seminar.priorities) == \
        ("KZ-61", "2022-03-24", 52, {4: 30, 6: 18})
    assert [c.text for c in seminar.comments] == ["Ауылдық мектептерде физика пәнінің мұғалімі жоқ.",
                                                  "Шағын ауылдарға су тасымалдап береді."]
    assert seminar.comments[0].id.startswith("c-") and seminar.comments[1].id == "water-1"


def test_a_comment_without_an_id_gets_it_from_its_text_without_the_spaces_around_it_even_a_number(tmp_path):
    """A text the spreadsheet holds as a number is imported as its digits; ids made before texts were
    kept as written (from the text without the spaces around it) stay the same."""
    import hashlib

    root, form, wb = _empty_form(tmp_path, "en")
    for c, value in enumerate(["kz-61-residents", "KZ-61", "Turkistan", "2022-03-24", "residents"], 1):
        wb["Seminars"].cell(3, c, value)
    for r, text in enumerate([42, "  Water comes two hours a day.  "], 3):
        for c, value in enumerate(["kz-61-residents", None, text, None, "6", "problem", "youth"], 1):
            wb["Comments"].cell(r, c, value)
    wb.save(form)
    done = vnr("import", str(form), "--path", str(root))
    assert done.returncode == 0, done.stderr
    ids = {c.text.strip(): c.id for c in load(root).seminars[0].comments}
    assert ids == {text: "c-" + hashlib.sha256(text.encode()).hexdigest()[:10]
                   for text in ("42", "Water comes two hours a day.")}


def test_what_the_review_found_block_texts_numeric_ids_empty_seminars_and_bad_files(tmp_path):
    root = write_project(tmp_path / "p")
    path = root / "feedback" / "kz-43-residents.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '    text: "Ауылда ауыз су тәулігіне екі сағат қана беріледі."',
        "    text: |\n      Ауылда ауыз су тәулігіне екі сағат қана беріледі."), encoding="utf-8")
    workbook = tmp_path / "f.xlsx"
    assert vnr("export", str(workbook), "--path", str(root)).returncode == 0
    done = vnr("import", str(workbook), "--path", str(root))  # a block scalar's text is the same text
    assert done.returncode == 0, done.stderr
    assert "5 comments unchanged" in done.stdout
    # a seminar without comments, then comments with ids YAML would read as numbers
    wb = openpyxl.load_workbook(workbook)
    values = ["kz-79-residents", "KZ-79", "Shymkent", "2022-03-19", "residents"]
    for col, value in enumerate(values, 1):
        wb["Seminars"].cell(6, col, value)
    wb.save(workbook)
    assert vnr("import", str(workbook), "--path", str(root)).returncode == 0
    assert "comments: []" in (root / "feedback" / "kz-79-residents.yaml").read_text(encoding="utf-8")
    csv = tmp_path / "f.csv"
    csv.write_text("seminar,id,text,goals,kind,from\nkz-79-residents,1,Свет отключают.,7,problem,other\n"
                   "kz-79-residents,2e3,Жарық сөнеді.,7,problem,other\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {seminar: seminar, id: id, text: text, goals: goals, kind: kind, "
                                       "from: from}\n")
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert {c.id for c in load(root).comments if c.seminar == "kz-79-residents"} == {"1", "2e3"}
    # a target typed into a number cell, an unknown key column, a missing sheet, a damaged file
    wb = openpyxl.load_workbook(workbook)
    wb["Comments"]["D3"] = 11.1
    wb["Seminars"].cell(2, 40, "notes")
    wb.save(workbook)
    done = vnr("import", str(workbook), "--path", str(root))
    lines = done.stderr.splitlines()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{workbook}:Comments!D3: error: the number 11.1 could be read two ways (11.1 or 11.10: a number drops " \
           "its last zeros): format the targets column as text and type the targets again" in lines
    assert f"{workbook}:Seminars!AN2: error: unknown column key 'notes' (the second header row names the fields)" \
        in lines
    (tmp_path / "sheet.yaml").write_text("sheet: Responses\ncolumns: {seminar: seminar, text: text}\n")
    done = vnr("import", str(workbook), "--mapping", str(tmp_path / "sheet.yaml"), "--path", str(root))
    assert done.returncode == 1 and done.stderr.startswith(f"{workbook}:1:1: error: no sheet 'Responses' in this "
                                                           "workbook (its sheets: Instructions, Seminars")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    done = vnr("import", str(tmp_path / "broken.xlsx"), "--path", str(root))
    assert done.returncode == 1 and "broken.xlsx:1:1: error: not a readable .xlsx workbook" in done.stderr


# -- issue 24: seminar fields, numbers and dates where ids belong, mapping positions, control characters --

def _exported(tmp_path, root, edit) -> Path:
    """The project's feedback workbook, edited as a person would in a spreadsheet."""
    workbook = tmp_path / "feedback.xlsx"
    assert vnr("export", str(workbook), "--path", str(root)).returncode == 0
    wb = openpyxl.load_workbook(workbook)
    edit(wb)
    wb.save(workbook)
    return workbook


def _seminar_row(sheet, seminar: str, **values) -> int:
    """Set cells of a seminar's row by their field keys (the second header row); its row number."""
    keys = [c.value for c in sheet[2]]
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == seminar)
    for key, value in values.items():
        sheet.cell(row, keys.index(key) + 1, value)
    return row


KYZYLORDA = """\
# The Kyzylorda seminar, as the secretariat recorded it.
region: KZ-43
city: Kyzylorda   # the regional centre
date: 2022-04-02
audience: residents
participants:
  civil_society: 12
  disability: 3
  other: 5
comments:
  - id: water-1
    text: |
      Ауылда ауыз су тәулігіне екі сағат қана беріледі.
    goals: [6]
    kind: problem
    from: civil_society
"""


def _changed_kyzylorda(wb):
    _seminar_row(wb["Seminars"], "kz-43-residents", city="Aralsk", youth=25, priority_3=4)


def test_a_seminar_field_other_than_its_files_is_an_error_at_its_cell_without_update(tmp_path):
    root = write_project(tmp_path / "p")
    before = (root / "feedback" / "kz-43-residents.yaml").read_bytes()
    workbook = _exported(tmp_path, root, _changed_kyzylorda)
    code, lines = run("import", str(workbook), "--path", str(root))
    assert code == 1
    said = "in feedback/kz-43-residents.yaml, not"
    assert lines[:3] == [
        f'{workbook}:Seminars!C4: error: seminar \'kz-43-residents\' has city "Kyzylorda" {said} "Aralsk"; '
        "--update replaces it",
        f"{workbook}:Seminars!L4: error: seminar 'kz-43-residents' has participants.youth 0 {said} 25; "
        "--update replaces it",
        f"{workbook}:Seminars!Q4: error: seminar 'kz-43-residents' has priorities.3 (none) {said} 4; "
        "--update replaces it"]
    assert (root / "feedback" / "kz-43-residents.yaml").read_bytes() == before


def test_update_writes_changed_seminar_fields_in_place_and_reports_each(tmp_path):
    root = write_project(tmp_path / "p")
    path = root / "feedback" / "kz-43-residents.yaml"
    path.write_text(KYZYLORDA, encoding="utf-8")
    workbook = _exported(tmp_path, root, _changed_kyzylorda)
    dry = vnr("import", str(workbook), "--path", str(root), "--update", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert path.read_text(encoding="utf-8") == KYZYLORDA
    changes = ["feedback/kz-43-residents.yaml", '  city: "Kyzylorda" -> "Aralsk"', "  participants.youth: 0 -> 25",
               "  priorities.3: (none) -> 4"]
    assert dry.stdout.splitlines() == ["would write " + changes[0], *changes[1:], "dry run: 0 seminars created, "
                                       "1 seminars updated, 0 comments added, 0 comments updated, 5 comments unchanged"]
    done = vnr("import", str(workbook), "--path", str(root), "--update")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:4] == ["wrote " + changes[0], *changes[1:]]
    assert path.read_text(encoding="utf-8") == KYZYLORDA.replace("Kyzylorda  ", "Aralsk  ").replace(
        "  other: 5\n", "  other: 5\n  youth: 25\npriorities: {3: 4}\n")  # the rest as it was, comments and all
    seminar = next(s for s in load(root).seminars if s.id == "kz-43-residents")
    assert (seminar.city, seminar.participants["youth"], seminar.priorities) == ("Aralsk", 25, {3: 4})
    again = vnr("import", str(workbook), "--path", str(root))
    assert again.returncode == 0 and "0 seminars updated" in again.stdout


def test_an_updated_comment_changes_its_own_lines_and_nothing_else(tmp_path):
    """One comparison of comments everywhere: the same row twice is one comment, a file's block text
    is the same text, and a changed comment is rewritten in place, not the whole file."""
    root = write_project(tmp_path / "p")
    path = root / "feedback" / "kz-43-residents.yaml"
    path.write_text(KYZYLORDA + "  - id: well-1\n    text: A well.\n    goals: [6]   # six\n    kind: problem\n"
                    "    from: other\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    csv = tmp_path / "f.csv"
    csv.write_text("seminar,id,text,targets,goals,kind,from\n"
                   "kz-43-residents,water-1,Ауылда ауыз су тәулігіне екі сағат қана беріледі.,,6,problem,"
                   "civil_society\n"
                   "kz-43-residents,well-1,A well.,6.1,6,question,other\n"
                   "kz-43-residents,well-1,A well.,6.1,6,question,other\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {seminar: seminar, id: id, text: text, targets: targets, "
                                       "goals: goals, kind: kind, from: from}\n")
    done = vnr("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root), "--update")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "wrote feedback/kz-43-residents.yaml", "  comment well-1: targets: [] -> [6.1]",
        '  comment well-1: kind: "problem" -> "question"',
        "0 seminars created, 1 seminars updated, 0 comments added, 1 comments updated, 1 comments unchanged"]
    assert path.read_text(encoding="utf-8") == before.replace("    kind: problem\n    from: other\n",
                                                              "    kind: question\n    from: other\n"
                                                              '    targets: ["6.1"]\n')


def test_a_number_or_a_date_where_targets_or_goals_belong_says_to_format_the_column_as_text(tmp_path):
    root = write_project(tmp_path / "p")

    def typed(wb):
        comments = wb["Comments"]
        comments["D3"] = dt.datetime(2022, 1, 6)  # 6.1 typed into a general cell in a Russian locale
        comments["E4"] = 8.1  # a target in the goals column: 8.1, or 8.10?
        comments["E6"] = 12  # a whole goal, as a number: fine

    workbook = _exported(tmp_path, root, typed)
    code, lines = run("import", str(workbook), "--path", str(root))
    assert code == 1
    assert lines[:-1] == [
        f"{workbook}:Comments!D3: error: a date (2022-01-06) where targets belong: the spreadsheet read the "
        "target as a date; format the targets column as text and type the targets again",
        f"{workbook}:Comments!E4: error: the number 8.1 could be read two ways (8.1 or 8.10: a number drops its last "
        "zeros): format the goals column as text and type the goals again"]


def test_mapping_errors_stand_at_their_own_key_or_value(tmp_path):
    root = write_project(tmp_path / "p")
    csv = tmp_path / "f.csv"
    csv.write_text("seminar,text,goals,kind,who\nkz-99-new,Water.,6,problem,Молодёжь\n", encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  seminar: seminar\n  text: text\n  goals: goals\n  kind: kind\n  from: who\n"
                       "fixed:\n  kind: problem\nvalues:\n  from: {Молодёжь: yuoth}\n", encoding="utf-8")
    code, lines = run("import", str(csv), "--mapping", str(mapping), "--path", str(root))
    assert code == 1 and lines[:-1] == [
        f"{mapping}:8:9: error: 'kind' is both a column and a fixed value: keep one",
        f"{mapping}:10:20: error: unknown from 'yuoth' (expected one of: leb, civil_society, experts, disability, "
        "retirees, teachers, youth, private_sector, other)"]
    mapping.write_text("columns:\n  seminar: seminar\n  text: Text\n  goals: Goals\n  kind: kind\n  from: who\n"
                       "fixed:\n  region: Atlantis\n  city: Aral\n  date: 2022-03-15\n  audience: everyone\n"
                       "values:\n  from: {Молодёжь: youth}\n", encoding="utf-8")
    code, lines = run("import", str(csv), "--mapping", str(mapping), "--path", str(root))
    columns = "the file's columns: seminar, text, goals, kind, who"
    assert code == 1 and lines[:-1] == [
        f"{mapping}:3:9: error: {csv}: no column 'Text' (for text); {columns}",
        f"{mapping}:4:10: error: {csv}: no column 'Goals' (for goals); {columns}"]
    mapping.write_text(mapping.read_text(encoding="utf-8").replace("Text", "text").replace("Goals", "goals"),
                       encoding="utf-8")
    code, lines = run("import", str(csv), "--mapping", str(mapping), "--path", str(root))
    assert code == 1 and lines[:-1] == [
        f"{mapping}:8:11: error: unknown region 'Atlantis' (a code such as KZ-10 or a name of KZ: ISO 3166-2, or regions.yaml)",
        f"{mapping}:11:13: error: unknown audience 'everyone' (expected one of: leb, residents)"]


PLAIN_MAP = "columns: {seminar: seminar, text: text, goals: goals, kind: kind, from: from}\n"


def test_a_csv_that_is_utf8_up_to_a_bad_byte_is_an_error_at_that_byte(tmp_path):
    """Decoded as Windows-1251 (the other encoding), every letter before the byte would change."""
    root = write_project(tmp_path / "p")
    rows = "seminar,text,goals,kind,from\n" + "".join(f"kz-43-residents,Вода в ауле {n} солоноватая.,6,problem,other\n"
                                                      for n in range(2, 40))
    csv = tmp_path / "f.csv"
    csv.write_bytes(f"{rows}kz-43-residents,Иван говорит: ".encode() + b"\xff,6,problem,other\n")
    (tmp_path / "map.yaml").write_text(PLAIN_MAP)
    before = (root / "feedback" / "kz-43-residents.yaml").read_bytes()
    code, lines = run("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert code == 1
    assert lines[:-1] == [f"{csv}:40:2: error: byte 0xFF is not UTF-8, as the file is before it: save the file again "
                          "as UTF-8"]
    assert (root / "feedback" / "kz-43-residents.yaml").read_bytes() == before


def test_a_control_character_in_a_text_cell_is_an_error_at_the_cell(tmp_path):
    root = write_project(tmp_path / "p")
    workbook = _exported(tmp_path, root, lambda wb: _seminar_row(wb["Seminars"], "kz-43-residents",
                                                                  city="Kyzylorda\x7f"))
    code, lines = run("import", str(workbook), "--path", str(root))
    assert code == 1 and lines[:-1] == [f"{workbook}:Seminars!C4: error: text contains the control character U+007F, "
                                        "which no output can hold"]
    csv = tmp_path / "f.csv"
    csv.write_text('seminar,text,goals,kind,from\nkz-43-residents,Bell\x07.,6,problem,other\n'
                   'kz-43-residents,"Tab\tand\r\nline.",6,problem,other\n', encoding="utf-8", newline="")
    (tmp_path / "map.yaml").write_text(PLAIN_MAP)
    code, lines = run("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert code == 1 and lines[:-1] == [f"{csv}:2:2: error: text contains the control character U+0007, which no output can hold"]
    csv.write_text('seminar,text,goals,kind,from\nkz-43-residents,"Tab\tand\r\nline.",6,problem,other\n',
                   encoding="utf-8", newline="")
    code, lines = run("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root))
    assert code == 0, lines
    assert "Tab\tand\nline." in [c.text for c in load(root).comments]



def test_a_formula_stored_without_its_result_is_an_error_at_its_cell_not_an_empty_cell(tmp_path):
    """openpyxl and other programs write a formula without its result; read as a value it is empty."""
    root = write_project(tmp_path / "p")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "vnr.yaml").write_text("title: T\ncountry: KZ\nyear: 2022\n", encoding="utf-8")

    def edit(wb):
        _seminar_row(wb["Seminars"], "kz-43-residents", city='=CONCATENATE("Kyzyl", "orda")')
        wb["Comments"]["C3"] = '=UPPER("text")'

    workbook = _exported(tmp_path, root, edit)
    code, lines = run("import", str(workbook), "--path", str(empty))
    formula = "a formula without a stored result: type the value, or open and save the workbook in a spreadsheet " \
              "program so that its result is stored"
    assert code == 1
    assert f"{workbook}:Seminars!C4: error: {formula}" in lines and f"{workbook}:Comments!C3: error: {formula}" in lines
    assert not (empty / "feedback").exists()

LAYOUTS = {  # a seminar file as a person may have written it; each keeps its comment line
    "flow": "# kept\n{region: KZ-43, city: Kyzylorda, date: 2022-04-02, audience: residents}",
    "empty list in the middle": "comments: []  # kept\nregion: KZ-43\ncity: Kyzylorda\ndate: 2022-04-02\n"
                                "audience: residents\n",
    "windows": "\ufeffregion: KZ-43\r\ncity: Kyzylorda\r\ndate: 2022-04-02\r\naudience: residents\r\n"
               "comments:\r\n- id: a\r\n  text: x\r\n  goals: [1]\r\n  kind: problem\r\n  from: leb\r\n# kept",
    "flow list": "region: KZ-43\ncity: 'Kyzylorda'\ndate: 2022-04-02\naudience: residents\n"
                 "comments: [{id: a, text: x, goals: [1], kind: problem, from: leb}]  # kept\n",
    "indented list": "region: KZ-43\ncity: \"Kyzylorda\"  # kept\ndate: 2022-04-02\naudience: residents\n"
                     "comments:\n    - id: a\n      text: >\n        x\n\n      goals:\n        - 1\n"
                     "      kind: problem\n      from: leb\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_update_edits_any_layout_in_place(tmp_path, layout):
    root = write_project(tmp_path / "p")
    (root / "feedback" / "kz-43-residents.yaml").write_text(LAYOUTS[layout], encoding="utf-8", newline="")
    csv = tmp_path / "f.csv"
    csv.write_text("seminar,city,id,text,goals,kind,from\nkz-43-residents,Aralsk,b,Dust storms.,15,problem,other\n"
                   "kz-43-residents,Aralsk,a,x,1 3,problem,leb\n", encoding="utf-8")
    (tmp_path / "map.yaml").write_text("columns: {seminar: seminar, city: city, id: id, text: text, goals: goals, "
                                       "kind: kind, from: from}\n")
    code, lines = run("import", str(csv), "--mapping", str(tmp_path / "map.yaml"), "--path", str(root), "--update")
    assert code == 0, lines
    seminar = next(s for s in load(root).seminars if s.id == "kz-43-residents")
    assert seminar.city == "Aralsk"
    assert {c.id: (c.text.strip(), c.goals) for c in seminar.comments} == {"a": ("x", (1, 3)),
                                                                           "b": ("Dust storms.", (15,))}
    assert "kept" in (root / "feedback" / "kz-43-residents.yaml").read_text(encoding="utf-8")
