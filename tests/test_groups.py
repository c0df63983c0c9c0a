"""Working groups: `groups` in vnr.yaml, `vnr build --group ID` / `--groups` and their packs
(CONTRACT.md, "Working groups"), read back from the PDF, the DOCX and the manifest."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pypdf
import pytest
from conftest import SETTINGS, write_project
from docx import Document
from helpers import errors, put, responses_yaml, run

GROUPS = SETTINGS + """\
groups:
  water:
    title: "Working group on water and sanitation"
    goals: [6]
    chapters: [intro]
  energy:
    title: "Working group on energy and consumption"
    goals: [7, 12]
"""
# a comment concerns a group when one of its goals, or of its targets' goals, is the group's
WATER = {"kz-75-leb/heat-1", "kz-43-residents/water-1"}  # targets 7.1 and 6.1; goal 6
ENERGY = {"kz-75-leb/waste-1", "kz-75-leb/heat-1", "kz-11-residents/solar-1"}  # goal 12; 7.1; 7.1 and 7.b
NOTES = """\
- id: 0000000a
  author: Ministry of Ecology
  place: sdg-06-water
  text: "Add the share of villages with group water pipelines in 2021."
- id: 0000000b
  author: Ministry of Energy
  place: sdg-07-heat
  text: "Name the combined heat and power plants to be modernised."
- id: 0000000c
  author: Ministry of Ecology
  place: sdg-06
  status: done
  text: "Cite the water balance of the Aral Sea basin."
"""


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("groups") / "p", settings=GROUPS)
    put(root, "responses/team.yaml", responses_yaml())
    put(root, "reviews/ministries.yaml", NOTES)
    code, lines = run("build", str(root), "--groups", "--revision", "r", "--jobs", "2")
    assert code == 0, lines
    return root


def _sticky_keys(path: Path) -> set[str]:
    return {a.get_object()["/NM"].split("#")[0] for page in pypdf.PdfReader(path).pages
            for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Text"
            and "/IRT" not in a.get_object()}


def _replies(path: Path) -> set[str]:
    return {a.get_object()["/NM"].split("#")[0] for page in pypdf.PdfReader(path).pages
            for a in page.get("/Annots") or [] if "/IRT" in a.get_object()}


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


@pytest.mark.parametrize("group, keys", [("water", WATER), ("energy", ENERGY)])
def test_a_pack_holds_every_comment_on_its_goals_and_no_other(packs, group, keys):
    pdf, docx = packs / "build" / "groups" / f"{group}.pdf", packs / "build" / "groups" / f"{group}.docx"
    assert _sticky_keys(pdf) == keys
    texts = {c.text for c in Document(docx).comments if c.author != "Drafting team"}
    sample = {"kz-75-leb/heat-1": "Отопление в микрорайонах", "kz-43-residents/water-1": "Ауылда ауыз су",
              "kz-75-leb/waste-1": "Separate collection of household waste", "kz-11-residents/solar-1": "Solar panels",
              "kz-11-residents/school-1": "small rural schools"}
    for key, words in sample.items():
        assert any(words in t for t in texts) == (key in keys), key
    answered = {"kz-75-leb/waste-1", "kz-75-leb/heat-1", "kz-43-residents/water-1"}  # solar-1 is open
    assert _replies(pdf) == keys & answered
    assert any(c.author == "Drafting team" for c in Document(docx).comments)


def test_a_pack_holds_its_chapters_its_open_notes_and_a_cover_naming_the_group(packs):
    out = packs / "build" / "groups"
    water = _text(out / "water.pdf")
    first = pypdf.PdfReader(out / "water.pdf").pages[0].extract_text()
    assert "Working group on water and sanitation" in first
    assert "Introduction" in water and "Drinking water in villages" in water
    assert "Uninterrupted electricity and heating" not in water
    assert "group water pipelines in 2021" in water  # its open note
    assert "combined heat and power plants to be modernised" not in water  # energy's
    assert "water balance of the Aral Sea" not in water  # done
    energy = _text(out / "energy.pdf")
    assert "combined heat and power plants to be modernised" in energy
    assert "Drinking water in villages" not in energy and "Introduction\n" not in energy.split("Contents")[1][:200]
    headings = [p.text for p in Document(out / "energy.docx").paragraphs if p.style.name.startswith("Heading 1")]
    assert "Affordable and clean energy" in headings and "Clean water and sanitation" not in headings
    cover = [p.text for p in Document(out / "energy.docx").paragraphs[:6]]
    assert "Working group on energy and consumption" in cover


def test_the_manifest_lists_every_pack_with_its_hash_pages_and_counts(packs):
    out = packs / "build"
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    for group, keys in (("water", WATER), ("energy", ENERGY)):
        for fmt in ("pdf", "docx"):
            listed = manifest["outputs"][f"groups/{group}.{fmt}"]
            data = (out / "groups" / f"{group}.{fmt}").read_bytes()
            assert listed["sha256"] == hashlib.sha256(data).hexdigest() and listed["bytes"] == len(data)
        pages = len(pypdf.PdfReader(out / "groups" / f"{group}.pdf").pages)
        assert manifest["outputs"][f"groups/{group}.pdf"]["pages"] == pages
        about = manifest["groups"][group]
        assert about["counts"]["comments"] == len(keys)
        assert about["counts"]["annotations"] == len(_sticky_keys_with_places(out / "groups" / f"{group}.pdf"))
    assert manifest["groups"]["water"]["counts"]["review_notes_open"] == 1
    assert manifest["outputs"]["review.pdf"]["pages"] == len(pypdf.PdfReader(out / "review.pdf").pages)
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk == {*manifest["outputs"], "review.manifest.json"}


def _sticky_keys_with_places(path: Path) -> list[str]:
    return [a.get_object()["/NM"] for page in pypdf.PdfReader(path).pages for a in page.get("/Annots") or []
            if a.get_object()["/Subtype"] == "/Text" and "/IRT" not in a.get_object()]


def test_one_group_is_built_alone_and_a_changed_source_drops_packs_no_longer_made(tmp_path):
    root = write_project(tmp_path / "p", settings=GROUPS)
    out = root / "build"
    assert run("build", str(root), "--group", "water", "--format", "pdf", "--revision", "r")[0] == 0
    assert sorted(p.name for p in (out / "groups").iterdir()) == ["water.pdf"]
    # the same inputs: a build without --group keeps the pack, and its manifest lists it
    assert run("build", str(root), "--format", "pdf", "--revision", "r")[0] == 0
    assert "groups/water.pdf" in json.loads((out / "review.manifest.json").read_text())["outputs"]
    (root / "chapters" / "intro.yaml").write_text("id: intro\norder: 10\ntitle: Introduction\nbody: Changed.\n")
    assert run("build", str(root), "--format", "pdf", "--revision", "r")[0] == 0
    manifest = json.loads((out / "review.manifest.json").read_text())
    assert not any(o.startswith("groups/") for o in manifest["outputs"]) and "groups" not in manifest
    assert not (out / "groups").exists() or not any((out / "groups").iterdir())


@pytest.mark.parametrize("args, said", [
    (("--group", "health"), "unknown working group 'health' (vnr.yaml names: water, energy)"),
    (("--group", "water", "--edition", "public"), "a working group's pack is the reviewers' edition"),
    (("--groups", "--format", "html"), "a working group's pack is a PDF and a DOCX"),
])
def test_a_pack_that_cannot_be_made_is_a_usage_error_and_nothing_is_written(project, args, said):
    (project / "vnr.yaml").write_text(GROUPS, encoding="utf-8")
    code, lines = run("build", str(project), *args)
    assert code == 2 and any(said in line for line in lines), lines
    assert not (project / "build").exists()


def test_groups_without_any_in_vnr_yaml_is_a_usage_error(project):
    code, lines = run("build", str(project), "--groups")
    assert code == 2 and "vnr.yaml names no working groups" in lines[0]
    assert not (project / "build").exists()


@pytest.mark.parametrize("groups, expected", [
    ("  Water:\n    title: W\n    goals: [6]\n",
     "vnr.yaml:7:3: error: invalid group id 'Water'"),
    ("  water:\n    title: W\n    goals: [6, 18]\n",
     "vnr.yaml:9:16: error: goal must be at most 17, got 18"),
    ("  water:\n    title: W\n    goals: [6]\n    chapters: [sdg-6]\n",
     "vnr.yaml:10:15: error: unknown chapter 'sdg-6' in a group; did you mean 'sdg-06'?"),
    ("  water:\n    goals: [6]\n",
     "vnr.yaml:8:5: error: missing required key 'title'"),
    ("  water:\n    title: W\n    goals: []\n",
     "vnr.yaml:9:12: error: group 'water' has no goals: list the goals it answers for"),
])
def test_each_group_error_at_its_position(project, groups, expected):
    (project / "vnr.yaml").write_text(SETTINGS + "groups:\n" + groups, encoding="utf-8")
    assert expected in errors(project)


def test_a_pack_s_coverage_is_of_its_goals_only(packs):
    headings = [p.text for p in Document(packs / "build" / "groups" / "water.docx").paragraphs]
    at = headings.index("Goals no comment concerns")
    silent = [h for h in headings[at + 1:at + 4] if h.startswith("SDG")]
    assert not silent  # goal 6 has comments; the other goals are not the group's to report
    grid = next(t for t in Document(packs / "build" / "groups" / "water.docx").tables
                if t.rows[0].cells[0].text == "Region" and t.rows[0].cells[1].text.isdigit())
    assert [c.text for c in grid.rows[0].cells] == ["Region", "6", "Total"]


def test_an_arabic_project_s_pack_reads_right_to_left_and_holds_its_goals_comments(tmp_path):
    import yaml

    example = Path(__file__).resolve().parent.parent / "examples" / "jordan-ar"
    out = tmp_path / "out"
    code, lines = run("build", str(example), "-o", str(out), "--group", "water", "--revision", "r")
    assert code == 0, lines
    wanted = set()
    for path in (example / "feedback").glob("*.yaml"):
        for c in yaml.safe_load(path.read_text(encoding="utf-8"))["comments"]:
            goals = {*c.get("goals", []), *(int(t.split(".")[0]) for t in c.get("targets", []))}
            if goals & {6, 13}:
                wanted.add(f"{path.stem}/{c['id']}")
    pdf = out / "groups" / "water.pdf"
    assert wanted and _sticky_keys(pdf) == wanted
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    width = float(reader.pages[0].mediabox.width)
    assert all(float(a.get_object()["/Rect"][0]) < width / 2 for page in reader.pages
               for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Text")
    document = Document(out / "groups" / "water.docx")
    assert "فريق العمل المعني بالمياه والصرف الصحي" in [p.text for p in document.paragraphs[:6]]
    assert document.element.body.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") \
        is not None


def test_a_pack_is_the_same_bytes_from_the_same_inputs(tmp_path):
    """CONTRACT, Errors and safety: same inputs, same --revision and SOURCE_DATE_EPOCH, identical outputs."""
    root = write_project(tmp_path / "p", settings=GROUPS)
    for out in ("a", "b"):
        code, lines = run("build", str(root), "-o", str(tmp_path / out), "--group", "energy", "--revision", "r")
        assert code == 0, lines
    for name in ("energy.pdf", "energy.docx"):
        assert (tmp_path / "a" / "groups" / name).read_bytes() == (tmp_path / "b" / "groups" / name).read_bytes()
    manifests = [json.loads((tmp_path / out / "review.manifest.json").read_text()) for out in ("a", "b")]
    assert manifests[0]["outputs"] == manifests[1]["outputs"] and manifests[0]["groups"] == manifests[1]["groups"]
