"""Parallel layout, a feasibility prototype (issue 27): the review's documents laid out and drawn in N
processes, each part written as its own PDF, merged into one. Measured, not production code.

    .venv/bin/python bench/parallel.py [--scale N] [--jobs 1,2]

Two ways to get the page numbers right, each run with --jobs 1 and each N given:
- "renumber": lay out every document once (page numbers unknown), keep it in the worker that laid
  it out; once all page counts are known, each worker renumbers its pages (write/layout.py's blank
  pages) and draws them; the contents is laid out again with its page references.
- "two-pass": lay out every document to count its pages, drop it; then lay out each again with its
  first page number and references, and draw it (the second pass alone is what a build costs when
  the page counts are known beforehand, e.g. kept from the last build).
Documents go to the first idle worker, biggest (HTML length) first. The parts are merged with
pikepdf (pages, named destinations, links across parts, outline, sticky notes as the parts carry
them) and, for the time, pypdf (pages, destinations, outline). Bare `weasyprint` on the same
one-page HTML is the yardstick. "renumber" runs twice per N: the bytes are compared.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, scaled, timed

from vnr.read import load, revision
from vnr.resolve import resolve
from vnr.write import html, layout, pdf, weasy

PX_TO_PT = 0.75

# --- in the workers -------------------------------------------------------------------------------
JOB, LAYOUTS, LAID = None, None, {}


def _init(job) -> None:
    global JOB, LAYOUTS
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)  # "No anchor #x": links across parts
    JOB, LAYOUTS = job, layout.Layouts()


def _render(html_text, stylesheet):
    fetcher = weasy.ProjectFetcher(list(JOB.roots))
    return weasy.HTML(string=html_text, base_url=str(JOB.roots[0]) + "/", url_fetcher=fetcher).render(
        font_config=LAYOUTS.fonts, cache=LAYOUTS.images, stylesheets=[stylesheet])


def ready() -> int:
    return os.getpid()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lay(index: int, first: int, pages: dict, keep: bool):
    """Lay out one document; returns its page count and anchors (for the page numbers)."""
    began = time.perf_counter()
    document = _render(layout._numbered(JOB.documents[index], pages), layout._starting(first))
    if keep:
        LAID[index] = layout.Laid(document, first)
    anchors = [list(p.anchors) for p in document.pages]
    return index, len(document.pages), anchors, time.perf_counter() - began, document


def lay_count(index: int, first: int, pages: dict, keep: bool):
    return lay(index, first, pages, keep)[:4]


def draw(index: int, document=None):
    """One document's PDF, its sticky notes included, and what the merge needs of each page."""
    began = time.perf_counter()
    document = document or LAID.pop(index).document
    here = {a for p in document.pages for a in p.anchors}
    job = dataclasses.replace(JOB, notes=tuple(n for n in JOB.notes if n.anchor in here), places=())
    out = io.BytesIO()
    document.write_pdf(out, finisher=weasy._finisher(job))
    meta = [(p.height, {a: r[:2] for a, r in p.anchors.items()},
             [(t, r) for kind, t, r, _ in p.links if kind == "internal" and t not in here],
             p.bookmarks) for p in document.pages]
    return index, out.getvalue(), meta, time.perf_counter() - began


def lay_and_draw(index: int, first: int, pages: dict):
    index, _, _, laid, document = lay(index, first, pages, False)
    return (*draw(index, document), laid)


def renumber_and_draw(firsts: list[tuple[int, int]]):
    """Renumber the documents this worker keeps, then draw them."""
    began = time.perf_counter()
    moved = [(LAID[i], first) for i, first in firsts if LAID[i].first != first]
    failed = LAYOUTS._renumber(moved, JOB.blank, _render)
    for laid in failed:  # as write/layout.py does: laid out again
        index = next(i for i, f in firsts if LAID[i] is laid)
        laid.document = lay(index, dict(firsts)[index], {}, False)[4]
    renumbered = time.perf_counter() - began
    return [draw(i) for i, _ in firsts], renumbered, len(failed)


# --- in the main process --------------------------------------------------------------------------
class Pool:
    """N one-process executors: a task can be sent to the worker that keeps a document."""

    def __init__(self, jobs: int, job):
        context = get_context("forkserver")
        self.workers = [ProcessPoolExecutor(1, mp_context=context, initializer=_init, initargs=(job,))
                        for _ in range(jobs)]
        for f in [w.submit(ready) for w in self.workers]:
            f.result()

    def spread(self, tasks):
        """tasks: (cost, fn, args); biggest first, each to the first idle worker. [(worker, result)]"""
        pending, running, idle, done = sorted(tasks, key=lambda t: -t[0]), {}, list(range(len(self.workers))), []
        while pending or running:
            while idle and pending:
                worker, (_, fn, args) = idle.pop(0), pending.pop(0)
                running[self.workers[worker].submit(fn, *args)] = worker
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                idle.append(running.pop(future))
                done.append((idle[-1], future.result()))
        return done

    def close(self) -> float:
        peak = max(w.submit(peak_mb).result() for w in self.workers)
        for w in self.workers:
            w.shutdown()
        return peak


def numbering(job, counts: dict[int, int], anchors: dict[int, list]) -> tuple[dict, dict]:
    """Each document's first page number, and each anchor's page, from the page counts."""
    firsts, pages, first = {}, {}, 1
    for index in range(len(job.documents)):
        firsts[index] = first
        for offset, names in enumerate(anchors[index]):
            for name in names:
                pages.setdefault(name, first + offset)
        first += counts[index]
    return firsts, pages


def renumber_way(pool: Pool, job) -> tuple[list, dict]:
    cost = [len(d) for d in job.documents]
    t0 = time.perf_counter()
    laid = pool.spread([(cost[i], lay_count, (i, 1, {}, True)) for i in range(len(job.documents))])
    owner = {r[0]: w for w, r in laid}
    firsts, pages = numbering(job, {r[0]: r[1] for _, r in laid}, {r[0]: r[2] for _, r in laid})
    t1 = time.perf_counter()
    contents = pool.workers[owner[0]].submit(lay_and_draw, 0, 1, pages)
    mine = [[(i, firsts[i]) for i in sorted(owner) if owner[i] == w and i] for w in range(len(pool.workers))]
    drawn = [pool.workers[w].submit(renumber_and_draw, m) for w, m in enumerate(mine)]
    parts = {0: contents.result()[:3]}
    failed, renumbering = 0, 0.0
    if len(parts[0][2]) != next(r[1] for _, r in laid if r[0] == 0):
        print("the contents changed its page count once numbered: the numbers are off", file=sys.stderr)
    for future in drawn:
        results, seconds, fails = future.result()
        failed, renumbering = failed + fails, max(renumbering, seconds)
        parts.update({r[0]: r[:3] for r in results})
    t2 = time.perf_counter()
    return [parts[i] for i in sorted(parts)], {"layout": t1 - t0, "draw": t2 - t1, "relaid": failed,
                                                     "renumbering": renumbering, "contents": contents.result()[4]}


def two_pass_way(pool: Pool, job) -> tuple[list, dict]:
    cost = [len(d) for d in job.documents]
    t0 = time.perf_counter()
    counted = [r for _, r in pool.spread([(cost[i], lay_count, (i, 1, {}, False)) for i in range(len(cost))])]
    firsts, pages = numbering(job, {r[0]: r[1] for r in counted}, {r[0]: r[2] for r in counted})
    t1 = time.perf_counter()
    done = [r for _, r in pool.spread([(cost[i], lay_and_draw, (i, firsts[i], pages)) for i in range(len(cost))])]
    t2 = time.perf_counter()
    laid, drawn = sum(r[4] for r in done), sum(r[3] for r in done)
    # the second pass's wall time split between layout and drawing by their shares of its work
    return sorted(r[:3] for r in done), {"count pass": t1 - t0, "layout": (t2 - t1) * laid / (laid + drawn),
                                        "draw": (t2 - t1) * drawn / (laid + drawn)}


def merge_pikepdf(parts: list, places: tuple) -> bytes:
    import pikepdf

    out, sources, dests, marks = pikepdf.Pdf.new(), [], [], []
    for _, data, meta in parts:
        source = pikepdf.Pdf.open(io.BytesIO(data))
        sources.append(source)  # open until saved: pages are copied from it
        base = len(out.pages)
        out.pages.extend(source.pages)
        for offset, (height, anchors, links, bookmarks) in enumerate(meta):
            page = out.pages[base + offset]
            def at(x, y, height=height):  # WeasyPrint's matrix: CSS px from the top -> PDF points
                return x * PX_TO_PT, (height - y) * PX_TO_PT
            for name, (x, y) in anchors.items():
                dests.append((name, pikepdf.Array([page.obj, pikepdf.Name.XYZ, *at(x, y), 0])))
            for target, (x1, y1, x2, y2) in links:  # dropped by WeasyPrint: the anchor is in another part
                annot = out.make_indirect(pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[*at(x1, y2), *at(x2, y1)],
                    BS=pikepdf.Dictionary(W=0), Dest=pikepdf.String(target)))
                page.obj.Annots = pikepdf.Array([*page.obj.get("/Annots", []), annot])
            marks += [(level, label, base + offset, at(x, y)) for level, label, (x, y), _ in bookmarks]
    seen, names = set(), []
    for name, dest in sorted(dests, key=lambda d: d[0]):
        if name not in seen:  # the first anchor of a name wins, as in WeasyPrint
            seen.add(name)
            names += [pikepdf.String(name), dest]
    out.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=pikepdf.Array(names)))
    with out.open_outline() as outline:
        stack = [(0, outline.root)]
        for level, label, index, (x, y) in marks:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(label, index, "XYZ", left=x, top=y)
            (stack[-1][1] if len(stack) > 1 else outline.root).append(item)
            stack.append((level, item.children))
    info = sources[0].docinfo
    out.docinfo.update({k: info[k] for k in info})
    if places:
        out.docinfo["/VnrPlaces"] = " ".join(places)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def merge_pypdf(parts: list) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    writer, parents = PdfWriter(), {}
    for _, data, meta in parts:
        base = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        for offset, (height, anchors, _, bookmarks) in enumerate(meta):
            for name, (x, y) in anchors.items():
                writer.add_named_destination(name, base + offset)  # /XYZ of the page's top only
            for level, label, (x, y), _ in bookmarks:
                parents[level] = writer.add_outline_item(
                    title=label, page_number=base + offset, parent=parents.get(level - 1),
                    fit=Fit.xyz(x * PX_TO_PT, (height - y) * PX_TO_PT))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def font_bytes(data: bytes) -> tuple[int, int]:
    """How many embedded font files, and their bytes (compressed), in a PDF."""
    import pikepdf

    count = size = 0
    with pikepdf.Pdf.open(io.BytesIO(data)) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in obj:
                        count, size = count + 1, size + len(obj[key].read_raw_bytes())
    return count, size


def prototype(way, jobs: int, job) -> dict:
    t0 = time.perf_counter()
    pool = Pool(jobs, job)
    t1 = time.perf_counter()
    parts, split = way(pool, job)
    t2 = time.perf_counter()
    merged = merge_pikepdf(parts, job.places)
    t3 = time.perf_counter()
    peak = pool.close()
    return {"startup": t1 - t0, **split, "merge": t3 - t2, "wall": t3 - t0, "peak worker MB": peak,
            "pdf": merged, "parts": {i: hashlib.sha256(data).hexdigest() for i, data, _ in parts},
            "raw": parts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--keep", type=Path, help="a folder to write the bare and merged PDFs into")
    args = parser.parse_args()
    import pikepdf

    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        root = scaled(Path(tmp) / "p", args.scale)
        project = load.load(root)
        review = resolve(project, "en", "review", "bench", revision.build_date(root))
        page = html.render(review, root)
        job = pdf.job(review, page, [root], None)
        print(f"scale {args.scale}: {len(job.documents)} documents, {len(job.notes)} sticky notes; "
              f"load + resolve + HTML {time.perf_counter() - began:.1f} s")
        single = Path(tmp) / "review.html"
        single.write_text(page.text, encoding="utf-8")
        bare_out = Path(tmp) / "bare.pdf"
        bare, bare_mb = timed([str(REPO / ".venv/bin/weasyprint"), str(single), str(bare_out),
                               "-u", str(root) + "/"])
        bare_pdf = bare_out.read_bytes()
        print(f"bare weasyprint: {bare:.1f} s, {bare_mb:.0f} MB, {len(bare_pdf) / 1e6:.2f} MB PDF, "
              f"fonts {font_bytes(bare_pdf)}")
        print("\n| way | jobs | startup | count pass | layout | draw | merge | wall s | / bare | "
              "peak worker MB | PDF MB | pages | same bytes |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        runs = {}
        for jobs in sorted({1, *map(int, args.jobs.split(","))}):
            for name, way, times in (("renumber", renumber_way, 2), ("two-pass", two_pass_way, 1)):
                for attempt in range(times):
                    r = prototype(way, jobs, job)
                    runs[name, jobs, attempt] = r
                    with pikepdf.Pdf.open(io.BytesIO(r["pdf"])) as merged:
                        count = len(merged.pages)
                    same = "" if attempt == 0 else ("yes" if r["pdf"] == runs[name, jobs, 0]["pdf"] else "NO")
                    print(f"| {name} | {jobs} | {r['startup']:.1f} | {r.get('count pass', 0):.1f} | "
                          f"{r['layout']:.1f} | {r['draw']:.1f} | {r['merge']:.2f} | {r['wall']:.1f} | "
                          f"{r['wall'] / bare:.2f} | {r['peak worker MB']:.0f} | {len(r['pdf']) / 1e6:.2f} | "
                          f"{count} | {same} |", flush=True)
        renumbered = [r for (name, _, _), r in runs.items() if name == "renumber"]
        print("renumber way, its draw phase: renumbering (blank pages) s per run, slowest worker: "
              + ", ".join(f"{r['renumbering']:.1f}" for r in renumbered)
              + f"; the contents laid out again: {renumbered[0]['contents']:.1f} s; laid out again "
              f"(could not renumber): {renumbered[0]['relaid']}")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            (args.keep / "bare.pdf").write_bytes(bare_pdf)
            (args.keep / "merged.pdf").write_bytes(runs["renumber", 1, 0]["pdf"])
            for i, data, _ in runs["renumber", 1, 0]["raw"]:
                (args.keep / f"part-{i:02}.pdf").write_bytes(data)
        main_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nmain process peak {main_mb:.0f} MB")
        last = runs["renumber", 1, 0]
        for (name, jobs, attempt), r in runs.items():
            differ = [i for i in r["parts"] if r["parts"][i] != last["parts"][i]]
            print(f"{name} jobs {jobs} #{attempt}: parts differing from renumber jobs 1: {differ or 'none'}; "
                  f"merged PDF {'same' if r['pdf'] == last['pdf'] else 'differs'}")
        two = runs["two-pass", 1, 0]
        began = time.perf_counter()
        merged = merge_pypdf(two["raw"])
        print(f"pypdf merge: {time.perf_counter() - began:.2f} s, {len(merged) / 1e6:.2f} MB; "
              f"pikepdf {two['merge']:.2f} s")
        parts_size = sum(len(d) for _, d, _ in two["raw"])
        fonts = [font_bytes(d) for _, d, _ in two["raw"]]
        print(f"sizes: parts {parts_size / 1e6:.2f} MB, fonts ({sum(c for c, _ in fonts)}, "
              f"{sum(b for _, b in fonts)}); merged {len(two['pdf']) / 1e6:.2f} MB, fonts {font_bytes(two['pdf'])}; "
              f"bare {len(bare_pdf) / 1e6:.2f} MB, fonts {font_bytes(bare_pdf)}")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
