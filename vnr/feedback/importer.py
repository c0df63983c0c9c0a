"""`vnr import`: feedback workbooks and form exports into feedback/<seminar>.yaml.

Every value is checked where it stands (`FILE:SHEET!CELL`, `FILE:LINE:COLUMN`), the result is
checked as `vnr check` would check it, and only then is anything written. A new seminar gets a
file laid out as the sample's are; a seminar that has a file gets its new comments appended and,
with --update, its changed values written where they stand: the rest of the file keeps its bytes
(YAML comments, quoting, block texts). Importing the same rows again changes nothing, and the
report names every value added or changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..base import ids
from ..base.errors import Pos, Problems
from ..base.framework import Framework, framework
from ..model import AUDIENCES, CATEGORIES, KINDS, Comment, Project, Seminar
from ..read import load, regions, sources
from ..read import schema as s
from ..read.sources import Overlay
from . import seminar_yaml, tables
from .seminar_yaml import CONTENT, SEMINAR

FIELDS = ("seminar", "region", "city", "date", "audience", "id", "text", "targets", "goals", "kind", "from")
CHOICES = {"audience": AUDIENCES, "kind": KINDS, "from": CATEGORIES}
SEPARATORS = re.compile(r"[\s,;]+")
PRIORITIES = {f"priority_{g}": g for g in framework().goals}
# The columns of a feedback workbook: `vnr export` writes them (workbook.py), `vnr import` reads them.
SEMINAR_KEYS = ("seminar", *SEMINAR, *CATEGORIES, *PRIORITIES)
COMMENT_KEYS = ("seminar", "id", "text", "targets", "goals", "kind", "from")


@dataclass
class Draft:
    """A seminar as the imported rows describe it."""

    id: str
    pos: Pos  # where it was first named
    # ("region",), ("city",)..., ("participants", category), ("priorities", goal) -> (value, where given)
    values: dict = field(default_factory=dict)
    given: set = field(default_factory=set)  # the seminar fields some row gave, valid or not (then reported)
    comments: list = field(default_factory=list)  # dicts: id, text, targets, goals, kind, from; pos, id_pos


def mapping_schema() -> s.Validator:
    field_name = s.choice(FIELDS, "field")
    scalar = lambda r, node: node.value if hasattr(node, "value") and isinstance(node.value, str) \
        else r.error(node, "expected a single value")  # noqa: E731
    return s.mapping({
        "sheet": s.Field(s.text, default=None),
        "columns": s.Field(s.dict_of(field_name, s.nonempty_text), default={}),
        "fixed": s.Field(s.dict_of(field_name, scalar), default={}),
        "values": s.Field(s.dict_of(field_name, s.dict_of(scalar, scalar)), default={}),
        "parent": s.Field(s.mapping({name: s.Field(s.nonempty_text, required=True)
                                     for name in ("sheet", "key", "link")}), default=None),
    })


def run(root: Path, files: list[Path], mapping_path: Path | None, update: bool, dry_run: bool, say=print) -> None:
    project = load.load(root)
    problems = Problems()
    mapping = _mapping(mapping_path, problems) if mapping_path else None
    problems.raise_if_any()
    drafts: dict[str, Draft] = {}
    parser = _Parser(problems, (mapping or {}).get("values", {}), project.framework,
                     project.settings.language)
    for path in files:
        try:
            if mapping is None:
                _workbook(path, parser, drafts, problems)
            else:
                _export(path, mapping, parser, drafts, problems)
        except tables.Unreadable as exc:
            problems.add(exc.pos or Pos(str(path)), str(exc))
    merged = _merge(project, drafts, update, problems)  # its problems too, in the same run
    _check(root, merged, problems)
    problems.raise_if_any()
    written(root, merged.writes, merged.changes, merged.counts, dry_run, say)


def written(root: Path, writes: dict[str, bytes], changes: dict[str, list[str]], counts: dict[str, int],
            dry_run: bool, say) -> None:
    """An import's files written (unless `dry_run`) and reported: each file, each change, the counts."""
    if not dry_run:
        for rel in sorted(writes):
            sources.write(root / rel, writes[rel])
    for rel in sorted(writes):
        say(f"{'would write' if dry_run else 'wrote'} {rel}")
        for line in changes[rel]:
            say(f"  {line}")
    say(("dry run: " if dry_run else "") + ", ".join(f"{n} {what}" for what, n in counts.items()))


# -- reading ----------------------------------------------------------------------------------

def _mapping(path: Path, problems: Problems) -> dict | None:
    """The mapping file's values, with `at`: where each of them stands (by its keys), for its errors."""
    reader = s.Reader(str(path), problems)
    node = s.parse(reader, path.read_bytes())
    got = mapping_schema()(reader, node) if node is not None else s.INVALID
    if got is s.INVALID or problems:
        return None
    mapping, where = got
    mapping["parent"] = mapping["parent"] and mapping["parent"][0]
    at = mapping["at"] = _positions(reader, node)
    provided = set(mapping["columns"]) | set(mapping["fixed"])
    for required in ("seminar", "text"):
        if required not in provided:
            problems.add(where.keys_at.get("columns", where[""]),
                         f"the mapping gives no '{required}': map it to a column or fix its value")
    for name in set(mapping["columns"]) & set(mapping["fixed"]):
        problems.add(at[("fixed", name)], f"'{name}' is both a column and a fixed value: keep one")
    for name, spellings in mapping["values"].items():
        for written, meant in spellings.items():
            if meant not in CHOICES.get(name, (meant,)):
                problems.add(at[("values", name, written)],
                             f"unknown {name} '{meant}' (expected one of: {', '.join(CHOICES[name])})")
    if mapping["parent"] and mapping["sheet"] in (None, mapping["parent"]["sheet"]):
        problems.add(where.keys_at["parent"], "with 'parent', 'sheet' names the sheet whose rows link to the "
                                              "parent's rows (a repeat group's sheet), not the parent's sheet")
    return mapping


def _positions(reader: s.Reader, node, path: tuple = ()) -> dict[tuple, Pos]:
    """Where each value of a mapping file stands, by the path of its keys (three deep: values)."""
    at = {path: reader.pos(node)}
    if isinstance(node, yaml.MappingNode) and len(path) < 3:
        for key, value in node.value:
            at.update(_positions(reader, value, (*path, str(key.value))))
    return at


def _workbook(path: Path, parser: _Parser, drafts: dict, problems: Problems) -> None:
    if path.suffix.lower() != ".xlsx":
        problems.add(Pos(str(path)), "a file other than a feedback workbook needs --mapping MAP.yaml")
        return
    sheets = tables.read_sheets(path, ("Seminars", "Comments"), header_rows=2)
    if len(sheets) < 2:
        problems.add(Pos(str(path)), "not a feedback workbook (no Seminars and Comments sheets): "
                                     "give --mapping MAP.yaml for another export")
        return
    for row in keyed(sheets["Seminars"], set(SEMINAR_KEYS), problems):
        draft = parser.seminar(row, drafts)
        if draft is None:
            continue
        for key, cell in row.items():
            group = "participants" if key in CATEGORIES else "priorities" if key in PRIORITIES else None
            count = parser.count(cell) if group and cell.value is not None else None
            if count is not None:
                parser.put(draft, (group, PRIORITIES.get(key, key)), count, cell)
    for row in keyed(sheets["Comments"], set(COMMENT_KEYS), problems, whole=True):
        parser.comment(row, drafts)


def keyed(table: tables.Table, known: set[str], problems: Problems, whole: bool = False):
    """The rows by the field keys of the second header row; an unknown key is an error at its cell.
    A cell holding a formula without its stored result is reported and left out of its row, as if its
    column were absent; `whole`: the row is left out (a comment, a response: nothing without all of it)."""
    keys = [str(c.value) if c.value is not None else "" for c in table.header]
    for key, cell in zip(keys, table.header):
        if key and key not in known:
            problems.add(cell.pos, f"unknown column key '{key}' (the second header row names the fields)")
    for row in table.rows:
        if uncached(row, problems) and whole:
            continue
        yield {k: cell for k, cell in zip(keys, row) if k in known and not cell.formula}


def uncached(cells, problems: Problems) -> bool:
    """Whether a row holds a formula stored without its result (as a program other than a
    spreadsheet writes it: read as a value, it would pass for an empty cell), each reported at its cell."""
    bad = [cell for cell in cells if cell.formula]
    for cell in bad:
        problems.add(cell.pos, "a formula without a stored result: type the value, or open and save the workbook "
                               "in a spreadsheet program so that its result is stored")
    return bool(bad)


def _export(path: Path, mapping: dict, parser: _Parser, drafts: dict, problems: Problems) -> None:
    at, parent = mapping["at"], mapping["parent"]
    xlsx = path.suffix.lower() == ".xlsx"
    if parent and not xlsx:
        problems.add(at[("parent",)], f"{path}: 'parent' joins two sheets of an .xlsx workbook; a CSV has one")
        return
    table = tables.read(path, mapping["sheet"] if xlsx else None)
    owner = tables.read(path, parent["sheet"]) if parent else None
    columns = _columns(path, mapping, table, owner, problems)
    joined = _joined(table, owner, mapping, problems) if owner else ((row, None) for row in table.rows)
    if columns is None or joined is None:
        return
    for row, up in joined:
        if uncached([*row, *(up or ())], problems):
            continue
        cells = {name: _cell(up if upper else row, i) for name, (upper, i) in columns.items()}
        for name, value in mapping["fixed"].items():
            cells[name] = tables.Cell(value, at[("fixed", name)])
        parser.comment(cells, drafts)


def _columns(path: Path, mapping: dict, table: tables.Table, owner: tables.Table | None,
             problems: Problems) -> dict[str, tuple[bool, int]] | None:
    """Each mapped field's column: (in the parent's sheet?, its index); the read sheet's first (a
    repeat group's `_index` is its own), then the parent's. None after reporting a missing one."""
    here, there = _headers(table), _headers(owner) if owner else {}
    columns = {}
    for name, header in mapping["columns"].items():
        if header in here or header in there:
            columns[name] = (header not in here, here.get(header, there.get(header)))
        else:
            listed = f"sheet '{mapping['sheet']}': {', '.join(here)}; sheet '{mapping['parent']['sheet']}': " \
                     f"{', '.join(there)}" if owner else ", ".join(here)
            problems.add(mapping["at"][("columns", name)], f"{path}: no column '{header}' (for {name}); the file's "
                                                           f"columns: {listed}")
    return columns if len(columns) == len(mapping["columns"]) else None


def _headers(table: tables.Table) -> dict[str, int]:
    return {str(c.value).strip(): i for i, c in enumerate(table.header) if c.value is not None}


def _cell(row: list[tables.Cell], i: int) -> tables.Cell:
    """The row's cell in column i, empty (at its own place) past the row's last value."""
    if i < len(row):
        return row[i]
    from openpyxl.utils import get_column_letter

    p = row[0].pos
    return tables.Cell(None, Pos(p.path, p.line, i + 1, p.cell and
                                 f"{p.cell.rsplit('!', 1)[0]}!{get_column_letter(i + 1)}{p.line}"))


def _joined(table: tables.Table, owner: tables.Table, mapping: dict, problems: Problems):
    """The read sheet's rows, each with the parent sheet's row it links to (`parent`: the read
    sheet's `link` column holds the parent's `key`); None after reporting a missing column."""
    parent = mapping["parent"]
    link, key = _headers(table).get(parent["link"]), _headers(owner).get(parent["key"])
    for i, name, sheet in ((link, "link", mapping["sheet"]), (key, "key", parent["sheet"])):
        if i is None:
            problems.add(mapping["at"][("parent", name)], f"no column '{parent[name]}' in sheet '{sheet}'")
    return None if None in (link, key) else _pairs(table, link, owner, key, mapping, problems)


def _pairs(table: tables.Table, link_i: int, owner: tables.Table, key_i: int, mapping: dict, problems: Problems):
    """The joined rows. A row linking to no parent row and a parent row no row links to are errors
    at their cell, reported once every row was read."""
    parent = mapping["parent"]
    parents: dict[str, tuple[tables.Cell, list]] = {}  # key -> its cell, its row
    for row in owner.rows:
        cell = _cell(row, key_i)
        key = _join_key(cell.value)
        if key is None:
            problems.add(cell.pos, f"no {parent['key']}: the rows of sheet '{mapping['sheet']}' find this row by it")
        elif key in parents:
            problems.add(cell.pos, f"{parent['key']} {key} is given twice (first at {parents[key][0].pos.cell})")
        else:
            parents[key] = (cell, row)
    linked = set()
    for row in table.rows:
        cell = _cell(row, link_i)
        key = _join_key(cell.value)
        if key in parents:
            linked.add(key)
            yield row, parents[key][1]
        else:
            problems.add(cell.pos, f"no row of sheet '{parent['sheet']}' has {parent['key']} {key}" if key
                         else f"no {parent['link']}: this row links to no row of sheet '{parent['sheet']}'")
    for key, (cell, _) in parents.items():
        if key not in linked:
            problems.add(cell.pos, f"no row of sheet '{mapping['sheet']}' links to this row "
                                   f"({parent['link']} {key}): what it holds would be lost")


def _join_key(value) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a row number, whichever way the sheet stored it
    return None if value is None else str(value).strip()


def clean(cell: tables.Cell, problems: Problems):
    """The cell's value, a text's line breaks as `\\n`; its control characters are reported (and left
    out, so that nothing else is reported about them)."""
    written = cell.value
    if isinstance(written, str):
        written = written.replace("\r\n", "\n").replace("\r", "\n")
        bad = s.UNWRITABLE.search(written)
        if bad:
            problems.add(cell.pos, s.unwritable(bad.group()))
            written = s.UNWRITABLE.sub("", written)
    return written


class _Parser:
    def __init__(self, problems: Problems, spellings: dict, fw: Framework, lang: str):
        self.problems, self.spellings, self.fw, self.lang = problems, spellings, fw, lang
        self.regions = regions.by_name(fw.regions)

    def value(self, name: str, cell: tables.Cell):
        """The cell's value (`clean`), as the mapping says the file spells it."""
        written = clean(cell, self.problems)
        if written is None:
            return None
        # spellings and every field but a comment's text are read without the spaces around them
        return self.spellings.get(name, {}).get(str(written).strip(), written)

    def error(self, cell: tables.Cell, message: str):
        self.problems.add(cell.pos, message)
        return None

    def seminar(self, row: dict, drafts: dict) -> Draft | None:
        cell = row.get("seminar")
        sid = self.value("seminar", cell) if cell else None
        if sid is None:
            return self.error(cell or next(iter(row.values())), "no seminar id")
        sid = str(sid).strip().lower()
        if not ids.is_ident(sid) or sid.isdigit():
            # A bare number is a row's number (Kobo's _parent_index), never a seminar's name.
            return self.error(cell, f"invalid seminar id '{sid}': a seminar id names its file, in lower-case "
                                    "letters, digits and '-', not a number alone (e.g. kz-75-leb)")
        draft = drafts.setdefault(sid, Draft(sid, cell.pos))
        for name in SEMINAR:  # every row's, so that a bad value on any row is reported
            if name in row and row[name].value is not None:
                draft.given.add(name)
                parsed = getattr(self, name)(row[name])
                if parsed is not None:
                    self.put(draft, (name,), parsed, row[name])
        return draft

    def put(self, draft: Draft, key: tuple, value, cell: tables.Cell) -> None:
        """A seminar's value, the same on every row that gives it."""
        first = draft.values.setdefault(key, (value, cell.pos))
        if first[0] != value:
            self.error(cell, f"seminar '{draft.id}' has {_label(key)} {show(first[0])} (at {first[1]}), "
                             f"not {show(value)}")

    def region(self, cell):
        value = str(self.value("region", cell)).strip()
        return self.regions.get(value.casefold()) or self.error(cell, regions.unknown(value, self.fw.regions,
                                                                                     self.fw.country, self.lang))

    def city(self, cell):
        return str(self.value("city", cell)).strip()

    def date(self, cell):
        value = self.value("date", cell)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text[:10], pattern).date()
            except ValueError:
                continue
        return self.error(cell, f"invalid date '{text}' (expected YYYY-MM-DD or DD.MM.YYYY)")

    def audience(self, cell):
        return self.choice("audience", cell, cell)

    def choice(self, name: str, cell, at) -> str | None:
        value = self.value(name, cell) if cell else None
        allowed = CHOICES[name]
        if value is None or str(value).strip() not in allowed:
            said = f"unknown {name} '{value}'" if value is not None else f"no {name}"
            return self.error(at, f"{said} (expected one of: {', '.join(allowed)})")
        return str(value).strip()

    def count(self, cell) -> int | None:
        value = cell.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 and value == int(value):
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        return self.error(cell, f"expected a whole number, 0 or more, got '{value}'")

    def comment(self, row: dict, drafts: dict) -> None:
        draft = self.seminar(row, drafts)
        text_cell = row.get("text")
        text = self.value("text", text_cell) if text_cell else None
        if draft is None or text is None or not str(text).strip():
            if draft is not None:
                self.error(text_cell or row["seminar"], "a comment needs its text")
            return
        # the text as written: exported and imported back, a text is the same
        comment = {"text": str(text), "pos": (text_cell or row["seminar"]).pos}
        id_cell = row.get("id")
        cid = self.value("id", id_cell) if id_cell else None
        if cid is not None:
            cid = str(cid).strip().lower()
            if not ids.is_ident(cid):
                return self.error(id_cell, f"invalid comment id '{cid}' (lower-case letters, digits and '-')")
        # made from the text without the spaces around it (and a number's digits), as before texts were kept as written
        comment["id"] = cid or "c-" + hashlib.sha256(comment["text"].strip().encode("utf-8")).hexdigest()[:10]
        comment["id_pos"] = (id_cell or text_cell).pos
        comment["targets"] = self.ids(row.get("targets"), "targets", lambda t: t in self.fw.targets, "target")
        comment["goals"] = [int(g) for g in self.ids(row.get("goals"), "goals",
                                                     lambda g: g.isdigit() and int(g) in self.fw.goals, "goal")]
        if not comment["targets"] and not comment["goals"]:
            self.error(row.get("targets") or row.get("goals") or text_cell, "a comment needs targets or goals")
        for name in ("kind", "from"):  # both checked: every problem in one run
            comment[name] = self.choice(name, row.get(name), row.get(name) or text_cell)
        if comment["kind"] and comment["from"]:
            draft.comments.append(comment)

    def ids(self, cell, name: str, known, what: str) -> list[str]:
        value = self.value(name, cell) if cell else None
        if value is None:
            return []
        retype = f"format the {name} column as text and type the {name} again"
        if isinstance(value, (dt.date, dt.time)):  # 6.1 typed into a cell the spreadsheet reads as a date
            shown = value.date() if isinstance(value, dt.datetime) else value
            self.error(cell, f"a date ({shown}) where {name} belong: the spreadsheet read the {what} as a date; "
                             f"{retype}")
            return []
        if isinstance(value, float) and not (name == "goals" and value.is_integer()):
            self.error(cell, f"the number {value:g} could be read two ways ({value:g} or {value:g}0: a number drops "
                             f"its last zeros): {retype}")
            return []
        if isinstance(value, float):
            value = int(value)
        found = []
        for item in SEPARATORS.split(str(value).strip()):
            if item and not known(item):
                self.error(cell, f"unknown {what} '{item}'")
            elif item:
                found.append(item)
        return list(dict.fromkeys(found))


# -- merging -----------------------------------------------------------------------------------

@dataclass
class _Merged:
    writes: dict = field(default_factory=dict)  # rel -> the file's new text
    changes: dict = field(default_factory=dict)  # rel -> what changed, a line per value
    intended: dict = field(default_factory=dict)  # rel -> the seminar's state the new text must load as
    counts: dict = field(default_factory=lambda: dict.fromkeys(
        ("seminars created", "seminars updated", "comments added", "comments updated", "comments unchanged"), 0))


def _merge(project: Project, drafts: dict[str, Draft], update: bool, problems: Problems) -> _Merged:
    existing = {s.id: s for s in project.seminars}
    merged = _Merged()
    for draft in drafts.values():
        comments = _distinct(draft, problems)
        seminar = existing.get(draft.id)
        if seminar is None:
            _create(draft, comments, merged, problems, project.framework)
        else:
            _update(seminar, project.inputs[seminar.path], draft, comments, update, merged, problems)
    return merged


def _distinct(draft: Draft, problems: Problems) -> list[dict]:
    """The draft's comments, each id once: a row given twice is one comment, an id given twice with
    other content an error."""
    seen: dict[str, dict] = {}
    for c in draft.comments:
        if c["id"] not in seen:
            seen[c["id"]] = c
        elif not _same(seen[c["id"]], c):
            problems.add(c["id_pos"], f"comment id '{c['id']}' is given twice in {draft.id} with other content")
    return list(seen.values())


def _same(a: dict, b: dict) -> bool:
    """Whether two comments (rows, or a file's comments as `_comment` gives them) say the same: a
    text is compared without the spaces around it (a block text ends with a line break, a cell not)."""
    return all(a[k].strip() == b[k].strip() if k == "text" else a[k] == b[k] for k in CONTENT)


def _comment(c: Comment) -> dict:
    return {"id": c.id, "text": c.text, "targets": list(c.targets), "goals": list(c.goals), "kind": c.kind,
            "from": c.source}


def _state(seminar: Seminar) -> tuple[dict, dict]:
    """A seminar's values keyed as a Draft's are, and its comments by id."""
    values = {(name,): getattr(seminar, name) for name in SEMINAR}
    values |= {("participants", c): n for c, n in seminar.participants.items()}
    values |= {("priorities", g): n for g, n in seminar.priorities.items()}
    return values, {c.id: _comment(c) for c in seminar.comments}


def _said(values: dict, comments: dict) -> tuple:
    """What a seminar says, to compare: its values (a head count of 0 as none), each comment's content by id."""
    return ({k: v for k, v in values.items() if v or k[0] != "participants"},
            {i: tuple(c[k] for k in CONTENT) for i, c in comments.items()})


def _create(draft: Draft, comments: list[dict], merged: _Merged, problems: Problems, fw: Framework) -> None:
    missing = [name for name in SEMINAR if name not in draft.given]
    if missing:
        problems.add(draft.pos, f"seminar '{draft.id}' has no file yet: it needs {', '.join(missing)}")
    if any((name,) not in draft.values for name in SEMINAR):  # missing, or invalid and reported
        return
    (region, pos), (day, _) = draft.values[("region",)], draft.values[("date",)]
    if not fw.regions[region].existed_on(day):
        problems.add(pos, regions.absent(fw.regions[region], day))
    rel = f"feedback/{draft.id}.yaml"
    values = {key: value for key, (value, _) in draft.values.items()}
    merged.writes[rel] = seminar_yaml.new_file(values, comments)
    merged.changes[rel] = ["new seminar: " + ", ".join(f"{_label(k)} {show(v)}" for k, v in values.items())]
    merged.changes[rel] += [f"comment {c['id']} added: {show(c['text'])}" for c in comments]
    merged.intended[rel] = (values, {c["id"]: c for c in comments})
    merged.counts["seminars created"] += 1
    merged.counts["comments added"] += len(comments)


def _update(seminar: Seminar, data: bytes, draft: Draft, comments: list[dict], update: bool, merged: _Merged,
            problems: Problems) -> None:
    """The seminar's file with the draft's new comments and, with --update, its other values."""
    values, known = _state(seminar)
    changed, lines = _changed_values(seminar, draft, values, update, problems)
    new, updated = [], []
    for c in comments:
        old = known.get(c["id"])
        if old is None:
            new.append(c)
        elif _same(old, c):
            merged.counts["comments unchanged"] += 1
        elif not update:
            problems.add(c["id_pos"], f"comment '{ids.comment_key(draft.id, c['id'])}' exists with other content; "
                                      "--update replaces it")
        else:
            updated.append(c)
            lines += [f"comment {c['id']}: {k}: {show(old[k])} -> {show(c[k])}" for k in CONTENT if old[k] != c[k]]
    lines += [f"comment {c['id']} added: {show(c['text'])}" for c in new]
    if not lines:
        return
    edits = seminar_yaml.Edits(data.decode("utf-8"), seminar.path, problems)
    edits.values(changed)
    for c in updated:
        edits.comment(c, known[c["id"]])
    edits.append(new)
    merged.writes[seminar.path] = edits.text()
    merged.changes[seminar.path] = lines
    merged.intended[seminar.path] = (values | changed, known | {c["id"]: c for c in updated + new})
    merged.counts["seminars updated"] += 1
    merged.counts["comments updated"] += len(updated)
    merged.counts["comments added"] += len(new)


def _changed_values(seminar: Seminar, draft: Draft, values: dict, update: bool, problems: Problems):
    """The draft's values other than the seminar's file holds: errors at their cells, unless --update."""
    changed, lines = {}, []
    for key, (value, pos) in draft.values.items():
        old = values.get(key, 0 if key[0] == "participants" else None)  # a head count not given is 0
        if value == old:
            continue
        if update:
            changed[key] = value
            lines.append(f"{_label(key)}: {show(old)} -> {show(value)}")
        else:
            problems.add(pos, f"seminar '{draft.id}' has {_label(key)} {show(old)} in {seminar.path}, not "
                              f"{show(value)}; --update replaces it")
    return changed, lines


def _label(key: tuple) -> str:
    return ".".join(map(str, key))  # city, participants.youth, priorities.7: where the value stands in YAML


def show(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def read_again(root: Path, writes: dict[str, bytes], problems: Problems):
    """The project as `vnr check` would read it once `writes` are written, or None: nothing to
    write, problems already, or problems then (reported at the files the import would write)."""
    if not writes or problems:
        return None
    after = Problems()
    project = load.read_project(root, after, Overlay(root, writes))
    for diagnostic in after.items:
        if diagnostic.pos.path in writes:
            problems.add(diagnostic.pos, f"{diagnostic.message} (in the file the import would write)")
    return None if after else project


def _check(root: Path, merged: _Merged, problems: Problems) -> None:
    """What `vnr check` would say of the project after the import (a duplicate id, a bad value the
    rows let through), reported at the file that would be written; and that each file written
    reads back as the seminar the rows describe."""
    project = read_again(root, merged.writes, problems)
    if project is None:
        return
    for seminar in project.seminars:
        if seminar.path in merged.intended and _said(*_state(seminar)) != _said(*merged.intended[seminar.path]):
            problems.add(Pos(seminar.path), "vnr cannot change this file's layout in place without changing "
                                            "what it says: edit it by hand, or report it as a bug in vnr")
