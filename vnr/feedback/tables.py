"""Rows of a workbook or a CSV export, each value with the cell it came from.

CSV: the encoding is decided per file (UTF-8, with or without BOM, else Windows-1251, as Excel
with a Russian locale writes), the delimiter is sniffed (comma, semicolon, tab), and a second
header row of HXL hashtags (#adm1, KoboToolbox's HXL export) is skipped. A value's position is
`FILE:SHEET!CELL` in a workbook and `FILE:LINE:COLUMN` in a CSV (the file's line, the column
counted from 1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from ..base.errors import Pos


class Unreadable(Exception):
    """A file that is not the table it should be (a damaged workbook, a missing sheet, a CSV in no
    encoding it could be); `pos`: where, when that is known."""

    def __init__(self, message: str, pos: Pos | None = None):
        super().__init__(message)
        self.pos = pos


@dataclass(frozen=True)
class Cell:
    value: object  # str, int, float, datetime, or None for an empty cell
    pos: Pos
    formula: bool = False  # empty because it holds a formula stored without its result


@dataclass(frozen=True)
class Table:
    header: list[Cell]
    rows: list[list[Cell]]


def read(path: Path, sheet: str | None = None, header_rows: int = 1) -> Table:
    """The table of a .csv file or of one sheet of an .xlsx file (the first, unless named)."""
    if path.suffix.lower() == ".csv":
        return _csv(path)
    workbook = _open(path)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise Unreadable(f"no sheet '{sheet}' in this workbook (its sheets: {', '.join(workbook.sheetnames)})")
        ws = workbook[sheet] if sheet else workbook.worksheets[0]
        return _formulas(path, ws.title, _sheet(path, ws, header_rows))
    finally:
        workbook.close()


def read_sheets(path: Path, names: tuple[str, ...], header_rows: int = 1) -> dict[str, Table]:
    """The sheets of an .xlsx workbook that it has of `names`, the file opened once."""
    workbook = _open(path)
    try:
        return {name: _formulas(path, name, _sheet(path, workbook[name], header_rows))
                for name in names if name in workbook.sheetnames}
    finally:
        workbook.close()


def sheet_names(path: Path) -> list[str]:
    workbook = _open(path)
    try:
        return workbook.sheetnames
    finally:
        workbook.close()


def _formulas(path: Path, sheet: str, table: Table) -> Table:
    """The table with its empty cells that hold a formula stored without its result marked (as a
    program other than a spreadsheet writes them): read as values, they would pass for empty. Only
    the rows read are looked at, so a sheet formatted down to row 1,048,576 costs no more."""
    empty = {c.pos.cell.split("!")[-1] for row in table.rows for c in row if c.value is None}
    if not empty:
        return table
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)  # _open's succeeded: it reads
    try:
        ws = workbook[sheet]
        ws.reset_dimensions()
        last = max(row[0].pos.line for row in table.rows)
        found = {c.coordinate for row in ws.iter_rows(max_row=last) for c in row
                 if getattr(c, "data_type", None) == "f" and c.coordinate in empty}
    finally:
        workbook.close()
    if not found:
        return table
    return Table(table.header, [[replace(c, formula=True) if c.pos.cell.split("!")[-1] in found else c for c in row]
                                for row in table.rows])


def _open(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile's, openpyxl's: the file is not a workbook it can read
        raise Unreadable(f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None


def _sheet(path: Path, ws, header_rows: int) -> Table:
    """The sheet's rows as openpyxl streams them, an empty one dropped before any Cell is made: a
    sheet whose last used cell is G1048576 (formatted, empty) costs no more than its filled rows."""
    ws.reset_dimensions()  # unsized, openpyxl yields a row the sheet lacks as (), not as 7 Nones
    header: list[Cell] = []
    body = []
    for r, values in enumerate(ws.iter_rows(values_only=True), 1):
        if not values:  # one of the million rows between the filled ones and G1048576
            continue
        values = [_clean(v) for v in values]
        while values and values[-1] is None:
            values.pop()
        if r == header_rows:
            header = _cells(path, ws.title, r, values, 0)
        elif r > header_rows and values:
            body.append(_cells(path, ws.title, r, values, len(header)))
    return Table(header, body)


def _cells(path: Path, sheet: str, r: int, values: list, width: int) -> list[Cell]:
    """A row's cells, its empty ones up to `width` too: an error about a missing value has a cell."""
    from openpyxl.utils import get_column_letter

    values = values + [None] * (width - len(values))
    return [Cell(v, Pos(str(path), r, c, f"{sheet}!{get_column_letter(c)}{r}")) for c, v in enumerate(values, 1)]


def _clean(value):
    """A blank text is an empty cell; any other is kept as written (a comment that begins with a
    tab comes back with its tab: the fields that want no spaces around them strip them)."""
    return None if isinstance(value, str) and not value.strip() else value


def decode(data: bytes, path: Path) -> str:
    """UTF-8 (a BOM dropped), else Windows-1251: decided for the whole file, never mixed. A file that
    is UTF-8 up to a byte that is not is neither: decoding it all as Windows-1251 would turn every
    letter before that byte into another (Вода into Р’РѕРґР°); Unreadable says where."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad, why = exc.start, "is not UTF-8, as the file is before it"
    if data[:bad].isascii():
        try:
            return data.decode("cp1251")  # a Windows-1251 file, as Excel with a Russian locale saves it
        except UnicodeDecodeError as exc:
            bad, why = exc.start, "is neither UTF-8 nor Windows-1251"
    start = data.rfind(b"\n", 0, bad) + 1
    first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
    delimiter = max(",;\t", key=first.count)
    column = len(next(csv.reader([data[start:bad].decode("utf-8", "replace") + "x"], delimiter=delimiter)))
    raise Unreadable(f"byte 0x{data[bad]:02X} {why}: save the file again as UTF-8",
                     Pos(str(path), data.count(b"\n", 0, bad) + 1, column))


def _csv(path: Path) -> Table:
    text = decode(path.read_bytes(), path)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, line = [], 1
    for values in reader:
        rows.append([Cell(_clean(v), Pos(str(path), line, c)) for c, v in enumerate(values, 1)])
        line = reader.line_num + 1  # the next record starts here (a quoted value may span lines)
    header = rows[0] if rows else []
    body = rows[1:]
    if body and all(c.value is None or str(c.value).startswith("#") for c in body[0]) and \
            any(c.value for c in body[0]):
        body = body[1:]  # HXL hashtags
    body = [row for row in body if any(cell.value is not None for cell in row)]
    return Table(header, body)
