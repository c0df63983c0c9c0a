"""`vnr collect`: reviewers' notes from returned PDF and DOCX files into reviews/<file stem>.yaml.

Stable: a note's id comes from the note itself, so collecting a file again adds only the notes
that are new, and keeps every note already collected as it is (an editor's `status` included).
Every file is read before anything is written; a file that is not a reviewers' edition of this
project is an error, and then nothing is written.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from . import collect_docx, collect_pdf, load, model, sources
from .errors import Pos, Problems

def collect(root: Path, files: list[Path], say=print) -> None:
    """Collect `files` into root/reviews. Raises InputError."""
    project = load.load(root)
    places = model.places(project.chapters) | set(model.GENERATED)
    keys = {c.key for c in project.comments}
    problems, collected = Problems(), {}
    for path in files:
        where = Pos(str(path))
        reader = {".pdf": collect_pdf, ".docx": collect_docx}.get(path.suffix.lower())
        if reader is None:
            problems.add(where, "vnr collects notes from .pdf and .docx files")
            continue
        try:
            found, marks = reader.read(path, places)
        except Exception as exc:  # a damaged or foreign file: say which, collect nothing
            problems.add(where, f"cannot read this file: {type(exc).__name__}: {exc}")
            continue
        if not marks & keys:
            problems.add(where, "not a reviewers' edition of this project: it holds none of vnr's notes on this "
                                "project's comments")
            continue
        # review.pdf and review.docx from one reviewer go to one file
        collected.setdefault(f"reviews/{path.stem}.yaml", []).extend(found)
    problems.raise_if_any()
    for rel, found in collected.items():
        target = root / rel
        old = yaml.safe_load(target.read_text(encoding="utf-8")) if target.is_file() else None
        notes = list(old or [])
        known = {note.get("id") for note in notes if isinstance(note, dict)}
        new = [_entry(note) for note in found if note.id not in known and not known.add(note.id)]
        for note in new:
            if note["place"] not in places:
                say(f"{rel}: warning: note {note['id']} sits in '{note['place']}', which is no longer a chapter, "
                    "section or generated part; its place is kept")
        if new:  # nothing new: the file stays as it was, or absent
            sources.write(target, yaml.safe_dump(notes + new, allow_unicode=True, sort_keys=False, width=100))
        say(f"{rel}: {len(new)} new note(s), {len(notes) + len(new)} in all")
    for line in summary(files_as_written(root), project.chapters):
        say(line)


def _entry(note: collect_pdf.Found) -> dict:
    """The note as reviews/*.yaml keeps it: Found's fields in their order, then its status."""
    return {key: value for key, value in {**dataclasses.asdict(note), "status": "open"}.items() if value is not None}



def files_as_written(root: Path) -> list[tuple[str, str, str]]:
    """(author, place, status) of every note in reviews/, read as the files hold them, a note at a
    place that is gone included (a collect warns of those; vnr check would refuse them)."""
    notes = []
    for rel in sources.of(sources.Tree(root)).reviews:
        try:
            listed = yaml.safe_load((root / rel).read_text(encoding="utf-8")) or []
        except (OSError, ValueError, yaml.YAMLError):
            continue  # vnr check reports it
        notes += [(str(n.get("author") or ""), str(n.get("place")), str(n.get("status", "open")))
                  for n in listed if isinstance(n, dict)]
    return notes


def summary(notes, chapters) -> list[str]:
    """How many reviewers' notes, open and done, per reviewer and per part (chapter or generated):
    `notes` as (author, place, status)."""
    notes = list(notes)
    if not notes:
        return []
    part_of = {s.id: c.id for c in chapters for s in c.sections}

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
