"""Ids, keys and names (base/ids.py): what the writers put in the outputs is what ids.py and collect read back."""

from __future__ import annotations

import pypdf
import pytest
from conftest import CHAPTERS, write_project
from docx import Document
from docx.oxml.ns import qn
from helpers import RESPONSES, errors, put, responses_yaml
from pypdf.annotations import Text
from pypdf.generic import NameObject, TextStringObject

from vnr.base import ids
from vnr.base.i18n import Messages
from vnr.build import Options, build
from vnr.build import read as read_review
from vnr.collect import docx as collect_docx
from vnr.collect import pdf as collect_pdf

LONG = "sdg-06-drinking-water-in-the-villages-of-the-south"  # its bookmark name is cut to 40 characters
LONG_CHAPTER = f"""\
    id: sdg-06-south
    order: 65
    title: Water in the south
    goals: [6]
    body: |
      The south depends on the Syr Darya.
    sections:
      - id: {LONG}
        title: Drinking water in the villages of the south
        targets: ["6.1"]
        body: |
          Villages of the south wait for group water pipelines.
    """
REVIEWS = """\
- id: 0123abcd
  author: UNDP
  place: sdg-07
  text: Add the 2021 figures.
- id: 4567ef01
  author: Ministry of Energy
  place: sdg-07-heat
  reply_to: kz-75-leb/heat-1
  text: The networks are 70% worn.
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A project with responses, reviewers' notes (one a reply) and a section id too long for Word's
    bookmarks, built as the reviewers' edition: (its build folder, its Review)."""
    root = write_project(tmp_path_factory.mktemp("ids") / "project", {**CHAPTERS, "sdg-06-south.yaml": LONG_CHAPTER})
    put(root, "responses/team.yaml", responses_yaml())
    put(root, "reviews/r.yaml", REVIEWS)
    build(Options(root, root / "out", revision="ids-1"))
    project, review = read_review(root, None, "review", "ids-1")
    assert _keys(review) == {c.key for c in project.comments}  # every comment has a note, unplaced ones too
    return root / "out", review


def _places(review) -> list[str]:
    return [i for e in review.contents for i in (e.id, *(c.id for c in e.children))]


def _keys(review) -> set[str]:
    return {n.voice.key for n in review.notes}


def _sticky(path) -> list:
    """The sticky notes of a PDF (links aside)."""
    return [a for page in pypdf.PdfReader(path).pages for ref in page.get("/Annots") or []
            if (a := ref.get_object())["/Subtype"] == "/Text"]


# -- through the outputs -----------------------------------------------------------------------

def test_every_sticky_note_is_named_by_ids_and_read_back_as_its_comments_key(made):
    out, review = made
    notes = {str(a["/NM"]): a for a in _sticky(out / "review.pdf") if "/IRT" not in a}
    assert set(notes) == {ids.note_name(n.voice.key, n.number) for n in review.notes}
    assert {ids.key_of_name(name) for name in notes} == _keys(review)
    for note in review.notes:
        assert ids.key_of_name(ids.note_name(note.voice.key, note.number)) == note.voice.key
    assert any(n.number > 1 for n in review.notes)  # a comment at two places: two names, one key


def test_every_editors_reply_is_named_after_its_note_and_read_back_as_the_same_key(made):
    out, _ = made
    replies = [a for a in _sticky(out / "review.pdf") if "/IRT" in a]
    assert replies
    for reply in replies:
        parent = str(reply["/IRT"].get_object()["/NM"])
        assert str(reply["/NM"]) == ids.response_name(parent)
        assert ids.key_of_name(reply["/NM"]) == ids.key_of_name(parent)
    assert {ids.key_of_name(r["/NM"]) for r in replies} == set(RESPONSES)


def test_collect_reads_every_vnr_note_as_vnrs_and_a_reviewers_reply_as_answering_its_key(made, tmp_path):
    out, review = made
    found, keys = collect_pdf.read(out / "review.pdf", set(_places(review)))
    assert (found, keys) == ([], _keys(review))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(out / "review.pdf"))
    number, ref = next((i, r) for i, page in enumerate(writer.pages) for r in page.get("/Annots") or []
                       if r.get_object()["/Subtype"] == "/Text" and "/IRT" not in r.get_object())
    reply = Text(rect=ref.get_object()["/Rect"], text="Agreed.")
    reply[NameObject("/T")] = TextStringObject("UNDP")
    reply[NameObject("/IRT")] = ref
    writer.add_annotation(page_number=number, annotation=reply)
    writer.write(tmp_path / "undp.pdf")
    found, _ = collect_pdf.read(tmp_path / "undp.pdf", set(_places(review)))
    assert [f.reply_to for f in found] == [ids.key_of_name(ref.get_object()["/NM"])]


def test_the_named_destinations_that_are_not_places_are_exactly_those_ids_says_are_not(made):
    """What collect falls back on for a PDF that does not list its places."""
    out, review = made
    reader = pypdf.PdfReader(out / "review.pdf")
    destinations = {str(name) for name in reader.named_destinations}
    listed = str(reader.metadata["/VnrPlaces"]).split()
    assert listed == _places(review) and LONG in listed
    assert not [name for name in listed if ids.not_a_place(name)]
    assert {name for name in destinations if not ids.not_a_place(name)} == set(listed)
    # every kind of id vnr gives its own elements is there, as ids builds it
    notes = [ids.note_anchor(1), ids.note_anchor(len(review.notes)), ids.review_anchor("0123abcd"),
             ids.review_anchor("4567ef01"), ids.annex_goal_anchor(7), ids.COVER, ids.CONTENTS]
    assert set(notes) <= destinations
    assert {n.anchor for n in review.notes} <= destinations
    assert any(name.startswith(f"{part}-") for name in destinations for part in ids.WITH_SUBSECTIONS)


def test_a_reviewers_note_is_placed_alike_whether_the_pdf_lists_its_places_or_not(made, tmp_path):
    out, review = made
    reader = pypdf.PdfReader(out / "review.pdf")
    destination = reader.named_destinations[LONG]
    number, top = reader.get_destination_page_number(destination), float(destination["/Top"])
    for listed in (True, False):
        writer = pypdf.PdfWriter(clone_from=reader)
        if not listed:
            writer.add_metadata({"/VnrPlaces": ""})
        writer.add_annotation(page_number=number, annotation=Text(rect=(300, top - 40, 320, top - 20), text="Which?"))
        writer.write(tmp_path / "returned.pdf")
        found, _ = collect_pdf.read(tmp_path / "returned.pdf", set() if not listed else set(_places(review)))
        assert [f.place for f in found] == [LONG]


def test_every_place_is_bookmarked_in_the_docx_by_ids_and_read_back(made):
    out, review = made
    body = Document(out / "review.docx").element.body
    names = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    ours = [name for name in names if ids.bookmark_place(name) is not None]
    assert ours == [ids.bookmark_name(p) for p in _places(review)]
    assert all(len(name) <= ids.MAX_BOOKMARK for name in ours)
    spelt = [ids.bookmark_place(name) for name in ours]
    assert [p for p, s in zip(_places(review), spelt) if p != s] == [LONG]  # cut: collect maps it by its name


def test_a_word_comment_on_the_section_whose_bookmark_was_cut_comes_back_placed_there(made, tmp_path):
    out, review = made
    document = Document(out / "review.docx")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Villages of the south"))
    document.add_comment(paragraph.runs, text="Which villages?", author="UNDP", initials="U")
    document.save(tmp_path / "undp.docx")
    found, keys = collect_docx.read(tmp_path / "undp.docx", set(_places(review)))
    assert [(f.place, f.text) for f in found] == [(LONG, "Which villages?")] and keys == _keys(review)


def test_every_word_comment_vnr_writes_is_known_as_vnrs_and_ends_with_its_key(made):
    out, review = made
    comments = list(Document(out / "review.docx").comments)
    assert comments and all(ids.is_vnr_author(c.author, c.initials) for c in comments)
    keyed = [ids.key_at_end(c.paragraphs[-1].text) for c in comments]
    assert {k for k in keyed if k} == _keys(review)
    for c, key in zip(comments, keyed):
        if key:
            meta = c.paragraphs[-1].text.removesuffix(f" · {key}")
            assert c.paragraphs[-1].text == ids.comment_last_line(meta, key)
    assert collect_docx.read(out / "review.docx", set(_places(review))) == ([], _keys(review))


@pytest.mark.parametrize("own", sorted(ids.OWN_IDS))
def test_a_chapter_may_not_take_an_id_vnr_gives_its_own_elements(tmp_path, own):
    root = write_project(tmp_path / "p", {**CHAPTERS, "intro.yaml": CHAPTERS["intro.yaml"].replace("id: intro",
                                                                                                   f"id: {own}")})
    assert f"'{own}' is an id vnr gives its own {ids.OWN_IDS[own]}; choose another" in "\n".join(errors(root))


# -- the parsers' edge cases -------------------------------------------------------------------

@pytest.mark.parametrize("name, key", [
    ("kz-75-leb/heat-1#2", "kz-75-leb/heat-1"),
    ("kz-75-leb/heat-1#12/response", "kz-75-leb/heat-1"),
    (TextStringObject("a/b#1"), "a/b"),  # as pypdf hands it over
    ("kz-75-leb/heat-1", None),  # no place number
    ("kz-75-leb/heat-1#", None),
    ("kz-75-leb/heat-1#x", None),
    ("kz-75-leb/heat-1#2/reply", None),
    ("KZ-75-leb/heat-1#2", None),  # ids are lower case
    ("kz--75/heat-1#2", None),
    ("a/b/c#1", None),
    ("fitz-A0", None),  # MuPDF's names for a reviewer's notes
    ("", None),
    (None, None),
])
def test_key_of_name(name, key):
    assert ids.key_of_name(name) == key


@pytest.mark.parametrize("text, key", [
    ("Problem · Almaty, 14 March 2022 · kz-75-leb/heat-1", "kz-75-leb/heat-1"),
    ("Problem · kz-75-leb/heat-1  \n", "kz-75-leb/heat-1"),
    ("Accepted: the networks are replaced.", None),
    ("kz-75-leb/heat-1 is answered", None),
    ("", None),
])
def test_key_at_end(text, key):
    assert ids.key_at_end(text) == key


def test_bookmark_names_stay_within_words_limit_unique_and_spell_their_place_where_they_can():
    assert ids.bookmark_name("sdg-07-heat") == "vnr_sdg_07_heat"
    assert ids.bookmark_place("vnr_sdg_07_heat") == "sdg-07-heat"
    assert ids.bookmark_place("_GoBack") is None and ids.bookmark_place("sdg_07") is None  # Word's, a user's
    one, two = ids.bookmark_name(LONG + "-1"), ids.bookmark_name(LONG + "-2")
    assert len(one) == len(two) == ids.MAX_BOOKMARK and one != two and one.startswith(ids.BOOKMARK_PREFIX)
    assert len(ids.bookmark_name("a" * 36)) == 40 and ids.bookmark_place(ids.bookmark_name("a" * 36)) == "a" * 36


@pytest.mark.parametrize("name", ["cover", "contents", "changes", "note-3", "annex-goal-17", "review-0123abcd",
                                  "consultations-priorities", "coverage-review-notes", "statistics-goal-7"])
def test_ids_vnr_gives_what_is_not_a_place(name):
    assert ids.not_a_place(name)


@pytest.mark.parametrize("name", ["sdg-07", "sdg-07-heat", "annex", "unplaced", "consultations", "note",
                                  "note-x", "annex-goal", "review-0123abc", "review-0123abcg", "cover-story",
                                  "contents-1", "water-consultations-1"])
def test_places_that_look_like_ids_vnr_gives(name):
    assert not ids.not_a_place(name)


def test_keys_ids_and_note_ids():
    assert ids.comment_key("kz-75-leb", "heat-1") == "kz-75-leb/heat-1"
    assert ids.seminar_of(ids.comment_key("kz-75-leb", "heat-1")) == "kz-75-leb"
    assert ids.seminar_of("no-slash") == "no-slash"
    assert ids.section_id("sdg-07", 2) == "sdg-07-2" and ids.is_ident(ids.section_id("sdg-07", 2))
    assert [ids.is_ident(t) for t in ("sdg-07", "a1", "Sdg-07", "a--b", "-a", "a-", "a_b", "")] == \
        [True, True, False, False, False, False, False, False]
    note = ids.note_id("energy|fitz-A0|1")
    assert note == ids.note_id("energy|fitz-A0|1") != ids.note_id("energy|fitz-A0|2")
    assert len(note) == 8 and int(note, 16) >= 0 and ids.not_a_place(ids.review_anchor(note))
    assert len(ids.note_id("\ud800")) == 8  # a lone surrogate from a broken PDF string does not stop collect


def test_vnrs_authors_are_the_regions_with_their_codes_and_the_editors_in_every_language():
    assert ids.is_vnr_author("Almaty", "KZ-75") and ids.is_vnr_author("Алматы", "KZ-75")
    assert not ids.is_vnr_author("Almaty", "U") and not ids.is_vnr_author("UNDP", "U")
    assert all(ids.is_vnr_author(Messages(lang)("editors"), "") for lang in ("en", "ru", "kk"))
