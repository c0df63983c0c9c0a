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

from .errors import Pos, Problems
from .load import MAX_FILE_BYTES as MAX_BYTES
from .schema import LOADER
from .sources import Tree

FOLDER = "indicators"
ID = re.compile(r"\d{1,2}(\.[0-9a-z]{1,2}){2,3}")
# Columns that are not disaggregations: Open SDG's own names, SDMX and the older title case.
SERIES, UNIT = ("SERIES", "Series"), ("UNIT_MEASURE", "Units")
NOT_DISAGGREGATION = {"Year", "Value", "GeoCode", "GeoURI", *SERIES, *UNIT}
TOTAL = ("", "_T")


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
        found = self._load(f"{FOLDER}/meta/{indicator_id.replace('.', '-')}.yml")
        return found if isinstance(found, dict) else {}

    def label(self, group: str, key: str, lang: str) -> str | None:
        """The translation of `key` in `translations/<lang>/<group>.yml`, else in English."""
        for language in dict.fromkeys((lang, "en")):
            found = self._load(f"{FOLDER}/translations/{language}/{group}.yml").get(key)
            if isinstance(found, (str, int, float)) and str(found).strip():
                return " ".join(str(found).split())
        return None

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
        if rel not in self._yaml:
            data, found = self._bytes(rel), {}
            if data is not None and len(data) <= MAX_BYTES:
                try:
                    found = yaml.load(data.decode("utf-8"), Loader=LOADER)
                except (UnicodeDecodeError, yaml.YAMLError) as exc:
                    mark = getattr(exc, "problem_mark", None)
                    pos = Pos(rel, mark.line + 1, mark.column + 1) if mark else Pos(rel, 1, 1)
                    self.problems.add(pos, f"not readable as UTF-8 YAML: {getattr(exc, 'problem', exc)}")
            self._yaml[rel] = found if isinstance(found, dict) else {}
        return self._yaml[rel]

    def _parse(self, indicator_id: str, path: str) -> Indicator | None:
        data, add = self._bytes(path), self.problems.add
        count = len(self.problems)
        if data is None or len(data) > MAX_BYTES:
            add(Pos(path, 1, 1), f"the file is larger than {MAX_BYTES:,} bytes" if data else "cannot be read")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            add(Pos(path, 1, 1), f"not UTF-8 (byte {exc.start + 1})")
            return None
        lines = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(lines, [])
        except csv.Error as exc:
            add(Pos(path, 1, 1), f"not a CSV file: {exc}")
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
        try:
            for cells in lines:
                line = lines.line_num
                if not any(c.strip() for c in cells):
                    continue  # a blank line
                if len(cells) != len(header):
                    add(Pos(path, line, 1), f"{len(cells)} cells where the header has {len(header)} columns")
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
                try:
                    value = Decimal(raw)
                except InvalidOperation:
                    value = None
                if value is None or not value.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", raw):
                    add(Pos(path, line, value_at + 1), f"value '{cells[value_at]}' is not a number")
                    continue
                keys = {h: cells[i].strip() for i, h in named if h in columns}
                pick = lambda at: cells[at].strip() if at is not None else ""  # noqa: E731
                found.rows.append((keys, pick(series_at), pick(unit_at),
                                   Cell(int(raw_year), value, raw, line, value_at + 1)))
        except csv.Error as exc:
            add(Pos(path, lines.line_num, 1), f"not a CSV file: {exc}")
        return found if len(self.problems) == count else None


def data(tree: Tree, problems: Problems) -> Data | None:
    """The project's indicator data; None for a project without `indicators/`."""
    return Data(tree, problems) if tree.is_dir(FOLDER) else None
