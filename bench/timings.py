"""Timings the tests used to assert, measured here (the tests now wait on conditions instead):

    .venv/bin/python bench/timings.py [--repeat 5] [--no-browser]

- stop: from SIGTERM (`kill PID`) and from Ctrl-C (SIGINT to its process group) to `vnr preview`
  ended, with its PDF process, on a copy of the sample: while it lays out its first PDF, and settled;
- connections (the tests' small project): /status answered with 50 silent connections open; how
  soon the preview closes a silent connection; /status answered after 2 x THREADS requests begun
  and never ended;
- the PDF worker of `vnr build --format pdf` of the sample: when the build has handed it its job,
  and when the build ends (the window in which tests/test_processes.py kills a build mid-layout);
- browser (headless Chromium, skipped without it): from saving an edit to the page showing it.

Medians of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import write_project  # noqa: E402  (the tests' project)
from helpers import alive, handed_over, pdf_workers, within  # noqa: E402
from preview import Running, ask, get  # noqa: E402

from vnr.preview import THREADS  # noqa: E402


def sample(tmp: Path) -> Path:
    project = tmp / "sample"
    if not project.exists():
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("build", ".git", ".venv", "bench", "tests", "vnr",
                                                                     "*.egg-info", ".*cache"))
    return project


def stopped_after(project: Path, how: str, settled: bool) -> float:
    """Seconds from the signal to the preview and its PDF process ended."""
    running = Running(project)
    try:
        running.wait(lambda s: s["html"] == 0 and (s["pdf"] == 0 if settled else s["pdf"] is None), 300, 0.01)
        workers = pdf_workers(running.process.pid)
        started = time.perf_counter()
        if how == "SIGTERM":
            running.process.send_signal(signal.SIGTERM)
        else:
            os.killpg(running.process.pid, signal.SIGINT)
        running.process.wait(timeout=60)
        assert within(lambda: not any(alive(pid) for pid in workers), 60)
        return time.perf_counter() - started
    finally:
        running.stop()


def connections(project: Path) -> dict[str, float]:
    running = Running(project)
    port, host = running.port, f"127.0.0.1:{running.port}"
    try:
        running.settled()
        silent = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(50)]
        started = time.perf_counter()
        ask(port, get(host))
        figures = {"/status, 50 silent connections open": time.perf_counter() - started}
        silent[-1].recv(1)
        figures["a silent connection closed after"] = time.perf_counter() - started
        for connection in silent:
            connection.close()
        begun = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(2 * THREADS)]
        for connection in begun:
            connection.sendall(b"GET /status HTTP/1.1\r\n")
        started = time.perf_counter()
        ask(port, get(host))
        figures[f"/status, {2 * THREADS} requests begun and never ended"] = time.perf_counter() - started
        for connection in begun:
            connection.close()
        return figures
    finally:
        running.stop()


def build_timeline(project: Path, out: Path) -> dict[str, float]:
    started = time.perf_counter()
    build = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(project), "-o", str(out), "--format", "pdf",
                              "--revision", "r", "-q"])
    assert within(lambda: pdf_workers(build.pid), 60)
    worker = pdf_workers(build.pid)[0]
    assert within(lambda: handed_over(build.pid, worker), 120)
    sent = time.perf_counter() - started
    assert build.wait() == 0
    return {"job handed to the PDF worker": sent, "build ended": time.perf_counter() - started}


def browser_shows_edit(project: Path, repeat: int) -> list[float]:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return []
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 f"--user-data-dir={project.parent / 'chromium'}", "--window-size=1200,900"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    running = Running(project)
    chapter = project / "chapters" / "sdg-06.yaml"
    original, times = chapter.read_text(encoding="utf-8"), []
    try:
        running.settled()
        driver.get(running.url)
        for n in range(repeat):
            mark = f"Since 202{n} the Zhanakorgan pipeline brings water to {n + 11} more villages."
            saved = time.perf_counter()
            chapter.write_text(original.replace("of Kyzylorda Region.", f"of Kyzylorda Region.\n\n      {mark}", 1),
                               encoding="utf-8")
            WebDriverWait(driver, 60, poll_frequency=0.01).until(
                lambda d: mark in d.find_element(By.TAG_NAME, "body").text)
            times.append(time.perf_counter() - saved)
    finally:
        running.stop()
        driver.quit()
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for how in ("SIGTERM", "Ctrl-C"):
            for settled in (False, True):
                times = [stopped_after(sample(tmp), how, settled) for _ in range(args.repeat)]
                rows.append((f"preview stopped by {how}, {'settled' if settled else 'laying out'}",
                             statistics.median(times)))
        small = write_project(tmp / "small")
        runs = [connections(small) for _ in range(args.repeat)]
        rows += [(name, statistics.median(r[name] for r in runs)) for name in runs[0]]
        timelines = [build_timeline(sample(tmp), tmp / f"out{n}") for n in range(args.repeat)]
        rows += [(f"sample build: {name}", statistics.median(t[name] for t in timelines)) for name in timelines[0]]
        if not args.no_browser:
            shown = browser_shows_edit(write_project(tmp / "browsed"), args.repeat)
            if shown:
                rows.append(("browser: an edit saved to shown", statistics.median(shown)))
    print(f"| measured (median of {args.repeat}) | seconds |")
    print("|---|---|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
