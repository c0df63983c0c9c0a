"""PDF: a job of plain data for the WeasyPrint processes (see weasy.py), and the build's end of them.

WeasyPrint's layout is most of a build's time, so the build starts its processes early (they
import WeasyPrint while the build reads the project), hands them a `PdfJob` (the HTML, the sticky
notes, the sources for the archive) and writes the DOCX and HTML meanwhile. The processes import
neither matplotlib nor python-docx, so each one's memory stays close to bare WeasyPrint's.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..base.charts import rgb
from ..base.i18n import direction
from ..review import Review

if TYPE_CHECKING:
    from .html import Html

@dataclass(frozen=True)
class StickyNote:
    anchor: str  # the id of the margin note's element
    author: str  # /T: the region's name
    name: str  # /NM: <seminar>/<comment>#<place number>
    contents: str  # the comment verbatim, then its meta line
    colour: tuple[float, float, float]
    reply: str | None = None  # the editors' response: its status, then its text
    reply_author: str = ""  # /T of the reply: the editors' label


class Drawn(NamedTuple):
    """A part drawn by its process (weasy.Store.draw)."""
    pdf: bytes
    pages: tuple  # each page's (height, {anchor: (x, y)}, bookmarks): what the merge needs
    archive: bytes | None  # the same pages as PDF/A-3b, when the job has sources


class Made(NamedTuple):
    pdf: bytes
    pages: int
    archive: bytes | None  # the PDF/A-3b archive, when the job had sources
    laid_out: int  # documents laid out (the others were kept from the job before)
    renumbered: int = 0  # documents kept with their page numbers moved
    # until the layout settled (parts drawn meanwhile included), then drawing the rest and merging
    # (bench, the preview's log)
    seconds: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class PdfJob:
    documents: tuple[str, ...]  # html.Html.documents: laid out one by one (write/layout.py)
    blank: str  # html.Html.blank
    roots: tuple[Path, ...]  # the project first: relative URLs resolve against it
    notes: tuple[StickyNote, ...]
    tagged: bool  # PDF/UA-1 (public edition)
    date: dt.date
    sources: dict[str, bytes] | None = field(default=None)  # given: also the PDF/A-3b archive
    places: tuple[str, ...] = ()  # reviewers' edition: the chapter, section and part ids, for vnr collect
    looks: str = ""  # cache.looks: what the layout reads besides the HTML
    compress: bool = True  # vnr preview: False, 0.7 s less for the sample, five times the bytes
    rtl: bool = False  # right to left: the margin notes, and their sticky notes, stand on the left


def job(review: Review, page: Html, roots: list[Path], sources: dict[str, bytes] | None,
        looks: str = "", compress: bool = True) -> PdfJob:
    notes = tuple(
        StickyNote(n.anchor, n.voice.region, n.name, n.contents,
                   rgb(n.voice.colour) if n.voice.colour else (1, 0.85, 0.3),
                   n.voice.response.line if n.voice.response else None,
                   n.voice.response.editors if n.voice.response else "")
        for n in review.notes
    )  # none in the public edition: resolve places no notes there
    places = tuple(i for e in review.contents for i in (e.id, *(c.id for c in e.children))) \
        if review.annotated else ()
    return PdfJob(page.documents, page.blank, tuple(roots), notes, review.edition == "public", review.date, sources, places,
                  looks, compress, direction(review.lang) == "rtl")


class Pdf:
    """The PDF of a build: `jobs` WeasyPrint processes (write/pool.py), started at once so that they
    import WeasyPrint while the build reads the project; `send` hands them the job, which a thread
    of this process leads (write/layout.py) while the build writes the DOCX; `result` waits for the
    merged PDF. `vnr preview` keeps one `Pdf` (`keep=True`) and sends it a job per change: the
    processes keep the laid-out parts between them."""

    def __init__(self, jobs: int, keep: bool = False):
        from .layout import Layouts
        from .pool import Pool

        self.pool, self.layouts = Pool(jobs), Layouts(keep)
        self.thread: threading.Thread | None = None
        self.outcome: Made | BaseException | None = None

    def send(self, job: PdfJob, fresh: bool = False) -> None:
        """`fresh`: another document than the last job's (a working group's pack after the review):
        nothing of the last one's numbering is a guess worth making."""
        if fresh:
            from .layout import Layouts

            self.layouts = Layouts(self.layouts.keep)

        def lead():
            try:
                self.outcome = self.layouts.make(self.pool, job)
            except BaseException as exc:  # noqa: BLE001 (handed to the thread that waits: `result`)
                self.outcome = exc

        self.outcome = None
        self.thread = threading.Thread(target=lead, name="vnr-pdf-lead", daemon=True)
        self.thread.start()

    def result(self) -> Made:
        self.thread.join()
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome

    def kill(self) -> None:
        """End the processes now, from any thread; the thread that owns this calls `stop`."""
        self.pool.kill()

    def stop(self) -> None:
        self.pool.kill()
        if self.thread is not None:
            self.thread.join()
        self.pool.stop()
