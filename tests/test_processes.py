"""What a killed build leaves behind: no PDF worker running on without it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _workers(parent: int) -> list[int]:
    """Processes started by `parent` that run vnr's PDF worker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"vnr.write.weasy" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_the_pdf_worker_dies_with_a_build_killed_mid_layout(tmp_path):
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(ROOT), "-o", str(tmp_path / "out"),
                              "--format", "pdf", "--revision", "r", "-q"])
    try:
        assert _wait(lambda: _workers(build.pid), 30), "the build started no PDF worker"
        worker = _workers(build.pid)[0]
        # the sample's HTML reaches the worker after about 2 s and takes it about 10 s to lay out
        time.sleep(4)
        assert _running(worker) and build.poll() is None, "the build ended before it could be killed mid-layout"
        build.kill()
        build.wait()
        assert _wait(lambda: not _running(worker), 5), "the PDF worker outlived its build"
    finally:
        build.kill()
    assert not (tmp_path / "out" / "review.pdf").exists()
