"""HTML -> PDF with WeasyPrint; reviewers' sticky notes added in the finisher."""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..review import Review

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


def _sticky_notes(review: Review):
    notes = {n.anchor: n for n in review.notes} if review.annotated else {}

    def finisher(document, pdf):
        kids = pdf.pages["Kids"]
        for number, page in enumerate(document.pages):
            pdf_page = pdf.objects[kids[number * 3]]
            height = page.height
            for anchor, (x1, y1, x2, _) in page.anchors.items():
                note = notes.pop(anchor, None)
                if note is None:
                    continue
                left, top = x2 * PX_TO_PT + 2, (height - y1) * PX_TO_PT
                annot = pydyf.Dictionary({
                    "Type": "/Annot", "Subtype": "/Text",
                    "Rect": pydyf.Array([left, top - ICON, left + ICON, top]),
                    "T": pydyf.String(note.voice.region),
                    "NM": pydyf.String(note.name),
                    "Contents": pydyf.String(f"{note.voice.comment.text}\n{note.voice.meta}"),
                    "Name": "/Comment", "F": 4, "Open": "false",
                    "C": pydyf.Array(_rgb(note.voice.goals[0].colour) if note.voice.goals else [1, 0.85, 0.3]),
                })
                pdf.add_object(annot)
                pdf_page.setdefault("Annots", pydyf.Array()).append(annot.reference)
        if notes:
            raise RuntimeError(f"{len(notes)} margin notes were not laid out: {sorted(notes)[:5]}")

    return finisher


def _rgb(colour: str) -> list[float]:
    return [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]


def render(review: Review, html: str, roots: list[Path]) -> tuple[bytes, int]:
    """The PDF bytes and its page count."""
    document = HTML(string=html, base_url=str(roots[0]) + "/", url_fetcher=ProjectFetcher(roots)).render()
    out = io.BytesIO()
    document.write_pdf(out, finisher=_sticky_notes(review))
    return out.getvalue(), len(document.pages)
