"""`vnr import`: feedback workbooks and form exports into feedback/<seminar>.yaml.

Every value is checked where it stands (`FILE:SHEET!CELL`, `FILE:LINE:COLUMN`), the result is
checked as `vnr check` would check it, and only then is anything written: a seminar that has a
file gets its new comments appended, the rest of the file kept as it was; a new seminar gets a
file laid out as the sample's are. Importing the same rows again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import load, schema as s, sources, tables
from .errors import Pos, Problems
from .framework import framework
from .model import AUDIENCES, CATEGORIES, KINDS, Project
from .sources import Tree

FIELDS = ("seminar", "region", "city", "date", "audience", "id", "text", "targets", "goals", "kind", "from")
SEMINAR = ("region", "city", "date", "audience")
IDENT = re.compile(load.IDENT)
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
    fields: dict = field(default_factory=dict)  # region, city, date, audience
    participants: dict = field(default_factory=dict)
    priorities: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)  # dicts: id, text, targets, goals, kind, from; and pos


def mapping_schema() -> s.Validator:
    field_name = s.choice(FIELDS, "field")
    scalar = lambda r, node: node.value if hasattr(node, "value") and isinstance(node.value, str) \
        else r.error(node, "expected a single value")  # noqa: E731
    return s.mapping({
        "sheet": s.Field(s.text, default=None),
        "columns": s.Field(s.dict_of(field_name, s.nonempty_text), default={}),
        "fixed": s.Field(s.dict_of(field_name, scalar), default={}),
        "values": s.Field(s.dict_of(field_name, s.dict_of(scalar, scalar)), default={}),
    })


def run(root: Path, files: list[Path], mapping_path: Path | None, update: bool, dry_run: bool, say=print) -> None:
    project = load.load(root)
    problems = Problems()
    mapping = _mapping(mapping_path, problems) if mapping_path else None
    problems.raise_if_any()
    drafts: dict[str, Draft] = {}
    parser = _Parser(problems, (mapping or {}).get("values", {}))
    for path in files:
        try:
            if mapping is None:
                _workbook(path, parser, drafts, problems)
            else:
                _export(path, mapping, parser, drafts, problems)
        except tables.Unreadable as exc:
            problems.add(Pos(str(path)), str(exc))
    writes, report = _merge(project, drafts, update, problems)  # its problems too, in the same run
    _check(root, writes, problems)
    problems.raise_if_any()
    for rel in sorted(writes):
        if dry_run:
            say(f"would write {rel}")
        else:
            sources.write(root / rel, writes[rel])
    say(("dry run: " if dry_run else "") + ", ".join(f"{n} {what}" for what, n in report.items()))


# -- reading ----------------------------------------------------------------------------------

def _mapping(path: Path, problems: Problems) -> dict | None:
    reader = s.Reader(str(path), problems)
    node = s.parse(reader, path.read_bytes())
    got = mapping_schema()(reader, node) if node is not None else s.INVALID
    if got is s.INVALID:
        return None
    values, where = got
    mapping = {k: (v if v is not s.INVALID else {}) for k, v in values.items()}
    provided = set(mapping["columns"]) | set(mapping["fixed"])
    for required in ("seminar", "text"):
        if required not in provided:
            problems.add(where[""], f"the mapping gives no '{required}': map it to a column or fix its value")
    mapping["where"] = where
    return mapping


def _workbook(path: Path, parser: "_Parser", drafts: dict, problems: Problems) -> None:
    if path.suffix.lower() != ".xlsx":
        problems.add(Pos(str(path)), "a file other than a feedback workbook needs --mapping MAP.yaml")
        return
    sheets = tables.read_sheets(path, ("Seminars", "Comments"), header_rows=2)
    if len(sheets) < 2:
        problems.add(Pos(str(path)), "not a feedback workbook (no Seminars and Comments sheets): "
                                     "give --mapping MAP.yaml for another export")
        return
    for row in _keyed(sheets["Seminars"], set(SEMINAR_KEYS), problems):
        draft = parser.seminar(row, drafts)
        if draft is None:
            continue
        for key, cell in row.items():
            if key in CATEGORIES and cell.value is not None:
                draft.participants[key] = parser.count(cell)
            elif key in PRIORITIES and cell.value is not None:
                draft.priorities[PRIORITIES[key]] = parser.count(cell)
    for row in _keyed(sheets["Comments"], set(COMMENT_KEYS), problems):
        parser.comment(row, drafts)


def _keyed(table: tables.Table, known: set[str], problems: Problems) -> list[dict[str, tables.Cell]]:
    """The rows by the field keys of the second header row; an unknown key is an error at its cell."""
    keys = [str(c.value) if c.value is not None else "" for c in table.header]
    for key, cell in zip(keys, table.header):
        if key and key not in known:
            problems.add(cell.pos, f"unknown column key '{key}' (the second header row names the fields)")
    return [{k: cell for k, cell in zip(keys, row) if k in known} for row in table.rows]


def _export(path: Path, mapping: dict, parser: "_Parser", drafts: dict, problems: Problems) -> None:
    table = tables.read(path, mapping.get("sheet") if path.suffix.lower() == ".xlsx" else None)
    headers = {str(c.value).strip(): i for i, c in enumerate(table.header) if c.value is not None}
    columns = {}
    for name, header in mapping["columns"].items():
        if header not in headers:
            problems.add(mapping["where"].get("columns", mapping["where"][""]),
                         f"{path}: no column '{header}' (for {name}); the file's columns: {', '.join(headers)}")
        else:
            columns[name] = headers[header]
    if len(columns) < len(mapping["columns"]):
        return
    for row in table.rows:
        cells = {name: row[i] if i < len(row) else tables.Cell(None, row[0].pos) for name, i in columns.items()}
        first = row[0].pos
        for name, value in mapping["fixed"].items():
            cells.setdefault(name, tables.Cell(value, mapping["where"].get("fixed", first)))
        parser.comment(cells, drafts)


class _Parser:
    def __init__(self, problems: Problems, spellings: dict):
        self.problems, self.spellings = problems, spellings
        self.fw = framework()
        names = {}
        for code, region in self.fw.regions.items():
            names[code.lower()] = code
            for name in region.name.values():
                names[name.lower()] = code
        self.regions = names

    def value(self, name: str, cell: tables.Cell):
        """The cell's value, as the mapping says the file spells it."""
        written = cell.value
        return self.spellings.get(name, {}).get(str(written), written) if written is not None else None

    def error(self, cell: tables.Cell, message: str):
        self.problems.add(cell.pos, message)
        return None

    def seminar(self, row: dict, drafts: dict) -> Draft | None:
        cell = row.get("seminar")
        sid = self.value("seminar", cell) if cell else None
        if sid is None:
            return self.error(cell or next(iter(row.values())), "no seminar id")
        sid = str(sid).strip().lower()
        if not IDENT.fullmatch(sid):
            return self.error(cell, f"invalid seminar id '{sid}' (lower-case letters, digits and '-', e.g. kz-75-leb)")
        draft = drafts.setdefault(sid, Draft(sid, cell.pos))
        for name in SEMINAR:  # every row's, so that a bad value on any row is reported
            if name in row and row[name].value is not None:
                parsed = getattr(self, name)(row[name])
                if parsed is None:
                    continue
                if name in draft.fields and draft.fields[name][0] != parsed:
                    self.error(row[name], f"seminar '{sid}' has {name} {draft.fields[name][0]} "
                                          f"(at {draft.fields[name][1]}), not {parsed}")
                draft.fields.setdefault(name, (parsed, row[name].pos))
        return draft

    def region(self, cell):
        code = self.regions.get(str(self.value("region", cell)).strip().lower())
        return code or self.error(cell, f"unknown region '{cell.value}' (a code such as KZ-75 or a name)")

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
        value = str(self.value("audience", cell)).strip()
        return value if value in AUDIENCES else self.error(cell, f"unknown audience '{value}' "
                                                                 f"(expected one of: {', '.join(AUDIENCES)})")

    def count(self, cell) -> int:
        value = cell.value
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0 and value == int(value):
            return int(value)
        if isinstance(value, str) and value.strip().isdigit():
            return int(value)
        self.error(cell, f"expected a whole number, 0 or more, got '{value}'")
        return 0

    def comment(self, row: dict, drafts: dict) -> None:
        draft = self.seminar(row, drafts)
        text_cell = row.get("text")
        text = self.value("text", text_cell) if text_cell else None
        if draft is None or text is None or not str(text).strip():
            if draft is not None:
                self.error(text_cell or row["seminar"], "a comment needs its text")
            return
        text = str(text).strip()
        comment = {"text": text, "pos": (text_cell or row["seminar"]).pos}
        id_cell = row.get("id")
        cid = self.value("id", id_cell) if id_cell else None
        if cid is not None:
            cid = str(cid).strip().lower()
            if not IDENT.fullmatch(cid):
                return self.error(id_cell, f"invalid comment id '{cid}' (lower-case letters, digits and '-')")
        comment["id"] = cid or "c-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        comment["id_pos"] = (id_cell or text_cell).pos
        comment["targets"] = self.ids(row.get("targets"), "targets", lambda t: t in self.fw.targets, "target")
        comment["goals"] = [int(g) for g in self.ids(row.get("goals"), "goals",
                                                     lambda g: g.isdigit() and int(g) in self.fw.goals, "goal")]
        if not comment["targets"] and not comment["goals"]:
            self.error(row.get("targets") or row.get("goals") or text_cell, "a comment needs targets or goals")
        valid = True
        for name, allowed in (("kind", KINDS), ("from", CATEGORIES)):  # both checked: every problem in one run
            cell = row.get(name)
            value = self.value(name, cell) if cell else None
            if value is None or str(value).strip() not in allowed:
                self.error(cell or text_cell, f"unknown {name} '{value}' (expected one of: {', '.join(allowed)})")
                valid = False
            else:
                comment[name] = str(value).strip()
        if valid:
            draft.comments.append(comment)

    def ids(self, cell, name: str, known, what: str) -> list[str]:
        value = self.value(name, cell) if cell else None
        if value is None:
            return []
        if isinstance(value, float) and name == "targets":  # 11.10 typed into a number cell is 11.1
            self.error(cell, f"target {value} is a number: write targets as text (11.10 is not 11.1)")
            return []
        if isinstance(value, float) and value == int(value):
            value = int(value)
        found = []
        for item in SEPARATORS.split(str(value).strip()):
            if item and not known(item):
                self.error(cell, f"unknown {what} '{item}'")
            elif item:
                found.append(item)
        return list(dict.fromkeys(found))


# -- merging and writing -------------------------------------------------------------------------

def _merge(project: Project, drafts: dict[str, Draft], update: bool, problems: Problems):
    existing = {s.id: s for s in project.seminars}
    writes: dict[str, str] = {}
    report = {"seminars created": 0, "seminars updated": 0, "comments added": 0, "comments updated": 0,
              "comments unchanged": 0}
    fw = framework()
    for draft in drafts.values():
        seminar = existing.get(draft.id)
        if seminar is None:
            missing = [name for name in SEMINAR if name not in draft.fields]
            if missing:
                problems.add(draft.pos, f"seminar '{draft.id}' has no file yet: it needs {', '.join(missing)}")
                continue
            (region, pos), (day, _) = draft.fields["region"], draft.fields["date"]
            if not fw.regions[region].existed_on(day):
                problems.add(pos, f"region {region} did not exist on {day}: it was established on "
                                  f"{fw.regions[region].established}")
        known = {c.id: c for c in seminar.comments} if seminar else {}
        new, changed, seen = [], False, {}
        for c in draft.comments:
            if c["id"] in seen:
                if _same(seen[c["id"]], c):
                    continue
                problems.add(c["id_pos"], f"comment id '{c['id']}' is given twice in {draft.id} with other content")
                continue
            seen[c["id"]] = c
            old = known.get(c["id"])
            if old is None:
                new.append(c)
            elif (old.text.strip(), list(old.targets), list(old.goals), old.kind, old.source) == \
                    (c["text"], c["targets"], c["goals"], c["kind"], c["from"]):
                report["comments unchanged"] += 1
            elif not update:
                problems.add(c["id_pos"], f"comment '{draft.id}/{c['id']}' exists with other content; "
                                          "--update replaces it")
            else:
                changed = True
                report["comments updated"] += 1
        report["comments added"] += len(new)
        if seminar is None:
            writes[f"feedback/{draft.id}.yaml"] = _new_file(draft, list(seen.values()))
            report["seminars created"] += 1
        elif new or changed:
            text = project.inputs[seminar.path].decode("utf-8")  # as the loader read and checked it
            if changed:  # a rewrite: the file's own layout and YAML comments cannot be kept
                text = _new_file(_as_draft(seminar), [_replace(c, seen) for c in _comments_of(seminar)] +
                                 [c for c in new])
            else:
                text = _append(text, new)
            writes[seminar.path] = text
            report["seminars updated"] += 1
    return writes, report


def _same(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in ("text", "targets", "goals", "kind", "from"))


def _comments_of(seminar) -> list[dict]:
    return [{"id": c.id, "text": c.text, "targets": list(c.targets), "goals": list(c.goals), "kind": c.kind,
             "from": c.source} for c in seminar.comments]


def _replace(comment: dict, seen: dict) -> dict:
    return seen.get(comment["id"], comment)


def _as_draft(seminar) -> Draft:
    draft = Draft(seminar.id, Pos(seminar.path))
    draft.fields = {"region": (seminar.region, None), "city": (seminar.city, None), "date": (seminar.date, None),
                    "audience": (seminar.audience, None)}
    draft.participants, draft.priorities = dict(seminar.participants), dict(seminar.priorities)
    return draft


def _comment_block(c: dict) -> str:
    plain = re.fullmatch(r"[a-z][a-z0-9-]*", c["id"])  # 1, 2e3, yes, null... would not be read as text
    lines = [f"  - id: {c['id'] if plain else json.dumps(c['id'])}",
             f"    text: {json.dumps(c['text'], ensure_ascii=False)}"]
    if c["targets"]:
        lines.append(f"    targets: [{', '.join(json.dumps(t) for t in c['targets'])}]")
    if c["goals"]:
        lines.append(f"    goals: [{', '.join(map(str, c['goals']))}]")
    lines += [f"    kind: {c['kind']}", f"    from: {c['from']}"]
    return "\n".join(lines) + "\n"


def _new_file(draft: Draft, comments: list[dict]) -> str:
    f = {name: value for name, (value, _) in draft.fields.items()}
    city = f["city"] if re.fullmatch(r"[^\W\d][\w .()'-]*", f["city"]) else json.dumps(f["city"], ensure_ascii=False)
    out = [f"region: {f['region']}", f"city: {city}",
           f"date: {f['date'].isoformat()}", f"audience: {f['audience']}"]
    counts = [(c, draft.participants[c]) for c in CATEGORIES if c in draft.participants]
    if counts:
        out.append("participants:")
        out += [f"  {c}: {n}" for c, n in counts]
    if draft.priorities:
        out.append("priorities: {" + ", ".join(f"{g}: {n}" for g, n in sorted(draft.priorities.items())) + "}")
    out.append("comments:" if comments else "comments: []")
    return "\n".join(out) + "\n" + "".join(_comment_block(c) for c in comments)


def _append(text: str, comments: list[dict]) -> str:
    """The file as it was, with the comments added at the end of its `comments:` list, which the
    sample's layout puts last; a file laid out otherwise is appended a new list item the same way."""
    text = text if text.endswith("\n") else text + "\n"
    text = re.sub(r"^comments:[ \t]*\[\][ \t]*$", "comments:", text, flags=re.M)
    if not re.search(r"^comments:[ \t]*$", text, flags=re.M):
        text += "comments:\n"
    return text + "".join(_comment_block(c) for c in comments)


class _Overlay(Tree):
    """The project's files as they would be after the import."""

    def __init__(self, root: Path, writes: dict[str, str]):
        super().__init__(root)
        self.writes = writes

    def files(self, folder: str) -> list[str]:
        found = set(super().files(folder))
        found |= {rel for rel in self.writes if str(Path(rel).parent) == (folder or ".")}
        return sorted(found)

    def read(self, rel: str, limit: int = -1) -> bytes:
        if rel in self.writes:
            return self.writes[rel].encode("utf-8")
        return super().read(rel, limit)


def _check(root: Path, writes: dict[str, str], problems: Problems) -> None:
    """What `vnr check` would say of the project after the import (a duplicate id, a bad value the
    rows let through): reported at the file that would be written."""
    if not writes or problems:
        return
    after = Problems()
    load.read_project(root, after, _Overlay(root, writes))
    for diagnostic in after.items:
        if diagnostic.pos.path in writes:
            problems.add(diagnostic.pos, f"{diagnostic.message} (in the file the import would write)")
