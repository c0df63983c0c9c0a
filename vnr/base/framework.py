"""The official data every project is checked against: the SDG framework (the regions: read/regions.py).

Both files are package data copied unchanged from their sources (see the SOURCE.md beside each).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import yaml

# Languages with vnr's own words (vnr/messages/<lang>.yaml) and official names: every word translated.
CATALOGUED = ("en", "ru", "kk", "fr", "es", "ar", "zh")
# The files of data/sdg-i18n/ (open-sdg/sdg-translations) by language: official goal, target and
# indicator names in 26 languages. A language only they hold builds with vnr's words in English.
I18N_FILES = {"zh": "zh-Hans", "nb": "nb_NO"}


def _official_only() -> tuple[str, ...]:
    """The languages only data/sdg-i18n holds, as its files name them: adding a file adds one."""
    by_file = {file: lang for lang, file in I18N_FILES.items()}
    stems = (p.name.removesuffix(".yaml") for p in resources.files("vnr").joinpath("data", "sdg-i18n").iterdir()
             if p.name.endswith(".yaml"))
    return tuple(sorted({by_file.get(stem, stem) for stem in stems} - set(CATALOGUED)))


LANGUAGES = CATALOGUED + _official_only()


@dataclass(frozen=True)
class Target:
    id: str
    goal: int
    text: dict[str, str]


@dataclass(frozen=True)
class Indicator:
    id: str
    target: str
    text: dict[str, str]


@dataclass(frozen=True)
class Goal:
    number: int
    colour: str
    short: dict[str, str]
    title: dict[str, str]
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    """A unit a seminar may name: an ISO 3166-2 subdivision of the project's country, or one that
    vnr's data for the country or the project's regions.yaml adds (see read/regions.py)."""

    code: str
    kind: str  # ISO 3166-2's type in lower case: region, city, governorate, ... (cities are dots on a map)
    name: dict[str, str]  # by language: the project's regions.yaml, then vnr's data, then iso-codes
    iso_name: str  # ISO 3166-2's own name (often romanised): shown where the build language has none
    parent: str | None = None  # the unit this one lies in (ISO 3166-2's parent)
    level: int = 1  # 1: a unit without a parent; 2: in a level-1 unit; ...
    established: dt.date | None = None  # exists from this day ...
    abolished: dt.date | None = None  # ... until the day before this one
    ref_area: str | None = None  # its REF_AREA code in the project's indicators/ data

    def existed_on(self, day: dt.date) -> bool:
        return (self.established is None or self.established <= day) and (
            self.abolished is None or day < self.abolished)


@dataclass(frozen=True)
class RegionMap:
    """The boundaries maps draw the regions with (read/maps.py)."""

    rings: dict[str, tuple]  # by region code: outer rings of (lon, lat) points, simplified, in the file's order
    file: str  # the project's GeoJSON (vnr.yaml's map), or "" for the boundaries shipped with vnr


@dataclass(frozen=True)
class Framework:
    goals: dict[int, Goal]
    targets: dict[str, Target]
    indicators: dict[str, Indicator]
    regions: dict[str, Region]  # the project's country's units, by code, in code order
    country: str = ""
    region_level: int = 1  # the level "regions covered" counts at (vnr.yaml's region_level)
    map: RegionMap | None = None  # None: no boundaries to draw the regions with (tables only)

    @functools.cached_property
    def cities(self) -> frozenset[str]:
        """The units ISO 3166-2 types as cities: a map draws them as dots."""
        return frozenset(code for code, r in self.regions.items() if r.kind == "city")

    def counted(self, code: str) -> str:
        """The unit a seminar held in `code` counts for: the one above it at the counting level."""
        region = self.regions[code]
        while region.level > self.region_level and region.parent in self.regions:
            region = self.regions[region.parent]
        return region.code


def _read(name: str):
    text = resources.files("vnr").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 10x faster


@dataclass(frozen=True)
class Official:
    """Official names in one language from data/sdg-i18n/, whitespace collapsed (the source has stray
    spaces and line breaks): goals' short titles and titles, targets', indicators'."""

    short: dict[int, str]
    title: dict[int, str]
    targets: dict[str, str]
    indicators: dict[str, str]


def _plain(text) -> str:
    return " ".join("".join(c for c in str(text) if c.isprintable() or c.isspace()).split())


@functools.cache
def official(lang: str) -> Official:
    """The official names data/sdg-i18n/ holds in `lang` (empty for a language it lacks)."""
    name = f"sdg-i18n/{I18N_FILES.get(lang, lang)}.yaml"
    if not resources.files("vnr").joinpath("data", name).is_file():
        return Official({}, {}, {}, {})
    data = _read(name)
    goals = data.get("goals") or {}
    return Official({int(n): _plain(g["short"]) for n, g in goals.items() if g.get("short")},
                    {int(n): _plain(g["title"]) for n, g in goals.items() if g.get("title")},
                    {str(k): _plain(v) for k, v in (data.get("targets") or {}).items() if v},
                    {str(k): _plain(v) for k, v in (data.get("indicators") or {}).items() if v})


@functools.cache
def framework() -> Framework:
    goals, targets, indicators = {}, {}, {}
    for g in _read("sdg/sdg.yaml")["goals"]:
        for t in g["targets"]:
            targets[t["id"]] = Target(t["id"], g["number"], t["text"])
            for i in t.get("indicators", ()):
                indicators[i["id"]] = Indicator(i["id"], t["id"], i["text"])
        goals[g["number"]] = Goal(
            g["number"], g["colour"], g["short"], g["title"], tuple(t["id"] for t in g["targets"])
        )
    return Framework(goals, targets, indicators, {})  # regions: a project's (read/regions.py)
