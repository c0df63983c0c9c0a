"""Where the PDF's time and memory go, part by part (issue 27): measured before choosing a design.

    .venv/bin/python bench/parts.py [--scale N] [--profile]

In one process, as the PDF worker does it: the review's documents (the cover with the contents, then
each part) laid out one by one, each timed, with its pages and the memory the process holds after it
(ru_maxrss grows only); then all pages drawn into one PDF (`write_pdf`), timed; then each document's
pages drawn into a PDF of their own, timed, to see what a part drawn apart costs and weighs. With
--profile, the 25 functions with the most cumulative time over layout and drawing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
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
from vnr.write import html, layout, pdf, weasy  # noqa: E402


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
        layouts = layout.Layouts()

        def timed_render(html_text, stylesheet, _render=None):
            began = time.perf_counter()
            document = _render(html_text, stylesheet)
            rows.append((len(rows), time.perf_counter() - began, len(document.pages), peak_mb(),
                         len(html_text)))
            return document

        fetcher = weasy.ProjectFetcher(list(job.roots))

        def render(html_text, stylesheet):
            return weasy.HTML(string=html_text, base_url=str(job.roots[0]) + "/", url_fetcher=fetcher).render(
                font_config=layouts.fonts, cache=layouts.images, stylesheets=[stylesheet])

        document = layouts.document(job.documents, job.blank, job.looks,
                                    lambda h, s: timed_render(h, s, render))
        laid = time.perf_counter() - started
        began = time.perf_counter()
        whole = io.BytesIO()
        document.write_pdf(whole, finisher=weasy._finisher(job))
        drawn = time.perf_counter() - began
        if profile:
            profile.disable()
        print(f"layout {laid:.1f} s ({len(rows)} renders, {layouts.laid_out} documents laid out, "
              f"{layouts.renumbered} renumbered), {len(document.pages)} pages; draw + write {drawn:.1f} s, "
              f"{len(whole.getvalue()) / 1e6:.1f} MB; peak {peak_mb():.0f} MB")
        print("\n| # | document | HTML KB | pages | layout s | peak MB after |")
        print("|---|---|---|---|---|---|")
        for index, seconds, pages, peak, size in rows:
            name = names[index] if index < len(names) else "(again: references or blank pages)"
            print(f"| {index} | {name} | {size / 1000:.0f} | {pages} | {seconds:.2f} | {peak:.0f} |")
        # Each document's pages drawn apart: what a part written as its own PDF costs.
        parts_seconds, parts_bytes, first = 0.0, 0, 0
        for laid_doc in layouts.kept.values():
            count = len(laid_doc.document.pages)
            began = time.perf_counter()
            out = io.BytesIO()
            laid_doc.document.write_pdf(out)
            parts_seconds += time.perf_counter() - began
            parts_bytes += len(out.getvalue())
            first += count
        print(f"\neach document drawn as its own PDF: {parts_seconds:.1f} s in all, "
              f"{parts_bytes / 1e6:.1f} MB in all (one PDF: {drawn:.1f} s, {len(whole.getvalue()) / 1e6:.1f} MB)")
        if profile:
            stats = pstats.Stats(profile, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(25)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
