"""Layout document by document, on every core: the cover with the contents, then each part, laid out
apart in the WeasyPrint processes of write/pool.py, drawn there as PDFs of their own and merged
into one (write/merge.py). Every part starts a page, so its pages are the same whatever comes
before, but for two things, which this module sets:

- the page numbers: a part's first page is numbered after the pages before it (`counter-reset`
  on its first page);
- page references (the contents, lists of places): a link `<a href="#id">` gets
  `data-page="N"`, the page its target ended on, which style.css shows as `attr(data-page)`.

Both are known only once the documents before (for the numbers) and all documents (for the
references) are laid out. So every document is laid out at once, wherever a process is free, with
the number its first page may show; a document whose number turns out otherwise is renumbered in
the process that holds it (its page-number margin boxes swapped for those of blank pages so
numbered), and the documents whose references changed are laid out again, until none moved:
usually the contents, once. A document without references is drawn as soon as the page counts
before it are in, and its process lets it go: the build holds no more than it must.

What comes out is the same whatever the number of processes: the same documents, laid out with
the same numbers, drawn the same and merged in order.

`Layouts` keeps what the last job laid out and drew, by what it was made of: `vnr preview` lays
out again only the parts whose HTML changed, and draws only those whose pages changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from dataclasses import dataclass
from html import unescape

from . import merge
from .pdf import Drawn, Made, PdfJob
from .pool import Pool

LINK = re.compile(r'<a href="#([^"]*)"')
ROUNDS = 5  # a number that moves a line to the next page moves others; it settles in two or three


@dataclass(frozen=True)
class Source:
    html: str
    digest: bytes
    refs: tuple[str, ...]  # the anchors it links to

    @classmethod
    def of(cls, html: str) -> Source:
        return cls(html, hashlib.sha256(html.encode("utf-8")).digest(),
                   tuple(sorted({unescape(r) for r in LINK.findall(html)})))


@dataclass(eq=False)
class Laid:
    worker: int  # the process that holds it
    number: int  # its name there
    count: int
    anchors: list[list[str]]  # each page's
    first: int  # the number its first page shows
    held: bool = True  # False once drawn by a build, which lets it go


class Layouts:
    def __init__(self, keep: bool = False):
        self.keep = keep  # vnr preview: documents stay in their processes for the next job
        self.kept: dict[tuple, Laid] = {}  # (digest, refs' pages) -> the document laid out
        self.drawn: dict[tuple, Drawn] = {}  # (key, first, index, elsewhere, archive) -> its PDF
        self.pages: dict[str, int] = {}  # anchor -> page number, as last laid out
        self.counts: list[int] = []  # each document's page count, as last laid out: a first guess
        self.looks = ""
        self.numbers = 0

    def make(self, pool: Pool, job: PdfJob) -> Made:
        started = time.perf_counter()
        if job.looks != self.looks:  # templates or assets changed: nothing kept applies
            self.kept, self.drawn, self.looks = {}, {}, job.looks
        pool.every("begin", dataclasses.replace(job, documents=()))
        sources = [Source.of(html) for html in job.documents]
        run = _Run(self, pool, job, sources)
        pages = self.pages
        for _ in range(ROUNDS):
            keys = [(s.digest, tuple((ref, pages.get(ref)) for ref in s.refs)) for s in sources]
            run.lay_out(keys, pages)
            laids = [run.fresh[k] for k in keys]
            firsts, found = numbering(laids)
            settled = all(pages.get(ref) == found.get(ref) for s in sources for ref in s.refs)
            pages = found
            if settled:
                break
        laid_at = time.perf_counter()
        notes = {n.anchor for n in job.notes} - set(pages)
        if notes:
            raise RuntimeError(f"{len(notes)} margin notes were not laid out: {sorted(notes)[:5]}")
        for index, key in enumerate(keys):
            run.draw(index, key, firsts[index], _elsewhere(sources[index], laids[index], pages))
        parts = run.finish()
        pdf = merge.merge([(p.pdf, p.pages) for p in parts], job)
        archive = merge.merge([(p.archive, p.pages) for p in parts], job, archive=True) \
            if job.sources is not None else None
        self._forget(pool, {k: run.fresh[k] for k in keys}, run)
        self.pages, self.counts = pages, [laid.count for laid in laids]
        return Made(pdf, sum(laid.count for laid in laids), archive, len(run.laid_out), run.renumbered,
                    (laid_at - started, time.perf_counter() - laid_at))

    def _forget(self, pool: Pool, used: dict[tuple, Laid], run: _Run) -> None:
        """Keep what this job used (preview); the processes let go of every other document."""
        dropped: dict[int, list[int]] = {}
        for key, laid in run.fresh.items():
            if laid.held and (key not in used or not self.keep):
                dropped.setdefault(laid.worker, []).append(laid.number)
        for worker, numbers in sorted(dropped.items()):
            pool.submit(worker, "drop", numbers)
        while pool.busy():
            pool.next()
        self.kept = used if self.keep else {}
        self.drawn = {w: run.drawn[w] for w in run.wanted.values()} if self.keep else {}


class _Run:
    """One job's requests to the processes, and what came back."""

    def __init__(self, layouts: Layouts, pool: Pool, job: PdfJob, sources: list[Source]):
        self.layouts, self.pool, self.job, self.sources = layouts, pool, job, sources
        self.archive = job.sources is not None
        self.fresh: dict[tuple, Laid] = dict(layouts.kept)  # every layout known: key -> Laid
        self.drawn: dict[tuple, Drawn] = {}  # what this job drew, or took from the last: wanted -> Drawn
        self.asked: set[tuple] = set()  # draws under way
        self.wanted: dict[int, tuple] = {}  # index -> what its part must be, once the numbers settled
        self.keys: list[tuple] = []
        self.waiting: list[tuple[int, tuple]] = []  # (index, key) to lay out, in order
        self.laying = 0  # layouts under way
        self.laid_out: set[int] = set()
        self.renumbered = 0

    def lay_out(self, keys: list[tuple], pages: dict[str, int]) -> None:
        """Lay out the documents not yet laid out with these references, each where a process is
        free; meanwhile draw each document without references once the counts before it are in."""
        self.keys = keys
        wanted = {k: i for i, k in reversed(list(enumerate(keys))) if k not in self.fresh}
        self.waiting += sorted((i, k) for k, i in wanted.items())
        self._wait()

    def _feed(self) -> None:
        """Hand the next documents in order to the free processes, each with the number its first
        page will most likely show, decided now: the more counts are in, the fewer pages renumbered
        (with one process, none)."""
        while self.waiting and self.laying < len(self.pool):
            index, key = self.waiting.pop(0)
            self._lay(index, key, self._guess(index), ())

    def _guess(self, index: int) -> int:
        """After the counts known: this job's, else the last job's for the same place, else the pages
        this job's documents have made per character of HTML so far."""
        known = [(len(self.sources[i].html), self.fresh[k].count) for i, k in enumerate(self.keys) if k in self.fresh]
        rate = sum(c for _, c in known) / max(1, sum(n for n, _ in known))
        first = 1
        for i, key in enumerate(self.keys[:index]):
            if key in self.fresh:
                first += self.fresh[key].count
            elif i < len(self.layouts.counts):
                first += self.layouts.counts[i]
            else:
                first += max(1, round(len(self.sources[i].html) * rate))
        return first

    def draw(self, index: int, key: tuple, first: int, elsewhere: tuple[str, ...]) -> None:
        """Draw the document at `index` as it must be; wait for all with `finish`."""
        wanted = self._wanted(index, key, first, elsewhere)
        self.wanted[index] = wanted
        if wanted in self.drawn or wanted in self.asked:
            return
        if wanted in self.layouts.drawn:  # the preview drew it so for the last job
            self.drawn[wanted] = self.layouts.drawn[wanted]
        elif self.fresh[key].held:
            self._ask(index, key, first, elsewhere)
        else:  # drawn with another number, and let go: laid out again
            self._lay(index, key, first, elsewhere, draw=True)

    def finish(self) -> list[Drawn]:
        self._wait()
        return [self.drawn[self.wanted[i]] for i in range(len(self.sources))]

    def _wait(self) -> None:
        self._feed()
        while self.pool.busy():
            self._answer(self.pool.next())
            self._feed()

    def _lay(self, index: int, key: tuple, first: int, elsewhere: tuple[str, ...], draw: bool = False) -> None:
        self.layouts.numbers += 1
        self.laid_out.add(index)
        self.laying += 1
        html = _numbered(self.sources[index].html, dict(key[1]))
        # in the document's order: the counts come in order, and each document is drawn and let go soon after
        self.pool.submit(None, "lay", self.layouts.numbers, html, first, priority=-index,
                         tag=("lay", index, key, self.layouts.numbers, first, elsewhere if draw else None))

    def _wanted(self, index: int, key: tuple, first: int, elsewhere: tuple[str, ...]) -> tuple:
        """What a drawn part is made of: a part drawn so before (this job or the preview's last) is it."""
        return key, first, index, elsewhere, self.archive

    def _ask(self, index: int, key: tuple, first: int, elsewhere: tuple[str, ...]) -> None:
        wanted = self._wanted(index, key, first, elsewhere)
        if wanted in self.asked or wanted in self.drawn or wanted in self.layouts.drawn:
            return
        laid = self.fresh[key]
        self.asked.add(wanted)
        self.renumbered += laid.first != first
        laid.held, laid.first = self.layouts.keep, first  # a build's process lets it go once drawn
        self.pool.submit(laid.worker, "draw", laid.number, first, index, elsewhere, self.archive,
                         self.layouts.keep, tag=("draw", index, key, first, elsewhere, wanted))

    def _answer(self, task) -> None:
        if task.tag is None:  # a document let go
            return
        kind, index, key, *rest = task.tag
        if kind == "lay":
            self.laying -= 1
            number, first, elsewhere = rest
            count, anchors = task.future.result()
            old = self.fresh.get(key)
            if old is not None and old.held:  # laid out again (it could not be renumbered)
                self.pool.submit(old.worker, "drop", [old.number])
            self.fresh[key] = Laid(task.ran_on, number, count, anchors, first)
            if elsewhere is not None:
                self._ask(index, key, first, elsewhere)
            else:
                self._draw_ready()
        elif kind == "draw":
            first, elsewhere, wanted = rest
            self.asked.discard(wanted)
            drawn = task.future.result()
            if drawn is None:  # its number could not be swapped in: laid out again with it
                self.fresh[key].held = False
                self.renumbered -= 1
                self._lay(index, key, first, elsewhere, draw=True)
            else:
                self.drawn[wanted] = drawn

    def _draw_ready(self) -> None:
        """Draw, in order, the documents without references whose first page number is known."""
        first = 1
        for index, key in enumerate(self.keys):
            laid = self.fresh.get(key)
            if laid is None:
                return
            if not self.sources[index].refs and laid.held:
                self._ask(index, key, first, ())
            first += laid.count


def numbering(laids: list[Laid]) -> tuple[list[int], dict[str, int]]:
    """Each document's first page number, and each anchor's page (the first of a name wins)."""
    firsts, found, first = [], {}, 1
    for laid in laids:
        firsts.append(first)
        for offset, anchors in enumerate(laid.anchors):
            for anchor in anchors:
                found.setdefault(anchor, first + offset)
        first += laid.count
    return firsts, found


def _elsewhere(source: Source, laid: Laid, pages: dict[str, int]) -> tuple[str, ...]:
    """The anchors a document links to that other documents hold."""
    own = {a for anchors in laid.anchors for a in anchors}
    return tuple(ref for ref in source.refs if ref in pages and ref not in own)


def _numbered(html: str, pages: dict[str, int | None]) -> str:
    def link(match):
        page = pages.get(unescape(match[1]))
        return match[0] if page is None else f'<a data-page="{page}" href="#{match[1]}"'
    return LINK.sub(link, html)
