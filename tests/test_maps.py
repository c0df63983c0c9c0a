"""Maps from the project (CONTRACT, "Maps"): vnr.yaml's map, the boundaries vnr ships for Kazakhstan,
regions without boundaries listed under the map, no map at all, and each mistake at its place."""

from __future__ import annotations

import base64
import json
import math
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import FEEDBACK, SETTINGS, write_project
from helpers import ABAI, DATA, HEALTH, data_project, errors, put, vnr

from vnr.build import Options, build

EXAMPLES = Path(__file__).parent.parent / "examples"
JORDAN_MAP = "maps/governorates.geojson"

ABAI_2025 = ABAI.replace("2022-09-15", "2025-09-15")  # a seminar in Abai, 2025
KZ_2026 = SETTINGS.replace("year: 2022", "year: 2026")


def square(code: str, lon: float, lat: float, size: float = 2.0) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "properties": {"ISO": code, "name": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


# Kazakhstan's units as a project of 2026 draws them, by hand: Abai (KZ-10) has boundaries of its own.
KZ_MAP = {"type": "FeatureCollection", "features": [
    square("KZ-10", 78, 48), square("KZ-11", 68, 51), square("KZ-43", 62, 44), square("KZ-75", 76, 43, 0.5)]}


class Figures(HTMLParser):
    """The <figure class="chart map"> of an HTML page: (alt, caption, svg), and the part each is in."""

    def __init__(self):
        super().__init__()
        self.maps, self.part, self.inside, self.caption = [], "", False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "chapter" in (a.get("class") or "").split():
            self.part = a["id"]
        if tag == "figure" and "map" in (a.get("class") or "").split():
            self.inside = True
        if tag == "img" and self.inside:
            svg = base64.b64decode(a["src"].split(",", 1)[1]).decode("utf-8")
            self.maps.append({"alt": a["alt"], "svg": svg, "caption": "", "part": self.part})
        if tag == "figcaption" and self.inside:
            self.caption = ""

    def handle_data(self, data):
        if self.caption is not None:
            self.caption += data

    def handle_endtag(self, tag):
        if tag == "figcaption" and self.caption is not None:
            self.maps[-1]["caption"], self.caption = self.caption, None
        if tag == "figure":
            self.inside = False


def maps_of(html: str) -> list[dict]:
    parser = Figures()
    parser.feed(html)
    return parser.maps


def svg_labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def build_html(root: Path, out: Path, said: list | None = None) -> str:
    build(Options(root, out, formats=("html",), revision="r"), say=(said.append if said is not None else print))
    return (out / "review.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def jordan(tmp_path_factory) -> tuple[Path, Path, str]:
    root = tmp_path_factory.mktemp("jordan") / "jordan-ar"
    shutil.copytree(EXAMPLES / "jordan-ar", root)
    out = root / "build"
    return root, out, build_html(root, out)


def test_the_jordan_example_draws_its_governorates_in_the_consultations_part(jordan):
    root, out, html = jordan
    drawn = maps_of(html)
    assert len(drawn) == 2  # participants and comments, by governorate (reviewers' edition)
    assert all(m["part"] == "consultations" for m in drawn), [m["part"] for m in drawn]
    participants = drawn[0]
    for governorate, count in (("العاصمة", "71"), ("إربد", "62"), ("المفرق", "43"), ("العقبة", "42")):
        assert f"{governorate} {count}" in participants["alt"]
        assert count in svg_labels(participants["svg"])  # drawn on its governorate, not only said
    assert participants["svg"].count("<path") >= 12  # the twelve governorates' outlines
    assert "no map" not in html.lower() and "لا تتضمن الخريطة" not in html
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert JORDAN_MAP in manifest["inputs"]


def test_a_changed_map_rebuilds(jordan):
    root, out, html = jordan
    said: list[str] = []
    build_html(root, out, said)
    assert any("up to date" in line for line in said), said
    path = root / JORDAN_MAP
    path.write_text(path.read_text(encoding="utf-8").replace("[35.57, 32.68]", "[35.5, 32.7]"), encoding="utf-8")
    said.clear()
    build_html(root, out, said)
    assert any(line.startswith("wrote") and line.split()[1].endswith("review.html") for line in said), said


def test_a_feature_that_is_not_a_region_is_an_error_at_the_file(tmp_path):
    root = tmp_path / "jordan-ar"
    shutil.copytree(EXAMPLES / "jordan-ar", root)
    text = (root / JORDAN_MAP).read_text(encoding="utf-8")
    put(root, JORDAN_MAP, text.replace('"ISO": "JO-MD"', '"ISO": "JO-MX"'))
    at = text.index('"ISO": "JO-MD"')
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    found = errors(root)
    assert len(found) == 1, found
    assert found[0].startswith(f"{JORDAN_MAP}:{line}:{column}: error: features[7] (Madaba): unknown region 'JO-MX'")
    assert "JO-MD (مادبا)" in found[0] and found[0].endswith("(a map's features are regions of JO, by their ISO)")


def test_a_map_that_is_not_json_is_an_error_at_its_line_and_column(tmp_path):
    root = tmp_path / "jordan-ar"
    shutil.copytree(EXAMPLES / "jordan-ar", root)
    bad = '{"type": "FeatureCollection",\n "features": [\n   {"type": "Feature", "properties": }\n]}\n'
    put(root, JORDAN_MAP, bad)
    with pytest.raises(json.JSONDecodeError) as exc:
        json.loads(bad)
    found = errors(root)
    assert found == [f"{JORDAN_MAP}:{exc.value.lineno}:{exc.value.colno}: error: not JSON: Expecting value"]


def test_a_map_file_that_is_missing_is_an_error_at_vnr_yaml(tmp_path):
    root = tmp_path / "jordan-ar"
    shutil.copytree(EXAMPLES / "jordan-ar", root)
    (root / JORDAN_MAP).unlink()
    settings = (root / "vnr.yaml").read_text(encoding="utf-8")
    line = settings.split("\n").index(next(x for x in settings.split("\n") if x.startswith("map:"))) + 2
    found = errors(root)
    assert len(found) == 1 and found[0].startswith(f"vnr.yaml:{line}:3: error: map file '{JORDAN_MAP}' is not "), found


def test_a_project_without_a_map_gets_the_table_and_check_says_why(tmp_path):
    root = tmp_path / "senegal-fr"
    shutil.copytree(EXAMPLES / "senegal-fr", root)
    put(root, "indicators/data/indicator_3-1-1.csv", "Year,REF_AREA,Value\n2021,,236\n2021,SN-DK,150\n2021,SN-TC,410\n")
    chapter = root / "chapters" / "odd-06.yaml"
    text = chapter.read_text(encoding="utf-8")
    call = '{{ indicator("3.1.1", by="REF_AREA", chart="map") }}'
    chapter.write_text(text.replace("body: |\n", f"body: |\n  {call}\n\n", 1), encoding="utf-8")
    done = vnr("check", str(root))
    assert done.returncode == 0, done.stderr
    assert f"{root}: no map: vnr ships no boundaries for SN and vnr.yaml names no map file" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "chart 'map'" in line]
    assert warnings == ["chapters/odd-06.yaml:6:3: warning: chart 'map': the project has no map (vnr ships no "
                        "boundaries for SN and vnr.yaml names no map file: README, \"Maps\"); indicator 3.1.1 "
                        "is shown as a table"]
    html = build_html(root, tmp_path / "out")
    assert maps_of(html) == []
    assert "Dakar" in html and "150" in html  # the table, by region name

    plain = tmp_path / "plain"  # no chart asked for: a line in check's report, no warning
    shutil.copytree(EXAMPLES / "senegal-fr", plain)
    done = vnr("check", str(plain))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr
    assert "no map: vnr ships no boundaries for SN" in done.stdout


def test_regions_with_data_but_no_boundaries_are_listed_under_the_map(tmp_path):
    """A Kazakhstan project of 2026 without map: the boundaries vnr ships (2018-2022 units) are drawn,
    and Abai Region (created 2022) is listed under each map, in the consultations part and under
    an indicator's map."""
    data = {**DATA, "indicators/data/indicator_3-1-1.csv": DATA["indicators/data/indicator_3-1-1.csv"]
            + "2022,KZAKT,50.0\n"}
    root = data_project(tmp_path / "p", HEALTH.replace("years=[2021, 2022], chart", "years=[2022], chart"), data)
    put(root, "feedback/kz-10-residents.yaml", ABAI_2025)
    put(root, "vnr.yaml", KZ_2026)
    html = build_html(root, tmp_path / "out")
    drawn = maps_of(html)
    listed = "The map has no boundaries for Abai Region: their figures are in the table."
    consultations = [m for m in drawn if m["part"] == "consultations"]
    assert len(consultations) == 2
    assert html.count(listed) == 2  # once under the consultations' maps, once in the indicator map's caption
    indicator = [m for m in drawn if m["caption"].startswith("3.1.1")]
    assert len(indicator) == 1 and indicator[0]["caption"].endswith(listed), indicator
    assert "50.0" in svg_labels(indicator[0]["svg"])  # Aktobe's 2022 value on the shipped map
    assert "20.0" not in svg_labels(indicator[0]["svg"])  # Abai's: no boundaries to draw it in
    assert "12" not in svg_labels(consultations[0]["svg"])


def test_a_kazakhstan_project_of_2026_with_its_own_map_draws_abai(tmp_path):
    root = write_project(tmp_path / "p", feedback={**FEEDBACK, "kz-10-residents.yaml": ABAI_2025},
                         settings=KZ_2026 + "map: {file: maps/kz.geojson, id_property: ISO}\n")
    put(root, "maps/kz.geojson", json.dumps(KZ_MAP))
    out = tmp_path / "out"
    html = build_html(root, out)
    drawn = maps_of(html)
    assert len(drawn) == 2
    assert "Abai Region 12" in drawn[0]["alt"]
    assert "12" in svg_labels(drawn[0]["svg"])  # Abai's participants, in its own boundaries
    assert "no boundaries" not in html
    assert "maps/kz.geojson" in json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))["inputs"]


def circle(code: str, lon: float, lat: float, radius: float, points: int = 120) -> dict:
    ring = [[lon + radius * math.cos(2 * math.pi * i / points), lat + radius * math.sin(2 * math.pi * i / points)]
            for i in range(points)]
    return {"type": "Feature", "properties": {"ISO": code},
            "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]}}


def test_a_small_countrys_map_keeps_the_shape_of_its_units(tmp_path):
    """Outlines are simplified in proportion to the map: a city's districts, a few kilometres across,
    keep their curves as a large country's regions do (a fixed 0.03 degrees made each a polygon of a
    dozen corners)."""
    root = write_project(tmp_path / "p", settings=SETTINGS + "map: {file: maps/city.geojson, id_property: ISO}\n")
    features = [circle(code, 76.9 + 0.1 * i, 43.2, 0.04) for i, code in enumerate(("KZ-11", "KZ-43", "KZ-15"))]
    put(root, "maps/city.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    svg = maps_of(build_html(root, tmp_path / "out"))[0]["svg"]
    corners = sorted(len(re.findall(r"[ML] ?-?[\d.]+ -?[\d.]+", d)) for d in re.findall(r' d="([^"]*)"', svg))
    assert corners[-3] >= 100  # each district's 120 points, hardly thinned
