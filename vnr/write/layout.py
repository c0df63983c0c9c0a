"""Layout document by document: the cover with the contents, then each part, laid out apart and
their pages put together (`Document.copy`). Every part starts a page, so its pages are the same
whatever comes before, but for two things, which this module sets:

- the page numbers: a part's first page is numbered after the pages before it (`counter-reset`
  on its first page);
- page references (the contents, lists of places): a link `<a href="#id">` gets
  `data-page="N"`, the page its target ended on, which style.css shows as `attr(data-page)`.

Both are known only once the documents before (for the numbers) and all documents (for the
references) are laid out, so layout repeats until no reference moved, laying out again only the
documents whose references changed: usually the contents, once.

`Layouts` keeps the documents of the last job by what they were made of: `vnr preview` lays out
again only the parts whose HTML changed. A kept part whose first page moved (a part before it
grew by a page) is not laid out again but renumbered: the margin boxes that show the page number
are taken from a document of empty pages laid out with the same page names and numbers (the
blank document: the page with no parts). `vnr build` starts empty.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import unescape

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from .weasy_internals import page_name, renumber

LINK = re.compile(r'<a href="#([^"]*)"')
ROUNDS = 5  # a number that moves a line to the next page moves others; it settles in two or three
BLANKS = 40


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
    document: object  # weasyprint.Document
    first: int  # the number its first page shows


class Layouts:
    def __init__(self):
        self.kept: dict[tuple, Laid] = {}  # (digest, refs' pages) -> the document laid out
        self.pages: dict[str, int] = {}  # anchor -> page number, as last laid out
        self.looks = ""
        self.fonts = FontConfiguration()  # shared: a copied page's fonts must outlive its document
        self.images: dict = {}  # WeasyPrint's image cache
        self.blank_pages: dict[tuple[str, int], object] = {}  # (page name, number) -> blank page
        self.blank_digest = b""
        self.laid_out = 0  # how many of the last job's documents were laid out (not kept)
        self.renumbered = 0  # how many were kept with their page numbers changed

    def document(self, documents: tuple[str, ...], blank: str, looks: str, render):
        """All pages as one WeasyPrint Document; `render(html, stylesheet)` lays out one document."""
        if looks != self.looks:  # templates or assets changed: nothing kept applies
            self.kept, self.looks = {}, looks
        sources = [Source.of(html) for html in documents]
        pages, laid_out = self.pages, set()

        def lay(index: int, first: int, numbers: dict[str, int | None]) -> object:
            laid_out.add(index)
            return render(_numbered(sources[index].html, numbers), _starting(first))

        for _ in range(ROUNDS):
            used, found, first, fresh = [], {}, 1, {}
            for index, source in enumerate(sources):
                numbers = tuple((ref, pages.get(ref)) for ref in source.refs)
                key = (source.digest, numbers)
                laid = fresh.get(key) or self.kept.get(key)
                if laid is None:
                    laid = Laid(lay(index, first, dict(numbers)), first)
                fresh[key] = laid
                used.append((index, laid, first))
                for offset, page in enumerate(laid.document.pages):
                    for anchor in page.anchors:
                        found.setdefault(anchor, first + offset)
                first += len(laid.document.pages)
            settled = all(pages.get(ref) == found.get(ref) for source in sources for ref in source.refs)
            self.kept = {**self.kept, **fresh}
            pages = found
            if settled:
                break
        moved = [(index, laid, first) for index, laid, first in used if laid.first != first]
        failed = self._renumber([(laid, first) for _, laid, first in moved], blank, render)
        for index, laid, first in moved:
            if laid in failed:  # could not be renumbered: laid out again
                laid.document = lay(index, first, {ref: pages.get(ref) for ref in sources[index].refs})
                laid.first = first
        self.kept, self.pages = fresh, pages
        self.laid_out, self.renumbered = len(laid_out), len(moved) - len(failed)
        documents = [laid.document for _, laid, _ in used]
        return documents[0].copy([page for document in documents for page in document.pages])

    def _renumber(self, moved: list[tuple[Laid, int]], blank: str, render) -> list[Laid]:
        """Give the pages of each (kept document, first page) the numbers from `first` on, with
        the page-number margin boxes of blank pages so numbered; returns those that cannot be
        renumbered so (see weasy_internals.renumber)."""
        wanted = {first + offset: page_name(page) for laid, first in moved
                  for offset, page in enumerate(laid.document.pages)}
        blanks = self._blank_pages(wanted, blank, render)
        failed = []
        for laid, first in moved:
            pairs = [(page, blanks.get(first + offset)) for offset, page in enumerate(laid.document.pages)]
            if all(other is not None and renumber(page, other) for page, other in pairs):
                laid.first = first
            else:
                failed.append(laid)
        return failed

    def _blank_pages(self, wanted: dict[int, str], blank: str, render) -> dict[int, object]:
        """Blank pages numbered `number`, named `wanted[number]`: kept from earlier jobs, the others
        laid out in documents of at most BLANKS pages (WeasyPrint restyles every element for each
        page: a page an element keeps it linear)."""
        digest = hashlib.sha256(blank.encode("utf-8")).digest()
        if digest != self.blank_digest:
            self.blank_pages, self.blank_digest = {}, digest
        missing = sorted(n for n, name in wanted.items() if (name, n) not in self.blank_pages)
        runs: list[list[int]] = []
        for number in missing:
            if runs and number == runs[-1][-1] + 1 and len(runs[-1]) < BLANKS:
                runs[-1].append(number)
            else:
                runs.append([number])
        head, end, tail = blank.rpartition("</body>")
        for run in runs if end else ():
            divs = "".join(f'<div style="page: {wanted[n] or "auto"}; break-before: page"></div>' for n in run)
            laid = render(head + divs + end + tail, _starting(run[0])).pages
            if len(laid) == len(run):
                self.blank_pages.update(((wanted[n], n), page) for n, page in zip(run, laid))
        return {n: self.blank_pages.get((name, n)) for n, name in wanted.items()}


def _starting(first: int) -> CSS:
    return CSS(string=f"@page :first {{ counter-reset: page {first} }}")


def _numbered(html: str, pages: dict[str, int | None]) -> str:
    def link(match):
        page = pages.get(unescape(match[1]))
        return match[0] if page is None else f'<a data-page="{page}" href="#{match[1]}"'
    return LINK.sub(link, html)
