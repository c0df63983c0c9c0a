"""Read a project directory into the model, reporting every problem with its position."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from pathlib import Path, PurePosixPath

import yaml

from ..base.errors import Pos, Problems, Text
from ..base.framework import LANGUAGES, Framework, Region, framework
from ..base.ids import IDENT, NOTE_ID, OWN_IDS, is_ident, section_id, seminar_of
from ..model import (
    AUDIENCES,
    CATEGORIES,
    GENERATED,
    KINDS,
    NOTE_STATUSES,
    STATUSES,
    Chapter,
    Comment,
    Group,
    MapSettings,
    Project,
    Response,
    ReviewNote,
    Section,
    Seminar,
    Settings,
)
from ..model import places as model_places
from . import maps, regions, sources
from . import schema as s
from .sources import Tree

# The sample's largest source is 14 KB (a chapter); a seminar of 2,000 comments is about 0.5 MB.
MAX_FILE_BYTES = 10_000_000
AGENDA_ADOPTED = dt.date(2015, 9, 25)  # no seminar on the SDGs can be older than the goals


def latest_today() -> dt.date:
    """The latest date it is anywhere on Earth now (UTC+14): a seminar held today is never
    in the future, whatever the time zone of the machine that checks it."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


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


def _settings_schema(fw: Framework) -> s.Validator:
    group = s.mapping({
        "title": s.Field(s.nonempty_text, required=True),
        "goals": s.Field(s.list_of(_goal(fw)), required=True),
        "chapters": s.Field(s.list_of(s.pattern(IDENT, "chapter id")), default=[]),
    })
    return s.mapping({
        "title": s.Field(s.nonempty_text, required=True),
        "subtitle": s.Field(s.text),
        "country": s.Field(s.pattern(r"[A-Z]{2}", "country code (ISO 3166-1 alpha-2)"), required=True),
        "year": s.Field(s.integer(2015, 2030, what="year"), required=True),
        "language": s.Field(s.choice(LANGUAGES, "language"), default="en"),
        "region_level": s.Field(s.integer(1, 3, what="region level"), default=1),
        "priority_exercise": s.Field(s.dict_of(s.choice(LANGUAGES, "language"), s.nonempty_text), default={}),
        "map": s.Field(s.mapping({
            "file": s.Field(s.pattern(r"[^\x00]+\.(geo)?json", "GeoJSON file (.geojson or .json)"), required=True),
            "id_property": s.Field(s.nonempty_text, required=True),
            "name_property": s.Field(s.nonempty_text, default=None),
        }), default=None),
        "groups": s.Field(s.dict_of(s.pattern(IDENT, "group id"), group), default={}),
        "notes_per_place": s.Field(s.integer(1, 1000, what="number of margin notes"), default=12),
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
        "title": s.Field(s.nonempty_text, default=None),  # required unless `generated`: see _Loader.chapter
        "goals": s.Field(s.list_of(_goal(fw)), default=[]),
        "body": s.Field(s.located_text, default=None),
        "sections": s.Field(s.list_of(section), default=[]),
        "generated": s.Field(s.choice(GENERATED, "generated part"), default=None),
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


def _responses_schema() -> s.Validator:
    """A mapping of comment keys to responses: (key, its position, the response's values and positions)."""
    response = s.mapping({
        "status": s.Field(s.choice(STATUSES, "status"), required=True),
        "text": s.Field(s.nonempty_text, required=True),
        "place": s.Field(s.text, default=None),
    })

    def check(r: s.Reader, node):
        if not isinstance(node, yaml.MappingNode):
            return r.error(node, "expected a mapping of comment keys (such as kz-75-leb/waste-1) to responses")
        found = []
        for key_node, value_node in node.value:
            if not r.visit(key_node):
                return s.INVALID
            key = s.text(r, key_node)
            got = response(r, value_node)
            if key is not s.INVALID and got is not s.INVALID:
                found.append((key, r.pos(key_node), *got))
        return found

    return check


def _reviews_schema() -> s.Validator:
    return s.list_of(s.mapping({
        "id": s.Field(s.pattern(NOTE_ID, "note id"), required=True),
        "author": s.Field(s.text, default=""),
        "date": s.Field(s.date, default=None),
        "place": s.Field(s.pattern(IDENT, "place"), required=True),
        "page": s.Field(s.integer(1, what="page"), default=None),
        "reply_to": s.Field(s.text, default=None),
        "quote": s.Field(s.text, default=None),
        "text": s.Field(s.nonempty_text, required=True),
        "status": s.Field(s.choice(NOTE_STATUSES, "status"), default="open"),
    }))


def _body(values: dict, where: dict) -> Text:
    return values["body"] or Text("", where[""])


def _or(values: dict, **fallbacks) -> dict:
    """The values with a fallback for each one that failed its check (already reported),
    so the rest of the project can still be checked in the same run."""
    return {k: (fallbacks[k] if v is s.INVALID and k in fallbacks else v) for k, v in values.items()}


class _Loader:
    def __init__(self, tree: Tree, problems: Problems):
        self.tree = tree
        self.sources = sources.yaml_of(tree)
        self.seminar_files = {PurePosixPath(rel).stem for rel in self.sources.feedback}
        self.problems = problems
        self.fw = dataclasses.replace(framework(), regions={})  # the country's, once vnr.yaml is read
        self.language = "en"  # the project's (vnr.yaml), once read
        self.inputs: dict[str, bytes] = {}
        self.placements: list[tuple[str, Pos]] = []  # (generated part, where a chapter file places it)
        self.unread: set[str] = set()  # files that could not be read at all (reported once, there)
        self.group_chapters: list[tuple[str, Pos]] = []  # (chapter id a group lists, where)

    def read(self, rel: str, validator: s.Validator):
        data = self.tree.read(rel, MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            self.problems.add(Pos(rel), f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB: split it "
                                        "(a chapter or a seminar is far smaller)")
            return None
        self.inputs[rel] = data
        reader = s.Reader(rel, self.problems)
        node = s.parse(reader, data)
        result = s.INVALID if node is None else validator(reader, node)
        if result is s.INVALID:
            self.unread.add(rel)
            return None
        return result

    def places_known(self) -> bool:
        """Whether every chapter file was read: else a place may be unknown only because its
        chapter could not be read, which is reported already (one mistake, one error)."""
        return not self.unread & set(self.sources.chapters)

    def files(self, found: tuple[str, ...]) -> tuple[str, ...]:
        stems: dict[str, str] = {}
        for rel in found:
            stem = PurePosixPath(rel).stem
            if stem in stems:
                self.problems.add(Pos(rel), f"'{rel}' and '{stems[stem]}' have the same name; keep one")
            stems.setdefault(stem, rel)
        return found

    def settings(self) -> Settings:
        fallback = Settings("", None, "", 0, "en")
        if not self.sources.settings:
            self.problems.add(Pos("vnr.yaml"), "missing project settings file vnr.yaml")
            return fallback
        got = self.read("vnr.yaml", _settings_schema(self.fw))
        if got is None:
            return fallback
        v, where = _or(got[0], title="", subtitle=None, country="", year=0, language="en", region_level=1,
                       priority_exercise={}, map=None, groups={}, notes_per_place=12), got[1]
        self.language = v["language"]
        if v["country"] and not regions.known_country(v["country"]):
            self.problems.add(where["country"], f"unknown country '{v['country']}': use its ISO 3166-1 alpha-2 "
                                                "code (such as SN, JO, KZ)")
        elif v["country"]:  # (a missing one is reported)
            self.fw = dataclasses.replace(self.fw, country=v["country"], region_level=v["region_level"],
                                          regions=regions.read(v["country"], v["language"], self.problems,
                                                               self._regions_file()))
        shown = None
        if v["map"] and s.valid(v["map"][0], "file", "id_property"):
            m = v["map"][0]
            shown = MapSettings(m["file"], m["id_property"], m["name_property"], where["map"])
        if v["map"] is None or shown:  # (a map setting with a mistake is reported: no map then)
            self.fw = dataclasses.replace(self.fw, map=maps.read(self.tree, shown, self.fw, self.problems,
                                                                 self.inputs, self.language))
        groups = {}
        for ident, (g, gw) in v["groups"].items():
            if s.valid(g, "title", "goals"):
                if not g["goals"]:
                    self.problems.add(gw["goals"], f"group '{ident}' has no goals: list the goals it answers for")
                groups[ident] = Group(ident, g["title"], tuple(dict.fromkeys(g["goals"])),
                                      tuple(dict.fromkeys(g["chapters"])), gw[""])
                self.group_chapters += [(c, gw["chapters"]) for c in g["chapters"]]
        return Settings(v["title"], v["subtitle"], v["country"], v["year"], v["language"],
                        where.get("language", where[""]), v["region_level"], v["priority_exercise"], shown,
                        groups, v["notes_per_place"])

    def _regions_file(self) -> dict | None:
        """The project's regions.yaml, or None where it has none."""
        if not self.sources.regions:
            return None
        return self.read(sources.REGIONS, regions.schema()) or {}

    def chapters(self) -> list[Chapter]:
        validator = _chapter_schema(self.fw)
        chapters = []
        for rel in self.files(self.sources.chapters):
            got = self.read(rel, validator)
            if got is not None:
                chapters.append(self.chapter(rel, *got))
        self._unique([(c.id, c.pos) for c in chapters], "chapter id")
        self._unique([(x.id, x.pos) for c in chapters for x in c.sections], "section id")
        self._unique(self.placements, "placement of the generated part")
        for c in chapters:
            for ident, pos in [(c.id, c.pos), *((x.id, x.pos) for x in c.sections)]:
                if ident in GENERATED and ident != c.generated:
                    self.problems.add(pos, f"'{ident}' is the name of a generated part: only a chapter file with "
                                           f"'generated: {ident}' may take it as its id")
                elif ident in OWN_IDS:
                    self.problems.add(pos, f"'{ident}' is an id vnr gives its own {OWN_IDS[ident]}; choose another")
        return sorted(chapters, key=lambda c: (c.order, c.id))

    def chapter(self, rel: str, values: dict, where: s.Where) -> Chapter:
        v = _or(values, id=PurePosixPath(rel).stem, order=0, title="", goals=[], body=None, sections=[],
                generated=None)
        pos = where.get("id", where[""])
        part = v["generated"]
        if part is None and values["title"] is None:
            self.problems.add(where[""], "missing required key 'title'")
        if part == GENERATED[-1]:
            self.problems.add(where["generated"], f"the '{part}' part cannot be placed: it is always the last "
                                                  "part of the reviewers' edition")
        if part:
            for key in ("goals", "sections"):
                if key in where.keys_at:
                    self.problems.add(where.keys_at[key], f"a chapter file that places a generated part has no "
                                                          f"'{key}' (this one places '{part}')")
            self.placements.append((part, where["generated"]))
            return Chapter(v["id"], v["order"], v["title"] or "", (), _body(v, where), (), rel, pos, part)
        sections = []
        for number, (section_values, sw) in enumerate(v["sections"], 1):
            sv = _or(section_values, id=section_id(v["id"], number), title="", targets=[], body=None)
            sections.append(Section(sv["id"], sv["title"], tuple(sv["targets"]), _body(sv, sw),
                                    sw.get("id", sw[""])))
        return Chapter(v["id"], v["order"], v["title"] or "", tuple(dict.fromkeys(v["goals"])), _body(v, where),
                       tuple(sections), rel, pos)

    def seminars(self) -> list[Seminar]:
        validator = _seminar_schema(self.fw)
        seminars = []
        for rel in self.files(self.sources.feedback):
            got = self.read(rel, validator)
            if got is None:
                continue
            values, where = got
            v = _or(values, priorities={}, comments=[])
            sid = PurePosixPath(rel).stem
            if not is_ident(sid):
                self.problems.add(Pos(rel), f"seminar file name '{sid}' must be lower-case letters, digits and '-'")
            region = self.fw.regions.get(v["region"]) if s.valid(v, "region") else None
            if s.valid(v, "region") and region is None:
                if self.fw.country:
                    self.problems.add(where["region"], regions.unknown(v["region"], self.fw.regions,
                                                                      self.fw.country, self.language))
                else:  # no country, reported: check the rest as if the code were one of its
                    region = self.fw.regions.setdefault(v["region"], Region(v["region"], "region", {}, v["region"]))
            if s.valid(v, "date"):
                self._seminar_date(v["date"], where["date"])
            if region and s.valid(v, "date") and not region.existed_on(v["date"]):
                self.problems.add(where["date"], regions.absent(region, v["date"]))
            comments = self.comments(sid, v["comments"])
            if region is None or not s.valid(v, "city", "date", "audience", "participants"):
                continue  # reported; the comments were still checked
            participants = {k: n for k, n in (v["participants"] or ({}, {}))[0].items() if n is not s.INVALID}
            seminars.append(Seminar(
                sid, region.code, v["city"], v["date"], v["audience"],
                participants, v["priorities"], tuple(comments), rel,
            ))
        return seminars

    def _seminar_date(self, date: dt.date, pos: Pos) -> None:
        if date < AGENDA_ADOPTED:
            self.problems.add(pos, f"seminar date {date} is before the 2030 Agenda was adopted "
                                   f"({AGENDA_ADOPTED}): a typing mistake in the year?")
        elif date > latest_today():
            self.problems.add(pos, f"seminar date {date} is in the future (today is {dt.date.today()}): "
                                   "a typing mistake in the year?")

    def comments(self, seminar: str, items: list) -> list[Comment]:
        comments, ids = [], []
        for cv, cw in items:
            about = [cv[k] for k in ("targets", "goals") if cv[k] is not s.INVALID]
            if not any(about) and all(getattr(v, "complete", True) for v in about) and len(about) == 2:
                self.problems.add(cw[""], "a comment needs 'targets' or 'goals' (or both)")
            if s.valid(cv, "id"):
                ids.append((cv["id"], cw["id"]))
            if not s.valid(cv, "id", "text", "targets", "goals", "kind", "from"):
                continue
            comments.append(Comment(
                seminar, cv["id"], cv["text"], tuple(dict.fromkeys(cv["targets"])),
                tuple(dict.fromkeys(cv["goals"])), cv["kind"], cv["from"], cw["id"],
            ))
        self._unique(ids, "comment id")
        return comments

    def responses(self, chapters: list[Chapter], seminars: list[Seminar]) -> dict[str, Response] | None:
        if self.sources.responses is None:
            return None
        keys = {c.key for s in seminars for c in s.comments}
        places = model_places(chapters)
        found: dict[str, Response] = {}
        for rel in self.files(self.sources.responses):
            for key, pos, values, where in self.read(rel, _responses_schema()) or ():
                place = values["place"]
                if place not in (None, s.INVALID) and place not in places and self.places_known():
                    self._unknown(where["place"], f"place '{place}': not a chapter or section id", place, places)
                if key not in keys:
                    if self._seminar_read(seminar_of(key), seminars):  # else its seminar is reported
                        self._unknown(pos, f"comment '{key}'", key, keys)
                    continue
                if key in found:
                    self.problems.add(pos, f"comment '{key}' is answered twice (first at {found[key].pos})")
                    continue
                if s.valid(values, "status", "text", "place"):
                    found[key] = Response(key, values["status"], values["text"], place, pos)
        return found

    def review_notes(self, chapters: list[Chapter], seminars: list[Seminar]) -> list[ReviewNote]:
        keys = {c.key for s in seminars for c in s.comments}
        places = model_places(chapters) | set(GENERATED)
        notes, ids = [], []
        for rel in self.files(self.sources.reviews):
            for values, where in self.read(rel, _reviews_schema()) or ():
                if s.valid(values, "place") and values["place"] not in places and self.places_known():
                    self._unknown(where["place"], f"place '{values['place']}': not a chapter, section or generated "
                                                  "part", values["place"], places)
                    continue
                reply = values["reply_to"]
                if reply not in (None, s.INVALID) and reply not in keys:
                    if self._seminar_read(seminar_of(reply), seminars):  # else its seminar is reported
                        self.problems.add(where["reply_to"], f"unknown comment '{reply}'")
                    continue
                if s.valid(values, "id"):
                    ids.append((values["id"], where["id"]))
                if all(v is not s.INVALID for v in values.values()):
                    notes.append(ReviewNote(**values, pos=where["id"]))
        self._unique(ids, "note id")
        return notes

    def groups(self, chapters: list[Chapter]) -> None:
        """A chapter a group lists must exist (once every chapter file could be read)."""
        known = {c.id for c in chapters if not c.generated}
        for ident, pos in self.group_chapters:
            if ident not in known and self.places_known():
                self._unknown(pos, f"chapter '{ident}' in a group", ident, known)

    def _seminar_read(self, seminar: str, seminars: list[Seminar]) -> bool:
        """Whether the seminar's comments are known: it was read, or it has no file at all."""
        return seminar not in self.seminar_files or any(s.id == seminar for s in seminars)

    def _unknown(self, pos: Pos, what: str, value: str, known: set[str]) -> None:
        unknown(self.problems, pos, what, value, known)

    def _unique(self, items: list[tuple[str, Pos]], what: str) -> None:
        first: dict[str, Pos] = {}
        for ident, pos in items:
            if ident in first:
                self.problems.add(pos, f"duplicate {what} '{ident}' (first defined at {first[ident]})")
            else:
                first[ident] = pos


def unknown(problems: Problems, pos: Pos, what: str, value: str, known) -> None:
    """`unknown <what>` at `pos`, with the closest of `known` as a "did you mean"."""
    hint = difflib.get_close_matches(value, known, n=1)
    problems.add(pos, f"unknown {what}" + (f"; did you mean '{hint[0]}'?" if hint else ""))


def read_reviews(tree: Tree, rel: str, problems: Problems) -> list[tuple[dict, s.Where]]:
    """One reviews file's notes as vnr check reads them (values, positions); problems reported."""
    return _Loader(tree, problems).read(rel, _reviews_schema()) or []


def read_project(root: Path, problems: Problems, tree: Tree | None = None) -> Project:
    """The project as far as it could be read; every problem found is added to `problems`."""
    loader = _Loader(tree or Tree(root), problems)
    settings = loader.settings()
    chapters = loader.chapters()
    loader.groups(chapters)
    seminars = loader.seminars()
    responses = loader.responses(chapters, seminars)
    notes = loader.review_notes(chapters, seminars)
    return Project(root, settings, tuple(chapters), tuple(seminars), loader.inputs, responses, tuple(notes),
                   loader.fw)


def load(root: Path) -> Project:
    """The whole project, or InputError listing every problem found."""
    problems = Problems()
    project = read_project(root, problems)
    problems.raise_if_any()
    return project
