"""The one place vnr relies on how WeasyPrint 70 builds its PDF, beyond its public API.

- `page_objects`: in the finisher, the PDF object of each laid-out page. WeasyPrint keeps a
  page's dictionary, its content stream and its resources together in `pdf.pages['Kids']`
  (three entries a page); its own code pairs them as `zip(pdf.pages['Kids'][::3], pages)`.
- `header_scopes`: a tagged table header cell (`/TH`) carries the id WeasyPrint gives it,
  '<table>-<row>-<column>'; vnr reads the row from it.

Both are checked by tests/test_internals.py on a small document, so a WeasyPrint upgrade that
changes either fails there, by name, instead of misplacing sticky notes or header scopes.
"""

from __future__ import annotations

import pydyf


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


def header_scopes(pdf) -> None:
    """Give tagged header cells a /Scope, so screen readers know what each header labels:
    vnr's tables have one header row, so a header in row 0 labels its column, any other its row."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("S") == "/TH" and "ID" in obj:
            scope = "/Column" if header_row(obj) == 0 else "/Row"
            obj.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
