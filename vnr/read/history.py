"""What changed between two revisions of a project: sources read with `git show`, no checkout."""

from __future__ import annotations

import difflib
import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..base.errors import Diagnostic, InputError, Pos, Problems, Text, argument
from ..base.framework import framework
from ..model import Chapter, Comment, Project
from ..placement import places
from .load import read_project
from .sources import Tree


def _git(root: Path, *args: str, rev: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise InputError([Diagnostic(argument(rev), "git is not installed: comparing revisions needs it")]) from None
    if done.returncode:
        said = done.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in said:
            message = f"{root.resolve()} is not in a git repository: there are no revisions to compare with"
        elif args[:2] == ("rev-parse", "--verify"):
            message = "not a revision of the project's git repository (a commit, tag or branch: " \
                      "`git log --oneline` lists them)"
        else:
            message = f"git {' '.join(args[:2])} failed: {said}"
        raise InputError([Diagnostic(argument(rev), message)])
    return done.stdout


class GitTree(Tree):
    """The project's files as they were at a git revision."""

    def __init__(self, root: Path, rev: str):
        super().__init__(root)
        self.rev = rev
        self.commit = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", rev=rev).decode().strip()
        self.prefix = _git(root, "rev-parse", "--show-prefix", rev=rev).decode().strip()

    def files(self, folder: str) -> list[str]:
        where = f"{self.prefix}{folder}/" if folder else (self.prefix or ".")
        names = _git(self.root, "ls-tree", "--name-only", "-z", self.commit, "--", where, rev=self.rev).decode().split("\0")
        rels = [name[len(self.prefix):] for name in names if name]
        return sorted(r for r in rels if PurePosixPath(r).suffix in (".yaml", ".yml")
                      and str(PurePosixPath(r).parent) == (folder or "."))

    def is_dir(self, folder: str) -> bool:
        return bool(self.below(folder))

    def below(self, folder: str) -> list[str]:
        names = _git(self.root, "ls-tree", "-r", "--name-only", "-z", self.commit, "--",
                     f"{self.prefix}{folder}/", rev=self.rev).decode().split("\0")
        return sorted(name[len(self.prefix):] for name in names if name)

    def read(self, rel: str, limit: int = -1) -> bytes:
        data = _git(self.root, "show", f"{self.commit}:{self.prefix}{rel}", rev=self.rev)
        return data if limit < 0 else data[:limit]


def project_at(root: Path, rev: str) -> Project:
    """The project as it was at `rev`; its own problems are reported as `REV:path:line:col`."""
    problems = Problems()
    project = read_project(root, problems, GitTree(root, rev))
    if problems:
        raise InputError([Diagnostic(Pos(f"{rev}:{d.pos.path}", d.pos.line, d.pos.column), d.message)
                          for d in problems.items])
    return project


# -- comparison --------------------------------------------------------------

@dataclass(frozen=True)
class Paragraph:
    """One changed paragraph as a word-level diff: (op, text) with op '=', '+' or '-'."""

    parts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TextChange:
    place: str  # chapter or section id
    title: str
    status: str  # added | removed | changed
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class CommentChange:
    key: str
    status: str  # added | removed | edited
    text: str  # the text now (the text then, for a removed comment)
    before: str = ""  # the text then, for an edited comment whose text changed


@dataclass(frozen=True)
class Moved:
    key: str
    before: tuple[str, ...]  # place titles
    after: tuple[str, ...]


@dataclass(frozen=True)
class ResponseChange:
    key: str
    change: str  # added | changed | withdrawn
    status: str  # the response's status now (accepted | partly | noted | declined | withdrawn)
    text: str  # its text now (then, for a withdrawn response)


@dataclass(frozen=True)
class Changes:  # not slots: new_comments is cached on first use, once per build
    since: str
    texts: tuple[TextChange, ...]
    seminars_added: tuple[str, ...]
    seminars_removed: tuple[str, ...]
    comments: tuple[CommentChange, ...]
    moved: tuple[Moved, ...]
    responses: tuple[ResponseChange, ...] = ()

    @functools.cached_property
    def new_comments(self) -> frozenset[str]:
        return frozenset(c.key for c in self.comments if c.status == "added")

    def summary(self) -> list[str]:
        """The changes as lines of text, for the terminal."""
        lines = [f"Changes since {self.since}:"]
        counts = {s: [c for c in self.comments if c.status == s] for s in ("added", "removed", "edited")}
        for change in self.texts:
            lines.append(f"  {'+-~'[('added', 'removed', 'changed').index(change.status)]} {change.place}: "
                         f"{change.title} ({change.status}, {len(change.paragraphs)} paragraph(s))")
        for label, seminars in (("seminars added", self.seminars_added), ("seminars removed", self.seminars_removed)):
            if seminars:
                lines.append(f"  {label}: {', '.join(seminars)}")
        for status, items in counts.items():
            for c in items:
                lines.append(f"  comment {status}: {c.key}: {_short(c.text)}")
        for m in self.moved:
            lines.append(f"  placement moved: {m.key}: {' | '.join(m.before)} -> {' | '.join(m.after)}")
        for r in self.responses:
            lines.append(f"  response {r.change}: {r.key}: {r.status}: {_short(r.text)}")
        if len(lines) == 1:
            lines.append("  nothing")
        return lines


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _paragraphs(text: Text | None) -> list[str]:
    source = text.value if text else ""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", source) if p.strip()]


def _words(before: str, after: str) -> Paragraph:
    old, new = before.split(" "), after.split(" ")
    parts: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(old[a1:a2])))
        else:
            if a2 > a1:
                parts.append(("-", " ".join(old[a1:a2])))
            if b2 > b1:
                parts.append(("+", " ".join(new[b1:b2])))
    return Paragraph(tuple(parts))


def _text_diff(before: list[str], after: list[str]) -> tuple[Paragraph, ...]:
    changed: list[Paragraph] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        old, new = before[a1:a2], after[b1:b2]
        for i in range(max(len(old), len(new))):
            changed.append(_words(old[i] if i < len(old) else "", new[i] if i < len(new) else ""))
    return tuple(Paragraph(tuple(p for p in par.parts if p[1])) for par in changed)


def _places(chapters: tuple[Chapter, ...]) -> dict[str, tuple[str, list[str], object]]:
    """Every chapter and section by id: (title, paragraphs, what else defines it)."""
    found = {}
    for c in chapters:
        found[c.id] = (c.title, [c.title, *_paragraphs(c.body)], (c.order, c.goals))
        for s in c.sections:
            found[s.id] = (s.title, [s.title, *_paragraphs(s.body)], s.targets)
    return found


def _signature(c: Comment) -> tuple:
    return (c.text, c.targets, c.goals, c.kind, c.source)


def compare(old: Project, new: Project, since: str, unplaced: str = "Unplaced comments") -> Changes:
    fw = framework()
    texts = []
    before, after = _places(old.chapters), _places(new.chapters)
    for place in [*after, *(p for p in before if p not in after)]:
        if place not in before:
            texts.append(TextChange(place, after[place][0], "added", _text_diff([], after[place][1])))
        elif place not in after:
            texts.append(TextChange(place, before[place][0], "removed", _text_diff(before[place][1], [])))
        elif before[place][1:] != after[place][1:]:
            texts.append(TextChange(place, after[place][0], "changed", _text_diff(before[place][1], after[place][1])))

    old_seminars, new_seminars = {s.id for s in old.seminars}, {s.id for s in new.seminars}
    old_comments = {c.key: c for c in old.comments}
    new_comments = {c.key: c for c in new.comments}
    comments = []
    for key, c in new_comments.items():
        if key not in old_comments:
            comments.append(CommentChange(key, "added", c.text))
        elif _signature(old_comments[key]) != _signature(c):
            was = old_comments[key].text
            comments.append(CommentChange(key, "edited", c.text, was if was != c.text else ""))
    comments += [CommentChange(key, "removed", c.text) for key, c in old_comments.items() if key not in new_comments]

    titles = {**{k: v[0] for k, v in before.items()}, **{k: v[0] for k, v in after.items()}}
    label = lambda ids: tuple(titles.get(i, unplaced) for i in ids)  # noqa: E731
    moved = []
    for key in new_comments.keys() & old_comments.keys():
        then = places(old_comments[key], old.chapters, fw)
        now = places(new_comments[key], new.chapters, fw)
        if then != now:
            moved.append(Moved(key, label(then), label(now)))
    then, now = old.responses or {}, new.responses or {}
    responses = []
    for key, r in now.items():
        was = then.get(key)
        if was is None:
            responses.append(ResponseChange(key, "added", r.status, r.text))
        elif (was.status, was.text, was.place) != (r.status, r.text, r.place):
            responses.append(ResponseChange(key, "changed", r.status, r.text))
    responses += [ResponseChange(key, "withdrawn", "withdrawn", r.text) for key, r in then.items() if key not in now]
    return Changes(
        since, tuple(texts), tuple(sorted(new_seminars - old_seminars)), tuple(sorted(old_seminars - new_seminars)),
        tuple(sorted(comments, key=lambda c: (("added", "edited", "removed").index(c.status), c.key))),
        tuple(sorted(moved, key=lambda m: m.key)), tuple(sorted(responses, key=lambda r: r.key)),
    )
