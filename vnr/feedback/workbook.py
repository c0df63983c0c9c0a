"""The feedback workbook: the project's seminars and comments as a secretariat keeps them in
Excel or LibreOffice, and the empty form seminar staff fill in (`vnr export`).

Each data sheet has two header rows: labels for people, then the field keys (as KoboToolbox's
HXL row does), so that `vnr import` finds its columns by key whatever the labels say. Drop-down
lists come from a hidden sheet: 169 targets are far beyond the 255 characters Excel allows in
a list written into the validation itself.

Workbooks are data: every text is a text cell, never a formula (openpyxl writes a string that
begins with `=` as one), and the columns of ids, targets and goals are formatted as text in every
row of the form, so that `6.1` typed by a person stays `6.1` (not a number, nor the 6th of January
in a Russian-locale Calc).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..base import ooxml
from ..base.errors import Problems
from ..base.i18n import Messages
from ..base.names import Names
from ..model import AUDIENCES, CATEGORIES, KINDS, Project
from ..read import sources
from ..resolve.consultations import exercise
from .importer import COMMENT_KEYS, PRIORITIES, SEMINAR_KEYS

MAX_ROWS = 5000  # rows the drop-downs and the text format cover in the form
MAX_CELL = 32_767  # characters a spreadsheet cell holds (openpyxl would cut a longer text short)
FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what Excel and Calc take for a formula when typed
TEXT = "@"  # the number format "Text"
HEADER = PatternFill("solid", fgColor="0A2240")
KEYS = PatternFill("solid", fgColor="EEF2F6")

SEMINAR_FIELDS, COMMENT_FIELDS = SEMINAR_KEYS, COMMENT_KEYS  # the columns vnr import reads
# Columns whose values a spreadsheet would take for numbers or dates (6.1, 8.10, 12, 3-4). Not the
# comment's text: Excel shows a text-formatted cell of more than 255 characters as ####.
AS_TEXT = {"Seminars": ("seminar",), "Comments": ("seminar", "id", "targets", "goals")}


def export(project: Project, target: Path) -> None:
    fits(((c.pos, c.text) for c in project.comments), "comment", "split it into comments that fit")
    m = Messages(project.settings.language)
    fw = project.framework
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
        put(lists, 1, i, name)
        for row, value in enumerate(values, 2):
            put(lists, row, i, value)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"

    labels = {"seminar": m("col.seminar_id"), "region": m("col.region"), "city": m("col.city"), "date": m("col.date"),
              "audience": m("col.audience"), "id": m("col.comment_id"), "text": m("col.comment"),
              "targets": m("col.targets"), "goals": m("col.goals"), "kind": m("col.kind"), "from": m("col.category"),
              **{c: m(f"category.{c}") for c in CATEGORIES},
              **{f"priority_{g}": f"{m('goal_short', number=g)} ({m('col.votes')})" for g in PRIORITIES.values()}}
    headers(seminars, SEMINAR_FIELDS, labels)
    headers(comments, COMMENT_FIELDS, labels)

    by_code = dict(zip(fw.regions, regions))
    for row, s in enumerate(project.seminars, 3):
        values = [s.id, by_code[s.region], s.city, s.date, s.audience,
                  *(s.participants.get(c) for c in CATEGORIES), *(s.priorities.get(g) for g in PRIORITIES.values())]
        for col, value in enumerate(values, 1):
            cell = put(seminars, row, col, value)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    row = 3
    for s in project.seminars:
        for c in s.comments:
            values = [s.id, c.id, c.text, " ".join(c.targets), " ".join(map(str, c.goals)), c.kind, c.source]
            for col, value in enumerate(values, 1):
                put(comments, row, col, value or None)
            comments.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1

    last = MAX_ROWS + 2
    for sheet, fields in ((seminars, SEMINAR_FIELDS), (comments, COMMENT_FIELDS)):
        as_text(sheet, [fields.index(f) + 1 for f in AS_TEXT[sheet.title]], last)
    only = m("workbook.choose")  # the error a value not in the list gets
    choose(seminars, "B", ranges["region"], last, only)
    choose(seminars, "E", ranges["audience"], last, only)
    choose(comments, "A", f"Seminars!$A$3:$A${last}", last, only)
    choose(comments, "D", ranges["target"], last, None)  # several targets, space-separated
    choose(comments, "E", ranges["goal"], last, None)
    choose(comments, "F", ranges["kind"], last, only)
    choose(comments, "G", ranges["category"], last, only)
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                            error=m("workbook.count"))
    counts.add(f"F3:{get_column_letter(len(SEMINAR_FIELDS))}{last}")
    example = _example(project)
    dates = DataValidation(type="date", operator="greaterThan", formula1="42005", allow_blank=True,  # 2015-01-01
                           error=m("workbook.date", date=example["date"]))
    dates.add(f"D3:D{last}")
    seminars.add_data_validation(counts)
    seminars.add_data_validation(dates)

    widths = {"seminar": 20, "region": 24, "city": 16, "date": 12, "audience": 12, "id": 16, "text": 70,
              "targets": 14, "goals": 10, "kind": 11, "from": 16}
    for sheet, fields in ((seminars, SEMINAR_FIELDS), (comments, COMMENT_FIELDS)):
        for col, field in enumerate(fields, 1):
            sheet.column_dimensions[get_column_letter(col)].width = widths.get(field, 11)
        sheet.freeze_panes = "B3"
    _instructions(intro, project, m, example)
    save(wb, target, m("workbook.title", title=project.settings.title))


def save(wb: Workbook, target: Path, title: str) -> None:
    """The workbook written whole or not at all (even with --force), the same bytes for the same project."""
    day = dt.datetime(2022, 1, 1)  # fixed (ooxml.fixed): the same project gives the same workbook
    wb.properties.created = wb.properties.modified = day
    wb.properties.creator = wb.properties.lastModifiedBy = "vnr"
    wb.properties.title = title
    out = io.BytesIO()
    wb.save(out)
    sources.write(target, ooxml.fixed(out.getvalue(), day))


def fits(texts, what: str, advice: str) -> None:
    """A text (of `texts`: (its position, the text)) longer than a cell holds is an error at the text,
    not a text cut short."""
    problems = Problems()
    for pos, text in texts:
        if len(text) > MAX_CELL:
            problems.add(pos, f"the {what} has {len(text):,} characters, more than a spreadsheet cell "
                              f"holds ({MAX_CELL:,}): {advice}")
    problems.raise_if_any()


def put(sheet, row: int, col: int, value) -> Cell:
    """The value in its cell; a text always as a text cell, which no spreadsheet evaluates."""
    cell = sheet.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes "=..." a formula and "#N/A" an error
        if value.startswith(FORMULA):
            cell.quotePrefix = True  # edited in Excel or Calc, it stays text, as a typed '= does
    return cell


def as_text(sheet, columns: list[int], last: int) -> None:
    """Columns formatted as text: each cell of the form's rows, and the column for rows beyond."""
    for col in columns:
        sheet.column_dimensions[get_column_letter(col)].number_format = TEXT
        for row in range(3, last + 1):
            sheet.cell(row, col).number_format = TEXT


def headers(sheet, fields: list[str], labels: dict[str, str]) -> None:
    for col, field in enumerate(fields, 1):
        label = put(sheet, 1, col, labels.get(field, field))
        label.font, label.fill = Font(bold=True, color="FFFFFF"), HEADER
        label.alignment = Alignment(wrap_text=True, vertical="top")
        key = put(sheet, 2, col, field)
        key.font, key.fill = Font(italic=True, color="555555", size=9), KEYS
    sheet.row_dimensions[1].height = 30


def choose(sheet, column: str, source: str, last: int, error: str | None) -> None:
    """A drop-down in `column`; with an error: only its values, else a suggestion (several ids in one cell)."""
    rule = DataValidation(type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=bool(error))
    if error:
        rule.error = error
    rule.add(f"{column}3:{column}{last}")
    sheet.add_data_validation(rule)


def _example(project: Project) -> dict[str, str]:
    """The values the instructions show as examples: the project's first seminar's, else made for its country."""
    first = min(project.seminars, key=lambda s: s.id, default=None)
    region = first.region if first else next(iter(project.framework.regions))
    return {"seminar": first.id if first else f"{region.lower()}-leb", "region": region,
            "date": (first.date if first else dt.date(project.settings.year, 3, 14)).isoformat()}


def _instructions(sheet, project: Project, m: Messages, example: dict[str, str]) -> None:
    # The drop-downs hold the keys vnr import reads (leb, problem, ...): each is shown with its words.
    keys = lambda group, values: ", ".join(f"{v} ({m(f'{group}.{v}')})" for v in values)  # noqa: E731
    lines = [
        (m("workbook.title", title=project.settings.title), True),
        (m("workbook.how"), True),
        (m("workbook.seminars", audiences=keys("audience", AUDIENCES), **example), False),
        (m("workbook.priorities", exercise=exercise(project, m)), False),
        (m("workbook.comments", targets="11.6 12.5", goal="12", kinds=keys("kind", KINDS)), False),
        (m("workbook.keys"), False),
        (m("workbook.import", command="vnr import this-file.xlsx", cell="Comments!D12"), False),
    ]
    for row, (text, bold) in enumerate(lines, 1):
        cell = put(sheet, row, 1, text)
        cell.font = Font(bold=bold, size=13 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110
