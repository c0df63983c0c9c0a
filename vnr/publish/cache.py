"""Which outputs a rebuild can keep: each output's key hashes everything it is made from.

The keys are stored in the manifest. An output is kept when its key is unchanged and the file
on disk still has the hash the manifest gives it; the DOCX does not depend on the templates,
so editing the look re-renders only the HTML and PDF.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from .. import __version__
from ..read import revision, sources

PACKS = "groups"  # the output folder's subfolder of the working groups' packs


@functools.cache
def engine() -> str:
    """vnr's own code, templates and data: a changed vnr invalidates every output."""
    package = Path(__file__).parent.parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _digest(inputs: dict[str, bytes], *extra: str) -> str:
    digest = hashlib.sha256("\0".join(extra).encode())
    for path, data in sorted(inputs.items()):
        digest.update(b"\0" + path.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def looks(inputs: dict[str, bytes]) -> str:
    """The templates and assets read: what the HTML and its layout look like (vnr preview keeps
    part HTML and layouts only while it is the same)."""
    return _digest({p: d for p, d in inputs.items() if p.startswith(("templates/", "assets/"))})


def current_inputs(out: Path, name: str, root: Path) -> dict[str, bytes]:
    """What a build would read now, as far as it can be known before reading: the project's
    sources, and every file the last build read (the images its chapters showed)."""
    last = _manifest(out, name).get("inputs", {})
    return sources.read(root, [*sources.of(sources.Tree(root)).all, *last])


def keys(options, rev: str, date, inputs: dict[str, bytes], groups=()) -> dict[str, str]:
    """Each output's key: vnr itself, the options, and the files it is made from; `groups`: the
    working groups whose packs (groups/ID.pdf, .docx) this build may write or keep."""
    name = options.edition
    since = revision.commit(options.root, options.since) if options.since else ""
    data = sources.of(sources.Tree(options.root)).indicators  # a file added or removed there counts
    strict = "strict" if options.strict else ""  # a strict build never keeps what a lenient one made
    settings = (engine(), name, options.lang or "", rev, str(date), since, strict, *data)
    look = _digest(inputs, *settings)
    common = _digest({p: d for p, d in inputs.items() if not p.startswith("templates/")}, *settings)
    made = {f"{name}.html": look, f"{name}.pdf": look, "archive.pdf": look, f"{name}.docx": common}
    for group in groups:
        made[f"{PACKS}/{group}.pdf"] = _digest({}, look, group)
        made[f"{PACKS}/{group}.docx"] = _digest({}, common, group)
    return made


def _manifest(out: Path, name: str) -> dict:
    try:
        return json.loads((out / f"{name}.manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def unchanged(out: Path, name: str, keys: dict[str, str]) -> dict[str, bytes]:
    """The outputs of the last build that are still what this build would make."""
    manifest = _manifest(out, name)
    old = manifest.get("build", {}).get("keys", {})
    kept = {}
    for output, key in keys.items():
        path = out / output
        if old.get(output) == key and path.is_file():
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() == manifest.get("outputs", {}).get(output, {}).get("sha256"):
                kept[output] = data
    return kept


def listed(out: Path, name: str) -> list[str]:
    """The outputs the edition's last manifest lists."""
    return list(_manifest(out, name).get("outputs", {}))


def pages(out: Path, name: str) -> dict[str, int]:
    """The page count of each PDF the edition's last manifest lists."""
    return {output: listed["pages"] for output, listed in _manifest(out, name).get("outputs", {}).items()
            if isinstance(listed, dict) and isinstance(listed.get("pages"), int)}


def listed_packs(out: Path, name: str) -> dict[str, dict]:
    """What the edition's last manifest says of each working group's pack."""
    return dict(_manifest(out, name).get("groups", {}))


def packs(out: Path, name: str) -> list[str]:
    """The working groups whose packs the edition's last manifest lists."""
    return sorted({o.split("/")[1].rsplit(".", 1)[0] for o in listed(out, name) if o.startswith(f"{PACKS}/")})
