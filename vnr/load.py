"""Read a project directory into the model, reporting every problem with its position."""

from __future__ import annotations

import re
from pathlib import Path

from . import schema as s
from .errors import Pos, Problems
from .framework import LANGUAGES, Framework, framework
from .model import AUDIENCES, CATEGORIES, KINDS, Chapter, Comment, Project, Section, Seminar, Settings

IDENT = r"[a-z0-9]+(?:-[a-z0-9]+)*"


def _goal(fw: Framework) -> s.Validator:
    return s.integer(1, len(fw.goals), what="goal")


def _target(fw: Framework) -> s.Validator:
    def check(r: s.Reader, node) -> object:
        # Read the scalar as written: unquoted 11.10 must not become the float 11.1.
        value = getattr(node, "value", None)
        if not isinstance(value, str) or node.tag.endswith(("map", "seq")):
            return r.error(node, "expected a target id such as '7.1'")
        if value not in fw.targets:
            return r.error(node, f"unknown target '{value}'")
        return value

    return check


def _settings_schema() -> s.Validator:
    return s.mapping({
        "title": s.Field(s.nonempty_text, required=True),
        "subtitle": s.Field(s.text),
        "country": s.Field(s.pattern(r"[A-Z]{2}", "country code (ISO 3166-1 alpha-2)"), required=True),
        "year": s.Field(s.integer(2015, 2030, what="year"), required=True),
        "language": s.Field(s.choice(LANGUAGES, "language"), default="en"),
    })


def _chapter_schema(fw: Framework) -> s.Validator:
    section = s.mapping({
        "id": s.Field(s.pattern(IDENT, "section id"), required=True),
        "title": s.Field(s.nonempty_text, required=True),
        "targets": s.Field(s.list_of(_target(fw)), default=[]),
        "body": s.Field(s.located_text, default=None),
    })
    return s.mapping({
        "id": s.Field(s.pattern(IDENT, "chapter id"), required=True),
        "order": s.Field(s.integer(), default=0),
        "title": s.Field(s.nonempty_text, required=True),
        "goals": s.Field(s.list_of(_goal(fw)), default=[]),
        "body": s.Field(s.located_text, default=None),
        "sections": s.Field(s.list_of(section), default=[]),
    })


def _seminar_schema(fw: Framework) -> s.Validator:
    comment = s.mapping({
        "id": s.Field(s.pattern(IDENT, "comment id"), required=True),
        "text": s.Field(s.nonempty_text, required=True),
        "targets": s.Field(s.list_of(_target(fw)), default=[]),
        "goals": s.Field(s.list_of(_goal(fw)), default=[]),
        "kind": s.Field(s.choice(KINDS, "kind"), required=True),
        "from": s.Field(s.choice(CATEGORIES, "participant category"), required=True),
    })
    count = s.integer(0, what="count")
    return s.mapping({
        "region": s.Field(s.text, required=True),
        "city": s.Field(s.nonempty_text, required=True),
        "date": s.Field(s.date, required=True),
        "audience": s.Field(s.choice(AUDIENCES, "audience"), required=True),
        "participants": s.Field(s.mapping({c: s.Field(count, default=0) for c in CATEGORIES}), default=None),
        "priorities": s.Field(s.dict_of(_goal(fw), count), default={}),
        "comments": s.Field(s.list_of(comment), default=[]),
    })


def _body(values: dict, where: dict) -> s.Text:
    return values["body"] or s.Text("", where[""])


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.problems = Problems()
        self.fw = framework()
        self.inputs: dict[str, bytes] = {}

    def read(self, rel: str, validator: s.Validator):
        data = (self.root / rel).read_bytes()
        self.inputs[rel] = data
        reader = s.Reader(rel, self.problems)
        node = s.parse(rel, data, self.problems)
        if node is None:
            return None
        result = validator(reader, node)
        return None if result is s.INVALID else result

    def files(self, folder: str) -> list[str]:
        found = sorted((self.root / folder).glob("*.yaml")) + sorted((self.root / folder).glob("*.yml"))
        return [p.relative_to(self.root).as_posix() for p in sorted(found)]

    def settings(self) -> Settings | None:
        if not (self.root / "vnr.yaml").is_file():
            self.problems.add(Pos("vnr.yaml"), "missing project settings file vnr.yaml")
            return None
        got = self.read("vnr.yaml", _settings_schema())
        if got is None:
            return None
        v, _ = got
        return Settings(v["title"], v["subtitle"], v["country"], v["year"], v["language"])

    def chapters(self) -> list[Chapter]:
        validator = _chapter_schema(self.fw)
        chapters = []
        for rel in self.files("chapters"):
            got = self.read(rel, validator)
            if got is None:
                continue
            v, where = got
            sections = tuple(
                Section(sv["id"], sv["title"], tuple(sv["targets"]), _body(sv, sw), sw["id"])
                for sv, sw in v["sections"]
            )
            chapters.append(Chapter(
                v["id"], v["order"], v["title"], tuple(dict.fromkeys(v["goals"])), _body(v, where),
                sections, rel, where["id"],
            ))
        self._unique([(c.id, c.pos) for c in chapters], "chapter id")
        self._unique([(x.id, x.pos) for c in chapters for x in c.sections], "section id")
        return sorted(chapters, key=lambda c: (c.order, c.id))

    def seminars(self) -> list[Seminar]:
        validator = _seminar_schema(self.fw)
        seminars = []
        for rel in self.files("feedback"):
            got = self.read(rel, validator)
            if got is None:
                continue
            v, where = got
            sid = Path(rel).stem
            if not _ident(sid):
                self.problems.add(Pos(rel), f"seminar file name '{sid}' must be lower-case letters, digits and '-'")
            region = self.fw.regions.get(v["region"])
            if region is None:
                self.problems.add(where["region"], f"unknown region '{v['region']}'")
            elif not region.existed_on(v["date"]):
                self.problems.add(
                    where["date"],
                    f"region {region.code} ({region.name['en']}) did not exist on {v['date']}: "
                    f"it was established on {region.established}",
                )
            participants = v["participants"][0] if v["participants"] else {}
            comments = []
            for cv, cw in v["comments"]:
                if not cv["targets"] and not cv["goals"]:
                    self.problems.add(cw[""], "a comment needs 'targets' or 'goals' (or both)")
                comments.append(Comment(
                    sid, cv["id"], cv["text"], tuple(dict.fromkeys(cv["targets"])),
                    tuple(dict.fromkeys(cv["goals"])), cv["kind"], cv["from"], cw["id"],
                ))
            self._unique([(c.id, c.pos) for c in comments], "comment id")
            seminars.append(Seminar(
                sid, v["region"], v["city"], v["date"], v["audience"],
                participants, v["priorities"], tuple(comments), rel,
            ))
        return seminars

    def _unique(self, items: list[tuple[str, Pos]], what: str) -> None:
        first: dict[str, Pos] = {}
        for ident, pos in items:
            if ident in first:
                self.problems.add(pos, f"duplicate {what} '{ident}' (first defined at {first[ident]})")
            else:
                first[ident] = pos


def _ident(text: str) -> bool:
    return re.fullmatch(IDENT, text) is not None


def load(root: Path) -> Project:
    """The whole project, or InputError listing every problem found."""
    loader = _Loader(root)
    settings = loader.settings()
    chapters = loader.chapters()
    seminars = loader.seminars()
    loader.problems.raise_if_any()
    return Project(root, settings, tuple(chapters), tuple(seminars), loader.inputs)
