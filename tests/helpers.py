"""What several test modules share: running vnr, reading its errors, writing files, git, processes."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import write_project

from vnr.cli import main


def vnr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnr", *args], capture_output=True, text=True, cwd=cwd)


def run(*args: str) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue().splitlines()


def errors(root: Path) -> list[str]:
    code, lines = run("check", str(root))
    assert code == 1, lines
    assert lines[-1].startswith("vnr: ") and "nothing was written" in lines[-1]
    assert not any("Traceback" in line for line in lines)
    return lines[:-1]


def named(cases) -> list[str]:
    """Test ids for a table of error cases: the start of each case's expected message (its last item)."""
    return [case[-1].split(": error: ")[1][:40] for case in cases]


def put(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


RESPONSES = {
    "kz-75-leb/waste-1": ("accepted", "Section 12.5 now reports separate collection of household waste in every city.",
                          "sdg-07-heat"),
    "kz-75-leb/heat-1": ("partly", "Жылу беру желілерінің тозуы 7.1-бөлімде көрсетілді; қаржыландыру туралы деректер "
                         "әлі жоқ.", "sdg-07-heat"),
    "kz-11-residents/school-1": ("noted", "Малокомплектные школы будут отдельно рассмотрены в главе 4.", None),
    "kz-43-residents/water-1": ("declined", "A local matter for the akimat of Kyzylorda Region, outside the "
                                "national review.", None),
}  # kz-11-residents/solar-1 stays open
DONE = {"accepted", "declined"}


def responses_yaml(items=RESPONSES) -> str:
    out = []
    for key, (status, text, place) in items.items():
        out.append(f'{key}:\n  status: {status}\n  text: "{text}"\n' + (f"  place: {place}\n" if place else ""))
    return "".join(out)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Drafting team", "-c", "user.email=vnr@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def pdf_workers(parent: int) -> list[int]:
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


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def within(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


KILLED = ("vnr: the PDF layout process was killed by signal 9 (SIGKILL), most likely by the kernel for lack of "
          "memory; nothing was written")


def kill_a_worker(build, count: int = 1, which: int = 0) -> tuple[str, list[int]]:
    """SIGKILL one of the build's layout processes (at least `count` started) once it has work, as
    the kernel's out-of-memory killer would; the build's standard error, and the processes' pids."""
    try:
        assert within(lambda: len(pdf_workers(build.pid)) >= count, 30), f"the build started no {count} processes"
        workers = pdf_workers(build.pid)
        assert within(lambda: handed_over(build.pid, workers[which]) or build.poll() is not None, 60)
        os.kill(workers[which], signal.SIGKILL)
        _, err = build.communicate(timeout=60)
    finally:
        build.kill()
    return err, workers


def handed_over(build: int, worker: int) -> bool:
    """The build has sent the worker its first request: the worker names itself `vnr pdf: busy`."""
    try:
        return Path(f"/proc/{worker}/comm").read_text().strip() == "vnr pdf: busy"
    except OSError:
        return False


# A project with national indicator data: tables, a regional map, a chart (tests/test_indicators.py)
DATA = {
    # 2017 has a region's value but no national one: ".." in the national row.
    # KZAKT Aktobe, KZALA Almaty city, KZABY Abai (from 2022 only).
    "indicators/data/indicator_3-1-1.csv": """\
Year,REF_AREA,Value
2015,,12.5
2015,KZAKT,14.0
2015,KZALA,9.8
2016,,12.7
2017,KZAKT,15.0
2018,,14.0
2019,,13.7
2020,,36.5
2020,KZAKT,41.2
2020,KZALA,30.1
2021,,44.7
2021,KZAKT,61.3
2021,KZALA,1234.5
2022,KZABY,20.0
""",
    # SEX: _T is the total; the unit from UNIT_MEASURE and its label in translations/
    "indicators/data/indicator_3-2-1.csv": """\
Year,SEX,UNIT_MEASURE,Value
2018,_T,PER_1000_LIVE_BIRTHS,10.11
2018,M,PER_1000_LIVE_BIRTHS,11.30
2018,F,PER_1000_LIVE_BIRTHS,8.90
2019,_T,PER_1000_LIVE_BIRTHS,10.69
2019,M,PER_1000_LIVE_BIRTHS,11.80
2019,F,PER_1000_LIVE_BIRTHS,9.50
""",
    "indicators/data/indicator_11-6-1-1.csv": "Year,UNIT_MEASURE,Value\n2016,PT,9.0\n2021,PT,21.1\n",
    "indicators/meta/3-1-1.yml": "source_active_1: true\nsource_organisation_1: sources.3-1-1-org\n"
                                 "source_data_1: Administrative data\n",
    "indicators/translations/en/sources.yml": "3-1-1-org: Ministry of Healthcare\n",
    "indicators/translations/ru/sources.yml": "3-1-1-org: Министерство здравоохранения\n",
    "indicators/translations/en/UNIT_MEASURE.yml": "PER_1000_LIVE_BIRTHS: per 1000 live births\nPT: Percent\n",
    "indicators/translations/ru/UNIT_MEASURE.yml": "PER_1000_LIVE_BIRTHS: на 1000 родившихся\nPT: процент\n",
    "indicators/translations/kk/UNIT_MEASURE.yml": "PER_1000_LIVE_BIRTHS: 1000 тірі туылғанға\nPT: пайыз\n",
    "indicators/translations/en/SEX.yml": "F: Female\nM: Male\n",
    "indicators/translations/en/national_indicators.yml": "11-6-1-1-title: Share of household waste recycled\n",
    "indicators/translations/ru/national_indicators.yml": "11-6-1-1-title: Доля переработанных бытовых отходов\n",
    "indicators/translations/kk/national_indicators.yml": "11-6-1-1-title: Қайта өңделген тұрмыстық қалдықтар үлесі\n",
}

SDG03 = """\
id: sdg-03
order: 30
title: Good health and well-being
goals: [3]
body: |
"""
HEALTH = SDG03 + """\
  Maternal mortality rose during the pandemic.

  {{ indicator("3.1.1", years=[2015, 2017, 2021]) }}

  The regions differ widely.

  {{ indicator("3.1.1", by="REF_AREA", years=[2021, 2022], chart="map") }}
sections:
  - id: sdg-03-children
    title: Child mortality
    targets: ["3.2"]
    body: |
      {{ indicator("3.2.1", by="SEX", chart="line") }}

      {{ indicator("11.6.1.1") }}
"""


def data_project(root: Path, health: str = HEALTH, data: dict = DATA) -> Path:
    write_project(root)
    put(root, "chapters/sdg-03.yaml", health)
    for rel, text in data.items():
        put(root, rel, text)
    return root


# A seminar in Abai Region (KZ-10), created on 8 June 2022: a unit younger than the others.
ABAI = """\
region: KZ-10
city: Semey
date: 2022-09-15
audience: residents
participants:
  teachers: 12
comments:
  - id: air-1
    text: "Semey needs a monitoring post for air quality near the coal boiler houses."
    targets: ["11.6"]
    kind: proposal
    from: teachers
"""


def pdf_lacks(pdf: Path, texts, squeeze: bool = False) -> set[str]:
    """Of `texts`, those no page of the PDF's text layer holds (pages read until all are found: a
    200-page text layer takes pypdf seconds). `squeeze`: compare without any spaces."""
    import pypdf

    def norm(text: str) -> str:
        return "".join(text.split()) if squeeze else " ".join(text.split())

    missing = {t: norm(t) for t in texts}
    for page in pypdf.PdfReader(pdf).pages:
        if not missing:
            break
        text = norm(page.extract_text() or "")
        missing = {t: n for t, n in missing.items() if n not in text}
    return set(missing)
