"""The one place vnr relies on how WeasyPrint builds its PDF beyond its public API, written for
WeasyPrint 70.0 (pydyf 0.13). tests/test_internals.py checks each on a small document, so an
upgrade that changes one fails there, by name, instead of misplacing sticky notes, header scopes
or page numbers.

- `page_objects`: in the finisher (`write_pdf(finisher=...)`, WeasyPrint's public hook, which gets
  the pydyf PDF just before it is written), the PDF page dictionary of each laid-out page. pydyf
  lists a page in `pdf.pages['Kids']` as its reference, three entries (number, 0, 'R'); that
  WeasyPrint adds one PDF page per laid-out page, in order, is its own code's assumption too
  (`zip(pdf.pages['Kids'][::3], pages)` in weasyprint/pdf). The finisher has no public way from a
  page to its dictionary; no upstream request for one was found.
- `header_scopes`: WeasyPrint tags a table header cell as /TH with the id '<table>-<row>-<column>'
  but gives it no /Scope, which PDF/UA checkers (PAC) ask for; vnr reads the row from the id, and
  makes the id unique across the parts of the merged PDF.
  Kozea/WeasyPrint#2508 ("PDF/UA: Tags for header cells in tables are missing", open) would let it go.
- `standing_in`: a part's link to an anchor in another part (write/merge.py) is kept by giving
  WeasyPrint a stand-in anchor of that name on the part's first page while it writes the PDF:
  `Page.anchors` is public, but that `write_pdf` reads it, at that moment, to keep or drop each
  link (weasyprint/pdf/anchors.py, `resolve_links`) is WeasyPrint's own code.
- `page_name`, `renumber` (write/layout.py): a laid-out page's box (`Page._page_box`) holds its
  named page type and, after the page's root box, its margin boxes (`MarginBox`, by
  `at_keyword`), whose computed `content` says whether they show the page counter; the boxes are
  drawn only when the PDF is written, so a margin box can be swapped for another page's. The
  finisher comes too late for this (the numbers are drawn by then); the public way is to lay the
  part out again, which layout.py does wherever `renumber` declines. Kozea/WeasyPrint#1180 ("Reset
  counter after copy pages from two documents into one document", open) would let it go.
"""

from __future__ import annotations

from contextlib import contextmanager

import pydyf
from weasyprint.formatting_structure.boxes import MarginBox


def page_objects(document, pdf) -> list[tuple[object, pydyf.Dictionary]]:
    """(laid-out page, its PDF page dictionary) for every page, in order."""
    kids = pdf.pages["Kids"][::3]
    if len(kids) != len(document.pages):
        raise RuntimeError(f"WeasyPrint's page list changed: {len(kids)} page objects for "
                           f"{len(document.pages)} pages (see vnr/write/weasy_internals.py)")
    return [(page, pdf.objects[ref]) for ref, page in zip(kids, document.pages)]


def header_row(th: pydyf.Dictionary) -> int:
    """The row of a tagged header cell within its table, from WeasyPrint's id '<table>-<row>-<column>'."""
    return int(str(th["ID"].string).split("-")[-2])


def header_scopes(pdf, prefix: str) -> None:
    """Give tagged header cells a /Scope, so screen readers know what each header labels:
    vnr's tables have one header row, so a header in row 0 labels its column, any other its row.

    Each id, and each cell's /Headers that names it, gets `prefix`: WeasyPrint's ids begin with
    the table's object number, which the parts of one PDF (write/merge.py) repeat."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or obj.get("S") not in ("/TH", "/TD"):
            continue
        if obj["S"] == "/TH" and "ID" in obj:
            scope = "/Column" if header_row(obj) == 0 else "/Row"
            obj.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
            obj["ID"] = pydyf.String(f"{prefix}-{obj['ID'].string}")
        headers = obj.get("A", {}).get("Headers")
        if headers:
            obj["A"]["Headers"] = pydyf.Array(pydyf.String(f"{prefix}-{h.string}") for h in headers)


@contextmanager
def standing_in(document, names: list[str]):
    """While in the block, the document's first page holds an anchor for each of `names` it lacks."""
    added = [name for name in names if name not in document.pages[0].anchors]
    document.pages[0].anchors.update({name: (0, 0, 0, 0) for name in added})
    try:
        yield set(added)
    finally:
        for name in added:
            del document.pages[0].anchors[name]


def page_name(page) -> str:
    """The named page a laid-out page is of ('' for none)."""
    return page._page_box.page_type.name


def _shows_page_number(box) -> bool:
    content = box.style["content"]
    return isinstance(content, (list, tuple)) and any(
        kind in ("counter()", "counters()") and args[0] == "page" for kind, args in content)


def renumber(page, blank) -> bool:
    """Give `page` the page number `blank` shows: the margin boxes that show the page counter
    are taken from `blank`, a page laid out with the same page name, size and margins. False
    (nothing changed) where the pages differ or a number box also shows other content."""
    mine, theirs = page._page_box, blank._page_box
    alike = ("width", "height", "margin_top", "margin_right", "margin_bottom", "margin_left")
    if mine.page_type.name != theirs.page_type.name or any(getattr(mine, a) != getattr(theirs, a) for a in alike):
        return False
    new = {box.at_keyword: box for box in theirs.children if isinstance(box, MarginBox) and _shows_page_number(box)}
    old = [i for i, box in enumerate(mine.children) if isinstance(box, MarginBox) and _shows_page_number(box)]
    plain = all(kind in ("counter()", "counters()", "string") for i in old for kind, _ in mine.children[i].style["content"])
    if not plain or {mine.children[i].at_keyword for i in old} != set(new):
        return False
    children = list(mine.children)
    for i in old:
        children[i] = new[children[i].at_keyword]
    mine.children = type(mine.children)(children)
    return True
