"""`vnr collect`: reviewers' notes from returned PDF and DOCX files into reviews/<file stem>.yaml.

Stable: a note's id comes from where the note is, so collecting a file again adds the notes that
are new, updates those the reviewer edited since (what they say, and when), and keeps what
editors changed (`status`, the place they moved a note to). Every file is read before anything
is written, and what collect writes, vnr check accepts: each note within what one value may
hold, each file read back as the loader will read it. A file that is not a reviewers' edition
of this project is an error, and then nothing is written.
"""

from __future__ import annotations

import bisect
from pathlib import Path

import yaml

from .. import model
from ..base.errors import Diagnostic, Pos, Problems
from ..read import load, sources
from ..read import schema as s
from . import docx, pdf
from .pdf import ENTRY, Found, Refused

READERS = {".pdf": pdf, ".docx": docx}
# A reviewers' edition is a few MB (the sample's PDF: 1.4 MB, its DOCX 1.1 MB); pypdf reads
# a PDF whole into memory.
MAX_RETURNED_BYTES = 200_000_000


def collect(root: Path, files: list[Path], say=print) -> None:
    """Collect `files` into root/reviews. Raises InputError."""
    project = load.load(root)
    places = model.places(project.chapters) | set(model.GENERATED)
    keys = {c.key for c in project.comments}
    problems, collected = Problems(), {}
    for path in files:
        found = _read(path, places, keys, problems)
        # review.pdf and review.docx from one reviewer go to one file
        collected.setdefault(f"reviews/{path.stem}.yaml", []).extend((path, note) for note in
                                                                       _kept(path, found, problems, say))
    problems.raise_if_any()
    writes, told = {}, []
    for rel, found in collected.items():
        old = _listed(root, rel)
        notes, origins, updated = _merge(old, found)
        for note in notes[len(old):]:
            if note["place"] not in places:
                say(f"{rel}: warning: note {note['id']} sits in '{note['place']}', which is no longer a chapter, "
                    "section or generated part; its place is kept")
        if origins:  # nothing new nor edited: the file stays as it was, or absent
            writes[rel] = yaml.safe_dump(notes, allow_unicode=True, sort_keys=False, width=100)
            _as_check_reads(root, rel, writes[rel], origins, problems)
        told.append(f"{rel}: {len(notes) - len(old)} new note(s)" + (f", {updated} updated" if updated else "")
                    + f", {len(notes)} in all")
    problems.raise_if_any()
    for rel, text in writes.items():
        sources.write(root / rel, text)
    for line in told + summary(files_as_written(root), project.chapters):
        say(line)


def _read(path: Path, places: set[str], keys: set[str], problems: Problems) -> list[Found]:
    """The reviewers' notes of one returned file; none, and the reason in `problems`, where it is not
    a reviewers' edition of this project or cannot be read within bounds."""
    where = Pos(str(path))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        problems.add(where, "vnr collects notes from .pdf and .docx files")
        return []
    size = path.stat().st_size
    if size > MAX_RETURNED_BYTES:
        problems.add(where, f"a file of {size:,} bytes; collect reads at most {MAX_RETURNED_BYTES:,} "
                            "(a reviewers' edition is a few MB)")
        return []
    try:
        found, marks = reader.read(path, places)
    except Refused as exc:
        problems.add(Pos(str(path), cell=exc.member) if exc.member else where, str(exc))
        return []
    except Exception as exc:  # a damaged or foreign file: say which, collect nothing
        problems.add(where, f"cannot read this file: {type(exc).__name__}: {exc}")
        return []
    if not marks & keys:
        problems.add(where, "not a reviewers' edition of this project: it holds none of vnr's notes on this "
                            "project's comments")
        return []
    return found


def _kept(path: Path, found: list[Found], problems: Problems, say) -> list[Found]:
    """The notes to collect. A mark with no text and no text under it is reported and left; a text
    longer than vnr check accepts in one value is an error at its note."""
    kept = []
    for note in found:
        if not note.text.strip():
            say(str(Diagnostic(Pos(str(path)), f"{note.origin} has no text of its own and none under it: not collected",
                               "warning")))
            continue
        for name in ("text", "author"):
            length = len(getattr(note, name))
            if length > s.MAX_TEXT:
                problems.add(Pos(str(path)), f"{note.origin}: its {name} has {length:,} characters, more than vnr "
                                             f"check accepts in one value ({s.MAX_TEXT:,}): ask for it in shorter "
                                             "notes")
        kept.append(note)
    return kept


def _merge(old: list[dict], found: list[tuple[Path, Found]]) -> tuple[list[dict], dict, int]:
    """The notes to write: those collected before, each one the reviewer edited since updated, then
    the new ones; which of them come from `found` (by index: the file and note, for errors); and how
    many were updated. An edited note keeps its id, place and status (the editors')."""
    notes = [{key: value for key, value in note.items() if value is not None} for note in old]
    at = {note["id"]: i for i, note in enumerate(notes)}
    origins, updated = {}, 0
    for path, note in found:
        i = at.get(note.id, at.get(note.earlier))  # earlier: collected before edited notes kept their ids
        if i is None:
            at[note.id] = i = len(notes)
            notes.append(_entry(note))
        elif notes[i]["text"] != note.text:
            kept = {key: notes[i][key] for key in ("id", "place", "status") if key in notes[i]}
            notes[i] = {**_entry(note), **kept}
            updated += 1
        else:
            continue
        origins[i] = (path, note)
    return notes, origins, updated


def _entry(note: Found) -> dict:
    """The note as reviews/*.yaml keeps it: Found's fields in their order, then its status."""
    return {key: value for key, value in {**{k: getattr(note, k) for k in ENTRY}, "status": "open"}.items()
            if value is not None}


def _as_check_reads(root: Path, rel: str, text: str, origins: dict, problems: Problems) -> None:
    """What vnr check will say of `text` as root/rel: said at the note it comes from, where it does."""
    size = len(text.encode("utf-8"))
    if size > load.MAX_FILE_BYTES:
        names = ", ".join(sorted({str(path) for path, _ in origins.values()}))
        problems.add(Pos(rel), f"the notes collected from {names} would make this file {size:,} bytes, more than "
                               f"vnr check reads ({load.MAX_FILE_BYTES:,}): ask for fewer or shorter notes")
        return
    after = Problems()
    load.read_reviews(sources.Overlay(root, {rel: text}), rel, after)
    starts = [number for number, line in enumerate(text.splitlines(), 1) if line.startswith("- ")]
    for diagnostic in after.items:
        path, note = origins.get(bisect.bisect_right(starts, diagnostic.pos.line) - 1, (None, None))
        if note is None:
            problems.add(diagnostic.pos, f"{diagnostic.message} (in the file vnr collect would write)")
        else:
            problems.add(Pos(str(path)), f"{note.origin}: {diagnostic.message} (vnr check would say it of {rel})")


def _listed(root: Path, rel: str) -> list[dict]:
    """The notes of one reviews file as vnr check reads them (bounded: its size, its aliases), in the
    file's order, each with every key; none where the file is absent, or those check accepts."""
    if not (root / rel).is_file():
        return []
    got = load.read_reviews(sources.Tree(root), rel, Problems())
    return [values for values, _ in got if all(value is not s.INVALID for value in values.values())]


def files_as_written(root: Path) -> list[tuple[str, str, str]]:
    """(author, place, status) of every note in reviews/, read as the files hold them, a note at a
    place that is gone included (a collect warns of those; vnr check would refuse them)."""
    return [(note["author"], note["place"], note["status"])
            for rel in sources.yaml_of(sources.Tree(root)).reviews for note in _listed(root, rel)]


def summary(notes, chapters) -> list[str]:
    """How many reviewers' notes, open and done, per reviewer and per part (chapter or generated):
    `notes` as (author, place, status)."""
    notes = list(notes)
    if not notes:
        return []
    part_of = {section.id: c.id for c in chapters for section in c.sections}

    def tally(group: dict) -> str:
        return "; ".join(f"{name} {len(ns)} ({sum(status == 'open' for status in ns)} open)"
                         for name, ns in sorted(group.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    by_author, by_part = {}, {}
    for author, place, status in notes:
        by_author.setdefault(author or "(no author)", []).append(status)
        by_part.setdefault(part_of.get(place, place), []).append(status)
    still = sum(status == "open" for _, _, status in notes)
    return [f"reviewers' notes: {len(notes)} ({still} open, {len(notes) - still} done)",
            f"  by reviewer: {tally(by_author)}", f"  by part: {tally(by_part)}"]
