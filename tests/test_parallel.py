"""The PDF laid out in several processes (`vnr build --jobs N`): the same bytes for any N, a killed
process said and nothing written, the contents' page numbers where the headings are."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from conftest import write_project
from helpers import KILLED, alive, kill_a_worker, pdf_workers, within


def _vnr_build(root: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnr", "build", str(root), "-o", str(out), "--revision", "r", "-q",
                           *args], capture_output=True, text=True)


@pytest.mark.parametrize("edition", ["review", "public"])
def test_the_pdf_is_the_same_bytes_whatever_the_number_of_processes(tmp_path, edition):
    root = write_project(tmp_path / "p")
    made = {}
    for jobs in ("1", "4"):
        out = tmp_path / f"out{jobs}"
        extra = ("--archive",) if edition == "public" else ()
        done = _vnr_build(root, out, "--format", "pdf", "--edition", edition, "--jobs", jobs, *extra)
        assert done.returncode == 0, done.stderr
        made[jobs] = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    assert set(made["1"]) == ({"public.pdf", "archive.pdf"} if edition == "public" else {"review.pdf"})
    for name in made["1"]:
        assert made["1"][name] == made["4"][name], f"{name} differs between --jobs 1 and --jobs 4"
    reader = pypdf.PdfReader(tmp_path / "out4" / f"{edition}.pdf")
    assert len(reader.pages) > 5
    if edition == "review":  # every sticky note once, at its margin note
        names = [a.get_object()["/NM"] for p in reader.pages for a in p.get("/Annots", [])
                 if a.get_object()["/Subtype"] == "/Text" and "/IRT" not in a.get_object()]
        assert names and len(names) == len(set(names))


def test_jobs_must_be_a_number_of_processes(tmp_path):
    done = _vnr_build(tmp_path, tmp_path / "out", "--jobs", "0")
    assert done.returncode == 2 and "'0' is not a number of processes from 1 to 256" in done.stderr


def test_jobs_never_starts_more_processes_than_twice_the_cores(project):
    """No input exhausts the machine: `--jobs 256` on a 2-core machine starts 4 processes (each holds
    WeasyPrint and its pages), and the build goes on."""
    import os

    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "--revision", "r", "-q",
                              "--format", "pdf", "--jobs", "256"], stderr=subprocess.PIPE, text=True)
    try:
        assert within(lambda: pdf_workers(build.pid), 30), "the build started no process"
        time.sleep(1)  # they are started one after the other, at once
        started = len(pdf_workers(build.pid))
        assert build.wait(timeout=120) == 0, build.stderr.read()
    finally:
        build.kill()
    assert started == max(4, 2 * len(os.sched_getaffinity(0)))


def test_a_killed_process_ends_the_build_with_status_3_and_no_process_left(project):
    """The kernel's out-of-memory killer ends one of three layout processes (SIGKILL): the build
    says so, exits 3, stops the other two and writes nothing."""
    out = project / "build"
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "--revision", "r", "-q",
                              "--jobs", "3"], stderr=subprocess.PIPE, text=True)
    err, workers = kill_a_worker(build, count=3, which=1)
    assert build.returncode == 3, err
    assert err.strip().splitlines() == [KILLED], err
    assert len(workers) == 3
    assert within(lambda: not any(alive(pid) for pid in workers), 5), "a layout process outlived its build"
    assert not out.exists() or not any(out.iterdir())


def _contents(reader: pypdf.PdfReader) -> dict[str, int]:
    """Title -> the page number the contents shows, from the contents' lines ('Title .... 12')."""
    shown = {}
    for page in reader.pages[:4]:
        for line in page.extract_text().splitlines():
            found = re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line)
            if found:
                shown[found[1]] = int(found[2])
    return shown


def _headings(reader: pypdf.PdfReader) -> dict[str, int]:
    """Title -> the page (1-based) its outline entry leads to."""
    found = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return found


def _check_contents(pdf: Path) -> int:
    reader = pypdf.PdfReader(pdf)
    shown, headings = _contents(reader), _headings(reader)
    matched = 0
    for title, page in shown.items():
        if title in headings:
            assert headings[title] == page, f"the contents shows {title!r} on page {page}; it is on {headings[title]}"
            assert title.split()[0] in reader.pages[page - 1].extract_text(), (title, page)
            matched += 1
    return matched


def test_the_contents_numbers_are_the_pages_where_the_headings_are(built):
    assert _check_contents(built / "review.pdf") >= 5


def test_the_samples_contents_numbers_are_the_pages_where_the_headings_are(shared_build):
    """The sample: 30 parts and more, laid out wherever a process was free, most renumbered."""
    out, _ = shared_build()
    assert _check_contents(out / "review.pdf") >= 20
