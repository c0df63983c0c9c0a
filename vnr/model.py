"""The project as read from disk: plain, frozen data. Only `load` creates it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .base import ids
from .base.errors import Pos, Text
from .base.framework import Framework

AUDIENCES = ("leb", "residents")
CATEGORIES = (
    "leb", "civil_society", "experts", "disability", "retirees",
    "teachers", "youth", "private_sector", "other",
)
KINDS = ("problem", "proposal", "practice", "question")
STATUSES = ("accepted", "partly", "noted", "declined")  # of a response; a comment without one is open
NOTE_STATUSES = ("open", "done")  # of a reviewer's note
EDITIONS = ("review", "public")
FORMATS = ("pdf", "docx", "html")
# The parts vnr generates, in their default order after the last chapter (README, "The parts of
# the review, and placing the generated ones"). A chapter file may place any but the last.
GENERATED = ("consultations", "responses", "statistics", "coverage", "annex", "unplaced")


@dataclass(frozen=True)
class Settings:
    title: str
    subtitle: str | None
    country: str
    year: int
    language: str
    language_at: Pos = Pos("vnr.yaml")  # where the language is set: warnings about it point there
    region_level: int = 1  # the level of the units "regions covered" counts (France's departments: 2)
    priority_exercise: dict[str, str] = field(default_factory=dict)  # what the priority vote was called, by language
    map: MapSettings | None = None
    groups: dict[str, Group] = field(default_factory=dict)  # the working groups, by id (see groups.py)
    notes_per_place: int = 12  # margin notes shown at one place before a summary of the rest


@dataclass(frozen=True)
class Group:
    """vnr.yaml's `groups`: a working group, answering the comments on its goals."""

    id: str
    title: str
    goals: tuple[int, ...]
    chapters: tuple[str, ...]  # chapter ids added to those whose goals meet the group's
    pos: Pos


@dataclass(frozen=True)
class MapSettings:
    """vnr.yaml's `map`: the project's GeoJSON of its regions (Open SDG's convention)."""

    file: str  # project-relative
    id_property: str  # the feature property holding the region code
    name_property: str | None
    pos: Pos  # where vnr.yaml sets it


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    targets: tuple[str, ...]
    body: Text
    pos: Pos


@dataclass(frozen=True)
class Chapter:
    id: str
    order: int
    title: str
    goals: tuple[int, ...]
    body: Text
    sections: tuple[Section, ...]
    path: str
    pos: Pos
    generated: str | None = None  # the generated part this file places at its order (no goals, no sections)


def places(chapters) -> set[str]:
    """The ids a comment's response or a reviewer's note can stand at: chapters and sections."""
    return {c.id for c in chapters if not c.generated} | {s.id for c in chapters for s in c.sections}


@dataclass(frozen=True)
class Comment:
    seminar: str
    id: str
    text: str
    targets: tuple[str, ...]
    goals: tuple[int, ...]  # as listed; see `concerns` for the goals of the targets too
    kind: str
    source: str  # the participant category it came from (`from` in YAML)
    pos: Pos

    @property
    def key(self) -> str:
        return ids.comment_key(self.seminar, self.id)


@dataclass(frozen=True)
class Seminar:
    id: str
    region: str
    city: str
    date: dt.date
    audience: str
    participants: dict[str, int]
    priorities: dict[int, int]
    comments: tuple[Comment, ...]
    path: str

    @property
    def total(self) -> int:
        return sum(self.participants.values())


@dataclass(frozen=True)
class Response:
    """How the editors took one comment into account (responses/*.yaml)."""

    key: str  # the comment's key
    status: str
    text: str
    place: str | None  # the section or chapter where it was taken up
    pos: Pos


@dataclass(frozen=True)
class ReviewNote:
    """A reviewer's note brought back from a returned PDF or DOCX (reviews/*.yaml)."""

    id: str  # stable: the same note collected again has the same id
    author: str
    date: dt.date | None
    place: str  # the section, else chapter, else generated part it sits in
    page: int | None  # PDF notes: 1-based
    reply_to: str | None  # the comment key, when it answers one of vnr's notes
    quote: str | None  # the highlighted or commented text
    text: str
    status: str  # open | done
    pos: Pos


@dataclass(frozen=True)
class Project:
    root: Path
    settings: Settings
    chapters: tuple[Chapter, ...]
    seminars: tuple[Seminar, ...]
    # project-relative path -> bytes, for every file read (hashed into the manifest)
    inputs: dict[str, bytes] = field(default_factory=dict)
    responses: dict[str, Response] | None = None  # by comment key; None: the project has no responses/
    review_notes: tuple[ReviewNote, ...] = ()
    framework: Framework | None = None  # the SDG framework with this project's regions (read/regions.py)

    @property
    def comments(self) -> tuple[Comment, ...]:
        return tuple(c for s in self.seminars for c in s.comments)
