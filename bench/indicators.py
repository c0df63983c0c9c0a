"""What national indicator data costs a build: the sample with and without its indicator tables,
and reading all of Kazakhstan's indicator files.

    .venv/bin/python bench/indicators.py [--repeat 3]

"With" is the sample as it is. "Without" is a copy with no `indicators/` folder, its
`indicator()` calls taken out and the statistical annex's chapter file removed: the review
before the data came in. Each `vnr build` goes into a fresh folder; the median counts.
Then, in one process: listing, parsing and checking every CSV of `indicators/data/` and making
the statistics part from them (the work every build with data does), median of 5.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALL = re.compile(r"^\s*\{\{\s*indicator\(.*\)\s*\}\}\s*$", re.M)


def without_data(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns("build", ".git", ".venv", "indicators", "bench",
                                                              "tests", "*.egg-info"))
    for path in (dest / "chapters").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^generated: statistics$", text, re.M):
            path.unlink()
        elif CALL.search(text):
            path.write_text(CALL.sub("", text), encoding="utf-8")
    return dest


def timed_build(project: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vnr", "build", str(project), "-o", str(out), "--revision", "bench"],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def pages(out: Path) -> int:
    import json

    return json.loads((out / "review.manifest.json").read_text())["outputs"]["review.pdf"]["pages"]


def load_all(repeat: int = 5) -> tuple[float, int, int]:
    from vnr.base.errors import Problems
    from vnr.base.i18n import Messages
    from vnr.base.names import Names
    from vnr.read.opensdg import Data
    from vnr.read.sources import Tree
    from vnr.resolve.statistics import statistics as part

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        problems = Problems()
        data = Data(Tree(ROOT), problems)
        report, count = part(data, Names(Messages("en")), problems)
        times.append(time.perf_counter() - start)
    rows = sum(len(data.indicator(i).rows) for i in data.ids if data.indicator(i))
    return statistics.median(times), len(data.ids), rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = without_data(Path(tmp) / "without")
        with_times, bare_times = [], []
        for n in range(args.repeat):  # in turn, so the machine's drift touches both
            with_times.append(timed_build(ROOT, Path(tmp) / f"with-{n}"))
            bare_times.append(timed_build(bare, Path(tmp) / f"without-{n}"))
        print(f"sample with indicator tables:    {statistics.median(with_times):.1f} s "
              f"({', '.join(f'{t:.1f}' for t in with_times)}), {pages(Path(tmp) / 'with-0')} pages")
        print(f"sample without indicator tables: {statistics.median(bare_times):.1f} s "
              f"({', '.join(f'{t:.1f}' for t in bare_times)}), {pages(Path(tmp) / 'without-0')} pages")
    seconds, files, rows = load_all()
    print(f"all indicator files: {files} CSVs, {rows:,} rows with a value, read, checked and summarised "
          f"in {seconds * 1000:.0f} ms (median of 5)")


if __name__ == "__main__":
    main()
