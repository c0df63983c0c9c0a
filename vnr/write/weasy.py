"""The WeasyPrint process: HTML -> PDF, sticky notes added in the finisher, PDF/UA and PDF/A.

Run as `python -m vnr.write.weasy` by pdf.Worker: pickled PdfJobs in on stdin, one after the
other, each one's result out on stdout. A build sends one; `vnr preview` one per change of the
sources, and the process keeps the laid-out parts in between (write/layout.py).
"""

from __future__ import annotations

import datetime as dt
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

    A build killed by SIGKILL (a CI time-out, the out-of-memory killer) cannot stop its worker,
    which would lay out the PDF for minutes with no one to read it. Linux delivers SIGKILL to a
    process whose parent dies once it asks with prctl(PR_SET_PDEATHSIG); the parent may have died
    before the request, hence the check of who the parent is now. (The signal is tied to the thread
    that started the worker: vnr starts it from the thread that waits for it.)
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


if __name__ == "__main__":  # before WeasyPrint's imports, which take a second and more
    die_with_parent(int(sys.argv[1]))
    # Ctrl-C in a terminal reaches the whole process group: the build or preview that started this
    # process stops it, and says so; this process would only print a traceback into its log.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

import pydyf  # noqa: E402
from weasyprint import HTML, Attachment  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

from ..base import ids  # noqa: E402
from .layout import Layouts  # noqa: E402
from .pdf import Made, PdfJob  # noqa: E402
from .weasy_internals import header_scopes, page_objects  # noqa: E402

PX_TO_PT = 0.75
ICON = 14  # sticky-note icon size in points


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


def run(job: PdfJob, layouts: Layouts | None = None) -> Made:
    """The PDF, its page count and, given sources, the archive PDF.

    The public edition is PDF/UA-1 (tagged, for screen readers); the reviewers' edition is
    not, since PDF/UA viewers hide the sticky notes reviewers read it for. The archive is the
    same pages as PDF/A-3b with every source file embedded (relationship Source, dated like
    the build); it has no sticky notes, which PDF/A would need appearance streams for.
    """
    options = _options(job)
    layouts = layouts or Layouts()
    started = time.perf_counter()
    document = lay_out(job, layouts)
    laid = time.perf_counter()
    out = io.BytesIO()
    document.write_pdf(out, finisher=_finisher(job), uncompressed_pdf=not job.compress, **options)
    written = time.perf_counter()
    archive = None
    if job.sources is not None:
        stamp = dt.datetime.combine(job.date, dt.time(), dt.timezone.utc)
        attachments = [
            Attachment(file_obj=io.BytesIO(data), name=path, description=path, relationship="Source",
                       created=stamp, modified=stamp)
            for path, data in sorted(job.sources.items())
        ]
        archive_out = io.BytesIO()
        document.write_pdf(archive_out, pdf_variant="pdf/a-3b", attachments=attachments)
        archive = archive_out.getvalue()
    return Made(out.getvalue(), len(document.pages), archive, layouts.laid_out, layouts.renumbered,
                (laid - started, written - laid))


def _options(job: PdfJob) -> dict:
    return {"pdf_variant": "pdf/ua-1"} if job.tagged else {}


def lay_out(job: PdfJob, layouts: Layouts):
    """The job's pages as one WeasyPrint Document, laying out only what `layouts` does not keep."""
    fetcher = ProjectFetcher(list(job.roots))

    def render(html, stylesheet):
        return HTML(string=html, base_url=str(job.roots[0]) + "/", url_fetcher=fetcher).render(
            font_config=layouts.fonts, cache=layouts.images, stylesheets=[stylesheet], **_options(job))

    return layouts.document(job.documents, job.blank, job.looks, render)


def _finisher(job: PdfJob):
    def finisher(document, pdf):
        if job.tagged:
            header_scopes(pdf)
        if job.places:  # which named destinations are places: vnr collect reads them back
            pdf.info["VnrPlaces"] = pydyf.String(" ".join(job.places))
        notes = {n.anchor: n for n in job.notes}
        for page, pdf_page in page_objects(document, pdf):
            for anchor, (x1, y1, x2, _) in page.anchors.items():
                note = notes.pop(anchor, None)
                if note is not None:
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
        if notes:
            raise RuntimeError(f"{len(notes)} margin notes were not laid out: {sorted(notes)[:5]}")

    return finisher


if __name__ == "__main__":  # the worker: pickled PdfJobs in on stdin, their results out on stdout
    kept = Layouts()
    while True:
        try:
            job = pickle.load(sys.stdin.buffer)
        except EOFError:
            break
        pickle.dump(run(job, kept), sys.stdout.buffer)
        sys.stdout.flush()
    # Skip the interpreter's teardown: freeing the laid-out document object by object took 2 s
    # of a 23 s build (the sample), during which the build waited for this process to end.
    os._exit(0)
