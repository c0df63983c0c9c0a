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

from . import __version__, revision

SOURCE_FOLDERS = ("", "chapters", "feedback")


def _files(root: Path, folder: str, pattern: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.glob(pattern) if p.is_file()) if base.is_dir() else []


@functools.cache
def engine() -> str:
    """vnr's own code, templates and data: a changed vnr invalidates every output."""
    package = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _digest(root: Path, paths: list[Path], *extra: str) -> str:
    digest = hashlib.sha256("\0".join(extra).encode())
    for path in paths:
        digest.update(b"\0" + path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def keys(options, rev: str, date) -> dict[str, str]:
    root, name = options.root, options.edition
    sources = [p for folder in SOURCE_FOLDERS for p in _files(root, folder, "*.y*ml")]
    sources += _files(root, "assets", "**/*")
    since = revision.commit(root, options.since) if options.since else ""
    common = _digest(root, sources, engine(), name, options.lang or "", rev, str(date), since)
    look = _digest(root, _files(root, "templates", "**/*"), common)
    return {f"{name}.html": look, f"{name}.pdf": look, "archive.pdf": look, f"{name}.docx": common}


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


def pages(out: Path, name: str) -> int | None:
    return _manifest(out, name).get("outputs", {}).get(f"{name}.pdf", {}).get("pages")
