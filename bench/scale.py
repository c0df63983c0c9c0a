"""The cost curve of a PDF build as the feedback grows (issue 27): pages per second and peak memory.

    .venv/bin/python bench/scale.py --scales 1,16,64

For each scale, the sample with every seminar held that many times (bench/run.py's `scaled`), built once
with `vnr build --format pdf` into a fresh folder. Prints wall time, pages, pages per second and two
peaks of memory: the largest process of the build (wait4's rusage), and the build with all its
processes together (their resident memory summed, read from /proc every 0.1 s: a short peak can fall
between two readings). `--vnr DIR` builds with the vnr in DIR (an older checkout: the "before"), and
the sample of DIR (the project its vnr reads). `--keep DIR` keeps each scale's outputs in DIR/x<scale>
(to look at the pages).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import scaled  # noqa: E402


def tree_rss_mb(root: int) -> float:
    """The resident memory of `root` and every process under it, summed."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21])  # pages
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,16,64")
    parser.add_argument("--jobs", help="vnr build --jobs (default: vnr's)")
    parser.add_argument("--vnr", type=Path, help="the vnr checkout to build with (default: this one)")
    parser.add_argument("--keep", type=Path, help="keep each scale's outputs in KEEP/x<scale>")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.vnr.resolve())} if args.vnr else None
    print("| scale | comments | sticky notes | merged | pages | build s | pages / s | largest process MB | "
          "all processes MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for scale in map(int, args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = scaled(Path(tmp) / "p", scale, *([args.vnr.resolve()] if args.vnr else []))
            out = args.keep / f"x{scale}" if args.keep else Path(tmp) / "out"
            began = time.perf_counter()
            jobs = ["--jobs", args.jobs] if args.jobs else []
            proc = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(root), "-o", str(out), "--format",
                                     "pdf", "-q", "--revision", "bench", *jobs], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=tmp, env=env)
            peak, done = [0.0], threading.Event()

            def sample(pid=proc.pid, peak=peak, done=done):
                while not done.wait(0.1):
                    peak[0] = max(peak[0], tree_rss_mb(pid))

            sampler = threading.Thread(target=sample)
            sampler.start()
            _, status, usage = os.wait4(proc.pid, 0)
            done.set()
            sampler.join()
            seconds = time.perf_counter() - began
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"the build of scale {scale} failed")
            from pypdf import PdfReader

            pages = len(PdfReader(out / "review.pdf").pages)
            comments = sum(Path(p).read_text(encoding="utf-8").count("\n  - id:")
                           for p in (root / "feedback").glob("*.yaml"))
            counts = json.loads((out / "review.manifest.json").read_text(encoding="utf-8"))["counts"]
            print(f"| x{scale} | {comments} | {counts['annotations']} | {counts.get('merged', '-')} | {pages} | "
                  f"{seconds:.1f} | {pages / seconds:.1f} | "
                  f"{usage.ru_maxrss / 1024:.0f} | {peak[0]:.0f} |", flush=True)


if __name__ == "__main__":
    main()
