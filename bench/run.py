"""Benchmark: the sample and synthetic projects scaled from it, against bare WeasyPrint and pandoc.

    .venv/bin/python bench/run.py --scales 1,4 --repeat 5    # as recorded in bench/README.md
    .venv/bin/python bench/run.py --scales 16 --repeat 1

Everything is generated into a temporary folder; nothing large is committed. Prints a Markdown
table: per scale, pages, comments, the time of each stage measured in one process (load,
resolve, HTML, PDF layout, PDF write, DOCX), then real `vnr` commands (wall time, peak memory
of the largest process) beside bare `weasyprint` and `pandoc` on the same review.html, and the
ratios the speed issue targets. Then `vnr check` on 1,000 and 8,000 comments.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
VNR = [sys.executable, "-m", "vnr"]


def scaled(target: Path, scale: int, source: Path = REPO) -> Path:
    """The sample (of `source`, a checkout) with every seminar held `scale` times (copies `<seminar>-x2.yaml`, ...).

    The chapters stay as they are: what grows from one review to the next, or from a small
    country to a large one, is the feedback (thousands of comments), while the review itself
    stays at 150-250 pages. Repeating the chapters as well would place every comment at every
    copy of its section, and so grow the annotations with the square of the scale.
    """
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("build", ".git", ".venv", "bench", "tests", "vnr"))
    for path in sorted((target / "feedback").glob("*.yaml")):
        for copy in range(2, scale + 1):
            shutil.copyfile(path, path.with_name(f"{path.stem}-x{copy}.yaml"))
    return target


def many_comments(target: Path, count: int) -> Path:
    """A project of the sample's chapters and `count` comments spread over 34 seminars."""
    project = scaled(target, 1)
    shutil.rmtree(project / "responses", ignore_errors=True)  # they answer the sample's comments, replaced here
    seminars = sorted((project / "feedback").glob("*.yaml"))
    per = count // len(seminars)
    for path in seminars:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        base = data["comments"]
        data["comments"] = [{**base[i % len(base)], "id": f"c{i}"} for i in range(per)]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of the largest process of a command (its own or a child's)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return wall, usage.ru_maxrss / 1024


STAGES = r"""
import io, json, sys, time
from pathlib import Path
from vnr.read import load
from vnr.read import revision
from vnr.resolve import resolve
from vnr.write import docx, html, pdf, pool
root = Path(sys.argv[1]); t = {}
mark = time.perf_counter()
def lap(name):
    global mark
    now = time.perf_counter(); t[name] = now - mark; mark = now
project = load.load(root); lap("load")
review = resolve(project, "en", "review", "bench", revision.build_date(root)); lap("resolve")
page = html.render(review, root); lap("html")
job = pdf.job(review, page, [root], None)
maker = pdf.Pdf(pool.default_jobs()); maker.send(job); made = maker.result(); maker.stop()
t["pdf layout"], t["pdf write"] = made.seconds; mark = time.perf_counter()
docx.render(review); lap("docx")
print(json.dumps({"stages": t, "pages": made.pages, "comments": len(project.comments)}))
"""


def bench_scale(scale: int, work: Path, repeat: int) -> dict:
    import json

    project = scaled(work / f"x{scale}", scale)
    out = work / f"out{scale}"
    stages = json.loads(subprocess.run([sys.executable, "-c", STAGES, str(project)], check=True,
                                       capture_output=True, text=True).stdout)
    row = {"scale": scale, **stages}
    page = out / "page" / "review.html"
    timed([*VNR, "build", str(project), "-o", str(out / "page"), "-q", "--format", "html"])
    weasyprint = shutil.which("weasyprint", path=str(Path(sys.executable).parent)) or shutil.which("weasyprint")
    pandoc = shutil.which("pandoc")

    def fresh(name: str, *extra: str) -> tuple[float, float]:
        shutil.rmtree(out / name, ignore_errors=True)
        return timed([*VNR, "build", str(project), "-o", str(out / name), "-q", *extra])

    # Each round runs every command once, in turn, so that the machine's drift (its timings vary
    # by 10-30 % over minutes) touches `vnr` and the bare tools alike; the fastest round counts:
    # the first pays for cold caches (bytecode, fonts) that an editor's machine has warm.
    rounds = []
    for _ in range(repeat):
        rounds.append({
            "pdf": fresh("pdf", "--format", "pdf"),
            "weasyprint": timed([weasyprint, "-u", f"{project}/", str(page), str(work / "bare.pdf")]) if weasyprint else None,
            "build": fresh("all"),
            "docx": fresh("docx", "--format", "docx"),
            "pandoc": timed([pandoc, str(page), "-o", str(work / "bare.docx")]) if pandoc else None,
        })
    for key in rounds[0]:
        row[key] = None if rounds[0][key] is None else min(r[key] for r in rounds)
    row["rebuild"] = timed([*VNR, "build", str(project), "-o", str(out / "all"), "-q"])
    return row


def table(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("| scale | pages | comments | load | resolve | HTML | PDF layout | PDF write | DOCX "
              "| `vnr build` | peak MB | `--format pdf` | bare weasyprint | `--format docx` | pandoc | no-change rebuild |\n")
    out.write("|" + "---|" * 16 + "\n")
    for r in rows:
        s = r["stages"]
        cell = lambda pair: "–" if pair is None else f"{pair[0]:.1f} s"  # noqa: E731
        out.write(f"| {r['scale']}x | {r['pages']} | {r['comments']} | {s['load']:.2f} | {s['resolve']:.2f} "
                  f"| {s['html']:.2f} | {s['pdf layout']:.1f} | {s['pdf write']:.1f} | {s['docx']:.1f} "
                  f"| {cell(r['build'])} | {r['build'][1]:.0f} | {cell(r['pdf'])} | {cell(r['weasyprint'])} "
                  f"| {cell(r['docx'])} | {cell(r['pandoc'])} | {r['rebuild'][0]:.2f} s |\n")
    out.write("\nRatios (targets in parentheses):\n\n")
    for r in rows:
        ratios = [f"pdf/weasyprint {r['pdf'][0] / r['weasyprint'][0]:.2f} (≤ 1.10)" if r["weasyprint"] else None,
                  f"all/pdf {r['build'][0] / r['pdf'][0]:.2f} (≤ 1.15)",
                  f"docx/pandoc {r['docx'][0] / r['pandoc'][0]:.2f} (≤ 1.5)" if r["pandoc"] else None,
                  f"no-change/full {r['rebuild'][0] / r['build'][0]:.3f} (≤ 0.05)"]
        out.write(f"- {r['scale']}x: " + "; ".join(x for x in ratios if x) + "\n")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,4,16")
    parser.add_argument("--checks", default="1000,8000", help="comment counts for the `vnr check` timing")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command; the fastest counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vnr-bench-") as tmp:
        work = Path(tmp)
        rows = []
        for scale in (int(s) for s in args.scales.split(",") if s):
            rows.append(bench_scale(scale, work, args.repeat))
            print(f"scale {scale}x done", file=sys.stderr)
        print(table(rows))
        print("`vnr check`:\n")
        for count in (int(c) for c in args.checks.split(",") if c):
            project = many_comments(work / f"check{count}", count)
            wall, peak = timed([*VNR, "check", str(project)])
            print(f"- {count:,} comments: {wall:.2f} s, {peak:.0f} MB")


if __name__ == "__main__":
    main()
