"""The statistical annex: goal by goal, every indicator with national data, its first and latest
values and the change; and how many of each goal's indicators have data."""

from __future__ import annotations

from collections import defaultdict

from ..base import ids
from ..base.errors import Problems
from ..base.names import Names
from ..read.opensdg import Data
from ..review import Prose, Report, Row, Subsection, Table
from .indicator import Labels


def statistics(data: Data, names: Names, problems: Problems, goals=None) -> tuple[Report, set[str]]:
    """The part and the indicators with data. Reading every CSV, it reports their errors and the
    two values of a first or latest cell it shows. `goals`: only these goals' tables (a working
    group's pack); the availability table stays national."""
    m, labels = names.msgs, Labels(data, names)
    rows: dict[int, list[Row]] = defaultdict(list)
    with_data: dict[int, set[str]] = defaultdict(set)
    for indicator_id in data.ids:
        found = data.indicator(indicator_id)
        goal = int(indicator_id.split(".")[0])
        if found is None or not found.rows or goal not in names.fw.goals:
            continue
        by = None
        headline, conflicts = found.select(None)
        if not headline:  # every row broken down (COMPOSITE_BREAKDOWN, ...): a row per value of the first column
            for by in found.columns:
                headline, conflicts = found.select(by)
                if headline:
                    break
        with_data[goal].add(indicator_id)
        if not headline:  # no series of one breakdown either: its years only
            years, units = found.years, sorted({unit for _, _, unit, _ in found.rows})
            rows[goal].append(Row((indicator_id, f"{labels.name(indicator_id)} ({m('statistics.broken_down')})",
                                   ", ".join(labels.unit(found, u) for u in units), str(years[0]), "..", str(years[-1]), "..", ""),
                                  colour=names.goal(goal).colour))
            continue
        several = len({k[:2] for k in headline}) > 1
        for n, (key, cells) in enumerate(sorted(headline.items())):
            first, last = cells[min(cells)], cells[max(cells)]
            found.report([c for c in conflicts if c.key == key and c.second.year in (first.year, last.year)],
                         problems)
            # an indicator with several series: its id and name once, then each series by its label
            again = n > 0
            what = labels.group(found, by, key)
            series = f"– {what}" if what and several else ""
            name = series if again else " ".join(filter(None, (labels.name(indicator_id), series)))
            change = _change(m, first, last) if last.year != first.year else ""
            rows[goal].append(Row(
                ("" if again else indicator_id, name, labels.unit(found, key[2]), str(first.year), m.figure(first.shown),
                 str(last.year), m.figure(last.shown), change),
                colour=None if again else names.goal(goal).colour))
    header = tuple(m(f"statistics.col.{c}") for c in ("indicator", "name", "unit", "first", "value", "latest",
                                                      "value", "change"))
    sections = tuple(
        Subsection(ids.subsection("statistics", f"goal-{goal}"), names.goal(goal).label,
                   (Table(m("statistics.goal_table", goal=names.goal(goal).code), header, tuple(rows[goal]),
                          numeric=(3, 4, 5, 6, 7), wide=1),))
        for goal in sorted(rows) if goals is None or goal in goals)
    framework = defaultdict(set)
    for i in names.fw.indicators.values():
        framework[names.fw.targets[i.target].goal].add(i.id)
    listed = set().union(*with_data.values())
    count = len(listed)
    availability = []
    for goal, official in sorted(framework.items()):
        global_ids = with_data[goal] & official
        national = with_data[goal] - official
        availability.append(Row((names.goal(goal).label, m.number(len(official)), m.number(len(global_ids)),
                                 m.percent(len(global_ids) / len(official)), m.number(len(national))),
                                colour=names.goal(goal).colour))
    covered = len(set().union(*with_data.values()) & set(names.fw.indicators)) if with_data else 0
    availability.append(Row((m("col.total"), m.number(len(names.fw.indicators)), m.number(covered),
                             m.percent(covered / len(names.fw.indicators)),
                             m.number(count - covered)), total=True))
    table = Table(m("statistics.availability"),
                  tuple(m(f"statistics.col.{c}") for c in ("goal", "framework", "with_data", "share", "national")),
                  tuple(availability), m("statistics.availability_note"), numeric=(1, 2, 3, 4))
    intro = (Prose(m("statistics.intro", count=count, covered=covered, total=len(names.fw.indicators)), "lead"),
             table)  # counts: each in its plural form
    return Report(id="statistics", kind="statistics", title=m("statistics.title"), intro=intro,
                  sections=sections), listed


def _change(m, first, last) -> str:
    places = max(-first.shown.as_tuple().exponent, -last.shown.as_tuple().exponent, 0)
    delta = last.shown - first.shown
    text = m.figure(abs(delta), places)
    return f"+{text}" if delta > 0 else f"\u2212{text}" if delta < 0 else text

