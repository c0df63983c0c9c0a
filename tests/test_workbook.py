"""vnr export: the feedback workbook, read back with openpyxl, and as LibreOffice saves it again."""

from __future__ import annotations

import datetime as dt
import json
import resource
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import FEEDBACK, write_project
from helpers import vnr

from vnr.read.load import load

ROOT = Path(__file__).resolve().parent.parent


def _validations(sheet) -> dict[str, tuple[str, str, bool]]:
    """The first cell of each validated range -> (type, source, strict)."""
    return {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1, bool(dv.showErrorMessage))
            for dv in sheet.data_validations.dataValidation}


def _filled(sheet) -> int:
    """The last row that holds a value (the form's empty rows are formatted, so openpyxl counts them)."""
    return max(cell.row for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_the_sample_exported_as_a_feedback_workbook(tmp_path):
    out = tmp_path / "feedback.xlsx"
    done = vnr("export", str(out), "--path", str(ROOT))
    assert done.returncode == 0 and "34 seminars, 273 comments" in done.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Seminars", "Comments", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    seminars, comments = wb["Seminars"], wb["Comments"]
    assert [c.value for c in seminars[2]][:6] == ["seminar", "region", "city", "date", "audience", "leb"]
    assert [c.value for c in seminars[2]][-1] == "priority_17"
    assert [c.value for c in comments[2]] == ["seminar", "id", "text", "targets", "goals", "kind", "from"]
    assert _filled(seminars) == 2 + 34 and _filled(comments) == 2 + 273
    assert seminars.freeze_panes == comments.freeze_panes == "B3"
    project = load(ROOT)
    first = project.seminars[0]
    row = [c.value for c in seminars[3]]
    assert row[:5] == [first.id, "Akmola Region", first.city, dt.datetime.combine(first.date, dt.time()),
                       first.audience]
    texts = [comments.cell(r, 3).value for r in range(3, _filled(comments) + 1)]
    assert texts == [c.text for c in project.comments]  # Kazakh and Russian verbatim
    assert any("ә" in t or "қ" in t for t in texts) and comments.cell(3, 3).alignment.wrap_text
    rules = _validations(seminars)
    assert rules["B3"] == ("list", "=Lists!$A$2:$A$41", True)  # 20 names and 20 codes
    assert rules["F3"][0] == "whole" and rules["D3"][0] == "date"
    rules = _validations(comments)
    assert rules["A3"] == ("list", "=Seminars!$A$3:$A$5002", True)
    assert rules["D3"] == ("list", "=Lists!$F$2:$F$170", False)  # 169 targets, several per cell allowed
    lists = wb["Lists"]
    assert lists["F2"].value == "1.1" and lists["F170"].value == "17.19" and lists["A22"].value == "KZ-10"


def test_a_project_without_feedback_exports_the_empty_form(tmp_path):
    root = tmp_path / "new"
    (root / "chapters").mkdir(parents=True)
    (root / "vnr.yaml").write_text("title: Обзор\ncountry: KZ\nyear: 2022\nlanguage: ru\n", encoding="utf-8")
    assert vnr("export", str(tmp_path / "form.xlsx"), "--path", str(root)).returncode == 0
    wb = openpyxl.load_workbook(tmp_path / "form.xlsx")
    assert _filled(wb["Seminars"]) == _filled(wb["Comments"]) == 2
    assert wb["Seminars"]["B1"].value == "Регион" and wb["Lists"]["A2"].value == "область Абай"
    assert _validations(wb["Comments"])["F3"] == ("list", "=Lists!$D$2:$D$5", True)
    assert vnr("export", str(tmp_path / "form.csv"), "--path", str(root)).returncode == 2


def test_the_same_project_exports_the_same_bytes(tmp_path):
    import time

    assert vnr("export", str(tmp_path / "a.xlsx"), "--path", str(ROOT)).returncode == 0
    started = int(time.time())  # zip entries and openpyxl's `modified` are dated to the second:
    while int(time.time()) == started:  # export again once the clock has moved on
        time.sleep(0.02)
    assert vnr("export", str(tmp_path / "b.xlsx"), "--path", str(ROOT)).returncode == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


# Texts a spreadsheet would take for a formula, an error value or a number when typed.
ODD = ['=HYPERLINK("http://x","y")', "+7 701 000 00 00, the akimat's hotline", "-1 for the plan as it is",
       "@akimat: no answer since March", "\tIndented with a tab", "#N/A", "=1+1"]


def _odd_project(root: Path) -> Path:
    """The test project, its title, a city and seven comments beginning as ODD's do."""
    items = "".join(f"          - id: odd-{i}\n            text: {json.dumps(text)}\n            goals: [6]\n"
                    f"            kind: problem\n            from: civil_society\n" for i, text in enumerate(ODD))
    feedback = {**FEEDBACK, "kz-43-residents.yaml": FEEDBACK["kz-43-residents.yaml"].rstrip(" ") + items,
                "kz-11-residents.yaml": FEEDBACK["kz-11-residents.yaml"].replace("Kokshetau", '"@Kokshetau"')}
    settings = "title: \"=2+2 Review\"\ncountry: KZ\nyear: 2022\nlanguage: en\n"
    return write_project(root, feedback=feedback, settings=settings)


def _formulas(workbook: Path) -> list[str]:
    """The worksheets of an .xlsx file that hold a formula (an <f> element)."""
    with zipfile.ZipFile(workbook) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and
                any(tag in z.read(n) for tag in (b"<f>", b"<f ", b"<x:f"))]


def _texts(sheet, column: int) -> dict[str, str]:
    """Each value of a column's data rows -> the kind of its cell ("s": text, "f": formula)."""
    return {cell.value: cell.data_type for (cell,) in sheet.iter_rows(min_row=3, min_col=column, max_col=column)
            if cell.value is not None}


def test_texts_from_sources_are_text_cells_never_formulas(tmp_path):
    root = _odd_project(tmp_path / "odd")
    out = tmp_path / "odd.xlsx"
    done = vnr("export", str(out), "--path", str(root))
    assert done.returncode == 0, done.stderr
    assert _formulas(out) == []
    wb = openpyxl.load_workbook(out)
    texts = _texts(wb["Comments"], 3)
    assert {text: texts.get(text) for text in ODD} == {text: "s" for text in ODD}
    link = next(cell for (cell,) in wb["Comments"].iter_rows(min_col=3, max_col=3) if cell.value == ODD[0])
    assert link.quotePrefix  # edited in a spreadsheet, it stays text
    assert _texts(wb["Seminars"], 3)["@Kokshetau"] == "s"
    title = wb["Instructions"]["A1"]
    assert (title.value, title.data_type) == ("=2+2 Review: seminar feedback", "s")


def test_ids_targets_and_goals_are_text_columns_in_every_row_of_the_form(tmp_path):
    out = tmp_path / "form.xlsx"
    assert vnr("export", str(out), "--path", str(write_project(tmp_path / "p"))).returncode == 0
    wb = openpyxl.load_workbook(out)
    seminars, comments = wb["Seminars"], wb["Comments"]
    last = 5000 + 2  # the rows the drop-downs cover
    for sheet, columns in ((seminars, "A"), (comments, "ABDE")):
        for column in columns:
            assert sheet.column_dimensions[column].number_format == "@"  # and rows beyond
            formats = {sheet[f"{column}{row}"].number_format for row in range(3, last + 1)}
            assert formats == {"@"}, (sheet.title, column)
    assert comments["D4"].value == "7.1 7.b" and comments["D4"].data_type == "s"
    # the comment's text stays General (Excel shows a text cell of over 255 characters as ####),
    # the date a date and the head counts numbers
    assert comments["C3"].number_format == comments["C40"].number_format == "General"
    assert seminars["D3"].number_format == "yyyy-mm-dd" and seminars["F3"].number_format == "General"


def _libreoffice(workbook: Path, folder: Path) -> Path:
    """The workbook as LibreOffice Calc opens and saves it (xlsx again)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    done = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                           "--convert-to", "xlsx", "--outdir", str(folder), str(workbook)],
                          capture_output=True, text=True, timeout=300)
    saved = folder / workbook.name
    assert saved.is_file(), f"LibreOffice could not open the workbook (is libreoffice-calc-nogui installed?): " \
                            f"{done.stdout} {done.stderr}"
    return saved


def _content(root: Path) -> dict:
    """A project's feedback as vnr reads it: seminars, head counts, priorities, comments."""
    return {s.id: (s.region, s.city, s.date, s.audience, s.participants, s.priorities,
                   [(c.id, c.text, c.targets, c.goals, c.kind, c.source) for c in s.comments])
            for s in load(root).seminars}


def test_a_workbook_saved_again_by_libreoffice_imports_the_same_feedback(tmp_path):
    root = _odd_project(tmp_path / "odd")
    exported = tmp_path / "feedback.xlsx"
    assert vnr("export", str(exported), "--path", str(root)).returncode == 0
    saved = _libreoffice(exported, tmp_path / "calc")
    assert _formulas(saved) == []
    wb = openpyxl.load_workbook(saved)
    assert {text: _texts(wb["Comments"], 3).get(text) for text in ODD} == {text: "s" for text in ODD}
    assert wb["Comments"].column_dimensions["D"].number_format == "@"  # Calc keeps the text columns
    empty = write_project(tmp_path / "empty", feedback={})
    done = vnr("import", str(saved), "--path", str(empty))
    assert done.returncode == 0, done.stderr
    assert "3 seminars created" in done.stdout and f"{5 + len(ODD)} comments added" in done.stdout
    assert _content(empty) == _content(root)  # the tab that begins ODD[4] too (Calc keeps it)
    imported = {c.key: c.text for c in load(empty).comments}
    assert [imported[f"kz-43-residents/odd-{i}"] for i in range(len(ODD))] == ODD


def test_export_onto_an_existing_file_refuses_unless_forced(tmp_path):
    root = write_project(tmp_path / "p")
    out = tmp_path / "feedback.xlsx"
    out.write_bytes(b"a secretariat's own workbook")
    done = vnr("export", str(out), "--path", str(root))
    assert done.returncode == 1 and done.stderr.startswith(f"vnr: error: {out}: the file exists")
    assert out.read_bytes() == b"a secretariat's own workbook"
    assert vnr("export", str(out), "--path", str(root), "--force").returncode == 0
    assert openpyxl.load_workbook(out).sheetnames[1:3] == ["Seminars", "Comments"]


def test_a_comment_longer_than_a_cell_holds_is_an_error_at_the_comment(tmp_path):
    long = "Water. " * 5000  # 35,000 characters: vnr check takes it, a spreadsheet cell does not
    text = FEEDBACK["kz-43-residents.yaml"].replace("Ауылда ауыз су тәулігіне екі сағат қана беріледі.", long)
    root = write_project(tmp_path / "p", feedback={**FEEDBACK, "kz-43-residents.yaml": text})
    out = tmp_path / "feedback.xlsx"
    done = vnr("export", str(out), "--path", str(root))
    where = next(c.pos for c in load(root).comments if c.text == long)
    assert done.returncode == 1 and not out.exists()
    assert f"{where}: error: the comment has 35,000 characters, more than a spreadsheet cell holds (32,767)" \
        in done.stderr


def _within_a_gigabyte(*args: str) -> subprocess.CompletedProcess:
    """vnr in a process that may take 1 GiB of memory (reading a million empty rows took 2.3 GB)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    return subprocess.run([sys.executable, "-m", "vnr", *args], capture_output=True, text=True, preexec_fn=limit)


def test_a_sheet_that_claims_a_million_rows_costs_no_more_than_its_filled_ones(tmp_path):
    exported = tmp_path / "feedback.xlsx"
    assert vnr("export", str(exported), "--path", str(write_project(tmp_path / "p"))).returncode == 0
    wb = openpyxl.load_workbook(exported)
    comments = wb["Comments"]
    for row in range(8, 13):  # ten filled rows: the five comments and five more
        for column in range(1, 8):
            comments.cell(row, column, comments.cell(row - 5, column).value)
        comments.cell(row, 2, f"more-{row}")
    comments["G1048576"].number_format = "@"  # a format, no value: the sheet's last cell
    comments["D8"] = "11.10a"  # beside goal 4
    tall = tmp_path / "tall.xlsx"
    wb.save(tall)
    empty = write_project(tmp_path / "empty", feedback={})
    done = _within_a_gigabyte("import", str(tall), "--path", str(empty))
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[:-1] == [f"{tall}:Comments!D8: error: unknown target '11.10a'"]
    comments["D8"] = None
    comments["G1048576"] = "youth"  # a value in the last row of all, and no seminar beside it
    wb.save(tall)
    done = _within_a_gigabyte("import", str(tall), "--path", str(empty))
    assert done.stderr.splitlines()[:-1] == [f"{tall}:Comments!A1048576: error: no seminar id"]
    comments["G1048576"] = None
    wb.save(tall)
    done = _within_a_gigabyte("import", str(tall), "--path", str(empty))
    assert done.returncode == 0, done.stderr
    assert "10 comments added" in done.stdout and len(load(empty).comments) == 10
