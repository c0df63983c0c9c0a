"""Every id, key and name vnr gives and reads back: comment keys, PDF /NM, element ids, DOCX bookmarks.

Each rule is written once here, its builder beside its parser: the writers build with these
functions, `vnr collect` and the loader read back with them, so the two cannot drift apart.
"""

from __future__ import annotations

import functools
import hashlib
import re

# -- ids a project gives: chapters, sections, seminars, comments -----------------------------

IDENT = r"[a-z0-9]+(?:-[a-z0-9]+)*"  # lower-case letters and digits, runs joined by single hyphens


def is_ident(text: str) -> bool:
    """Whether `text` is a well-formed id (IDENT, the whole of it)."""
    return re.fullmatch(IDENT, text) is not None


def section_id(chapter: str, number: int) -> str:
    """The id of a chapter's `number`-th section (1-based) where the section gives none."""
    return f"{chapter}-{number}"


# -- a comment's key: <seminar id>/<comment id> ---------------------------------------------

KEY = rf"{IDENT}/{IDENT}"


def comment_key(seminar: str, comment: str) -> str:
    """A comment's key, unique in the project: its seminar's id, '/', its own id."""
    return f"{seminar}/{comment}"


def seminar_of(key: str) -> str:
    """The seminar id a comment key names (the whole text where it has no '/')."""
    return key.split("/")[0]


# -- the PDF: the /NM of vnr's sticky notes and of the editors' replies under them ------------

_VNR_NAME = re.compile(rf"^({KEY})#\d+(/response)?$")


def note_name(key: str, number: int) -> str:
    """A sticky note's /NM: the comment's key, '#', the number of the place among the comment's places."""
    return f"{key}#{number}"


def response_name(name: str) -> str:
    """The /NM of the editors' reply threaded under the sticky note named `name`."""
    return f"{name}/response"


def key_of_name(name) -> str | None:
    """The comment key of a /NM vnr wrote (a note or its reply); None for any other: a reviewer's."""
    match = _VNR_NAME.match(str(name or ""))
    return match.group(1) if match else None


# -- element ids vnr gives its own things (HTML ids, PDF named destinations) ----------------

COVER, CONTENTS, CHANGES = "cover", "contents", "changes"
# What a chapter or section may not be called, with the words the loader says it with.
OWN_IDS = {COVER: "cover", CONTENTS: "table of contents", CHANGES: "'Changes since' part"}
# The generated parts made of subsections, each subsection's id `<part>-<name>`.
WITH_SUBSECTIONS = ("consultations", "responses", "statistics", "coverage")
NOTE_ID = r"[0-9a-f]{8}"  # a reviewer's note's id (reviews/*.yaml)


def subsection(part: str, name: str) -> str:
    """The id of a generated part's subsection (`part` one of WITH_SUBSECTIONS)."""
    return f"{part}-{name}"


def note_anchor(counter: int) -> str:
    """The element id of the document's `counter`-th margin note (1-based): where its sticky note goes."""
    return f"note-{counter}"


def review_anchor(note_id: str) -> str:
    """The element id of a reviewer's note shown in the reviewers' edition."""
    return f"review-{note_id}"


def annex_goal_anchor(goal: int) -> str:
    """The element id of a goal's heading in the annex."""
    return f"annex-goal-{goal}"


def note_id(identity: str) -> str:
    """A reviewer's note's id (NOTE_ID): the first 8 hex digits of the SHA-256 of what identifies it."""
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:8]


# Every id above that is not a place (a chapter, section or generated part): for a PDF that does
# not list its places, any other named destination is one, of this revision or an older one.
_NOT_PLACES = re.compile(rf"^({'|'.join(OWN_IDS)}|note-\d+|annex-goal-\d+|review-{NOTE_ID}"
                         rf"|({'|'.join(WITH_SUBSECTIONS)})-.+)$")


def not_a_place(name: str) -> bool:
    """Whether an element id is one vnr gives something that is not a place (a note, the cover, ...)."""
    return _NOT_PLACES.match(name) is not None


# -- the DOCX: place bookmarks, and vnr's own Word comments ---------------------------------

BOOKMARK_PREFIX = "vnr_"
MAX_BOOKMARK = 40  # Word's longest bookmark name


def bookmark_name(place: str) -> str:
    """The bookmark around a place's heading: `vnr_`, the id with '_' for '-' (Word allows letters,
    digits and '_'); past 40 characters cut, with 8 hex digits of the id's hash to stay unique."""
    name = BOOKMARK_PREFIX + place.replace("-", "_")
    if len(name) > MAX_BOOKMARK:
        name = name[:MAX_BOOKMARK - 9] + "_" + hashlib.sha256(place.encode()).hexdigest()[:8]
    return name


def bookmark_place(name: str) -> str | None:
    """The place a bookmark's name spells (all of it unless the name was cut), or None: not vnr's."""
    return name[len(BOOKMARK_PREFIX):].replace("_", "-") if name.startswith(BOOKMARK_PREFIX) else None


# A region's code (ISO 3166-2, or one a project's regions.yaml adds): a Word comment of vnr's is written
# by the region's name with this code as its initials.
REGION_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,8}(-[A-Z0-9]{1,8})*")


@functools.cache
def _editors() -> frozenset:
    # Imported here, not above: the models import this module, and need neither the framework nor babel.
    from .framework import LANGUAGES
    from .i18n import Messages

    return frozenset(Messages(lang)("editors") for lang in LANGUAGES)


def is_vnr_author(author: str, initials: str) -> bool:
    """Whether a Word comment is vnr's: by a region's name with its code as initials, or by the editors."""
    # Known by who wrote it: a reviewer can edit or resolve a comment in Word, not change its author.
    return bool(author) and REGION_CODE.fullmatch(initials or "") is not None or author in _editors()


_KEY_AT_END = re.compile(rf"({KEY})\s*$")


def comment_last_line(meta: str, key: str) -> str:
    """The last line of a vnr Word comment: its meta line, then the key a reviewer's reply answers."""
    return f"{meta} · {key}"


def key_at_end(text: str) -> str | None:
    """The comment key at the end of a vnr Word comment's last line; None where there is none."""
    match = _KEY_AT_END.search(text.strip())
    return match.group(1) if match else None
