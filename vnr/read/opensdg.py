"""National indicator data as an Open SDG data repository keeps it, read lazily from `indicators/`.

`data/indicator_3-2-1.csv` (Year, disaggregation columns, SERIES, UNIT_MEASURE, Value; an empty
disaggregation cell is the total), `meta/3-2-1.yml` and `translations/<lang>/<group>.yml`
(labels for codes and metadata texts). A file is read the first time a build needs it and once;
`read` holds the bytes of every file read, for the manifest's inputs.

A malformed file is an error at its cell, whichever of its rows a build shows. Real data
repositories also hold two rows for one cell; that is an error only where a build shows the cell
(`Indicator.select` returns the conflicts and the caller reports those it shows).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import yaml

from ..base.errors import Pos, Problems, undecodable
from .load import MAX_FILE_BYTES as MAX_BYTES
from .schema import UNWRITABLE, Reader, parse, unwritable
from .sources import Tree

FOLDER = "indicators"
ID = re.compile(r"\d{1,2}(\.[0-9a-z]{1,2}){2,3}")
# Columns that are not disaggregations: Open SDG's own names, SDMX and the older title case.
SERIES, UNIT = ("SERIES", "Series"), ("UNIT_MEASURE", "Units")
NOT_DISAGGREGATION = {"Year", "Value", "GeoCode", "GeoURI", *SERIES, *UNIT}
TOTAL = ("", "_T")
NULL, BOOL = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
# What a value may be. 15 significant digits are what a floating-point number holds; a program
# writing one in full writes up to 17 (13.521250000000002: real Open SDG data is full of them),
# so 17 are read as written. Nothing past these bounds is ever formatted or computed with: a
# Decimal of 1e-999999999 rounded for a table would be a billion digits long.
MAX_DIGITS = 17
MAGNITUDE = 15  # a value is below 10^15 and, unless 0, at least 10^-15 in magnitude
RULE = "a value has at most 15 significant digits (17 as a program writes a floating-point number) " \
       f"and is 0 or between 10^-{MAGNITUDE} and 10^{MAGNITUDE} in magnitude"


def sort_key(indicator_id: str) -> tuple:
    """3.2.1 before 3.10.1, 3.a.1 after 3.9.1; national sub-indicators after their indicator."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in indicator_id.split("."))


def shown(value: Decimal) -> Decimal:
    """A value as a table shows it: with the data's decimals, except that a computed value
    written with many (11.52004177238943) keeps three significant digits, at least two decimals."""
    places = -value.as_tuple().exponent
    if places <= 2 or value == 0:
        return value
    significant = max(2, 3 - value.adjusted() - 1)
    return value if places <= significant else value.quantize(Decimal(1).scaleb(-significant), ROUND_HALF_UP)


def number(raw: str) -> Decimal | str:
    """The value of a `Value` cell, or what is wrong with it (see RULE)."""
    try:
        value = Decimal(raw) if NUMBER.fullmatch(raw) else None
    except InvalidOperation:  # an exponent beyond what Decimal holds
        value = None
    if value is None:
        return "is not a number"
    digits, exponent = value.as_tuple()[1:]
    if value and not -MAGNITUDE <= value.adjusted() < MAGNITUDE:
        return f"is too {'large' if value.adjusted() >= 0 else 'small'}: {RULE}"
    if len(digits) > MAX_DIGITS or exponent < -(MAGNITUDE + MAX_DIGITS):  # 0E-999999999 too
        return f"has more digits than a value holds: {RULE}"
    return value.quantize(Decimal(1)) if exponent > 0 else value  # 1.5e3 is 1500


def _cut(text: str, width: int = 30) -> str:
    """A cell as an error message quotes it: a 10 MB cell is not repeated whole."""
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Cell:
    year: int
    value: Decimal
    text: str  # as written (its decimals are the data's precision)
    line: int
    column: int

    @property
    def shown(self) -> Decimal:
        return shown(self.value)


Key = tuple[str, str, str]  # (code of the `by` column or "", series code, unit code)


@dataclass(frozen=True)
class Conflict:
    """Two rows giving one cell of a group two values."""

    key: Key
    first: Cell
    second: Cell


@dataclass
class Indicator:
    id: str
    path: str
    columns: tuple[str, ...]  # disaggregation columns, as in the header
    # (disaggregations by column, series code, unit code, cell), in the file's order
    rows: list[tuple[dict[str, str], str, str, Cell]] = field(default_factory=list)
    # where each column's name is (line 1, its column) and where each of its codes first is, by the
    # column's name (SERIES and UNIT_MEASURE for the older Series and Units too): a label's warning
    cells: dict[tuple[str, str | None], tuple[int, int]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({cell.year for *_, cell in self.rows})

    def select(self, by: str | None = None) -> tuple[dict[Key, dict[int, Cell]], list[Conflict]]:
        """The headline (by None) or one group per value of `by`, the other disaggregations total;
        each group's cells by year, and the pairs of rows that give one cell two values."""
        groups: dict[Key, dict[int, Cell]] = {}
        conflicts = []
        for keys, series, unit, cell in self.rows:
            if any(keys[c] not in TOTAL for c in self.columns if c != by):
                continue
            code = keys[by] if by else ""
            if by and code in TOTAL:
                continue
            cells = groups.setdefault((code, series, unit), {})
            first = cells.setdefault(cell.year, cell)
            if first.value != cell.value:
                conflicts.append(Conflict((code, series, unit), first, cell))
        return groups, conflicts

    def report(self, conflicts, problems: Problems) -> None:
        """Each conflict at its second row: an error where the review shows the cell."""
        for c in conflicts:
            problems.add(Pos(self.path, c.second.line, c.second.column),
                         f"a second value for {c.second.year} ({c.second.text}; line {c.first.line} has "
                         f"{c.first.text}): which one is right?")


PARSED: dict[tuple[str, str], tuple[bytes | None, Indicator | None, tuple]] = {}  # see Data._parsed_once


class Data:
    """The `indicators/` folder of a project: CSVs, metadata and translations, each read once."""

    def __init__(self, tree: Tree, problems: Problems):
        self.tree, self.problems = tree, problems
        self.read: dict[str, bytes] = {}
        self.listed = set(tree.below(FOLDER))  # the only files it reads: never a link to elsewhere
        names = {p: p.rsplit("/", 1)[-1] for p in self.listed if p.startswith(f"{FOLDER}/data/")}
        self.files = {n[len("indicator_"):-len(".csv")].replace("-", "."): p for p, n in names.items()
                      if n.startswith("indicator_") and n.endswith(".csv") and p.count("/") == 2}
        self._parsed: dict[str, Indicator | None] = {}
        self._yaml: dict[str, dict] = {}
        self.unlabelled: set[tuple[str, str | None]] = set()  # (column, code) warned about: once each

    @property
    def ids(self) -> list[str]:
        return sorted(self.files, key=sort_key)

    def indicator(self, indicator_id: str) -> Indicator | None:
        """The parsed CSV, None where it has errors (reported once) or there is no file."""
        if indicator_id not in self._parsed:
            path = self.files.get(indicator_id)
            self._parsed[indicator_id] = self._parsed_once(indicator_id, path) if path else None
        return self._parsed[indicator_id]

    def _parsed_once(self, indicator_id: str, path: str) -> Indicator | None:
        """`_parse`, or what it made of the same bytes before in this process (`vnr preview` reads
        the project again after every change; an Indicator is not changed once parsed)."""
        data = self._bytes(path)
        key = (indicator_id, path)
        known = PARSED.get(key)
        if known is None or known[0] != data:
            count = len(self.problems)
            found = self._parse(indicator_id, path)
            known = PARSED[key] = (data, found, tuple(self.problems.items[count:]))
        else:
            self.problems.items.extend(known[2])
        return known[1]

    def meta(self, indicator_id: str) -> dict:
        """`meta/3-2-1.yml`, else the YAML header of `meta/3-2-1.md`."""
        stem = f"{FOLDER}/meta/{indicator_id.replace('.', '-')}"
        return self._load(f"{stem}.md" if f"{stem}.md" in self.listed and f"{stem}.yml" not in self.listed
                          else f"{stem}.yml")

    def label(self, group: str, key: str, lang: str) -> str | None:
        """The translation of `key` in `translations/<lang>/<group>.yml`, else in English."""
        for language in dict.fromkeys((lang, "en")):
            found = self._load(f"{FOLDER}/translations/{language}/{group}.yml").get(key)
            if isinstance(found, str) and found.strip():
                return " ".join(found.split())
        return None

    def code_label(self, ind: Indicator, column: str, code: str | None, lang: str) -> str:
        """How a reader sees a column's name (code None) or one of its codes: the label in
        `translations/<lang>/<COLUMN>.yml` (Open SDG's convention: the file named after the column
        holds its codes' labels and, under the column's own name, the column's), else in English,
        else the code itself, after a warning at the first cell of the CSV that holds it."""
        key = column if code is None else code
        found = self.label(column, key, lang)
        if found is not None:
            return found
        if (column, code) not in self.unlabelled:
            self.unlabelled.add((column, code))
            files = " or ".join(f"{FOLDER}/translations/{language}/{column}.yml"
                                for language in dict.fromkeys((lang, "en")))
            what = f"column '{_cut(column)}'" if code is None else f"'{_cut(code)}'"
            self.problems.warn(Pos(ind.path, *ind.cells.get((column, code), (1, 1))),
                               f"no label for {what} in {files}; shown as the code")
        return key

    def text(self, value, lang: str) -> str | None:
        """A metadata value: a translation key (`sources.3-1-1-source_data_1`) or the text itself."""
        if not isinstance(value, str) or not value.strip():
            return None
        group, dot, key = value.partition(".")
        if dot and re.fullmatch(r"[\w-]+", group) and re.fullmatch(r"[\w.-]+", key) and " " not in value:
            return self.label(group, key, lang)
        return " ".join(value.split())

    # -- reading --
    def _bytes(self, rel: str) -> bytes | None:
        if rel in self.read or rel not in self.listed:
            return self.read.get(rel)
        try:
            data = self.tree.read(rel, MAX_BYTES + 1)
        except OSError:
            return None
        self.read[rel] = data
        return data

    def _load(self, rel: str) -> dict:
        """A metadata or translations file's keys and values (see `_value`); {} for none."""
        if rel not in self._yaml:
            data = self._bytes(rel)
            if data is not None and rel.endswith(".md"):
                data = front_matter(data)
            self._yaml[rel] = {} if data is None else self._mapping(Reader(rel, self.problems), data)
        return self._yaml[rel]

    def _mapping(self, r: Reader, data: bytes) -> dict:
        """The file's top-level keys and their values, each problem reported at its place. Read as
        YAML nodes (schema.parse, which bounds what aliases expand to); only the top level is walked."""
        if len(data) > MAX_BYTES:
            r.problems.add(Pos(r.path), f"the file is larger than {MAX_BYTES:,} bytes")
            return {}
        text = data.decode("utf-8", "replace")  # for what comes before parsing: parse reports a bad byte
        if not re.search(r"^[ \t]*[^\s#]", text, re.MULTILINE):
            return {}  # empty, or comments only (Open SDG keeps such files): nothing to read
        node = parse(r, data)
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            r.error(node, "expected keys and their values (a mapping)")
            return {}
        found, first_line = {}, {}
        for key, value in node.value:
            if not r.visit(key):
                break
            if not isinstance(key, yaml.ScalarNode) or _bad_text(r, key):
                continue  # a list or mapping as a key: nothing looks it up
            if key.value in first_line:
                r.error(key, f"duplicate key '{_cut(key.value)}' (first at line {first_line[key.value]})")
                continue
            first_line[key.value], found[key.value] = key.start_mark.line + 1, _value(r, value)
        return found

    def _parse(self, indicator_id: str, path: str) -> Indicator | None:
        data, add = self._bytes(path), self.problems.add
        count = len(self.problems)
        if data is None or len(data) > MAX_BYTES:
            add(Pos(path, 1, 1), f"the file is larger than {MAX_BYTES:,} bytes" if data else "cannot be read")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            add(undecodable(path, data, exc), f"not UTF-8 (byte {exc.start + 1} of the file)")
            return None
        lines = csv.reader(io.StringIO(text, newline=""))
        # one search of the file: rows are searched cell by cell only where it holds a control character
        suspect = UNWRITABLE.search(text.replace("\r\n", "\n")) is not None
        try:
            header = next(lines, [])
        except csv.Error as exc:
            add(Pos(path, 1, 1), f"not a CSV file: {exc}")
            return None
        if not self._writable(path, 1, header):
            return None
        header = [h.strip() for h in header]
        for name in ("Year", "Value"):
            if name not in header:
                add(Pos(path, 1, 1), f"no '{name}' column (the columns are {', '.join(h for h in header if h)})")
        if len(self.problems) > count:
            return None
        year_at, value_at = header.index("Year"), header.index("Value")
        named = [(i, h) for i, h in enumerate(header) if h]
        columns = tuple(h for _, h in named if h not in NOT_DISAGGREGATION)
        series_at = next((header.index(c) for c in SERIES if c in header), None)
        unit_at = next((header.index(c) for c in UNIT if c in header), None)
        found = Indicator(indicator_id, path, columns)
        coded = [(i, SERIES[0] if h in SERIES else UNIT[0] if h in UNIT else h) for i, h in named
                 if h in columns or h in SERIES or h in UNIT]
        for i, h in coded:
            found.cells.setdefault((h, None), (1, i + 1))
        try:
            for cells in lines:
                line = lines.line_num
                if not any(c.strip() for c in cells):
                    continue  # a blank line
                if len(cells) != len(header):
                    add(Pos(path, line, 1), f"{len(cells)} cells where the header has {len(header)} columns")
                    continue
                if suspect and not self._writable(path, line, cells):
                    continue
                for i, h in enumerate(header):
                    if not h and cells[i].strip():
                        add(Pos(path, line, i + 1), f"value '{cells[i]}' in a column without a name")
                raw_year, raw = cells[year_at].strip(), cells[value_at].strip()
                if not re.fullmatch(r"\d{4}", raw_year):
                    add(Pos(path, line, year_at + 1), f"year '{cells[year_at]}' is not a year")
                    continue
                if not raw:
                    continue  # no value for this year
                value = number(raw)
                if isinstance(value, str):
                    add(Pos(path, line, value_at + 1), f"value '{_cut(cells[value_at])}' {value}")
                    continue
                keys = {h: cells[i].strip() for i, h in named if h in columns}
                for i, h in coded:
                    found.cells.setdefault((h, cells[i].strip()), (line, i + 1))
                pick = lambda at: cells[at].strip() if at is not None else ""  # noqa: E731
                found.rows.append((keys, pick(series_at), pick(unit_at),
                                   Cell(int(raw_year), value, raw, line, value_at + 1)))
        except csv.Error as exc:
            add(Pos(path, lines.line_num, 1), f"not a CSV file: {exc}")
        return found if len(self.problems) == count else None

    def _writable(self, path: str, line: int, cells: list[str]) -> bool:
        """False after reporting each cell of a row that holds a control character."""
        bad = [(i, m) for i, m in enumerate(map(UNWRITABLE.search, cells)) if m]
        for i, found in bad:
            self.problems.add(Pos(path, line, i + 1), unwritable(found.group()))
        return not bad


def front_matter(data: bytes) -> bytes | None:
    """The YAML header of a Markdown file, between a first line `---` and the next `---` (or
    `...`), with the first line kept so that lines are counted as in the file; None without one."""
    lines = data.removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != b"---":
        return None
    end = next((n for n, line in enumerate(lines[1:], 1) if line.rstrip() in (b"---", b"...")), None)
    return b"".join(lines[:end]) if end else None


def _value(r: Reader, node: yaml.Node) -> str | bool | None:
    """A value as a label or a metadata field uses it: its text as written (a code's label may be
    `1`), true or false, or None for null, a refused text and a nested list or mapping (nothing
    shows one, and its aliases are never walked)."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL or _bad_text(r, node):
        return None
    if node.tag == BOOL:
        return yaml.constructor.SafeConstructor.bool_values[node.value.lower()]
    return node.value


def _bad_text(r: Reader, node: yaml.ScalarNode) -> bool:
    """True after reporting a control character in the text (written as an escape: `"\\0"`)."""
    bad = UNWRITABLE.search(node.value)
    if bad:
        r.error(node, unwritable(bad.group()))
    return bool(bad)


def data(tree: Tree, problems: Problems) -> Data | None:
    """The project's indicator data; None for a project without `indicators/`."""
    return Data(tree, problems) if tree.is_dir(FOLDER) else None
