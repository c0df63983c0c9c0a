"""How long `vnr import` takes on a workbook of 10,000 comments and a CSV of 10,000 rows, and on
a sheet that claims 1,048,576 rows (its last cell G1048576, formatted but empty) with ten filled,
beside the same ten rows alone.

    .venv/bin/python bench/imports.py

All go into a copy of the sample without feedback (34 seminars, about 294 comments each, drawn
from the sample's own); prints wall time and CPU time (of the fastest of three runs) and the peak
memory of the process.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from vnr.read.load import load  # noqa: E402

COUNT = 10_000


def project(work: Path) -> Path:
    root = work / "p"
    root.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "chapters", root / "chapters")
    shutil.copytree(REPO / "indicators", root / "indicators")  # the chapters' indicator tables
    shutil.copy(REPO / "vnr.yaml", root)
    (root / "feedback").mkdir()
    return root


def rows() -> list[list[str]]:
    sample = load(REPO)
    seminars, comments = sample.seminars, sample.comments
    out = []
    for n in range(COUNT):
        s, c = seminars[n % len(seminars)], comments[n % len(comments)]
        out.append([s.id, s.region, s.city, s.date.isoformat(), s.audience, f"c{n}", f"{c.text} ({n})",
                    " ".join(c.targets), " ".join(map(str, c.goals)), c.kind, c.source])
    return out


def timed(command: list[str]) -> tuple[float, float, float]:
    best, cpu, peak = float("inf"), 0.0, 0.0
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            root = project(Path(tmp))
            started = time.perf_counter()
            child = subprocess.Popen([*command, "--path", str(root)], stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0, command
            if time.perf_counter() - started < best:
                best, cpu = time.perf_counter() - started, usage.ru_utime + usage.ru_stime
            peak = max(peak, usage.ru_maxrss / 1024)
    return best, cpu, peak


def sheet(path: Path, header: list[str], data: list[list[str]], last_cell: str | None = None) -> None:
    """The rows in a workbook; with `last_cell`, far below them a cell that holds nothing but a
    format (the sheet's last used cell is then G1048576, as a column formatted by hand leaves it)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in data:
        ws.append(row)
    if last_cell:
        ws[last_cell].number_format = "@"
    wb.save(path)


def main() -> None:
    header = ["seminar", "region", "city", "date", "audience", "id", "text", "targets", "goals", "kind", "from"]
    data = rows()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with open(tmp / "rows.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(data)
        (tmp / "map.yaml").write_text("columns: {" + ", ".join(f"{h}: {h}" for h in header) + "}\n")
        sheet(tmp / "rows.xlsx", header, data)
        sheet(tmp / "ten.xlsx", header, data[:10])
        sheet(tmp / "tall.xlsx", header, data[:10], last_cell="G1048576")
        vnr = [sys.executable, "-m", "vnr", "import"]
        print("| file | rows | `vnr import` | CPU | peak MB |\n|---|---|---|---|---|")
        for name, what, count in (("rows.csv", "a form export", f"{COUNT:,}"),
                                  ("rows.xlsx", "a form export", f"{COUNT:,}"),
                                  ("ten.xlsx", "ten of its rows", "10"),
                                  ("tall.xlsx", "the ten, last cell G1048576", "10 of 1,048,576")):
            seconds, cpu, peak = timed([*vnr, str(tmp / name), "--mapping", str(tmp / "map.yaml")])
            print(f"| {name} ({what}, mapped) | {count} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} |")
        # the feedback workbook of a project holding those 10,000 comments, imported without a mapping
        full = project(tmp / "full")
        subprocess.run([*vnr, str(tmp / "rows.csv"), "--mapping", str(tmp / "map.yaml"), "--path", str(full)],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "vnr", "export", str(tmp / "feedback.xlsx"), "--path", str(full)],
                       check=True, stdout=subprocess.DEVNULL)
        seconds, cpu, peak = timed([*vnr, str(tmp / "feedback.xlsx")])
        print(f"| feedback.xlsx (vnr export of them) | {COUNT:,} | {seconds:.2f} s | {cpu:.2f} s | {peak:.0f} |")


if __name__ == "__main__":
    main()
