"""Revisions: stamps from git, changes since a revision, and the CI workflow that publishes them."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import yaml
from conftest import write_project
from helpers import git

from vnr.build import Options, build, diff

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A project in git with two commits: the second edits a section and changes the comments."""
    root = write_project(tmp_path_factory.mktemp("git") / "p")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "First draft")
    first = git(root, "rev-parse", "--short", "HEAD")
    heat = root / "chapters" / "sdg-07.yaml"
    heat.write_text(heat.read_text(encoding="utf-8").replace(
        "Heating networks in the north are worn.",
        "Heating networks in the north are badly worn; Petropavlovsk replaced 12 km in 2021."), encoding="utf-8")
    almaty = root / "feedback" / "kz-75-leb.yaml"
    almaty.write_text(almaty.read_text(encoding="utf-8").replace(
        "exists only in the city centre.", "exists only in the centre of Almaty.") +
        '  - id: tariff-1\n    text: "Тарифы на тепло растут быстрее пенсий."\n    targets: ["7.1"]\n'
        "    kind: problem\n    from: leb\n", encoding="utf-8")
    kokshetau = root / "feedback" / "kz-11-residents.yaml"
    text = kokshetau.read_text(encoding="utf-8")
    kokshetau.write_text(text[: text.index("  - id: solar-1")], encoding="utf-8")
    git(root, "commit", "-qam", "Seminar records completed")
    out = root / "build"
    build(Options(root, out, since=first))
    return root, out, first, git(root, "rev-parse", "--short", "HEAD")


def test_git_revision_on_cover_every_page_and_manifest(history):
    root, out, _, head = history
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["revision"] == head  # git describe --tags --always --dirty: no tag, clean tree
    assert manifest["date"] == git(root, "log", "-1", "--format=%cs")
    pages = [p.extract_text() for p in pypdf.PdfReader(out / "review.pdf").pages]
    assert head in pages[0]
    assert all(f"Revision {head}" in page for page in pages[1:])


def test_changes_since_the_first_commit(history):
    root, out, first, _ = history
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["since"] == first
    html = (out / "review.html").read_text(encoding="utf-8")
    part = html[html.index('id="changes"'): html.index("</section>", html.index('id="changes"'))]
    assert "Uninterrupted electricity and heating" in part and "(changed)" in part
    assert "<ins>badly worn; Petropavlovsk replaced 12 km in 2021.</ins>" in part
    assert "<del>worn.</del>" in part
    added = re.findall(r'<span class="voice-key">([^<]+)</span>', part)
    assert added == ["kz-75-leb/tariff-1", "kz-75-leb/waste-1", "kz-11-residents/solar-1"]  # added, edited, removed
    assert "Comments added" in part and "Comments edited" in part and "Comments removed" in part
    assert "Clean water" not in part  # unchanged chapters are not listed


def test_new_comments_are_marked_in_margin_and_sticky_notes(history):
    _, out, first, _ = history
    notes = [a.get_object() for p in pypdf.PdfReader(out / "review.pdf").pages for a in p.get("/Annots") or []
             if a.get_object()["/Subtype"] == "/Text"]
    new = [n for n in notes if n["/NM"].startswith("kz-75-leb/tariff-1#")]
    assert len(new) == 1 and new[0]["/Contents"].startswith("Тарифы на тепло растут быстрее пенсий.\n")
    assert f"new since {first}" in new[0]["/Contents"]
    assert all(f"new since {first}" not in n["/Contents"] for n in notes if n not in new)
    html = (out / "review.html").read_text(encoding="utf-8")
    assert html.count('class="note-new"') == 1


def test_vnr_diff_prints_the_same_summary(history):
    root, _, first, head = history
    lines = diff(root, first, head)
    assert lines[0] == f"Changes since {first}:"
    assert "  ~ sdg-07-heat: Uninterrupted electricity and heating (changed, 1 paragraph(s))" in lines
    assert "  comment added: kz-75-leb/tariff-1: Тарифы на тепло растут быстрее пенсий." in lines
    assert any(line.startswith("  comment edited: kz-75-leb/waste-1: ") for line in lines)
    assert any(line.startswith("  comment removed: kz-11-residents/solar-1: ") for line in lines)
    done = subprocess.run([sys.executable, "-m", "vnr", "diff", first, "--path", str(root)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.splitlines() == lines


def test_manifest_hashes_match_the_files(history):
    root, out, _, _ = history
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    for path, digest in manifest["inputs"].items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == digest
    for name, info in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == info["sha256"]
    assert set(manifest["chapters"]) == {"intro", "sdg-06", "sdg-07"}
    assert "kz-75-leb/tariff-1" in manifest["comments"] and "kz-11-residents/solar-1" not in manifest["comments"]


def test_unknown_revision_is_an_input_error(history):
    root = history[0]
    done = subprocess.run([sys.executable, "-m", "vnr", "build", str(root), "--since", "no-such-rev"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("no-such-rev: error: not a revision of the project's git repository (a commit, "
                                  "tag or branch: `git log --oneline` lists them)\n")


def test_vnr_diff_outside_git_says_so_in_words(tmp_path):
    root = write_project(tmp_path / "p")  # tmp_path is not inside a git work tree
    done = subprocess.run([sys.executable, "-m", "vnr", "diff", "HEAD", "--path", str(root)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[0] == (f"HEAD: error: {root.resolve()} is not in a git repository: there are "
                                           "no revisions to compare with")


def test_workflow_is_valid_runs_the_readme_tests_and_uploads_build():
    path = ROOT / ".github" / "workflows" / "publish.yml"
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["publish"]["steps"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = re.findall(r"```sh\n(.*?)\n```", readme.split("## Quick start")[1])[1]
    assert any(step.get("run") == test_command for step in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "build/" and upload["with"]["name"] == "vnr-${{ steps.sha.outputs.short }}"
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any("--since" in s.get("run", "") and "pull_request" in s.get("if", "") for s in steps)
    assert sum("--groups" in s.get("run", "") for s in steps) == 2  # every revision publishes the packs too
    assert any(s.get("uses", "").startswith("softprops/action-gh-release") and "refs/tags/v" in s.get("if", "")
               for s in steps)


def test_outside_git_without_revision_the_build_is_unversioned(tmp_path):
    root = write_project(tmp_path / "p")  # tmp_path is not inside a git work tree
    out = root / "build"
    build(Options(root, out, formats=("html",)))
    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert manifest["revision"] == "unversioned"
    assert "Revision unversioned" in (out / "review.html").read_text(encoding="utf-8")
