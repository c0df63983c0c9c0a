"""Where a PDF build's time goes, process by process (issue 27).

    .venv/bin/python bench/processes.py [--scale 1] [--jobs 2]

The sample (scaled as bench/run.py does), read, resolved and rendered in this process while the
WeasyPrint processes start, as `vnr build` does; then the PDF made by `pdf.Pdf(jobs)`. Prints this
process's stages, the PDF's time until the layout settled and after, how many documents were laid
out and renumbered, and each process's seconds per kind of request (weasy.Store.spent: laying out,
renumbering, drawing; drawing includes renumbering).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import scaled  # noqa: E402

from vnr.read import load, revision  # noqa: E402
from vnr.resolve import resolve  # noqa: E402
from vnr.write import html, pdf  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = scaled(Path(tmp) / "p", args.scale)
        began = time.perf_counter()
        maker = pdf.Pdf(args.jobs)
        project = load.load(root)
        loaded = time.perf_counter()
        review = resolve(project, "en", "review", "bench", revision.build_date(root))
        resolved = time.perf_counter()
        page = html.render(review, root)
        rendered = time.perf_counter()
        job = pdf.job(review, page, [root], None)
        maker.send(job)
        made = maker.result()
        done = time.perf_counter()
        print(f"scale {args.scale}, --jobs {args.jobs}: load {loaded - began:.1f} s, resolve {resolved - loaded:.1f} s, "
              f"HTML {rendered - resolved:.1f} s, PDF {done - rendered:.1f} s (until the layout settled "
              f"{made.seconds[0]:.1f} s, then {made.seconds[1]:.1f} s); {made.pages} pages, {len(job.documents)} "
              f"documents, {made.laid_out} laid out, {made.renumbered} renumbered")
        for worker in range(args.jobs):
            maker.pool.submit(worker, "stats")
        while maker.pool.busy():
            task = maker.pool.next()
            spent = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(task.future.result().items()) if v >= 0.05)
            print(f"process {task.ran_on}: {spent}")
        maker.stop()


if __name__ == "__main__":
    main()
