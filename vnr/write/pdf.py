"""PDF: a job of plain data for the WeasyPrint process, and that process (see weasy.py).

WeasyPrint's layout is most of a build's time, so the build starts `python -m vnr.write.weasy`
early (it imports WeasyPrint while the build reads the project), sends it a `PdfJob` (the HTML,
the sticky notes, the sources for the archive) and writes the DOCX and HTML meanwhile. The
worker imports neither matplotlib nor python-docx, so its memory stays close to bare WeasyPrint's.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..base.charts import rgb
from ..base.errors import MachineFailure
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


class Made(NamedTuple):
    pdf: bytes
    pages: int
    archive: bytes | None  # the PDF/A-3b archive, when the job had sources
    laid_out: int  # documents laid out (the others were kept from the job before)
    renumbered: int = 0  # documents kept with their page numbers moved
    seconds: tuple[float, float] = (0.0, 0.0)  # laying out, writing the PDF (bench, the preview's log)


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
        StickyNote(n.anchor, n.voice.region, n.name, f"{n.voice.comment.text}\n{n.voice.meta}",
                   rgb(n.voice.colour) if n.voice.colour else (1, 0.85, 0.3),
                   n.voice.response.line if n.voice.response else None,
                   n.voice.response.editors if n.voice.response else "")
        for n in review.notes
    )  # none in the public edition: resolve places no notes there
    places = tuple(i for e in review.contents for i in (e.id, *(c.id for c in e.children))) \
        if review.annotated else ()
    return PdfJob(page.documents, page.blank, tuple(roots), notes, review.edition == "public", review.date, sources, places,
                  looks, compress, direction(review.lang) == "rtl")


class Worker:
    """`python -m vnr.write.weasy` in a process of its own, started early so that it imports
    WeasyPrint while the build reads the project; `send` hands it the job, which it lays out
    while this process writes the DOCX; `result` waits for the PDF. `vnr preview` keeps one
    worker and sends it a job per change (`last=False`): it keeps the laid-out parts between them."""

    def __init__(self):
        self.log = tempfile.TemporaryFile()  # WeasyPrint's warnings: a pipe nobody reads could fill up
        self.process = subprocess.Popen([sys.executable, "-m", "vnr.write.weasy", str(os.getpid())],
                                        stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log)

    def send(self, job: PdfJob, last: bool = True) -> None:
        try:
            self.process.stdin.write(pickle.dumps(job))
            if last:
                self.process.stdin.close()
            else:
                self.process.stdin.flush()
        except BrokenPipeError:
            pass  # the worker died before reading: `result` reports why

    def result(self) -> Made:
        try:
            return pickle.load(self.process.stdout)
        except (EOFError, pickle.UnpicklingError):  # it ended before its whole answer was out
            self.process.wait()
        if self.process.returncode < 0:  # killed: by the kernel's out-of-memory killer, most often
            raise MachineFailure(killed(-self.process.returncode))
        self.log.seek(0)
        last = self.log.read().decode("utf-8", "replace").strip().splitlines()[-1:]
        raise RuntimeError(f"the PDF process failed: {last}")  # a Python error in it: a bug in vnr

    def kill(self) -> None:
        """End the process now, from any thread; the thread that owns the worker calls `stop`."""
        self.process.kill()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def killed(number: int) -> str:
    try:
        name = f" ({signal.Signals(number).name})"
    except ValueError:
        name = ""
    why = ", most likely by the kernel for lack of memory" if number == signal.SIGKILL else ""
    return f"the PDF layout process was killed by signal {number}{name}{why}"
