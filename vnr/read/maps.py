"""The boundaries maps draw the regions with: the project's GeoJSON (vnr.yaml's `map`, as Open SDG
sites keep it: `id_property` holds the region code), else the boundaries vnr ships for the country
(Kazakhstan's units of 2018-2022, data/kazstat). Bounded, and every problem at its place."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import PurePosixPath

import yaml

from ..base.errors import Pos, Problems, at
from ..base.framework import Framework, RegionMap
from ..model import MapSettings
from . import regions
from .sources import Tree

# An Open SDG site's regions file is 1-5 MB (Kazakhstan's, shipped, 2.6 MB); a page-wide map needs less.
MAX_BYTES = 20_000_000
POLYGONS = ("Polygon", "MultiPolygon")
# Points closer than this share of the map's width or height to the last one kept are dropped: a
# page-wide map is about 1,500 points across (Kazakhstan, 41 degrees wide: 0.03 degrees; a city's
# districts keep their shape as well as a country's regions do).
DETAIL = 1 / 1500


@dataclass(frozen=True)
class _Feature:
    id: str
    name: str  # as an error names it: "features[3]", with its name_property's value if it has one
    rings: tuple  # outer rings of its polygons, simplified


@dataclass(frozen=True)
class _Parsed:
    """A GeoJSON file read: its features, or the problems in it (as (index in the text or -1, message))."""

    features: tuple[_Feature, ...]
    problems: tuple[tuple[int, str], ...]
    text: str


def read(tree: Tree, settings: MapSettings | None, fw: Framework, problems: Problems,
         inputs: dict[str, bytes], lang: str = "en") -> RegionMap | None:
    """The project's map (its bytes added to `inputs`: a changed map rebuilds), vnr's for the
    country where the project names none, or None: no map (or one with problems, reported)."""
    if settings is None:
        return shipped(fw.country)
    data = _bytes(tree, settings, problems)
    if data is None:
        return None
    inputs[settings.file] = data
    parsed = _parsed(data, settings.id_property, settings.name_property)
    found = len(problems.items)
    for index, message in parsed.problems:
        problems.add(_pos(settings.file, parsed, index), message)
    rings: dict[str, tuple] = {}
    for feature in parsed.features:
        if fw.regions and feature.id not in fw.regions:
            where = _pos(settings.file, parsed, _located(parsed.text, settings.id_property, feature.id))
            problems.add(where, f"{feature.name}: {regions.unknown(feature.id, fw.regions, fw.country, lang)} "
                                f"(a map's features are regions of {fw.country}, by their {settings.id_property})")
        rings[feature.id] = rings.get(feature.id, ()) + feature.rings  # one region in several features
    if len(problems.items) > found or not fw.regions:
        return None
    return RegionMap(rings, settings.file)


def absent(fw: Framework, settings: MapSettings | None) -> str | None:
    """Why a project has no map (None: it has one), for `vnr check`."""
    if fw.map is not None or settings is not None or not fw.country:
        return None
    return (f"no map: vnr ships no boundaries for {fw.country} and vnr.yaml names no map file, so indicator "
            "maps and the consultations map are shown as tables; give 'map: {file: maps/regions.geojson, "
            "id_property: ISO}' in vnr.yaml (README, \"Maps\")")


# Kazakhstan's first-level units of 19 June 2018 - 8 June 2022; its features are keyed by kzCode.
SHIPPED = {"KZ": ("kazstat/regions.geojson", "kzCode", "kazstat/regions-2022.yaml")}


@functools.cache
def shipped(country: str) -> RegionMap | None:
    """The boundaries vnr ships for `country`, by ISO 3166-2 code; None where it ships none."""
    if country not in SHIPPED:
        return None
    file, id_property, codes_file = SHIPPED[country]
    data = resources.files("vnr").joinpath("data", *file.split("/")).read_bytes()
    codes_text = resources.files("vnr").joinpath("data", *codes_file.split("/")).read_text(encoding="utf-8")
    codes = {row["kzCode"]: row["iso"] for row in yaml.safe_load(codes_text)}
    parsed = _parsed(data, id_property)
    assert not parsed.problems, parsed.problems  # vnr's own data, tested
    return RegionMap({codes[f.id]: f.rings for f in parsed.features}, "")


def _bytes(tree: Tree, settings: MapSettings, problems: Problems) -> bytes | None:
    rel = PurePosixPath(settings.file)
    if rel.is_absolute() or ".." in rel.parts or not tree.has(settings.file):
        problems.add(settings.pos, f"map file '{settings.file}' is not a file of the project (a path from the "
                                   "folder of vnr.yaml, such as maps/regions.geojson)")
        return None
    data = tree.read(settings.file, MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        problems.add(Pos(settings.file), f"map file is larger than {MAX_BYTES // 1_000_000} MB: simplify its "
                                         "boundaries (mapshaper, QGIS): a page-wide map needs far fewer points")
        return None
    return data


def _pos(file: str, parsed: _Parsed, index: int) -> Pos:
    return at(file, parsed.text, index) if index >= 0 else Pos(file)


def _located(text: str, id_property: str, value: str) -> int:
    """Where the text gives `id_property` the value `value` (-1: not found as written)."""
    found = re.search(re.escape(json.dumps(id_property, ensure_ascii=False)) + r"\s*:\s*"
                      + re.escape(json.dumps(value, ensure_ascii=False)), text)
    return found.start() if found else -1


@functools.lru_cache(maxsize=4)  # read once per process, however many builds (preview) and maps
def _parsed(data: bytes, id_property: str, name_property: str | None = None) -> _Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8-sig")
        return _Parsed((), ((len(before), "not UTF-8 from here on (GeoJSON is UTF-8)"),), before)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return _Parsed((), ((exc.pos, f"not JSON: {exc.msg}"),), text)
    except (ValueError, RecursionError) as exc:  # a number of 5,000 digits; nesting a thousand deep
        return _Parsed((), ((-1, f"not JSON that can be read: {exc}"),), text)
    features = doc.get("features") if isinstance(doc, dict) and doc.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        return _Parsed((), ((-1, "not a GeoJSON FeatureCollection (an object with \"type\": \"FeatureCollection\" "
                                 "and a list of \"features\")"),), text)
    read = [_feature(index, feature, id_property, name_property) for index, feature in enumerate(features)]
    found = [f for f in read if isinstance(f, _Feature)]
    points = [p for f in found for ring in f.rings for p in ring]
    if points:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        tolerance = max(max(xs) - min(xs), max(ys) - min(ys)) * DETAIL
        found = [dataclasses.replace(f, rings=tuple(_simplified(ring, tolerance) for ring in f.rings)) for f in found]
    return _Parsed(tuple(found), tuple((-1, problem) for problem in read if isinstance(problem, str)), text)


def _feature(index: int, feature, id_property: str, name_property: str | None) -> _Feature | str:
    """The feature, or what is wrong with it."""
    name = f"features[{index}]"
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict) or id_property not in properties:
        has = ", ".join(map(str, properties)) if isinstance(properties, dict) and properties else "none"
        return f"{name} has no property '{id_property}' (the map's id_property; its properties: {has})"
    code = properties[id_property]
    if not isinstance(code, (str, int)) or isinstance(code, bool):
        return f"{name}: {id_property} is {json.dumps(code)[:40]}, not a region code"
    code = str(code)
    geometry = feature.get("geometry")
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in POLYGONS:
        return f"{name} ({code}): {f'a {kind}' if isinstance(kind, str) else 'no'} geometry; a region is a Polygon " \
               "or a MultiPolygon"
    polygons = geometry.get("coordinates")
    polygons = [polygons] if kind == "Polygon" else polygons
    if not isinstance(polygons, list) or not polygons or not all(_polygon(p) for p in polygons):
        return f"{name} ({code}): coordinates that are not a {kind}'s (rings of at least 3 [longitude, latitude] " \
               "points, each a finite number)"
    shown = properties.get(name_property) if name_property else None
    rings = tuple(tuple((p[0], p[1]) for p in polygon[0]) for polygon in polygons)  # outer rings only
    return _Feature(code, f"{name} ({shown})" if isinstance(shown, str) else name, rings)


def _polygon(rings) -> bool:
    return isinstance(rings, list) and bool(rings) and all(
        isinstance(ring, list) and len(ring) >= 3 and all(_point(p) for p in ring) for ring in rings)


def _point(p) -> bool:
    return isinstance(p, list) and len(p) >= 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in p[:2])


def _simplified(ring, tolerance: float) -> tuple[tuple[float, float], ...]:
    """Drops points closer than `tolerance` to the last kept one: plenty for a page-wide map."""
    kept = [ring[0]]
    for x, y in ring[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= tolerance:
            kept.append((x, y))
    return tuple(kept if len(kept) >= 3 else ring)
