"""vnr import: feedback workbooks and form exports into feedback/*.yaml, every problem at its cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from vnr.build import Options, build
from vnr.load import load

from conftest import write_project
from helpers import vnr

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
    ("region", "Atlantis", "unknown region 'Atlantis' (a code such as KZ-75 or a name)"),
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


def test_the_empty_form_filled_in_by_seminar_staff(tmp_path):
    root = tmp_path / "new"
    (root / "chapters").mkdir(parents=True)
    (root / "vnr.yaml").write_text("title: T\ncountry: KZ\nyear: 2022\nlanguage: kk\n", encoding="utf-8")
    form = tmp_path / "form.xlsx"
    assert vnr("export", str(form), "--path", str(root)).returncode == 0
    wb = openpyxl.load_workbook(form)
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
    assert f"{workbook}:Comments!D3: error: target 11.1 is a number: write targets as text (11.10 is not 11.1)" in lines
    assert f"{workbook}:Seminars!AN2: error: unknown column key 'notes' (the second header row names the fields)" \
        in lines
    (tmp_path / "sheet.yaml").write_text("sheet: Responses\ncolumns: {seminar: seminar, text: text}\n")
    done = vnr("import", str(workbook), "--mapping", str(tmp_path / "sheet.yaml"), "--path", str(root))
    assert done.returncode == 1 and done.stderr.startswith(f"{workbook}:1:1: error: no sheet 'Responses' in this "
                                                           "workbook (its sheets: Instructions, Seminars")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    done = vnr("import", str(tmp_path / "broken.xlsx"), "--path", str(root))
    assert done.returncode == 1 and "broken.xlsx:1:1: error: not a readable .xlsx workbook" in done.stderr
