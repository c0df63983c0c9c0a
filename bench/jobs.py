"""The PDF on every core (issue 27): `vnr build --format pdf --jobs N` against bare WeasyPrint.

    .venv/bin/python bench/jobs.py [--repeat 3] [--jobs 1,2] [--before DIR]

A copy of the sample, built into fresh folders. Each round runs every command once, in turn, so
that the machine's drift touches all alike: bare `weasyprint` on the sample's review.html (one
process: WeasyPrint has no other way), `vnr build --format pdf --jobs N` for each N, and with
`--before DIR` the same build by the vnr checked out in DIR (an older commit: `git worktree add`),
which has no --jobs. Prints each command's fastest and median wall time, its ratio to bare
WeasyPrint, and the peak memory of its largest process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import scaled  # noqa: E402


def timed(command: list[str], env: dict | None = None) -> tuple[float, float]:
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd="/")
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--before", type=Path, help="a checkout of an older vnr to build with too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = scaled(Path(tmp) / "p", args.scale)
        vnr = [sys.executable, "-m", "vnr", "build", str(project), "--format", "pdf", "-q", "--revision", "bench"]
        subprocess.run([sys.executable, "-m", "vnr", "build", str(project), "-o", f"{tmp}/html", "--format", "html",
                        "-q", "--revision", "bench"], check=True, cwd="/")
        weasyprint = str(Path(sys.executable).parent / "weasyprint")
        here = {**os.environ, "PYTHONPATH": str(ROOT)}
        commands = {"bare weasyprint": ([weasyprint, "-u", f"{project}/", f"{tmp}/html/review.html", f"{tmp}/bare.pdf"],
                                        None)}
        if args.before:
            commands["before (one process)"] = ([*vnr, "-o", f"{tmp}/before"],
                                                {**os.environ, "PYTHONPATH": str(args.before.resolve())})
        for jobs in args.jobs.split(","):
            commands[f"--jobs {jobs}"] = ([*vnr, "-o", f"{tmp}/jobs{jobs}", "--jobs", jobs], here)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (command, env) in commands.items():
                out = command[command.index("-o") + 1] if "-o" in command else None
                if out:
                    shutil.rmtree(out, ignore_errors=True)
                runs[name].append(timed(command, env))
        from pypdf import PdfReader

        pages = len(PdfReader(f"{tmp}/jobs{args.jobs.split(',')[0]}/review.pdf").pages)
        bare = min(t for t, _ in runs["bare weasyprint"])
        print(f"scale {args.scale}: {pages} pages; {os.cpu_count()} cores; {args.repeat} rounds\n")
        print("| command | fastest s | median s | fastest / bare | pages / s | largest process MB |")
        print("|---|---|---|---|---|---|")
        for name, times in runs.items():
            fastest = min(t for t, _ in times)
            print(f"| {name} | {fastest:.1f} | {statistics.median(t for t, _ in times):.1f} | {fastest / bare:.2f} | "
                  f"{pages / fastest:.1f} | {max(m for _, m in times):.0f} |")


if __name__ == "__main__":
    main()
