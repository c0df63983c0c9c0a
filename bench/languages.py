"""The sample built in Arabic and Chinese against English: what fonts and shaping cost (issue 26).

    .venv/bin/python bench/languages.py --langs en,ar,zh --repeat 3 [--tree before=/tmp/old --tree after=.]

Each round builds the sample once per language and tree, in turn (all formats, reviewers' edition, a fresh
output folder each time); the fastest round of each counts. `--tree NAME=PATH` runs vnr from a checkout at
PATH (PYTHONPATH), so that the code before and after a change is measured in one run, on the same machine.
Peak memory is the largest process of the build (the PDF worker), from wait4's rusage.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(tree: Path, lang: str, out: Path) -> tuple[float, float, int]:
    """Seconds, peak MB and pages of one `vnr build --lang lang`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "vnr", "build", str(ROOT), "-o", str(out), "--lang", lang,
                             "-q", "--revision", "bench"], env=env, cwd=tree,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"vnr build --lang {lang} in {tree} failed")
    from pypdf import PdfReader

    return seconds, usage.ru_maxrss / 1024, len(PdfReader(out / "review.pdf").pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="en,ar,zh")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tree", action="append", default=[], help="NAME=PATH of a checkout to run vnr from")
    args = parser.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree) or {"now": str(ROOT)}
    langs = args.langs.split(",")
    best: dict[tuple[str, str], tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.repeat):
            for name, tree in trees.items():
                for lang in langs:
                    got = build(Path(tree).resolve(), lang, Path(tmp) / f"{name}-{lang}-{round_}")
                    if (name, lang) not in best or got[0] < best[name, lang][0]:
                        best[name, lang] = got
    print("| tree | language | pages | build s | ratio to en | peak MB |")
    print("|---|---|---|---|---|---|")
    for (name, lang), (seconds, peak, pages) in best.items():
        ratio = seconds / best[name, "en"][0] if (name, "en") in best else float("nan")
        print(f"| {name} | {lang} | {pages} | {seconds:.1f} | {ratio:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
