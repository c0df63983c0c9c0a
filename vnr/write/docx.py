"""Review -> DOCX with python-docx: real heading styles, tables, the chart, Word comments."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import zipfile

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.comments import CT_Comments
from docx.oxml.document import CT_Body
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from docx.shared import Mm, Pt, RGBColor

from ..review import Chart, Note, Review, Table
from .docx_rules import TokenWriter, add_table, shade


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, TOC); Word fills it in when the document is opened."""
    run = paragraph.add_run()
    for tag, attrs in (("w:fldChar", {"w:fldCharType": "begin"}), ("w:instrText", {}),
                       ("w:fldChar", {"w:fldCharType": "separate"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        if tag == "w:instrText":
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        run._r.append(el)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


class DocxWriter:
    def __init__(self, review: Review):
        self.review = review
        self.t = review.msgs
        self.doc = Document()
        self.tokens = TokenWriter(self.doc, review.images)
        midnight = dt.datetime.combine(review.date, dt.time(), dt.timezone.utc)
        self.stamp = midnight

    def write(self) -> bytes:
        self.setup()
        self.cover()
        self.contents()
        if self.review.changes:
            self.changes()
        for chapter in self.review.chapters:
            heading = self.heading(chapter.title, 1, page_break=True)
            if chapter.goals:
                line = self.doc.add_paragraph()
                for goal in chapter.goals:
                    run = line.add_run(f" {goal.number} ")
                    run.bold, run.font.color.rgb = True, RGBColor(255, 255, 255)
                    shade(run._r, goal.colour)
                    line.add_run(f" {self.t('goal_short', number=goal.number)}: {goal.short}   ")
            self.annotate(heading, chapter.notes)
            self.tokens.write(chapter.tokens)
            for section in chapter.sections:
                heading = self.heading(section.title, 2)
                if section.targets:
                    p = self.doc.add_paragraph(" · ".join(self.t("target_label", id=t.id) for t in section.targets))
                    p.runs[0].italic = True
                self.annotate(heading, section.notes)
                self.tokens.write(section.tokens)
        self.consultations()
        if self.review.coverage:
            self.coverage()
        self.annex()
        if self.review.annotated and self.review.unplaced:
            heading = self.heading(self.t("unplaced.title"), 1, page_break=True)
            self.doc.add_paragraph(self.t("unplaced.intro"))
            for note in self.review.unplaced:
                p = self.doc.add_paragraph(f"{note.voice.region}: {note.voice.comment.text}")
                self.annotate(p, [note])
        return self.save()

    def setup(self) -> None:
        doc, r = self.doc, self.review
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(22)
        normal = doc.styles["Normal"]
        normal.font.name, normal.font.size = "Noto Sans", Pt(10)
        props = doc.core_properties
        props.title, props.subject = r.title, r.subtitle or ""
        props.author = props.last_modified_by = "vnr"
        props.created = props.modified = props.last_printed = self.stamp.replace(tzinfo=None)
        props.revision, props.version = 1, r.revision
        props.language = LANGUAGE_TAGS[r.lang]
        _document_language(doc, LANGUAGE_TAGS[r.lang])
        props.keywords = "SDG; VNR"
        footer = section.footer.paragraphs[0]
        footer.text = f"{self.t('revision_label', revision=r.revision)} · {self.t.date(r.date)}\t\t"
        _field(footer, "PAGE", "1")

    def heading(self, text: str, level: int, page_break: bool = False):
        if page_break:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        return self.doc.add_heading(text, level)

    def cover(self) -> None:
        r = self.review
        self.doc.add_paragraph(f"{self.t('draft')} · {self.t('edition.' + r.edition)}")
        self.doc.add_paragraph(r.title, style="Title")
        if r.subtitle:
            self.doc.add_paragraph(r.subtitle, style="Subtitle")
        self.doc.add_paragraph(f"{self.t('revision')}: {r.revision}\n{self.t('col.date')}: {self.t.date(r.date)}")

    def contents(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.doc.add_paragraph(self.t("contents"), style="TOC Heading")
        titles = [c.title for c in self.review.chapters]
        _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "\n".join(titles))

    def changes(self) -> None:
        c, t = self.review.changes, self.t
        self.heading(t("changes.title", since=c.since), 1, page_break=True)
        self.doc.add_paragraph(t("changes.intro", since=c.since))
        if c.texts:
            self.heading(t("changes.texts"), 2)
        for change in c.texts:
            self.heading(f"{change.title} ({t('changes.status.' + change.status)})", 3)
            for paragraph in change.paragraphs:
                p = self.doc.add_paragraph()
                for op, words in paragraph.parts:
                    run = p.add_run(words + " ")
                    if op == "+":
                        run.font.underline, run.font.color.rgb = True, RGBColor(0x1A, 0x5C, 0x2B)
                    elif op == "-":
                        run.font.strike, run.font.color.rgb = True, RGBColor(0xA4, 0x0E, 0x26)
        for title, seminars in ((t("changes.seminars_added"), c.seminars_added),
                                (t("changes.seminars_removed"), c.seminars_removed)):
            if seminars:
                self.heading(title, 2)
                for seminar in seminars:
                    self.doc.add_paragraph(seminar, style="List Bullet")
        for status in ("added", "edited", "removed"):
            items = [x for x in c.comments if x.status == status]
            if items:
                self.heading(t(f"changes.comments.{status}"), 2)
            for item in items:
                self.doc.add_paragraph(f"{item.key}: {item.text}", style="List Bullet")
                if item.before:
                    p = self.doc.add_paragraph(f"{t('changes.was')} ", style="List Continue")
                    p.add_run(item.before).font.strike = True
        if c.moved:
            self.heading(t("changes.moved"), 2)
            for m in c.moved:
                self.doc.add_paragraph(t("changes.moved_item", key=m.key, before="; ".join(m.before),
                                         after="; ".join(m.after)), style="List Bullet")
        if not (c.texts or c.seminars_added or c.seminars_removed or c.comments or c.moved):
            self.doc.add_paragraph(t("changes.none"))

    def annotate(self, paragraph, notes) -> None:
        if not self.review.annotated:
            return
        for note in notes:
            self.comment(paragraph, note)

    def comment(self, paragraph, note: Note) -> None:
        v = note.voice
        runs = paragraph.runs or [paragraph.add_run("")]
        comment = self.doc.add_comment(runs, text=v.comment.text, author=v.region,
                                       initials=v.seminar.region)
        comment.add_paragraph(v.meta)
        comment._comment_elm.set(qn("w:date"), self.stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def table(self, table: Table) -> None:
        caption = self.doc.add_paragraph(table.title, style="Caption")
        caption.paragraph_format.keep_with_next = True
        made = add_table(self.doc, [list(table.header)], [list(row.cells) for row in table.rows],
                         lambda paragraph, text: paragraph.add_run(text))
        for row, cells in zip(table.rows, made.rows[1:]):
            for colour, cell in zip(row.shades, cells.cells):
                if colour:
                    shade(cell._tc, colour)
        if table.note:
            self.doc.add_paragraph(table.note).runs[0].font.size = Pt(8)

    def consultations(self) -> None:
        r, t = self.review, self.t
        self.heading(t("consultations.title"), 1, page_break=True)
        if r.intro:
            self.doc.add_paragraph(r.intro)
        self.heading(t("consultations.priorities"), 2)
        if r.chart:
            self.picture(r.chart)
            self.table(r.tables.priorities)
        else:
            self.doc.add_paragraph(t("consultations.no_priorities"))
        self.heading(t("consultations.participants"), 2)
        self.table(r.tables.by_category)
        self.table(r.tables.by_audience)
        self.heading(t("consultations.regions"), 2)
        for figure in r.maps:
            self.picture(figure)
            self.doc.add_paragraph(figure.title, style="Caption")
        if r.map_note:
            self.doc.add_paragraph(r.map_note)
        self.table(r.tables.by_region)
        self.heading(t("consultations.seminar_list"), 2)
        self.table(r.tables.seminars)

    def picture(self, chart: Chart) -> None:
        self.doc.add_picture(io.BytesIO(chart.png), width=Mm(min(chart.width_mm, 166)))
        doc_pr = self.doc.inline_shapes[-1]._inline.docPr
        doc_pr.set("descr", chart.alt)
        doc_pr.set("title", chart.title or chart.alt[:60])

    def coverage(self) -> None:
        c, t = self.review.coverage, self.t
        self.heading(t("coverage.title"), 1, page_break=True)
        self.doc.add_paragraph(t("coverage.intro"))
        self.table(c.table)
        for title, items in ((t("coverage.no_seminar"), c.no_seminar), (t("coverage.silent_goals"), c.silent_goals),
                             (t("coverage.unreported_goals"), c.unreported_goals)):
            self.heading(title, 2)
            for item in items or [t("coverage.none")]:
                self.doc.add_paragraph(item, style="List Bullet" if items else None)

    def annex(self) -> None:
        t = self.t
        self.heading(t("annex.title"), 1, page_break=True)
        self.doc.add_paragraph(t("annex.intro", comments=t.number(self.review.figures.comments)))
        goal = None
        for group in self.review.annex:
            if group.goal.number != goal:
                goal = group.goal.number
                self.heading(t("goal_label", number=goal, title=group.goal.short), 2)
            self.heading(t("target_label", id=group.target.id) if group.target else t("general_goal"), 3)
            if group.target:
                self.doc.add_paragraph(group.target.text).runs[0].italic = True
            for region, voices in group.regions:
                self.heading(region, 4)
                for v in voices:
                    self.doc.add_paragraph(v.comment.text, style="List Bullet")
                    meta = self.doc.add_paragraph(f"{v.kind} · {v.seminar_label} · {v.key}", style="List Continue")
                    meta.runs[0].font.size = Pt(8)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return _fixed_zip(out.getvalue(), self.stamp)


LANGUAGE_TAGS = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ"}


def _document_language(doc, tag: str) -> None:
    """The language of all text, so Word spell-checks and screen readers pronounce it right."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every entry dated `stamp`, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


@contextlib.contextmanager
def _linear_python_docx():
    """Two of python-docx's conveniences scan the whole document on every call, which makes a
    large review quadratic (1,600 comments: 87 s of a 108 s DOCX). While vnr writes, which only
    appends, each is answered in constant time:

    - a new comment's id is max(all ids) + 1, found by an XPath over every comment: a counter;
    - a new body paragraph goes before the section properties, found by scanning the body from
      its first child: they are the body's last child;
    - a style given by name is looked up among all styles, and compared with the default style
      (found by another scan), for every paragraph (4,368 comments: 23 s of 36 s): vnr adds no
      style while it writes, so each name's id is looked up once.
    """
    ids = itertools.count()
    original_id, original_insert = CT_Comments._next_available_comment_id, CT_Body.insert_element_before
    original_style_id = DocumentPart.get_style_id
    style_ids: dict = {}

    def get_style_id(part, style, style_type):
        if not isinstance(style, str):
            return original_style_id(part, style, style_type)
        key = (style, style_type)  # one document per context
        if key not in style_ids:
            style_ids[key] = original_style_id(part, style, style_type)
        return style_ids[key]

    def insert_before(body, element, *tagnames):
        try:
            last = body[-1]  # lxml finds the last child at once; len(body) would count them all
        except IndexError:
            return original_insert(body, element, *tagnames)
        if last.tag in {qn(t) for t in tagnames}:
            last.addprevious(element)
            return element
        return original_insert(body, element, *tagnames)

    CT_Comments._next_available_comment_id = lambda self: next(ids)
    CT_Body.insert_element_before = insert_before
    DocumentPart.get_style_id = get_style_id
    try:
        yield
    finally:
        CT_Comments._next_available_comment_id = original_id
        CT_Body.insert_element_before = original_insert
        DocumentPart.get_style_id = original_style_id


def render(review: Review) -> bytes:
    with _linear_python_docx():
        return DocxWriter(review).write()
