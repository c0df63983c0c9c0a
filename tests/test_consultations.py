"""The consultations part: figures, regions existing on the date, maps."""

from __future__ import annotations

import json

from conftest import FEEDBACK, write_project
from helpers import ABAI

from vnr.build import Options, build


def test_regions_existing_counts_units_on_the_last_date_and_maps_need_geometry(tmp_path):
    root = write_project(tmp_path / "p", feedback={**FEEDBACK, "kz-10-residents.yaml": ABAI})
    out = tmp_path / "out"
    build(Options(root, out, formats=("html",), revision="r"))
    counts = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))["counts"]
    assert counts["regions"] == 4 and counts["regions_existing"] == 20  # Abai, Jetisu, Ulytau exist by September
    html = (out / "review.html").read_text(encoding="utf-8")
    assert "The map has no boundaries for Abai Region: their figures are in the table." in html
    assert html.count('class="chart map"') == 2


def test_maps_of_participants_and_comments_with_alt_text(tmp_path):
    root = write_project(tmp_path / "p")
    out = tmp_path / "out"
    build(Options(root, out, formats=("html",), revision="r"))
    html = (out / "review.html").read_text(encoding="utf-8")
    assert html.count('class="chart map"') == 2
    assert 'alt="Map of the regions shaded by Participants by region: Akmola Region 30; Kyzylorda Region 20; Almaty 40."' in html
    build(Options(root, out, formats=("html",), edition="public", revision="r"))
    assert (out / "public.html").read_text(encoding="utf-8").count('class="chart map"') == 1
