"""`{{ indicator("3.2.1", years=..., by=..., chart=...) }}` in a body: a numbered table of national
data (and a chart), made from `indicators/` (see opensdg.py).

`Tables.make` checks a call's arguments against the data and reports every problem at the call's
place; it returns the Table (and Figure) blocks, which `Bodies` puts in the body's tokens so the
HTML and the DOCX write them with the rules they use for the generated parts. Tables are numbered
in the order the bodies are rendered: the document's.
"""

from __future__ import annotations

import difflib
import functools
import reprlib

from ..base import charts
from ..base.errors import Pos, Problems
from ..base.names import Names
from ..read import regions
from ..read.opensdg import ID, SERIES, UNIT, Cell, Data, Indicator, Key
from ..review import Block, Chart, Figure, Row, Table

DEFAULT_YEARS = 6
CHARTS = ("line", "bar", "map")
REGIONS = "REF_AREA"
SERIES, UNIT = SERIES[0], UNIT[0]  # the translations' group of a series, a unit (also for Series, Units)
MISSING = ".."


def brief(value) -> str:
    """A body's argument as an error quotes it: short, whatever it is (a list of 99,999 years, a
    text of a million characters, a number of 5,000 digits, which Python will not even write)."""
    try:
        return reprlib.repr(value)
    except ValueError:
        return "a number too large to write"


class Labels:
    """Names of indicators and codes in the build language, from the framework and the data."""

    def __init__(self, data: Data, names: Names):
        self.data, self.names, self.m, self.lang = data, names, names.msgs, names.lang
        units = names.fw.regions
        self.ref_areas = {r.ref_area: code for code, r in units.items() if r.ref_area}  # regions.yaml's
        self.named = regions.by_name(units)  # else a region's code or one of its names, case folded

    def region(self, ref_area: str) -> str | None:
        """The region a REF_AREA value stands for (None: not one of the country's units)."""
        return self.ref_areas.get(ref_area) or self.named.get(ref_area.strip().casefold())

    def name(self, indicator_id: str) -> str:
        dash = indicator_id.replace(".", "-")
        return (self.names.indicator(indicator_id)
                or self.data.label("national_indicators", f"{dash}-title", self.lang)
                or self.data.text(self.data.meta(indicator_id).get("indicator_name"), self.lang)
                or self.m("indicator.national", id=indicator_id))

    def code(self, ind: Indicator, column: str, code: str) -> str:
        """A code of one of `ind`'s columns as a reader sees it: a region's name, else its label
        (Data.code_label: the build language, English, else the code after a warning)."""
        region = self.region(code) if column == REGIONS else None
        if region:
            return self.names.region(region)
        return self.data.code_label(ind, column, code, self.lang)

    def column(self, ind: Indicator, column: str) -> str:
        """A column's name as a reader sees it: vnr's own word for it in the build language, else
        its label in the data's translations (as `code`)."""
        key = f"column.{column}"
        return self.m(key) if key in self.m.catalogue else self.data.code_label(ind, column, None, self.lang)

    def group(self, ind: Indicator, by: str | None, key) -> str:
        """A group's own words: its value of the `by` column, then its series ("" for neither)."""
        _, series, _ = key
        return ", ".join(filter(None, (by and self.code(ind, by, key[0]),
                                       series and self.code(ind, SERIES, series))))

    def unit(self, ind: Indicator, code: str) -> str:
        return self.code(ind, UNIT, code) if code else ""

    def source(self, indicator_id: str) -> str:
        meta, found = self.data.meta(indicator_id), []
        for n in range(1, 10):
            if meta.get(f"source_active_{n}") is False:
                continue
            who = self.data.text(meta.get(f"source_organisation_{n}") or meta.get(f"source_compilation_{n}"),
                                 self.lang)
            what = self.data.text(meta.get(f"source_data_{n}"), self.lang)
            if who or what:
                found.append(f"{who} ({what})" if who and what else who or what)
        return self.m("indicator.source", sources="; ".join(dict.fromkeys(found)), id=indicator_id) if found \
            else self.m("indicator.source_data", id=indicator_id)

    def goal_colour(self, indicator_id: str) -> str:
        goal = int(indicator_id.split(".")[0])
        return self.names.goal(goal).colour if goal in self.names.fw.goals else "#4c4c4c"


class Tables:
    """The indicator tables of one build, numbered as the bodies' calls make them."""

    def __init__(self, data: Data | None, names: Names, problems: Problems):
        self.data, self.names, self.m, self.problems = data, names, names.msgs, problems
        self.labels = Labels(data, names) if data else None
        self.count = 0  # tables made so far: the next one's number is count + 1
        self.used: set[str] = set()  # the indicators the tables show (their names: see Names.fallbacks)

    def make(self, pos: Pos, /, indicator_id=None, years=None, by=None, chart=None, *args, **unknown) \
            -> tuple[Block, ...]:
        """The blocks of one call written at `pos` (its arguments after it, as the body gave them);
        none after reporting its problems there."""
        errors: list[str] = []
        if args or unknown:
            errors.append("indicator() takes an id and years=, by=, chart=" +
                          (f"; unknown argument {brief(list(unknown))[1:-1]}" if unknown else ""))
        found = self._indicator(indicator_id, errors)
        if found is not None:
            return self._made(found, years, by, chart, pos, errors)
        for message in errors:
            self.problems.add(pos, message)
        return ()

    def _indicator(self, indicator_id, errors: list[str]) -> Indicator | None:
        if not isinstance(indicator_id, str) or not ID.fullmatch(indicator_id):
            errors.append(f"{brief(indicator_id)} is not an indicator id such as \"3.2.1\"")
            return None
        if self.data is None:
            errors.append(f"indicator {indicator_id}: the project has no indicators/ folder "
                          "(national data in Open SDG format)")
            return None
        if indicator_id not in self.data.files:
            if indicator_id in self.names.fw.indicators:
                errors.append(f"no data for indicator {indicator_id}: there is no "
                              f"indicators/data/indicator_{indicator_id.replace('.', '-')}.csv")
            else:
                close = difflib.get_close_matches(indicator_id, self.data.files, n=1) or \
                    difflib.get_close_matches(indicator_id, self.names.fw.indicators, n=1)
                errors.append(f"unknown indicator '{indicator_id}'" + (f" (did you mean {close[0]}?)" if close else ""))
            return None
        found = self.data.indicator(indicator_id)  # its own errors are reported at the CSV's cells
        if found is not None and not found.rows:
            errors.append(f"no data for indicator {indicator_id}: {found.path} has no values")
            return None
        return found

    def _made(self, ind: Indicator, years, by, chart, pos: Pos, errors: list[str]) -> tuple[Block, ...]:
        if by is not None and (not isinstance(by, str) or by not in ind.columns):
            close = difflib.get_close_matches(by, ind.columns, n=1) if isinstance(by, str) else []
            errors.append(f"unknown column {brief(by)} in by: indicator {ind.id} has "
                          + (f"the columns {', '.join(ind.columns)}" if ind.columns else "no disaggregation columns")
                          + (f" (did you mean {close[0]}?)" if close else ""))
            by = None
        if chart is not None and chart not in CHARTS:
            errors.append(f"chart {brief(chart)}: a chart is one of {', '.join(CHARTS)}")
            chart = None
        if chart == "map" and REGIONS not in ind.columns:
            errors.append(f"chart 'map': indicator {ind.id} has no {REGIONS} column to map")
        groups, conflicts = ind.select(by)
        total, total_conflicts = ind.select(None) if by else ({}, [])  # a `by` table shows the total first
        if by and not groups:
            errors.append(f"indicator {ind.id} has no values by {by}")
        elif not groups:
            errors.append(f"indicator {ind.id} has no headline series: every row is broken down by "
                          f"{' or '.join(ind.columns)}; choose one with by=\"{ind.columns[0]}\"")
        chosen = self._years(ind, years, groups, errors)
        shown = [c for c in conflicts + total_conflicts if c.second.year in chosen]
        ind.report(shown, self.problems)
        for message in errors:
            self.problems.add(pos, message)
        if errors or shown:
            return ()
        self.used.add(ind.id)
        number = self.count + 1
        rows, units = self._rows(ind, by, groups, total)
        blocks: tuple[Block, ...] = (self._table(ind, number, chosen, by, rows, units),)
        if chart == "map" and self.names.fw.map is None:
            self.problems.warn(pos, f"chart 'map': the project has no map (vnr ships no boundaries for "
                                    f"{self.names.fw.country or 'its country'} and vnr.yaml names no map file: "
                                    f"README, \"Maps\"); indicator {ind.id} is shown as a table")
        elif chart:
            figure = self._chart(ind, chart, chosen, rows, number)
            if not figure:
                self.problems.add(pos, f"chart 'map': indicator {ind.id} has no values in the years shown for a "
                                       "region the map has")
                return ()
            blocks += figure
        self.count = number
        return blocks

    def _years(self, ind: Indicator, years, groups, errors: list[str]) -> list[int]:
        with_data = sorted({y for cells in groups.values() for y in cells})
        if years is None:
            return with_data[-DEFAULT_YEARS:]
        if isinstance(years, int) and not isinstance(years, bool):
            years = [years]
        if not isinstance(years, (list, tuple)) or not years or \
                not all(isinstance(y, int) and not isinstance(y, bool) for y in years):
            errors.append(f"years={brief(years)}: give a list of years, such as years=[2015, 2021]")
            return []
        have = set(ind.years)
        missing = [y for y in dict.fromkeys(years) if y not in have]
        if missing:  # one error, however many years (range(99999) | list)
            listed = ", ".join(map(brief, missing[:5])) + (f" and {len(missing) - 5:,} more" if missing[5:] else "")
            span = f"{min(have)}-{max(have)}" if len(have) > 1 else f"{min(have)} only"
            errors.append(f"indicator {ind.id} has no data for {listed} (it has {span})")
        return sorted(set(years))

    # -- the blocks --
    def _rows(self, ind: Indicator, by: str | None, groups: dict[Key, dict[int, Cell]], total: dict[Key, dict[int, Cell]]):
        """(label, cells by year, total?) in order: the total first, then the values by their labels."""
        labels = self.labels
        series = {s for _, s, _ in groups}
        units = {u for _, _, u in groups}
        rows = []
        for key, cells in total.items():
            rows.append((self._label(ind, self.m("indicator.total"), key, series, units), cells, True))
        keyed = sorted(groups.items(), key=lambda kv: (self.m.collate(labels.code(ind, by, kv[0][0]) if by else ""),
                                                       kv[0][1:]))
        for key, cells in keyed:
            first = labels.code(ind, by, key[0]) if by else ""
            rows.append((self._label(ind, first, key, series, units), cells, False))
        return rows, units

    def _label(self, ind: Indicator, first: str, key: Key, series: set, units: set) -> str:
        _, s, u = key
        text = first
        if s and (len(series) > 1 or not first):
            text = ", ".join(filter(None, [first, self.labels.group(ind, None, key)]))
        if u and len(units) > 1:
            text = f"{text} ({self.labels.unit(ind, u)})" if text else self.labels.unit(ind, u)
        return text or self.m("indicator.total")

    def _table(self, ind: Indicator, number: int, years: list[int], by, rows, units) -> Table:
        m, labels = self.m, self.labels
        unit = labels.unit(ind, next(iter(units))) if len(units) == 1 else ""
        title = m("indicator.caption", number=number, id=ind.id, name=labels.name(ind.id))
        if unit:
            title += f", {unit}"
        shown = tuple(Row((label, *(m.figure(cells[y].shown) if y in cells else MISSING for y in years)), total=total)
                      for label, cells, total in rows if total or any(y in cells for y in years))  # no empty rows
        note = labels.source(ind.id)
        if any(MISSING in r.cells for r in shown):
            note += " " + m("indicator.missing")
        head = labels.column(ind, by) if by else ""
        return Table(title, (head, *map(str, years)), shown, note, numeric=tuple(range(1, len(years) + 1)))

    def _chart(self, ind: Indicator, kind: str, years: list[int], rows, number: int) -> tuple[Block, ...]:
        m, colour, name = self.m, self.labels.goal_colour(ind.id), f"{ind.id} {self.labels.name(ind.id)}"
        caption = m("indicator.figure", name=name, number=number)
        if kind == "map":
            return self._map(ind, years, colour, name, caption)
        lines = [(label, [float(cells[y].value) if y in cells else None for y in years], total or len(rows) == 1)
                 for label, cells, total in rows]
        items = "; ".join(f"{label}: " + ", ".join(f"{y} {m.figure(cells[y].shown)}" for y in years if y in cells)
                          for label, cells, _ in rows[:3])
        drawing = charts.series_lines if kind == "line" else charts.series_bars
        size = charts.LINE_SIZE if kind == "line" else charts.series_bars_size(lines)
        draw = functools.partial(drawing, years, lines, colour)
        alt = m(f"indicator.{kind}_alt", name=name, items=items)
        return (Figure(Chart(draw, alt, size, name), caption),)

    def _map(self, ind: Indicator, years: list[int], colour: str, name: str, caption: str) -> tuple[Block, ...]:
        """The map of the latest year shown with a value for a region the map has, the regions with
        a value that year but no boundaries listed in its caption; () if no region can be drawn."""
        shapes, m = self.names.fw.map, self.m
        by_region = {}  # region -> its cells (a REF_AREA that is no region of the country: the table only)
        for key, cells in ind.select(REGIONS)[0].items():
            region = self.labels.region(key[0])
            if region:
                by_region.setdefault(region, cells)
        latest = max((y for code, cells in by_region.items() if code in shapes.rings for y in cells if y in years),
                     default=None)
        if latest is None:
            return ()
        cells = {code: c[latest] for code, c in by_region.items() if code in shapes.rings and latest in c}
        values = {code: float(c.value) for code, c in cells.items()}
        text = {float(c.value): m.figure(c.shown) for c in cells.values()}
        cities = self.names.fw.cities
        items = ", ".join(f"{self.names.region(code)} {m.figure(cells[code].shown)}"
                          for code in sorted(cells, key=self.names.region))
        draw = functools.partial(charts.region_map, shapes.rings, values, colour, text.__getitem__, cities)
        alt = m("indicator.map_alt", name=name, year=latest, items=items)
        when = m("indicator.map", year=latest) if not shapes.file else m("indicator.map_year", year=latest)
        unmapped = sorted((code for code, c in by_region.items() if latest in c and code not in shapes.rings),
                          key=self.names.region)
        listed = f". {m('map.missing', regions=', '.join(map(self.names.region, unmapped)))}" if unmapped else ""
        return (Figure(Chart(draw, alt, charts.MAP_SIZE, name), f"{caption} ({when}){listed}", style="map"),)
