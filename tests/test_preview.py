"""`vnr preview`: what it serves after edits equals what `vnr build` makes of the same sources;
errors come and go; it listens on 127.0.0.1 only, writes nothing into the project and stops on SIGTERM."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pdfua
import pypdf
import pytest
from conftest import write_project
from helpers import alive, data_project, pdf_workers, vnr, within
from preview import (
    Running,
    ask,
    assert_numbers_right,
    get,
    listening,
    outline,
    sticky_notes,
    threads,
)

from vnr.preview import THREADS

GROWN = textwrap.dedent("""\
    id: intro
    order: 10
    title: Introduction
    body: |
      This review reports on the 2030 Agenda in Kazakhstan.

""") + "".join(
    f"  {n}. The Government held consultations with local executive bodies, civil society, business and "
    "academia in every region and city of national importance; their proposals are reflected in the "
    "chapters on the goals they concern and in the annex of comments.\n\n" for n in range(1, 36))


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def full_build(root: Path, out: Path, *args: str, name: str = "review") -> pypdf.PdfReader:
    done = vnr("build", str(root), "-o", str(out), "--format", "pdf,html", *args)
    assert done.returncode == 0, done.stderr
    return pypdf.PdfReader(out / f"{name}.pdf")


def served_html(running: Running) -> str:
    """/ as `vnr build` writes review.html: the page less the preview's reload script."""
    code, page = running.get("/")
    assert code == 200
    return re.sub(r'<script src="/vnr-preview\.js"[^>]*></script>', "", page.decode("utf-8"))


def assert_same_review(served: pypdf.PdfReader, built: pypdf.PdfReader) -> None:
    assert len(served.pages) == len(built.pages)
    for number, (a, b) in enumerate(zip(served.pages, built.pages), 1):
        assert a.extract_text() == b.extract_text(), f"page {number} differs"
    assert outline(served) == outline(built)
    assert sticky_notes(served) == sticky_notes(built)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """A preview of a project kept in git (as most are; the revision asked of git must not touch
    .git either), with an edit not committed yet: the revision on every page stays '<sha>-dirty'."""
    root = write_project(tmp_path_factory.mktemp("preview") / "project")
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "draft"], check=True)
    settings = root / "vnr.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("Draft for consultation", "Second draft"),
                        encoding="utf-8")
    before = snapshot(root)
    running = Running(root)
    running.settled()
    yield running, root, before
    running.stop()


def test_the_pdf_after_edits_is_the_full_builds_with_numbers_moved(preview, tmp_path):
    running, root, _ = preview
    status = running.status()
    first = running.pdf()

    # A sentence changed: that chapter alone is laid out again.
    chapter = root / "chapters" / "sdg-07.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Heating networks in the north are worn.",
                       "Heating networks in the north are worn; a third of them is past its service life."),
                       encoding="utf-8")
    status = running.settled(after=status["generation"])
    assert set(status) == {"generation", "html", "pdf", "errors"}
    assert running.said(rf"generation {status['generation']}: PDF in ").endswith(" (1 of 12 parts laid out)\n")
    served = running.pdf()
    assert "worn; a third of them" in " ".join(served.pages[4].extract_text().split())
    assert_same_review(served, full_build(root, tmp_path / "one"))
    # the HTML too: the parts kept from before and the one rendered again are the build's page
    assert served_html(running) == (tmp_path / "one" / "review.html").read_text(encoding="utf-8")

    # The introduction grows by pages: every later part's page numbers, the contents' numbers,
    # bookmarks and sticky notes move with it.
    (root / "chapters" / "intro.yaml").write_text(GROWN, encoding="utf-8")
    status = running.settled(after=status["generation"])
    served = running.pdf()
    assert len(served.pages) > len(first.pages)
    assert served.pages[1].extract_text() != first.pages[1].extract_text()
    assert_numbers_right(served)
    assert "-dirty" in served.pages[2].extract_text()
    # laid out: the introduction and the contents; the parts after them kept, their numbers moved
    assert running.said(rf"generation {status['generation']}: PDF in ").endswith(
        " (2 of 12 parts laid out, 10 renumbered)\n")
    assert_same_review(served, full_build(root, tmp_path / "two"))

    # A comment's words change: the part that places it (here the unplaced comments: no chapter reports
    # on goal 4) and its goal's share of the annex are laid out again, the annex being laid out goal by
    # goal (5 goals here: 12 documents).
    feedback = root / "feedback" / "kz-11-residents.yaml"
    feedback.write_text(feedback.read_text(encoding="utf-8").replace("small rural schools?",
                        "small rural schools with fewer than ten pupils?"), encoding="utf-8")
    status = running.settled(after=status["generation"])
    assert running.said(rf"generation {status['generation']}: PDF in ").endswith(" (2 of 12 parts laid out)\n")
    assert_same_review(running.pdf(), full_build(root, tmp_path / "words"))

    # A comment moves to another goal: its margin note and sticky note move to another chapter.
    feedback = root / "feedback" / "kz-43-residents.yaml"
    feedback.write_text(feedback.read_text(encoding="utf-8").replace("goals: [6]", "goals: [7]"), encoding="utf-8")
    running.settled(after=status["generation"])
    served = running.pdf()
    html = served_html(running)
    notes = sticky_notes(served)
    page = next(i for i, names in enumerate(notes) if any(n.startswith("kz-43-residents/water-1") for n in names))
    assert "Affordable and clean energy" in served.pages[page].extract_text()
    assert_same_review(served, full_build(root, tmp_path / "three"))
    assert html == (tmp_path / "three" / "review.html").read_text(encoding="utf-8")


def test_an_error_is_listed_until_it_is_fixed_and_the_last_good_pdf_stays(preview):
    running, root, _ = preview
    status = running.settled()
    good = running.get("/review.pdf")[1]
    chapter = root / "chapters" / "sdg-07.yaml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("goals: [7]", "goals: [7, 18]"), encoding="utf-8")

    broken = running.wait(lambda s: s["errors"])
    assert broken["errors"] == ["chapters/sdg-07.yaml:4:12: error: goal must be at most 17, got 18"]
    assert broken["html"] == broken["pdf"] == status["generation"]  # the last good outputs, still served
    code, page = running.get("/")
    assert code == 200
    assert "chapters/sdg-07.yaml:4:12: error: goal must be at most 17, got 18" in page.decode()
    assert "Clean water and sanitation" not in page.decode()  # the errors instead of the review
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.decode()  # a phone too
    assert running.get("/review.pdf") == (200, good)

    chapter.write_text(text, encoding="utf-8")
    fixed = running.settled(after=broken["generation"])
    assert fixed["errors"] == []
    code, page = running.get("/")
    assert "Clean water and sanitation" in page.decode() and "error:" not in page.decode()


def test_a_change_saved_during_a_layout_is_laid_out_next(preview, tmp_path):
    running, root, _ = preview
    status = running.settled()
    chapter = root / "chapters" / "sdg-06.yaml"
    text = chapter.read_text(encoding="utf-8")
    first = text.replace("Group water pipelines", "Group water pipelines, 94 % of them built since 2011,")
    chapter.write_text(first, encoding="utf-8")
    made = running.wait(lambda s: s["html"] is not None and s["html"] > status["generation"], every=0.01)
    chapter.write_text(first.replace("most villages", "most villages and district centres"), encoding="utf-8")
    final = running.settled(after=made["html"])
    assert final["pdf"] == final["html"] == final["generation"]
    served = " ".join(" ".join(p.extract_text() for p in running.pdf().pages).split())
    assert "94 % of them built since 2011, reach most villages and district centres" in served
    assert_same_review(running.pdf(), full_build(root, tmp_path / "out"))


def test_it_listens_on_127_0_0_1_only_and_answers_only_to_its_own_names(preview):
    running, _, _ = preview
    port = running.port
    assert listening(port) == ["0100007F"]  # 127.0.0.1, and no IPv6 socket
    others = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1"}
    for address in others:
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()
    assert running.get("/", {"Host": f"localhost:{port}"})[0] == 200
    assert running.get("/", {"Host": f"attacker.example:{port}"})[0] == 403
    assert running.get("/status", {"Host": "attacker.example"})[0] == 403
    answered = {host: ask(port, get(host))[0] for host in (
        f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}",
        "127.0.0.1", "localhost",  # without the port: port 80's names only
        f"127.0.0.1:{port + 1}", f"attacker.example:{port}", f"localhost.attacker.example:{port}",
        f"127.0.0.1.nip.io:{port}", f"127.0.0.1:{port}@attacker.example", "", None)}
    assert [host for host, code in answered.items() if code == 200] == [
        f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}"], answered
    assert set(answered.values()) == {200, 403}
    assert running.get("/public.pdf")[0] == 404  # the edition served is the reviewers'
    assert running.get("/../vnr.yaml")[0] == 404


def test_on_port_80_it_answers_its_names_with_or_without_the_port(project):
    try:
        running = Running(project, "--port", "80")
    except AssertionError as exc:  # not root, or something else listens there: then there is nothing to try
        if "error: port 80 on 127.0.0.1 " not in str(exc):
            raise
        pytest.skip(str(exc))
    try:
        assert running.port == 80
        answered = {host: ask(80, get(host))[0] for host in (
            "127.0.0.1", "localhost", "127.0.0.1:80", "localhost:80",
            "attacker.example", "attacker.example:80", "127.0.0.1:8000", "localhost:8080", None)}
        assert [host for host, code in answered.items() if code == 200] == [
            "127.0.0.1", "localhost", "127.0.0.1:80", "localhost:80"], answered
        assert set(answered.values()) == {200, 403}
    finally:
        running.stop()


def test_no_answer_may_be_framed_by_another_site(preview):
    """Clickjacking: every answer, errors included, forbids framing (CSP frame-ancestors, X-Frame-Options)."""
    running, _, _ = preview
    port, host = running.port, f"127.0.0.1:{running.port}"
    requests = {"page": get(host, "/"), "status": get(host), "script": get(host, "/vnr-preview.js"),
                "pdf": get(host, "/review.pdf"), "head": f"HEAD / HTTP/1.1\r\nHost: {host}\r\n\r\n".encode(),
                "not found": get(host, "/nothing"), "unknown host": get("attacker.example"),
                "POST": f"POST / HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n".encode(),
                "bad request": b"GET / x HTTP/1.1\r\n\r\n"}
    answers = {name: ask(port, request) for name, request in requests.items()}
    assert sorted({code for code, _, _ in answers.values()}) == [200, 400, 403, 404, 501]
    for name, (code, headers, _) in answers.items():
        policies = headers.get("content-security-policy", [])
        assert policies and all("frame-ancestors 'none'" in policy for policy in policies), (name, code, headers)
        assert headers.get("x-frame-options") == ["DENY"], (name, code, headers)
    assert "default-src 'none'" in answers["page"][1]["content-security-policy"][0]  # the page's own policy


def test_silent_connections_cost_no_thread_and_are_closed_within_seconds(preview):
    """50 connections opened and left silent (a browser's spare ones, or someone holding them):
    the preview still answers at once, runs no thread for them and closes them."""
    running, _, _ = preview
    running.settled()
    pid, before = running.process.pid, threads(running.process.pid)
    silent = [socket.create_connection(("127.0.0.1", running.port), timeout=30) for _ in range(50)]
    try:
        # accepted after the 50 (the server accepts in order): answered while they stay open
        assert ask(running.port, get(f"127.0.0.1:{running.port}"))[0] == 200
        assert threads(pid) <= before + THREADS, (before, threads(pid))
        for connection in silent:  # closed by the server (a timeout here: still open after 30 s)
            assert connection.recv(1) == b""
    finally:
        for connection in silent:
            connection.close()
    assert running.get("/status")[0] == 200


def test_requests_are_answered_by_a_bounded_number_of_threads(preview):
    """Requests begun and never ended hold at most THREADS threads, each until a few seconds after
    it came; a whole request sent after them is answered, and they are closed."""
    running, _, _ = preview
    running.settled()
    pid, before = running.process.pid, threads(running.process.pid)
    begun = [socket.create_connection(("127.0.0.1", running.port), timeout=30) for _ in range(2 * THREADS)]
    try:
        for connection in begun:
            connection.sendall(b"GET /status HTTP/1.1\r\n")  # the end of the headers never comes
        answered, most = [], before
        asking = threading.Thread(target=lambda: answered.append(ask(running.port, get(f"127.0.0.1:{running.port}"))))
        asking.start()
        while asking.is_alive():  # the most threads seen until the whole request is answered
            most = max(most, threads(pid))
            asking.join(0.02)
        assert answered and answered[0][0] == 200
        assert most <= before + THREADS + 1, (before, most)  # +1: a thread that gave its place back, ending
        for connection in begun:  # closed by the server (a timeout here: still open after 30 s)
            assert b"".join(iter(lambda connection=connection: connection.recv(65536), b"")) == b""
    finally:
        for connection in begun:
            connection.close()


def test_nothing_is_written_into_the_project(preview):
    running, root, before = preview
    running.settled()
    after = snapshot(root)
    edited = {"chapters/intro.yaml", "chapters/sdg-06.yaml", "chapters/sdg-07.yaml", "feedback/kz-43-residents.yaml",
              "feedback/kz-11-residents.yaml"}
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed <= edited, changed - edited  # .git/index included: git describe --dirty kept off it


@pytest.mark.parametrize("stop", ["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_it_and_its_pdf_process_within_seconds(project, stop):
    running = Running(project)
    running.settled()
    workers = pdf_workers(running.process.pid)
    assert workers  # the WeasyPrint process
    if stop == "SIGTERM":  # `kill PID`: the preview alone
        running.process.send_signal(signal.SIGTERM)
    else:  # Ctrl-C in its terminal: SIGINT to its process group, the PDF process too
        os.killpg(running.process.pid, signal.SIGINT)
    assert running.process.wait(timeout=30) == 0  # the time it takes: bench/timings.py
    running.stop()
    assert running.lines[-1] == "vnr preview: stopped\n", running.lines
    assert not any("Traceback" in line or "failed" in line for line in running.lines), running.lines
    for pid in workers:
        assert within(lambda pid=pid: not alive(pid), 5), f"the PDF process {pid} outlived the preview"
    assert not (project / "build").exists()


def test_the_default_port_is_8000(project):
    done = subprocess.Popen([sys.executable, "-m", "vnr", "preview", str(project)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        first = done.stdout.readline()
        if not first:  # something else holds port 8000 here: then that is what it says
            assert "port 8000 on 127.0.0.1 is in use" in done.stderr.read()
        else:
            assert "at http://127.0.0.1:8000/ " in first
    finally:
        done.terminate()
        done.wait(timeout=10)


def test_a_port_in_use_is_said_plainly(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "vnr", "preview", str(project), "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == f"vnr preview: error: port {port} on 127.0.0.1 is in use (choose another with --port)"


def test_the_public_edition_is_served_as_public_pdf(project, tmp_path):
    running = Running(project, "--edition", "public")
    try:
        running.settled()
        assert running.get("/review.pdf")[0] == 404
        code, data = running.get("/public.pdf")
        assert code == 200
        served = pypdf.PdfReader(io.BytesIO(data))
        built = full_build(project, tmp_path / "out", "--edition", "public", name="public")
        assert [p.extract_text() for p in served.pages] == [p.extract_text() for p in built.pages]
        assert "/StructTreeRoot" in served.trailer["/Root"]  # tagged, as the build's

        # grown by pages: the parts after it renumbered, still tagged and checked as PDF/UA
        status = running.status()
        (project / "chapters" / "intro.yaml").write_text(GROWN, encoding="utf-8")
        grown = running.settled(after=status["generation"])
        assert running.said(rf"generation {grown['generation']}: PDF in ").endswith(" renumbered)\n")
        (tmp_path / "grown.pdf").write_bytes(running.get("/public.pdf")[1])
        served = pypdf.PdfReader(tmp_path / "grown.pdf")
        assert_numbers_right(served)
        assert_same_review(served, full_build(project, tmp_path / "grown", "--edition", "public", name="public"))
        report = pdfua.validate(str(tmp_path / "grown.pdf"))
        assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    finally:
        running.stop()


def test_an_indicator_file_error_stays_listed_across_changes_until_fixed(tmp_path):
    """The preview keeps what it parsed of each indicator file by its bytes: its errors too."""

    root = data_project(tmp_path / "project")
    csv = root / "indicators" / "data" / "indicator_3-2-1.csv"
    good = csv.read_text(encoding="utf-8")
    csv.write_text(good.replace("\n", "\n2019,_T,PER_1000_LIVE_BIRTHS,9x.6\n", 1), encoding="utf-8")
    running = Running(root)
    try:
        expected = ["indicators/data/indicator_3-2-1.csv:2:4: error: value '9x.6' is not a number"]
        first = running.wait(lambda s: s["errors"])
        assert first["errors"] == expected
        chapter = root / "chapters" / "sdg-07.yaml"  # another file changes: the CSV is not parsed again
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        again = running.wait(lambda s: s["generation"] > first["generation"] and s["errors"]
                             and running.said(rf"generation {s['generation']}: 1 error"))
        assert again["errors"] == expected and again["html"] is None
        csv.write_text(good, encoding="utf-8")
        assert running.settled(after=again["generation"])["errors"] == []
    finally:
        running.stop()


def test_the_errors_page_before_any_good_build_is_in_vnr_yaml_s_language_and_direction(tmp_path):
    """Before a build succeeds, the errors page speaks vnr.yaml's language (--lang first; English when
    vnr.yaml cannot be read), written in its direction."""
    from vnr.preview import Preview, errors_page

    root = tmp_path / "p"
    root.mkdir()
    (root / "vnr.yaml").write_text("title: T\ncountry: JO\nyear: 2022\nlanguage: ar\n", encoding="utf-8")
    assert Preview(root, say=lambda line: None).state.lang == "ar"
    assert Preview(root, lang="fr", say=lambda line: None).state.lang == "fr"
    (root / "vnr.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert Preview(root, say=lambda line: None).state.lang == "en"
    status = {"errors": ["vnr.yaml:1:8: error: ..."], "pdf": None}
    assert '<html lang="ar" dir="rtl">' in errors_page(status, "review", "ar").decode()
    assert '<html lang="fr" dir="ltr">' in errors_page(status, "review", "fr").decode()
