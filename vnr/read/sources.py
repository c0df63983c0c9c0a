"""The files of a project that a build reads, known in one place.

The loader reads the YAML listed here, the rebuild keys (`cache.keys`) and the manifest's
inputs hash what `inputs` returns: the same list, so an output can never be kept while a file
it was made from changed. Images, found only by reading the chapters, and the map named in
vnr.yaml (read/maps.py) are the kinds not listed here: a build adds those it used (`inputs`,
the loader's), and the next build checks them again through the last manifest's inputs
(`cache.current_inputs`).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

TREES = ("templates", "assets")  # read whole: the look (HTML, PDF) and the pictures
REGIONS = "regions.yaml"  # beside vnr.yaml: the project's own names and dates of its regions (regions.py)
DATA = "indicators"  # read file by file as a build needs them (opensdg.py): see `all`


class Tree:
    """Where a project's files are read from: the folder on disk (see history.GitTree for a revision)."""

    def __init__(self, root: Path):
        self.root = root

    def files(self, folder: str) -> list[str]:
        """Project-relative paths of the YAML files directly in `folder` ("" for the root), sorted."""
        found = (self.root / folder).glob("*.y*ml") if self._folder(folder) else ()
        return sorted(p.relative_to(self.root).as_posix() for p in found
                      if p.suffix in (".yaml", ".yml") and self._inside(p))

    def is_dir(self, folder: str) -> bool:
        return (self.root / folder).is_dir()

    def below(self, folder: str) -> list[str]:
        """Project-relative paths of every file under `folder`, at any depth, sorted."""
        found = (self.root / folder).rglob("*") if self._folder(folder) else ()  # links to folders: not followed
        return sorted(p.relative_to(self.root).as_posix() for p in found if self._inside(p))

    # A link to a file or folder elsewhere is never listed, so never read.
    def _folder(self, folder: str) -> bool:
        path = self.root / folder
        return path.is_dir() and path.resolve().is_relative_to(self.root.resolve())

    def _inside(self, path: Path) -> bool:
        return path.is_file() and (not path.is_symlink() or path.resolve().is_relative_to(self.root.resolve()))

    def has(self, rel: str) -> bool:
        """Whether `rel` names a file of the project (one outside it, or a link to one, is not)."""
        path = self.root / rel
        return self._inside(path) and path.resolve().is_relative_to(self.root.resolve())

    def read(self, rel: str, limit: int = -1) -> bytes:
        """The file's bytes, at most `limit` of them (an oversized file is never read whole)."""
        with open(self.root / rel, "rb") as f:
            return f.read(limit)


class Overlay(Tree):
    """The project's files as they would be once `writes` (path -> text) are written: what vnr import
    and vnr collect check before they write anything."""

    def __init__(self, root: Path, writes: dict[str, str]):
        super().__init__(root)
        self.writes = writes

    def files(self, folder: str) -> list[str]:
        found = set(super().files(folder))
        found |= {rel for rel in self.writes if str(Path(rel).parent) == (folder or ".")}
        return sorted(found)

    def is_dir(self, folder: str) -> bool:
        return super().is_dir(folder) or any(str(Path(rel).parent) == folder for rel in self.writes)

    def read(self, rel: str, limit: int = -1) -> bytes:
        if rel in self.writes:
            return self.writes[rel].encode("utf-8")
        return super().read(rel, limit)


@dataclass(frozen=True)
class YamlSources:
    """The YAML files the loader reads (it needs no listing of the other folders)."""

    settings: tuple[str, ...]  # vnr.yaml, where it exists
    chapters: tuple[str, ...]
    feedback: tuple[str, ...]
    responses: tuple[str, ...] | None  # None: no responses/ folder (the responses part is not shown)
    reviews: tuple[str, ...]
    regions: tuple[str, ...]  # regions.yaml, where it exists


@dataclass(frozen=True)
class Sources(YamlSources):
    templates: tuple[str, ...]
    assets: tuple[str, ...]
    indicators: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        """Every source whose bytes decide a rebuild. Of `indicators/` only the names count here
        (cache.keys): a build reads a few hundred of its files, which its manifest lists, and a
        file it did not read cannot have changed its outputs."""
        return (*self.settings, *self.regions, *self.chapters, *self.feedback, *(self.responses or ()), *self.reviews,
                *self.templates, *self.assets)


def yaml_of(tree: Tree) -> YamlSources:
    """Project-relative paths of the YAML sources, sorted within each kind."""
    return YamlSources(
        tuple(p for p in tree.files("") if p == "vnr.yaml"),
        tuple(tree.files("chapters")),
        tuple(tree.files("feedback")),
        tuple(tree.files("responses")) if tree.is_dir("responses") else None,
        tuple(tree.files("reviews")),
        tuple(p for p in tree.files("") if p == REGIONS),
    )


def of(tree: Tree) -> Sources:
    """Project-relative paths of every source, sorted within each kind."""
    return Sources(*dataclasses.astuple(yaml_of(tree)), *(tuple(tree.below(folder)) for folder in TREES),
                   tuple(tree.below(DATA)))


def read(root: Path, paths) -> dict[str, bytes]:
    """The bytes of each path that is a file of the project now (a path gone since is left
    out, and so is one that leads outside the project: the paths may come from a manifest)."""
    found, inside = {}, root.resolve()
    for rel in sorted(set(paths)):
        path = root / rel
        if path.is_file() and path.resolve().is_relative_to(inside):
            found[rel] = path.read_bytes()
    return found


def inputs(root: Path, read_yaml: dict[str, bytes], images, data: dict[str, bytes]) -> dict[str, bytes]:
    """Everything a build read: the YAML as the loader read it, the templates and assets, the
    images the bodies show (`images`: their paths) and the indicator data read (`data`), by
    project-relative path."""
    sources = of(Tree(root))
    resolved = root.resolve()
    used = [Path(p).resolve().relative_to(resolved).as_posix() for p in images]
    return {**read_yaml, **data, **read(root, [*sources.templates, *sources.assets, *used])}


def umask() -> int:
    """The process's umask (read by setting it, so set back at once): the modes a user expects."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write(path: Path, text: str | bytes) -> None:
    """A file written whole or not at all (vnr import, vnr collect, vnr export): a temporary file
    beside it, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as f:
        f.write(data)
    os.chmod(f.name, 0o666 & ~umask())  # as any file the editor saves, not mkstemp's 0600
    os.replace(f.name, path)
