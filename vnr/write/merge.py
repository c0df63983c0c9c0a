"""One PDF from the parts the WeasyPrint processes drew (write/layout.py), with pikepdf.

pikepdf is qpdf's Python binding: it copies pages with everything they use, and writes the same
bytes for the same parts (`deterministic_id`), which makes the PDF the same whatever the number of
processes. From the parts it takes the pages, their annotations (links, sticky notes and their
replies) and, for the public edition, their structure trees; from the first part the document's
settings (language, title, metadata, viewer preferences, the archive's output intent and attached
sources). It writes anew what spans the parts:

- the named destinations, one flat name tree of every anchor (the first of a name wins, as in
  WeasyPrint): a link across parts leads by its name to the part that holds its anchor;
- the outline, from every part's headings;
- the structure tree (PDF/UA): one Document element holding each part's elements in order, one
  ParentTree with each part's keys moved past the parts before, and the pages' /StructParents and
  the annotations' /StructParent moved with them;
- `VnrPlaces` in the document info (the reviewers' edition): which destinations are places.
"""

from __future__ import annotations

import io
import warnings

PX_TO_PT = 0.75
SETTINGS = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata", "/OutputIntents", "/PageMode", "/AF")


def merge(parts: list[tuple[bytes, tuple]], job, archive: bool = False) -> bytes:
    """`parts`: each part's PDF and what it carries of its pages (weasy.Store.draw)."""
    import pikepdf

    out = pikepdf.Pdf.new()
    opened = [pikepdf.Pdf.open(io.BytesIO(data)) for data, _ in parts]  # open until saved: pages come from them
    dests, marks, starts = [], [], []
    for source, (_, meta) in zip(opened, parts):
        base = len(out.pages)
        starts.append(base)
        with warnings.catch_warnings():  # the destinations are written anew: see _dests
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)
        for offset, (height, anchors, bookmarks) in enumerate(meta):
            page = out.pages[base + offset].obj
            for name, (x, y) in anchors.items():
                dests.append((name, base + offset, pikepdf.Array([page, pikepdf.Name.XYZ, x * PX_TO_PT,
                                                                   (height - y) * PX_TO_PT, 0])))
            marks += [(level, label, base + offset, x * PX_TO_PT, (height - y) * PX_TO_PT)
                      for level, label, (x, y) in bookmarks]
    first = opened[0]
    for key in SETTINGS:
        if key in first.Root:
            out.Root[key] = _copy(out, first.Root[key])
    names = pikepdf.Dictionary(Dests=_dests(dests))
    if "/Names" in first.Root and "/EmbeddedFiles" in first.Root.Names:  # the archive's sources
        names.EmbeddedFiles = _copy(out, first.Root.Names.EmbeddedFiles)
    out.Root.Names = names
    _outline(out, marks)
    if "/StructTreeRoot" in first.Root:
        _structure(out, opened, starts)
    out.docinfo = out.copy_foreign(first.docinfo)
    if job.places and not archive:
        out.docinfo.VnrPlaces = pikepdf.String(" ".join(job.places))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, min_version=first.pdf_version, compress_streams=job.compress,
             object_stream_mode=pikepdf.ObjectStreamMode.generate if job.compress else pikepdf.ObjectStreamMode.disable)
    for source in opened:
        source.close()
    return buffer.getvalue()


def _copy(out, obj):
    """`obj` of another PDF, in `out`: pikepdf copies indirect objects only, so a direct array or
    dictionary is rebuilt around copies of what it holds."""
    import pikepdf

    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(out, value) for key, value in obj.items()})
    return obj


def _dests(dests: list) -> object:
    import pikepdf

    seen, names = set(), []
    for name, _, dest in sorted(dests, key=lambda d: (d[0], d[1])):
        if name not in seen:
            seen.add(name)
            names += [pikepdf.String(name), dest]
    return pikepdf.Dictionary(Names=pikepdf.Array(names))


def _outline(out, marks: list) -> None:
    import pikepdf

    if not marks:
        return
    with out.open_outline() as outline:
        stack = [(0, outline.root)]
        for level, label, index, x, y in marks:
            while stack[-1][0] >= level:
                stack.pop()
            item = pikepdf.OutlineItem(label, index, "XYZ", left=x, top=y)
            stack[-1][1].append(item)
            stack.append((level, item.children))


def _structure(out, opened: list, starts: list[int]) -> None:
    """One structure tree from the parts' (see the module's docstring)."""
    import pikepdf

    document = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document,
                                                    K=pikepdf.Array()))
    nums, shift = pikepdf.Array(), 0
    for source, base in zip(opened, starts):
        tree = source.Root.StructTreeRoot
        for kid in tree.K[0].K:  # the part's Document element's children
            kid = out.copy_foreign(kid)
            kid.P = document
            document.K.append(kid)
        pairs = list(tree.ParentTree.Nums)
        for key, value in zip(pairs[::2], pairs[1::2]):
            nums.append(int(key) + shift)
            nums.append(_copy(out, value))
        for offset in range(len(source.pages)):
            page = out.pages[base + offset].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + shift
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        shift += max((int(k) for k in pairs[::2]), default=-1) + 1
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([document]),
                                                ParentTree=out.make_indirect(pikepdf.Dictionary(Nums=nums)),
                                                ParentTreeNextKey=shift))
    document.P = root
    out.Root.StructTreeRoot = root
