"""What a killed build leaves behind: no PDF worker running on without it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from helpers import pdf_workers, alive, within

ROOT = Path(__file__).resolve().parent.parent


def test_the_pdf_worker_dies_with_a_build_killed_mid_layout(tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(ROOT), "-o", str(tmp_path / "out"),
                              "--format", "pdf", "--revision", "r", "-q"])
    try:
        assert within(lambda: pdf_workers(build.pid), 30), "the build started no PDF worker"
        worker = pdf_workers(build.pid)[0]
        # the sample's HTML reaches the worker after about 2 s and takes it about 10 s to lay out
        time.sleep(4)
        assert alive(worker) and build.poll() is None, "the build ended before it could be killed mid-layout"
        build.kill()
        build.wait()
        assert within(lambda: not alive(worker), 5), "the PDF worker outlived its build"
    finally:
        build.kill()
    assert not (tmp_path / "out" / "review.pdf").exists()


def _consistent(out: Path) -> str:
    """The revision of the output set in `out`, after checking every output against its manifest."""
    import hashlib
    import json

    manifest = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"review.pdf", "review.docx", "review.html"}
    for name, info in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == info["sha256"], name
    assert sorted(p.name for p in out.iterdir()) == sorted([*manifest["outputs"], "review.manifest.json"])
    return manifest["revision"]


def _build(project: Path, revision: str, **env) -> subprocess.Popen:
    import os

    return subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "--revision", revision, "-q"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env})


def _staging(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith(".vnr-")]


def test_a_build_killed_while_publishing_leaves_one_whole_set(project):
    out = project / "build"
    assert _build(project, "old").wait() == 0 and _consistent(out) == "old"
    (project / "chapters" / "intro.yaml").write_text("id: intro\ntitle: Introduction (second draft)\n")
    for step, expected in (("staged", "old"), ("swapped", "new")):
        build = _build(project, "new", VNR_TEST_PAUSE=step)
        try:
            assert build.stderr.readline().strip() == f"vnr: paused at {step}"
            build.kill()
            build.wait()
        finally:
            build.kill()
        assert _consistent(out) == expected, step
        assert _staging(project), "the staging folder of the killed build is still there"
        assert _build(project, "old").wait() == 0 and _consistent(out) == "old"
        assert _staging(project) == [], "the next build removes what a killed one left"


def test_the_output_folder_keeps_ordinary_permissions(project):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        assert _build(project, "r").wait() == 0
    finally:
        os.umask(mask)
    out = project / "build"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755  # not the 0700 of the staging folder it was
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o644}


def test_a_build_killed_at_any_moment_leaves_one_whole_set(project):
    out = project / "build"
    assert _build(project, "r0").wait() == 0
    revisions = {"r0"}
    for n, delay in enumerate((0.4, 0.9, 1.4, 1.9, 2.4, 2.9, 3.4), 1):
        revisions.add(f"r{n}")
        build = _build(project, f"r{n}")
        time.sleep(delay)
        build.kill()
        build.wait()
        assert _consistent(out) in revisions
    assert _build(project, "last").wait() == 0 and _consistent(out) == "last" and _staging(project) == []
