"""The cost curve of a PDF build as the feedback grows (issue 27): pages per second and peak memory.

    .venv/bin/python bench/scale.py --scales 1,16,64

For each scale, the sample with every seminar held that many times (bench/run.py's `scaled`), built once
with `vnr build --format pdf` into a fresh folder. Prints wall time, pages, pages per second and the peak
memory of the largest process of the build (the PDF worker), from wait4's rusage.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import scaled  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="1,16,64")
    args = parser.parse_args()
    print("| scale | comments | pages | build s | pages / s | peak MB |")
    print("|---|---|---|---|---|---|")
    for scale in map(int, args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = scaled(Path(tmp) / "p", scale)
            out = Path(tmp) / "out"
            began = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(root), "-o", str(out), "--format",
                                     "pdf", "-q", "--revision", "bench"], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, cwd=tmp)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - began
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"the build of scale {scale} failed")
            from pypdf import PdfReader

            pages = len(PdfReader(out / "review.pdf").pages)
            comments = sum(Path(p).read_text(encoding="utf-8").count("\n  - id:")
                           for p in (root / "feedback").glob("*.yaml"))
            print(f"| x{scale} | {comments} | {pages} | {seconds:.1f} | {pages / seconds:.1f} | "
                  f"{usage.ru_maxrss / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
