"""The regions a project's seminars may name: ISO 3166-2 for its country (pycountry, names from the
iso-codes translations), then vnr's data for that country (data/regions/<CC>.yaml), then the project's
regions.yaml; the two files have one form and name, date, give REF_AREA codes to, or add units."""

from __future__ import annotations

import difflib
import functools
import struct
from importlib import resources
from pathlib import Path

import pycountry

from ..base import ids
from ..base.errors import Problems
from ..base.framework import LANGUAGES, Region
from . import schema as s

CODE = ids.REGION_CODE.pattern
LANGUAGE = r"[a-z]{2,3}(_[A-Z]{2})?"


def _code(r: s.Reader, node):
    code = s.pattern(CODE, "region code (such as SN-DK)")(r, node)
    return code if code is s.INVALID else (code, r.pos(node))


def schema() -> s.Validator:
    """A regions.yaml: {(code, its position): (values, their positions)}."""
    unit = s.mapping({
        "name": s.Field(s.dict_of(s.pattern(LANGUAGE, "language code"), s.nonempty_text), default={}),
        "established": s.Field(s.date),
        "abolished": s.Field(s.date),
        "ref_area": s.Field(s.pattern(r"[A-Za-z0-9_.-]{1,40}", "REF_AREA code")),
        "parent": s.Field(s.pattern(CODE, "region code")),
    })
    return s.dict_of(_code, unit)


@functools.cache
def _iso_units(country: str) -> tuple[tuple[str, str, str, str | None], ...]:
    """(code, type, name, parent code) of each ISO 3166-2 subdivision of `country`, by code."""
    found = pycountry.subdivisions.get(country_code=country) or ()
    return tuple(sorted((u.code, u.type, u.name, u.parent_code) for u in found))


def _mo(data: bytes) -> dict[str, str]:
    """The messages of a GNU .mo catalogue (its documented layout): msgid -> translation."""
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def text(table: int, i: int) -> str:
        length, offset = struct.unpack(order + "2I", data[table + 8 * i:table + 8 * i + 8])
        return data[offset:offset + length].decode("utf-8")

    pairs = ((text(originals, i), text(translations, i)) for i in range(count))
    return {original: translated for original, translated in pairs if original}  # "": the catalogue's header


@functools.cache
def iso_names(lang: str) -> dict[str, str]:
    """iso-codes' translations of ISO 3166-2 names into `lang` (zh: zh_CN's), empty where it has none."""
    folder = Path(pycountry.LOCALES_DIR)
    for locale in (lang, *sorted(p.name for p in folder.glob(f"{lang}_*"))):
        path = folder / locale / "LC_MESSAGES" / "iso3166-2.mo"
        if path.is_file():
            return _mo(path.read_bytes())
    return {}


@functools.cache
def _shipped(country: str) -> dict:
    """vnr's data for `country` (data/regions/<CC>.yaml), read once per process: {} where there is none."""
    path = resources.files("vnr").joinpath("data", "regions", f"{country}.yaml")
    if not path.is_file():
        return {}
    problems = Problems()
    reader = s.Reader(f"vnr/data/regions/{country}.yaml", problems)
    node = s.parse(reader, path.read_bytes())
    values = schema()(reader, node) if node is not None else s.INVALID
    problems.raise_if_any()  # vnr's own data, in the form a project's regions.yaml has: a bug in vnr
    return values


def known_country(code: str) -> bool:
    return pycountry.countries.get(alpha_2=code) is not None


def _level(code: str, parents: dict[str, str | None]) -> int:
    level, seen = 1, {code}
    while parents.get(code) in parents and parents[code] not in seen:
        code = parents[code]
        seen.add(code)
        level += 1
    return level


def read(country: str, language: str, problems: Problems, project: dict | None) -> dict[str, Region]:
    """The country's units by code: ISO's, vnr's data for the country, then `project` (the project's
    regions.yaml as `schema` reads it, or None). Problems are reported at their place."""
    units = {code: {"kind": kind.lower(), "iso_name": name, "parent": parent, "name": {}}
             for code, kind, name, parent in _iso_units(country)}
    for layer in (_shipped(country), project or {}):
        for (code, at), (values, where) in layer.items():
            if not code.startswith(f"{country}-"):
                problems.add(at, f"'{code}' is not a region code of {country}: a code here begins with '{country}-'")
                continue
            if code not in units:
                if not s.valid(values, "name") or language not in values["name"]:
                    problems.add(at, f"'{code}' is not in ISO 3166-2:{country}: a unit added here needs a name in "
                                     f"the project's language ({language})")
                    continue
                units[code] = {"kind": "region", "iso_name": values["name"][language], "parent": None, "name": {}}
            unit = units[code]
            for key in ("established", "abolished", "ref_area", "parent"):
                if s.valid(values, key) and values[key] is not None:
                    unit[key] = values[key]
            if s.valid(values, "name"):
                unit["name"] = {**unit["name"], **values["name"]}
            if unit.get("parent") and unit["parent"] not in units:
                problems.add(where["parent"], f"unknown parent region '{unit['parent']}'")
    parents = {code: u["parent"] for code, u in units.items()}
    iso = {lang: iso_names(lang) for lang in LANGUAGES}
    return {code: Region(code, u["kind"], {**{lang: t[u["iso_name"]] for lang, t in iso.items() if u["iso_name"] in t},
                                           **u["name"]},
                         u["iso_name"], u["parent"], _level(code, parents), u.get("established"),
                         u.get("abolished"), u.get("ref_area"))
            for code, u in sorted(units.items())}


def unknown(value: str, regions: dict[str, Region], country: str, lang: str = "en") -> str:
    """The error for a region `value` that is not one of the country's, with the closest codes and names."""
    choices = by_name(regions)
    close = difflib.get_close_matches(str(value).strip().casefold(), list(choices), n=6, cutoff=0.6)
    codes = list(dict.fromkeys(choices[c] for c in close))[:3]
    if codes:
        named = " or ".join(f"{c} ({regions[c].name.get(lang, regions[c].iso_name)})" for c in codes)
        return f"unknown region '{value}'; did you mean {named}?"
    example = f"a code such as {next(iter(regions))} or a name" if regions else "no region is known"
    return f"unknown region '{value}' ({example} of {country}: ISO 3166-2, or regions.yaml)"


def by_name(regions: dict[str, Region]) -> dict[str, str]:
    """Codes by code and by every name of a unit, case folded: a workbook may give either."""
    found: dict[str, str] = {}
    for code, region in regions.items():
        for text in (region.iso_name, *region.name.values(), code):
            found[text.strip().casefold()] = code
    return found


def absent(region: Region, day) -> str:
    """The error for a seminar held in `region` on a day it did not exist."""
    when = (f"it was established on {region.established}" if region.established and day < region.established
            else f"it was abolished on {region.abolished}")
    return f"region {region.code} ({region.name.get('en', region.iso_name)}) did not exist on {day}: {when}"
