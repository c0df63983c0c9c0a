"""Where the PDF's time and memory go, part by part (issue 27): measured before choosing a design.

    .venv/bin/python bench/parts.py [--scale N] [--profile]

In one process, as each WeasyPrint process of a build does it (write/weasy.py's Store): the review's
documents (the cover with the contents, then each part, the annex and statistics goal by goal) laid
out one by one, each timed, with its pages and the memory the process holds after it (ru_maxrss
grows only); then each drawn as the PDF of its own a build merges, timed. With --profile, the 25
functions with the most cumulative time over layout and drawing.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import scaled  # noqa: E402

from vnr.read import load, revision  # noqa: E402
from vnr.resolve import resolve  # noqa: E402
from vnr.write import html, pdf, weasy  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = scaled(Path(tmp) / "p", args.scale)
        project = load.load(root)
        review = resolve(project, "en", "review", "bench", revision.build_date(root))
        page = html.render(review, root)
        job = pdf.job(review, page, [root], None)
        names = ["cover + contents", *(p.id for p in review.parts)]
        print(f"scale {args.scale}: {len(project.comments)} comments, {len(names)} documents; "
              f"before layout {peak_mb():.0f} MB")
        profile = cProfile.Profile() if args.profile else None
        if profile:
            profile.enable()
        rows, started = [], time.perf_counter()
        store = weasy.Store()  # what each WeasyPrint process of a build does, here in one
        store.begin(dataclasses.replace(job, documents=()))
        for index, html_text in enumerate(job.documents):
            began = time.perf_counter()
            count, _ = store.lay(index, html_text, 1)
            rows.append((index, time.perf_counter() - began, count, peak_mb(), len(html_text)))
        laid = time.perf_counter() - started
        began, parts_bytes, pages = time.perf_counter(), 0, 0
        for index in range(len(job.documents)):
            drawn_part = store.draw(index, 1, index, (), False, True)
            parts_bytes, pages = parts_bytes + len(drawn_part.pdf), pages + len(drawn_part.pages)
        drawn = time.perf_counter() - began
        if profile:
            profile.disable()
        print(f"layout {laid:.1f} s ({len(rows)} documents), {pages} pages; each drawn as its own PDF "
              f"{drawn:.1f} s, {parts_bytes / 1e6:.1f} MB in all; peak {peak_mb():.0f} MB")
        print("\n| # | document | HTML KB | pages | layout s | peak MB after |")
        print("|---|---|---|---|---|---|")
        for index, seconds, count, peak, size in rows:
            print(f"| {index} | {names[index] if index < len(names) else '(a goal of a part)'} | {size / 1000:.0f} | "
                  f"{count} | {seconds:.2f} | {peak:.0f} |")
        if profile:
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(25)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
