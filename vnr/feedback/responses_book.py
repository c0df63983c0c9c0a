"""The responses workbook: a working group's comments in a spreadsheet, answered there
(`vnr export --responses [--group ID]`), and the answers back into responses/ (`vnr import`).

One sheet, `Responses`, a row per comment: what the comment says (key, region, seminar, date,
goals, targets, text) and its response (status, response, place), with the feedback workbook's
two header rows (labels, then keys), text cells and drop-downs. The rule `vnr import` goes by: an
.xlsx workbook with a sheet named `Responses` is a responses workbook. The hidden `Lists` sheet
holds the drop-downs' values and, in C2, the group it was exported for (empty: every comment),
which decides the file new responses go to: responses/<group>.yaml, else responses/all.yaml.

A response already in responses/ (in any file) stays where it stands: a row that says the same
changes nothing, and one that says otherwise is an error at its cell unless --update, which
changes the values in place and keeps the rest of that file as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .. import groups as working_groups
from ..base.errors import Pos, Problems
from ..base.i18n import Messages
from ..base.names import Names
from ..model import STATUSES, Group, Project, Response, places
from ..placement import concerned_goals
from ..read import load
from . import tables
from .importer import clean, keyed, read_again, show, written
from .seminar_yaml import Edits, render, scalar
from .workbook import as_text, choose, fits, headers, put, save

SHEET, LISTS = "Responses", "Lists"
COLUMNS = ("key", "region", "seminar", "date", "goals", "targets", "text", "status", "response", "place")
AS_TEXT = ("key", "seminar", "date", "goals", "targets")
WIDTHS = {"key": 26, "region": 22, "seminar": 18, "date": 11, "goals": 8, "targets": 12, "text": 60,
          "status": 16, "response": 60, "place": 24}
FIELDS = {"status": "status", "response": "text", "place": "place"}  # column -> the response's field in YAML


def unknown_group(project: Project, ident: str) -> str:
    """The message for a group the project does not name (as `vnr build --group` words it)."""
    known = project.settings.groups
    if not known:
        return f"unknown working group '{ident}': vnr.yaml names no working groups (see 'groups' in the README)"
    return f"unknown working group '{ident}' (vnr.yaml names: {', '.join(known)})"


def export(project: Project, target: Path, group: Group | None) -> tuple[int, int]:
    """The workbook of the group's comments (every comment without one): (comments, answered)."""
    comments = working_groups.comments(project, group)
    responses = project.responses or {}
    fits(((c.pos, c.text) for c in comments), "comment", "split it into comments that fit")
    fits(((responses[c.key].pos, responses[c.key].text) for c in comments if c.key in responses), "response",
         "shorten it")
    m = Messages(project.settings.language)
    names = Names(m, project.framework)
    wb = Workbook()
    sheet = wb.active
    sheet.title = SHEET
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    known = places(project.chapters)
    values = {"status": [m(f"status.{s}") for s in STATUSES],
              "place": [i for c in project.chapters for i in (c.id, *(s.id for s in c.sections)) if i in known],
              "group": [group.id if group else None]}
    for col, (name, items) in enumerate(values.items(), 1):
        put(lists, 1, col, name)
        for row, value in enumerate(items, 2):
            put(lists, row, col, value)

    labels = {"key": m("col.comment_key"), "region": m("col.region"), "seminar": m("col.seminar_id"),
              "date": m("col.date"), "goals": m("col.goals"), "targets": m("col.targets"), "text": m("col.comment"),
              "status": m("col.response_status"), "response": m("col.response"), "place": m("col.response_place")}
    headers(sheet, list(COLUMNS), labels)
    seminars = {s.id: s for s in project.seminars}
    top = Alignment(wrap_text=True, vertical="top")
    for row, c in enumerate(comments, 3):
        s, r = seminars[c.seminar], responses.get(c.key)
        cells = {"key": c.key, "region": names.region(s.region), "seminar": s.id, "date": s.date.isoformat(),
                 "goals": " ".join(map(str, sorted(concerned_goals(c, project.framework)))),
                 "targets": " ".join(c.targets), "text": c.text, "status": r and m(f"status.{r.status}"),
                 "response": r and r.text.strip(), "place": r and r.place}
        for col, name in enumerate(COLUMNS, 1):
            put(sheet, row, col, cells[name] or None).alignment = top
        sheet.row_dimensions[row].height = _height(cells)

    last = max(len(comments), 1) + 2
    as_text(sheet, [COLUMNS.index(name) + 1 for name in AS_TEXT], last)
    for name in ("status", "place"):
        source = get_column_letter(list(values).index(name) + 1)
        choose(sheet, get_column_letter(COLUMNS.index(name) + 1),
               f"{LISTS}!${source}$2:${source}${max(len(values[name]), 1) + 1}", last, m("workbook.choose"))
    for col, name in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(col)].width = WIDTHS[name]
    sheet.freeze_panes = "B3"
    sheet.print_title_rows = "1:2"  # printed: landscape, the columns on one page's width, the headers on each
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    save(wb, target, m("responses.workbook.title", title=group.title if group else project.settings.title))
    return len(comments), sum(c.key in responses for c in comments)


def _height(cells: dict) -> float:
    """A row's height in points, for its longest wrapped text: spreadsheets do not size rows they did not write."""
    lines = max(sum(len(line) // int(WIDTHS[name] * 1.1) + 1 for line in (cells[name] or "").split("\n"))
                for name in ("text", "response"))
    return min(15.0 * lines, 409.0)  # 409: the tallest row Excel has


# -- vnr import ---------------------------------------------------------------------------------

def recognised(path: Path) -> bool:
    """Whether the file is a responses workbook: an .xlsx workbook with a sheet named Responses."""
    if path.suffix.lower() != ".xlsx":
        return False
    try:
        return SHEET in tables.sheet_names(path)
    except tables.Unreadable:
        return False


@dataclass
class _Answer:
    """A response as a row gives it, with the cells it came from."""

    key: str
    status: str
    text: str
    place: str | None
    file: str  # where a new response goes: responses/<group>.yaml
    cells: dict  # column -> tables.Cell

    def said(self) -> tuple:
        return self.status, self.text, self.place


def _said(r: Response) -> tuple:
    return r.status, r.text.strip(), r.place  # a block text ends with a line break, a cell not


@dataclass
class _Plan:
    writes: dict = field(default_factory=dict)  # rel -> the file's new text
    changes: dict = field(default_factory=dict)  # rel -> a line per response added, a line per value changed
    intended: dict = field(default_factory=dict)  # key -> (status, text, place) the files must load as
    counts: dict = field(default_factory=lambda: dict.fromkeys(
        ("responses added", "responses changed", "responses unchanged", "rows without a response"), 0))


def run(root: Path, files: list[Path], update: bool, dry_run: bool, say=print) -> None:
    project = load.load(root)
    problems = Problems()
    plan = _Plan()
    answers: dict[str, _Answer] = {}
    reader = _Reader(project, problems)
    for path in files:
        try:
            reader.workbook(path, answers, plan)
        except tables.Unreadable as exc:
            problems.add(exc.pos or Pos(str(path)), str(exc))
    _merge(project, answers, update, plan, problems)  # its problems too, in the same run
    _check(root, project, plan, problems)
    problems.raise_if_any()
    written(root, plan.writes, plan.changes, plan.counts, dry_run, say)


class _Reader:
    def __init__(self, project: Project, problems: Problems):
        self.project, self.problems = project, problems
        self.keys = {c.key for c in project.comments}
        self.places = places(project.chapters)
        m = Messages(project.settings.language)
        self.labels = {s: m(f"status.{s}") for s in STATUSES}  # the drop-down's; the status keys are read too
        self.statuses = {s: s for s in STATUSES} | {label.casefold(): s for s, label in self.labels.items()}

    def workbook(self, path: Path, answers: dict, plan: _Plan) -> None:
        if not recognised(path):
            self.problems.add(Pos(str(path)), f"not a responses workbook (no sheet '{SHEET}'): import feedback "
                                              "workbooks and form exports in a run of their own")
            return
        file = self.group_file(path)
        table = tables.read(path, SHEET, header_rows=2)
        given = {c.value for c in table.header}
        for name in ("key", "status", "response"):
            if name not in given:
                at = table.header[0].pos if table.header else Pos(str(path), 2, 1, f"{SHEET}!A2")
                self.problems.add(at, f"no column '{name}' in the second header row (the keys vnr reads): "
                                      "export the workbook again with vnr export --responses")
        if len(given & {"key", "status", "response"}) < 3:
            return
        for row in keyed(table, set(COLUMNS), self.problems, whole=True):
            if not any(row[name].value is not None for name in FIELDS if name in row):
                plan.counts["rows without a response"] += 1
                continue
            answer = self.row(row, file)
            if answer is None:
                continue
            first = answers.setdefault(answer.key, answer)
            if first is not answer and first.said() != answer.said():
                self.problems.add(answer.cells["key"].pos, f"comment '{answer.key}' is answered twice, otherwise "
                                                           f"(first at {first.cells['key'].pos})")

    def group_file(self, path: Path) -> str:
        """responses/<group>.yaml for the group the workbook was exported for, else responses/all.yaml."""
        try:
            table = tables.read(path, LISTS)
        except tables.Unreadable:
            table = None
        headers = [c.value for c in table.header] if table else []
        if "group" not in headers:
            self.problems.add(Pos(str(path)), f"no hidden sheet '{LISTS}' with the group the workbook was exported "
                                              "for: export the workbook again with vnr export --responses")
            return "responses/all.yaml"
        col = headers.index("group")
        cell = table.rows[0][col] if table.rows and len(table.rows[0]) > col else None
        ident = str(cell.value).strip() if cell and cell.value is not None else None
        if ident is None:
            return "responses/all.yaml"
        if ident not in self.project.settings.groups:
            self.problems.add(cell.pos, unknown_group(self.project, ident))
        return f"responses/{ident}.yaml"

    def row(self, row: dict, file: str) -> _Answer | None:
        """The row's response; None after reporting its errors."""
        values = {}
        for name in ("key", *FIELDS):
            value = clean(row[name], self.problems) if name in row else None
            values[name] = (value.strip() or None) if isinstance(value, str) else value
        key_cell, status_cell, text_cell = row["key"], row["status"], row["response"]
        bad = len(self.problems)
        key = str(values["key"]) if values["key"] is not None else None
        if key is None:
            self.problems.add(key_cell.pos, "no comment key: this row's response answers no comment")
        elif key not in self.keys:
            load.unknown(self.problems, key_cell.pos, f"comment '{key}'", key, self.keys)
        status = self.status(status_cell, values["status"])
        place = self.place(row.get("place"), values["place"])
        if values["status"] is None and values["response"] is None:
            self.problems.add(row["place"].pos, "a place without a status and a response: choose the status and "
                                                "write the response, or clear the place")
        elif values["status"] is None:
            self.problems.add(status_cell.pos, f"a response without a status (one of: {self.choices()})")
        elif values["response"] is None:
            self.problems.add(text_cell.pos, "a status without a response: write what was done with the comment, "
                                             "or why not")
        if len(self.problems) > bad:
            return None
        return _Answer(key, status, str(values["response"]), place, file, row)

    def choices(self) -> str:
        return ", ".join(f"{s} ({label})" for s, label in self.labels.items())

    def status(self, cell, value) -> str | None:
        if value is None:
            return None
        found = self.statuses.get(str(value).casefold()) if isinstance(value, str) else None
        if found is None:
            self.problems.add(cell.pos, f"unknown status '{value}' (expected one of: {self.choices()})")
        return found

    def place(self, cell, value) -> str | None:
        if value is None:
            return None
        value = str(value)
        if value not in self.places:
            load.unknown(self.problems, cell.pos, f"place '{value}': not a chapter or section id", value, self.places)
        return value


def _merge(project: Project, answers: dict[str, _Answer], update: bool, plan: _Plan, problems: Problems) -> None:
    """The files to write: new responses appended to their group's file, changed ones (--update)
    changed where they stand; a change without --update is an error at each cell that differs."""
    existing = project.responses or {}
    new: dict[str, list[_Answer]] = {}
    changed: dict[str, list[tuple[Response, _Answer]]] = {}
    for a in answers.values():
        old = existing.get(a.key)
        if old is None:
            new.setdefault(a.file, []).append(a)
        elif _said(old) == a.said():
            plan.counts["responses unchanged"] += 1
        elif update:
            changed.setdefault(old.pos.path, []).append((old, a))
        else:
            for column, name, before, after in zip(FIELDS, FIELDS.values(), _said(old), a.said()):
                if before != after:
                    at = a.cells[column].pos if column in a.cells else a.cells["key"].pos
                    problems.add(at, f"comment '{a.key}' has {name} {show(before)} in {old.pos.path}, not "
                                     f"{show(after)}; --update replaces it")
    for rel in sorted(set(new) | set(changed)):
        lines = []
        data = project.inputs.get(rel)
        edits = Edits(data.decode("utf-8"), rel, problems) if data is not None else None
        for old, a in changed.get(rel, ()):
            entry = next(v for k, v in edits.top.value if k.value == a.key)
            for name, before, after in zip(FIELDS.values(), _said(old), a.said()):
                if before == after:
                    continue
                lines.append(f"{a.key}: {name}: {show(before)} -> {show(after)}")
                if after is None:
                    edits.remove(entry, name)
                else:
                    edits.set(entry, name, render("text", after) if name == "text" else scalar(after))
            plan.intended[a.key] = a.said()
        added = new.get(rel, [])
        for a in added:
            lines.append(f"{a.key} added: {a.status}: {show(a.text)}" + (f" (place {a.place})" if a.place else ""))
            plan.intended[a.key] = a.said()
        if edits is None:
            plan.writes[rel] = "\n".join(_block(a) for a in added)
        else:
            if edits.top is not None and edits.top.flow_style:
                for a in added:
                    edits.add(edits.top, a.key, "{" + ", ".join(f"{k}: {v}" for k, v in _fields(a)) + "}")
            elif added:
                edits.end("".join("\n" + _block(a) for a in added))
            plan.writes[rel] = edits.text()
        plan.changes[rel] = lines
        plan.counts["responses added"] += len(added)
        plan.counts["responses changed"] += len(changed.get(rel, ()))


def _fields(a: _Answer) -> list[tuple[str, str]]:
    return [("status", a.status), ("text", render("text", a.text)), *((("place", scalar(a.place)),) if a.place else ())]


def _block(a: _Answer) -> str:
    """A response as the sample's files write it (a comment key is always a plain YAML scalar)."""
    return f"{a.key}:\n" + "".join(f"  {k}: {v}\n" for k, v in _fields(a))


def _check(root: Path, project: Project, plan: _Plan, problems: Problems) -> None:
    """What `vnr check` would say of the files to write, and that they load as the rows say."""
    again = read_again(root, plan.writes, problems)
    if again is None:
        return
    expected = {k: _said(r) for k, r in (project.responses or {}).items()} | plan.intended
    got = {k: _said(r) for k, r in (again.responses or {}).items()}
    for key in sorted(set(expected) | set(got)):
        if expected.get(key) != got.get(key):
            where = (again.responses or {}).get(key) or (project.responses or {}).get(key)
            problems.add(where.pos if where else Pos("responses"),
                         "vnr cannot change this file in place without changing what it says: edit it by hand, or "
                         "report it as a bug in vnr")
