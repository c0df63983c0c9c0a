"""The feedback workbook: the project's seminars and comments as a secretariat keeps them in
Excel or LibreOffice, and the empty form seminar staff fill in (`vnr export`).

Each data sheet has two header rows: labels for people, then the field keys (as KoboToolbox's
HXL row does), so that `vnr import` finds its columns by key whatever the labels say. Drop-down
lists come from a hidden sheet: 169 targets are far beyond the 255 characters Excel allows in
a list written into the validation itself.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import ooxml
from .framework import framework
from .i18n import Messages
from .model import AUDIENCES, CATEGORIES, KINDS, Project
from .importer import COMMENT_KEYS, PRIORITIES, SEMINAR_KEYS
from .names import Names

MAX_ROWS = 5000  # rows the drop-downs cover in the form
HEADER = PatternFill("solid", fgColor="0A2240")
KEYS = PatternFill("solid", fgColor="EEF2F6")

SEMINAR_FIELDS, COMMENT_FIELDS = SEMINAR_KEYS, COMMENT_KEYS  # the columns vnr import reads


def export(project: Project, target: Path) -> None:
    m = Messages(project.settings.language)
    fw = framework()
    wb = Workbook()
    intro = wb.active
    intro.title = "Instructions"
    seminars = wb.create_sheet("Seminars")
    comments = wb.create_sheet("Comments")
    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"

    names = Names(m, fw)
    regions = [names.region(code) for code in fw.regions]
    columns = {
        "region": regions + list(fw.regions),  # names in the project's language; codes accepted
        "audience": list(AUDIENCES), "category": list(CATEGORIES), "kind": list(KINDS),
        "goal": [str(g) for g in fw.goals], "target": list(fw.targets),
    }
    ranges = {}
    for i, (name, values) in enumerate(columns.items(), 1):
        letter = get_column_letter(i)
        lists.cell(1, i, name)
        for row, value in enumerate(values, 2):
            lists.cell(row, i, value)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"

    labels = {"seminar": "Seminar id", "region": m("col.region"), "city": m("col.city"), "date": m("col.date"),
              "audience": m("col.audience"), "id": "Comment id", "text": m("col.comment"), "targets": "Targets",
              "goals": "Goals", "kind": m("col.kind"), "from": m("col.category"),
              **{c: m(f"category.{c}") for c in CATEGORIES},
              **{f"priority_{g}": f"{m('goal_short', number=g)} ({m('col.votes')})" for g in PRIORITIES.values()}}
    _headers(seminars, SEMINAR_FIELDS, labels)
    _headers(comments, COMMENT_FIELDS, labels)

    by_code = dict(zip(fw.regions, regions))
    for row, s in enumerate(project.seminars, 3):
        values = [s.id, by_code[s.region], s.city, s.date, s.audience,
                  *(s.participants.get(c) for c in CATEGORIES), *(s.priorities.get(g) for g in PRIORITIES.values())]
        for col, value in enumerate(values, 1):
            cell = seminars.cell(row, col, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    row = 3
    for s in project.seminars:
        for c in s.comments:
            values = [s.id, c.id, c.text, " ".join(c.targets), " ".join(map(str, c.goals)), c.kind, c.source]
            for col, value in enumerate(values, 1):
                comments.cell(row, col, value or None)
            comments.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1

    last = MAX_ROWS + 2
    _choose(seminars, "B", ranges["region"], last, strict=True)
    _choose(seminars, "E", ranges["audience"], last, strict=True)
    _choose(comments, "A", f"Seminars!$A$3:$A${last}", last, strict=True)
    _choose(comments, "D", ranges["target"], last, strict=False)  # several targets, space-separated
    _choose(comments, "E", ranges["goal"], last, strict=False)
    _choose(comments, "F", ranges["kind"], last, strict=True)
    _choose(comments, "G", ranges["category"], last, strict=True)
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            error="A head count or a number of votes is a whole number, 0 or more.")
    counts.add(f"F3:{get_column_letter(len(SEMINAR_FIELDS))}{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="42005", allow_blank=True,  # 2015-01-01
                           error="A date, such as 2022-03-14.")
    dates.add(f"D3:D{last}")
    seminars.add_data_validation(counts)
    seminars.add_data_validation(dates)

    widths = {"seminar": 20, "region": 24, "city": 16, "date": 12, "audience": 12, "id": 16, "text": 70,
              "targets": 14, "goals": 10, "kind": 11, "from": 16}
    for sheet, fields in ((seminars, SEMINAR_FIELDS), (comments, COMMENT_FIELDS)):
        for col, field in enumerate(fields, 1):
            sheet.column_dimensions[get_column_letter(col)].width = widths.get(field, 11)
        sheet.freeze_panes = "B3"
    _instructions(intro, project)
    day = dt.datetime(2022, 1, 1)  # fixed (ooxml.fixed): the same project gives the same workbook
    wb.properties.created = wb.properties.modified = day
    wb.properties.creator = wb.properties.lastModifiedBy = "vnr"
    wb.properties.title = f"{project.settings.title}: seminar feedback"
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    wb.save(out)
    target.write_bytes(ooxml.fixed(out.getvalue(), day))


def _headers(sheet, fields: list[str], labels: dict[str, str]) -> None:
    for col, field in enumerate(fields, 1):
        label = sheet.cell(1, col, labels.get(field, field))
        label.font, label.fill = Font(bold=True, color="FFFFFF"), HEADER
        label.alignment = Alignment(wrap_text=True, vertical="top")
        key = sheet.cell(2, col, field)
        key.font, key.fill = Font(italic=True, color="555555", size=9), KEYS
    sheet.row_dimensions[1].height = 30


def _choose(sheet, column: str, source: str, last: int, strict: bool) -> None:
    """A drop-down in `column`; strict: only its values, else a suggestion (several ids in one cell)."""
    rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=strict)
    if strict:
        rule.error = "Choose a value from the list."
    rule.add(f"{column}3:{column}{last}")
    sheet.add_data_validation(rule)


def _instructions(sheet, project: Project) -> None:
    lines = [
        (f"{project.settings.title}: seminar feedback", True),
        ("How to fill in this workbook", True),
        ("1. Seminars: one row per seminar. The seminar id names its file (lower-case letters, digits and '-', "
         "e.g. kz-75-leb). Choose the region from the list (a code such as KZ-75 is accepted too), write the city "
         "and the date (2022-03-14), choose the audience: leb (local executive bodies) or residents.", False),
        ("2. Head counts by participant category, and for the Mission 2030 business game, how many participants "
         "named each goal among their priorities (leave a goal empty if no one did).", False),
        ("3. Comments: one row per comment. Choose its seminar, give it a short id unique within the seminar (or "
         "leave it empty: vnr makes one from the text), copy the text as it was said, in the language it was said "
         "in. Targets (e.g. 11.6 12.5) and goals (e.g. 12), several separated by spaces; at least one of the two. "
         "Kind: problem, proposal, practice or question. From: the participant category of the speaker.", False),
        ("4. Keep the two header rows: the second one (grey) tells vnr which column is which.", False),
        ("5. Import: vnr import this-file.xlsx. Every problem is reported with its cell (Comments!D12), and "
         "nothing is written until all are fixed. Importing the same rows again changes nothing.", False),
    ]
    for row, (text, bold) in enumerate(lines, 1):
        cell = sheet.cell(row, 1, text)
        cell.font = Font(bold=bold, size=13 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110
