"""What a killed build leaves behind: no PDF worker running on without it; a killed worker, said."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import KILLED, alive, handed_over, kill_a_worker, pdf_workers, within

from vnr.write import pool


def test_the_pdf_worker_dies_with_a_build_killed_mid_layout(project, tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "-o", str(tmp_path / "out"),
                              "--format", "pdf", "--revision", "r", "-q"])
    try:
        assert within(lambda: pdf_workers(build.pid), 30), "the build started no PDF worker"
        workers = pdf_workers(build.pid)
        assert within(lambda: handed_over(build.pid, workers[0]) or build.poll() is not None, 60)
        assert alive(workers[0]) and build.poll() is None, "the build ended before it could be killed mid-layout"
        build.kill()
        build.wait()
        assert within(lambda: not any(alive(w) for w in workers), 5), "a PDF worker outlived its build"
    finally:
        build.kill()
    assert not (tmp_path / "out" / "review.pdf").exists()


def test_a_killed_pdf_worker_is_said_and_nothing_is_written(project):
    """The kernel's out-of-memory killer ends the PDF worker mid-layout (SIGKILL): exit 3, what
    happened in words, the earlier build's outputs as they were, no process left."""
    out = project / "build"
    assert _build(project, "old").wait() == 0 and _consistent(out) == "old"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    build = _build(project, "new")
    err, workers = kill_a_worker(build)
    assert build.returncode == 3, err
    assert err.strip().splitlines() == [KILLED], err
    assert within(lambda: not any(alive(pid) for pid in workers), 5) and pdf_workers(build.pid) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _staging(project) == []


def test_a_pdf_worker_failing_with_an_error_is_a_bug_shown_with_its_last_line():
    workers = pool.Pool(1)
    try:
        workers.submit(0, "no_such_request")
        with pytest.raises(RuntimeError, match=r"the PDF process failed: .*AttributeError: .*no_such_request"):
            workers.next()
    finally:
        workers.stop()


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
    """Killed at each stage a build passes through (its start, the PDF worker started, the job
    handed to it, the outputs staged), and whenever that comes: the outputs stay one whole set."""
    out = project / "build"
    assert _build(project, "r0").wait() == 0
    revisions = {"r0"}

    def started(build):
        return True

    def worker_started(build):
        return pdf_workers(build.pid)

    def job_sent(build):
        return any(handed_over(build.pid, pid) for pid in pdf_workers(build.pid))

    def staged(build):
        return _staging(project)

    for n, stage in enumerate((started, worker_started, job_sent, staged), 1):
        revisions.add(f"r{n}")
        build = _build(project, f"r{n}")
        assert within(lambda: stage(build) or build.poll() is not None, 60)
        build.kill()
        build.wait()
        assert _consistent(out) in revisions
    assert _build(project, "last").wait() == 0 and _consistent(out) == "last" and _staging(project) == []
