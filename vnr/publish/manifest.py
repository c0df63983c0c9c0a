"""The manifest: revision, edition, language, every input's and output's hash, the counts, the parts."""

from __future__ import annotations

import hashlib
import json

from .. import __version__
from ..model import STATUSES, Project
from ..resolve.voices import merged
from ..review import Review


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(value) -> str:
    return sha256(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8"))


def content_hashes(project: Project) -> dict[str, dict[str, str]]:
    """A hash per chapter (its text and structure) and per comment key, so two manifests can be
    compared without the sources: which chapters and comments changed between two revisions."""
    chapters = {
        c.id: _digest([c.order, c.title, c.goals, c.body.value,
                       [[s.id, s.title, s.targets, s.body.value] for s in c.sections]])
        for c in project.chapters
    }
    seminars = {s.id: s for s in project.seminars}
    comments = {
        c.key: _digest([c.text, c.targets, c.goals, c.kind, c.source, seminars[c.seminar].region,
                        seminars[c.seminar].date])
        for c in project.comments
    }
    return {"chapters": chapters, "comments": comments}


def manifest(review: Review, project: Project, inputs: dict[str, bytes], outputs: dict[str, bytes],
             pages: dict[str, int], keys: dict[str, str], packs: dict | None = None) -> bytes:
    """`pages`: each PDF's page count; `packs`: what each working group's pack holds, by group id."""
    f = review.figures
    unplaced = review.part("unplaced")
    answers = project.responses or {}
    data = {
        "revision": review.revision,
        "date": review.date.isoformat(),
        "edition": review.edition,
        "language": review.lang,
        "inputs": {path: sha256(data) for path, data in sorted(inputs.items())},
        "outputs": {
            name: {"sha256": sha256(data), "bytes": len(data),
                   **({"pages": pages.get(name)} if name.endswith(".pdf") else {})}
            for name, data in sorted(outputs.items())
        },
        "counts": {
            "chapters": len(review.chapters),
            "seminars": f.seminars,
            "regions": len(f.regions_covered),
            "regions_existing": len(f.regions_existing),
            "participants": f.participants,
            "comments": f.comments,
            "annotations": len(review.notes),
            "merged": merged(review.notes),
            "unplaced": len(unplaced.notes) if unplaced else 0,
            "responses": len(answers),
            "review_notes": len(project.review_notes),
            "review_notes_open": sum(n.status == "open" for n in project.review_notes),
            "indicators": review.indicators,
        },
        "priorities": {str(p.goal): round(p.share, 4) for p in f.priorities},
        "responses": {**{s: sum(r.status == s for r in answers.values()) for s in STATUSES},
                      "open": f.comments - len(answers)},
        "parts": [p.id for p in review.parts],
        **content_hashes(project),
    }
    if packs:
        data["groups"] = packs
    changes = review.part("changes")
    if changes:
        data["since"] = changes.since
    data["build"] = {"vnr": __version__, "keys": keys}  # what each output was made from: see cache.py
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
