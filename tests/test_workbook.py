"""vnr export: the feedback workbook, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from vnr.load import load

from helpers import vnr


ROOT = Path(__file__).resolve().parent.parent


def _validations(sheet) -> dict[str, tuple[str, str, bool]]:
    """The first cell of each validated range -> (type, source, strict)."""
    return {str(dv.sqref).split(":")[0]: (dv.type, dv.formula1, bool(dv.showErrorMessage))
            for dv in sheet.data_validations.dataValidation}


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
    assert seminars.max_row == 2 + 34 and comments.max_row == 2 + 273
    assert seminars.freeze_panes == comments.freeze_panes == "B3"
    project = load(ROOT)
    first = project.seminars[0]
    row = [c.value for c in seminars[3]]
    assert row[:5] == [first.id, "Akmola Region", first.city, dt.datetime.combine(first.date, dt.time()),
                       first.audience]
    texts = [comments.cell(r, 3).value for r in range(3, comments.max_row + 1)]
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
    assert wb["Seminars"].max_row == wb["Comments"].max_row == 2
    assert wb["Seminars"]["B1"].value == "Регион" and wb["Lists"]["A2"].value == "область Абай"
    assert _validations(wb["Comments"])["F3"] == ("list", "=Lists!$D$2:$D$5", True)
    assert vnr("export", str(tmp_path / "form.csv"), "--path", str(root)).returncode == 2


def test_the_same_project_exports_the_same_bytes(tmp_path):
    import time

    assert vnr("export", str(tmp_path / "a.xlsx"), "--path", str(ROOT)).returncode == 0
    time.sleep(1.1)  # zip entries and openpyxl's `modified` are dated to the second
    assert vnr("export", str(tmp_path / "b.xlsx"), "--path", str(ROOT)).returncode == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
