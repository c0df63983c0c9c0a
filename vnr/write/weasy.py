"""A WeasyPrint process: lays out the review's documents it is given, renumbers and draws them.

Run as `python -m vnr.write.weasy PARENT` by write/pool.py, one per core: pickled requests in on
stdin, `(method, args)`, each one's answer out on stdout. The process keeps what it laid out
(`Store`), by a number the build gives, until the build draws it or lets it go; the build decides
which document goes where and what numbers its pages show (write/layout.py), and merges the parts'
PDFs into one (write/merge.py). `vnr preview` keeps its processes, and their documents, between
changes.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import io
import os
import pickle
import signal
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit


def die_with_parent(parent: int) -> None:
    """Make this process end when the build that started it ends, however it ends.

    A build killed by SIGKILL (a CI time-out, the out-of-memory killer) cannot stop its workers,
    which would lay out the PDF for minutes with no one to read it. Linux delivers SIGKILL to a
    process whose parent dies once it asks with prctl(PR_SET_PDEATHSIG); the parent may have died
    before the request, hence the check of who the parent is now. (The signal is tied to the thread
    that started the worker: vnr starts its workers from the thread that waits for them.)
    """
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


BUSY = b"vnr pdf: busy"  # the process's name (`ps -o comm`, /proc/PID/comm) once it has work


def busy() -> None:
    """Name the process for what it does: a build's first request makes it `vnr pdf: busy`."""
    if sys.platform.startswith("linux"):
        pr_set_name = 15
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_name, ctypes.c_char_p(BUSY[:15]))


if __name__ == "__main__":  # before WeasyPrint's imports, which take a second and more
    die_with_parent(int(sys.argv[1]))
    # Ctrl-C in a terminal reaches the whole process group: the build or preview that started this
    # process stops it, and says so; this process would only print a traceback into its log.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

import pydyf  # noqa: E402
from weasyprint import CSS, HTML, Attachment  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from ..base import ids  # noqa: E402
from .pdf import Drawn, PdfJob  # noqa: E402
from .weasy_internals import (  # noqa: E402
    header_scopes,
    page_name,
    page_objects,
    renumber,
    standing_in,
)

PX_TO_PT = 0.75
ICON = 14  # sticky-note icon size in points
BLANKS = 40  # blank pages laid out per document (WeasyPrint restyles every element for each page)


class ProjectFetcher(URLFetcher):
    """Serves `data:` URLs and files under the project's folders; refuses everything else.

    WeasyPrint's default fetcher would read any local file (`file:///etc/passwd`) or the network.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        raise ValueError(f"vnr does not load {url!r}: only files inside the project are allowed")


class Store:
    """What one process keeps: its laid-out documents by the build's number for them, the fonts
    and images they share, and blank pages by (page name, number) for renumbering."""

    def __init__(self):
        self.job: PdfJob | None = None
        self.documents: dict[int, object] = {}
        self.firsts: dict[int, int] = {}  # the number each document's first page shows
        self.fonts = FontConfiguration()  # shared: a document's fonts must outlive the one that loaded them
        self.images: dict = {}
        self.blanks: dict[tuple[str, int], object] = {}
        self.blank_digest = b""
        self.sheets: dict[bytes, CSS] = {}  # each stylesheet parsed once, by its text's digest
        self.spent: dict[str, float] = {}  # seconds per kind of request, and renumbering (bench/jobs.py)

    def begin(self, job: PdfJob) -> None:
        """The job's settings, notes and sources; `documents` holds nothing of it (see `lay`)."""
        if self.job is not None and job.looks != self.job.looks:
            self.documents = {}  # templates or assets changed: nothing kept applies
        digest = hashlib.sha256(job.blank.encode("utf-8")).digest()
        if digest != self.blank_digest:
            self.blanks, self.blank_digest = {}, digest
        self.job = job
        self.fetcher = ProjectFetcher(list(job.roots))
        self.notes = {n.anchor: n for n in job.notes}

    def _render(self, html: str, first: int):
        """Lay out `html`, its first page numbered `first`. Its stylesheet (vnr's and the project's,
        the same in every document of a job) is parsed once per process and given to WeasyPrint
        parsed: 36 of a blank page's 48 ms went to parsing it again (bench/README.md)."""
        base = str(self.job.roots[0]) + "/"
        head, found, rest = html.partition("<style>")
        style, end, tail = rest.partition("</style>")
        sheets = []
        if found and end:
            digest = hashlib.sha256(style.encode("utf-8")).digest()
            if digest not in self.sheets:
                self.sheets[digest] = CSS(string=style, base_url=base, url_fetcher=self.fetcher, font_config=self.fonts)
            html, sheets = head + tail, [self.sheets[digest]]
        return HTML(string=html, base_url=base, url_fetcher=self.fetcher).render(
            font_config=self.fonts, cache=self.images, stylesheets=[*sheets, _starting(first)], **_options(self.job))

    def lay(self, key: int, html: str, first: int) -> tuple[int, list[list[str]]]:
        """Lay out a document, its first page numbered `first`; its page count and each page's anchors."""
        document = self._render(html, first)
        self.documents[key], self.firsts[key] = document, first
        return len(document.pages), [list(page.anchors) for page in document.pages]

    def _renumber(self, key: int, first: int, keep: bool) -> bool:
        """Number the kept document's pages from `first` on, with the page-number margin boxes of
        blank pages so numbered; False where it cannot be (weasy_internals.renumber): the build
        lays it out again."""
        began = time.perf_counter()
        pages = self.documents[key].pages
        wanted = {first + offset: page_name(page) for offset, page in enumerate(pages)}
        blanks = self._blank_pages(wanted)
        pairs = [(page, blanks.get(first + offset)) for offset, page in enumerate(pages)]
        done = all(blank is not None for _, blank in pairs) and all(renumber(page, blank) for page, blank in pairs)
        if not keep:  # a build numbers each page once: the blank pages go (the preview keeps them for the next edit)
            for number, name in wanted.items():
                self.blanks.pop((name, number), None)
        if done:
            self.firsts[key] = first
        self.spent["renumber"] = self.spent.get("renumber", 0.0) + time.perf_counter() - began
        return done

    def _blank_pages(self, wanted: dict[int, str]) -> dict[int, object]:
        """Blank pages numbered `number`, named `wanted[number]`: kept from earlier requests, the
        others laid out in documents of at most BLANKS pages (a page an element keeps it linear)."""
        missing = sorted(n for n, name in wanted.items() if (name, n) not in self.blanks)
        runs: list[list[int]] = []
        for number in missing:
            if runs and number == runs[-1][-1] + 1 and len(runs[-1]) < BLANKS:
                runs[-1].append(number)
            else:
                runs.append([number])
        head, end, tail = self.job.blank.rpartition("</body>")
        for run in runs if end else ():
            divs = "".join(f'<div style="page: {wanted[n] or "auto"}; break-before: page"></div>' for n in run)
            laid = self._render(head + divs + end + tail, run[0]).pages
            if len(laid) == len(run):
                self.blanks.update(((wanted[n], n), page) for n, page in zip(run, laid))
        return {n: self.blanks.get((name, n)) for n, name in wanted.items()}

    def draw(self, key: int, first: int, part: int, elsewhere: tuple[str, ...], archive: bool,
             keep: bool) -> Drawn | None:
        """The document, its first page numbered `first`, as a PDF of its own with its sticky notes;
        what the merge needs of its pages; given `archive`, the same pages as PDF/A-3b (part 0
        carries the sources). None if it cannot be renumbered. Unless `keep`, it is let go.

        `elsewhere`: the anchors its links lead to in other parts. WeasyPrint drops a link whose
        anchor it does not find; each is given a stand-in on the first page while the PDF is
        written, so the link stays, with its tag, and leads by its name to the merged PDF's
        destination (write/merge.py writes the names; the parts' own are not kept)."""
        document = self.documents[key]
        renumbered = self.firsts[key] == first or self._renumber(key, first, keep)
        if not keep:
            self.drop([key])
        if not renumbered:
            return None
        pages = [(page.height, {a: tuple(box[:2]) for a, box in page.anchors.items()},
                  [(level, label, (x, y)) for level, label, (x, y), _ in page.bookmarks])
                 for page in document.pages]
        with standing_in(document, elsewhere) as stand_ins:
            out = io.BytesIO()
            document.write_pdf(out, finisher=self._finisher(part, stand_ins), uncompressed_pdf=not self.job.compress,
                               **_options(self.job))
            copy = None
            if archive:
                copy = io.BytesIO()
                document.write_pdf(copy, pdf_variant="pdf/a-3b", attachments=self._attachments() if part == 0 else None)
        return Drawn(out.getvalue(), tuple(pages), copy.getvalue() if copy else None)

    def _attachments(self) -> list:
        stamp = dt.datetime.combine(self.job.date, dt.time(), dt.timezone.utc)
        return [Attachment(file_obj=io.BytesIO(data), name=path, description=path, relationship="Source",
                           created=stamp, modified=stamp)
                for path, data in sorted((self.job.sources or {}).items())]

    def stats(self) -> dict[str, float]:
        return dict(self.spent)

    def drop(self, keys: list[int]) -> None:
        for key in keys:
            self.documents.pop(key, None)
            self.firsts.pop(key, None)

    def _finisher(self, part: int, stand_ins: set[str]):
        job, notes = self.job, self.notes

        def finisher(document, pdf):
            placed = set(stand_ins)  # a note split by a page break has its anchor on both: the first has its sticky note
            if job.tagged:
                header_scopes(pdf, f"p{part}")
            for page, pdf_page in page_objects(document, pdf):
                for anchor, (x1, y1, x2, _) in page.anchors.items():
                    note = None if anchor in placed else notes.get(anchor)
                    if note is None:
                        continue
                    placed.add(anchor)
                    # In the margin, outside the margin note: the icon never covers body text.
                    left = x1 * PX_TO_PT - 2 - ICON if job.rtl else x2 * PX_TO_PT + 2
                    top = (page.height - y1) * PX_TO_PT
                    annot = pydyf.Dictionary({
                        "Type": "/Annot", "Subtype": "/Text",
                        "Rect": pydyf.Array([left, top - ICON, left + ICON, top]),
                        "T": pydyf.String(note.author), "NM": pydyf.String(note.name),
                        "Contents": pydyf.String(note.contents),
                        "Name": "/Comment", "F": 4, "Open": "false", "C": pydyf.Array(note.colour),
                    })
                    pdf.add_object(annot)
                    pdf_page.setdefault("Annots", pydyf.Array()).append(annot.reference)
                    if note.reply is not None:  # viewers show it threaded under the sticky note
                        reply = pydyf.Dictionary({
                            "Type": "/Annot", "Subtype": "/Text", "Rect": annot["Rect"],
                            "T": pydyf.String(note.reply_author), "NM": pydyf.String(ids.response_name(note.name)),
                            "Contents": pydyf.String(note.reply), "IRT": annot.reference, "RT": "/R",
                            "Name": "/Comment", "F": 4, "Open": "false", "C": pydyf.Array(note.colour),
                        })
                        pdf.add_object(reply)
                        pdf_page["Annots"].append(reply.reference)

        return finisher


def _options(job: PdfJob) -> dict:
    return {"pdf_variant": "pdf/ua-1"} if job.tagged else {}


def _starting(first: int) -> CSS:
    return CSS(string=f"@page :first {{ counter-reset: page {first} }}")


def serve(store: Store) -> None:
    """Requests in on stdin, answers out on stdout, until stdin ends."""
    named = False
    while True:
        try:
            method, args = pickle.load(sys.stdin.buffer)
        except EOFError:
            break
        if not named:
            busy()
            named = True
        began = time.perf_counter()
        answer = getattr(store, method)(*args)
        store.spent[method] = store.spent.get(method, 0.0) + time.perf_counter() - began
        pickle.dump(answer, sys.stdout.buffer)
        sys.stdout.flush()


if __name__ == "__main__":
    serve(Store())
    # Skip the interpreter's teardown: freeing the laid-out documents object by object took 2 s
    # of a 23 s build (the sample), during which the build waited for this process to end.
    os._exit(0)
