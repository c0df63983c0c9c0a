"""Layout document by document: the cover with the contents, then each part, laid out apart and
their pages put together (`Document.copy`). Every part starts a page, so its pages are the same
whatever comes before, but for two things, which this module sets:

- the page numbers: a part's first page is numbered after the pages before it (`counter-reset`
  on its first page);
- page references (the contents, lists of places): a link `<a href="#id">` gets
  `data-page="N"`, the page its target ended on, which style.css shows as `attr(data-page)`.

Both are known only once the documents before (for the numbers) and all documents (for the
references) are laid out, so layout repeats until no number moved, laying out again only the
documents whose first page or references changed: usually the contents, once.

`Layouts` keeps the documents of the last job by what they were made of: `vnr preview` lays out
again only the parts whose HTML changed (and those whose numbers moved); `vnr build` starts empty.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html import unescape

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

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


class Layouts:
    def __init__(self):
        self.kept: dict[tuple, object] = {}  # (digest, first page, refs' pages) -> Document
        self.pages: dict[str, int] = {}  # anchor -> page number, as last laid out
        self.looks = b""
        self.fonts = FontConfiguration()  # shared: a copied page's fonts must outlive its document
        self.images: dict = {}  # WeasyPrint's image cache
        self.laid_out = 0  # how many of the last job's documents were laid out (not kept)

    def document(self, documents: tuple[str, ...], looks: bytes, render):
        """All pages as one WeasyPrint Document; `render(html, stylesheet)` lays out one document."""
        if looks != self.looks:  # templates or assets changed: nothing kept applies
            self.kept, self.looks = {}, looks
        sources = [Source.of(html) for html in documents]
        pages, laid_out = self.pages, set()
        for _ in range(ROUNDS):
            used, found, first = [], {}, 1
            fresh = {}
            for index, source in enumerate(sources):
                numbers = tuple((ref, pages.get(ref)) for ref in source.refs)
                key = (source.digest, first, numbers)
                laid = fresh.get(key) or self.kept.get(key)
                if laid is None:
                    laid = render(_numbered(source.html, dict(numbers)),
                                  CSS(string=f"@page :first {{ counter-reset: page {first} }}"))
                    laid_out.add(index)
                fresh[key] = laid
                used.append(laid)
                for offset, page in enumerate(laid.pages):
                    for anchor in page.anchors:
                        found.setdefault(anchor, first + offset)
                first += len(laid.pages)
            settled = all(pages.get(ref) == found.get(ref) for source in sources for ref in source.refs)
            self.kept = {**self.kept, **fresh}
            pages = found
            if settled:
                break
        self.kept, self.pages, self.laid_out = fresh, pages, len(laid_out)
        return used[0].copy([page for laid in used for page in laid.pages])


def _numbered(html: str, pages: dict[str, int | None]) -> str:
    def link(match):
        page = pages.get(unescape(match[1]))
        return match[0] if page is None else f'<a data-page="{page}" href="#{match[1]}"'
    return LINK.sub(link, html)
