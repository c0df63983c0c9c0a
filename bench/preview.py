"""How soon `vnr preview` shows an edit of the sample, against a full `vnr build` of it.

    .venv/bin/python bench/preview.py [--repeat 5] [--edits chapter,feedback,templates,grows]

A copy of the sample (no .git: the revision stays `unversioned`; in a git checkout the first
edit after a commit turns it `-dirty` on every page, and everything is laid out once) is served
by `vnr preview --port 0`. Each edit is saved, then /status is read every 10 ms: "HTML" is the
time until the HTML of the new generation is served, "PDF" until its PDF is. Edits alternate
between two versions of one file, so each is a real change:

- chapter: one sentence of SDG 16 (the page count stays);
- feedback: a comment's target, 11.6 <-> 3.9 (its margin note moves from SDG 11 to SDG 3);
- templates: the accent colour in templates/project.css (every part is laid out again);
- grows: a paragraph added to (then taken from) SDG 3, one page more (then less): every part
  after it moves by a page.

`vnr build` (all formats) and `vnr build --format pdf` of the same copy, each into a fresh
folder, are measured in the same run; medians of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from preview import Running  # noqa: E402  (vnr preview driven as the tests drive it)

PARAGRAPH = (
    "\n      In 2022 the Ministry of Healthcare extended the screening programme for pregnant women to all\n"
    "      district hospitals, trained 1,200 midwives in emergency obstetric care with UNFPA and opened\n"
    "      twelve perinatal centres of the second level in the regions with the highest maternal\n"
    "      mortality. Regional health departments now report every maternal death within 24 hours, and a\n"
    "      confidential enquiry reviews each case with the family's consent. Mobile medical teams visit\n"
    "      remote villages of Kyzylorda, Turkistan and Mangystau regions every month.\n" * 6)
EDITS = {
    "chapter": ("chapters/sdg-16.yaml", "partly reflect the pandemic year", "partly reflect the first pandemic year"),
    "feedback": ("feedback/kz-75-residents.yaml", 'targets: ["11.6"]\n    kind: problem', 'targets: ["3.9"]\n    kind: problem'),
    "templates": ("templates/project.css", "solid #00afca; padding-bottom: 2mm; }\n.toc-title",
                  "solid #0a8fb0; padding-bottom: 2mm; }\n.toc-title"),
    "grows": ("chapters/sdg-03.yaml", "universal health coverage and the health workforce below.\n",
              "universal health coverage and the health workforce below.\n" + PARAGRAPH),
}


class Preview(Running):
    def edit(self, path: Path, old: str, new: str) -> tuple[float, float, str]:
        """Seconds from the save to the HTML served, to the PDF served; the preview's PDF line."""
        before = self.wait(lambda s: s["pdf"] == s["html"] == s["generation"], 300, 0.01)["generation"]
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        saved = time.perf_counter()
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        status = self.wait(lambda s: s["generation"] > before and s["html"] == s["generation"] and not s["errors"],
                           300, 0.01)
        html = time.perf_counter() - saved
        self.wait(lambda s: s["pdf"] is not None and s["pdf"] >= status["html"], 300, 0.01)
        pdf = time.perf_counter() - saved
        said = self.said(rf"generation {status['html']}: PDF in ")
        return html, pdf, said.strip()


def timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "vnr", *args, "-q"], check=True)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--edits", default=",".join(EDITS), help="which edits (default: all)")
    args = ap.parse_args()
    chosen = {name: EDITS[name] for name in args.edits.split(",")}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "sample"
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns("build", ".git", ".venv", "bench", "tests",
                                                                     "vnr", "*.egg-info", ".*cache"))
        builds = {"all": [], "pdf": []}
        for n in range(args.repeat):
            builds["all"].append(timed("build", str(project), "-o", f"{tmp}/all{n}"))
            builds["pdf"].append(timed("build", str(project), "-o", f"{tmp}/pdf{n}", "--format", "pdf"))
        full, pdf_only = statistics.median(builds["all"]), statistics.median(builds["pdf"])
        preview = Preview(project)
        try:
            started = time.perf_counter()
            preview.wait(lambda s: s["pdf"] == 0, 300, 0.01)
            first = time.perf_counter() - started
            rows = []
            for name, (rel, old, new) in chosen.items():
                times, said = [], []
                for n in range(args.repeat):
                    a, b = (old, new) if n % 2 == 0 else (new, old)
                    html, pdf, line = preview.edit(project / rel, a, b)
                    times.append((html, pdf))
                    said.append(line)
                if args.repeat % 2:  # leave the file as it was for the next edit
                    preview.edit(project / rel, new, old)
                html, pdf = statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)
                rows.append((name, html, pdf, said[len(said) // 2]))
        finally:
            preview.stop()
    print(f"vnr build (all formats), median of {args.repeat}: {full:.1f} s; --format pdf: {pdf_only:.1f} s; "
          f"the preview's first PDF: {first:.1f} s")
    print("| edit | HTML served | PDF served | PDF / `vnr build` | PDF / `--format pdf` | the preview's log (middle run) |")
    print("|---|---|---|---|---|---|")
    for name, html, pdf, line in rows:
        print(f"| {name} | {html:.2f} s | {pdf:.2f} s | {pdf / full:.2f} | {pdf / pdf_only:.2f} | {line} |")


if __name__ == "__main__":
    main()
