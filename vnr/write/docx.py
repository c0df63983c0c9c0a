"""Review -> DOCX with python-docx: real heading styles, tables, the chart, Word comments."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ..base import ids, ooxml
from ..base.i18n import direction
from ..review import (
    Annex,
    ChangesPart,
    ChapterPart,
    Figure,
    Items,
    Links,
    Note,
    Part,
    Prose,
    Report,
    Review,
    Table,
    Unplaced,
)
from .docx_internals import date_comment, describe_picture, linear_python_docx
from .docx_marks import add_bookmark
from .docx_replies import Threads
from .docx_rules import (
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH,
    TokenWriter,
    add_table,
    shade,
)


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
        run.element.append(el)
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run().element.append(end)


class DocxWriter:
    """The review as a Word document: a rule per part kind (PART_RULES) and per block kind
    (BLOCK_RULES), as docx_rules is a rule per Markdown token type."""

    def __init__(self, review: Review):
        self.review = review
        self.doc = Document()
        self.tokens = TokenWriter(self.doc, review.images, self.blocks)  # indicator tables: our block rules
        self.threads = Threads(self.doc)
        self.bookmarks = 0
        self.stamp = dt.datetime.combine(review.date, dt.time(), dt.timezone.utc)
        self.when = self.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")  # every comment's date: the build's

    def write(self) -> bytes:
        self.setup()
        self.cover()
        self.contents()
        for part in self.review.parts:
            PART_RULES.get(part.kind, DocxWriter.report)(self, part)  # a Report part: its blocks
            if part.kind != "chapter":  # a chapter shows its own after its body, before its sections
                self.reviewer_notes(part.review_notes, part.notes)  # and the replies to its margin notes
        return self.save()

    def setup(self) -> None:
        doc, r = self.doc, self.review
        section = doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN
        normal = doc.styles["Normal"]
        normal.font.name, normal.font.size = "Noto Sans", Pt(10)
        props = doc.core_properties
        props.title, props.subject = r.title, r.subtitle or ""
        props.author = props.last_modified_by = "vnr"
        props.created = props.modified = props.last_printed = self.stamp.replace(tzinfo=None)
        props.revision, props.version = 1, r.revision
        props.language = tag = LANGUAGE_TAGS.get(r.lang, r.lang)
        _document_language(doc, tag)
        _document_fonts(doc, r.lang)
        props.keywords = "SDG; VNR"
        footer = section.footer.paragraphs[0]
        footer.text = f"{r.cover.running}\t\t"
        _field(footer, "PAGE", "1")

    def heading(self, text: str, level: int, page_break: bool = False):
        if page_break:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        return self.doc.add_heading(text, level)

    def cover(self) -> None:
        r = self.review
        self.doc.add_paragraph(r.cover.kicker)
        self.doc.add_paragraph(r.title, style="Title")
        if r.subtitle:
            self.doc.add_paragraph(r.subtitle, style="Subtitle")
        if r.cover.group:
            self.doc.add_paragraph(r.cover.group, style="Subtitle")
        self.doc.add_paragraph(f"{r.cover.revision_label}: {r.revision}\n{r.cover.date_label}: {r.cover.date}")

    def contents(self) -> None:
        """A TOC field Word fills in on opening; until then it shows the parts' titles."""
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.doc.add_paragraph(self.review.cover.contents, style="TOC Heading")
        titles = [entry.title for entry in self.review.contents]
        _field(self.doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "\n".join(titles))

    # -- parts --
    def opening(self, part: Part):
        """The title every part starts with on a new page, and the body of the file that placed it."""
        heading = self.heading(part.title, 1, page_break=True)
        self.place(heading, part.id)
        self.tokens.write(part.lead)
        return heading

    def place(self, heading, place: str) -> None:
        """A bookmark named after the place around its heading: where vnr collect places notes."""
        self.bookmarks += 1
        add_bookmark(heading, place, self.bookmarks)

    def chapter(self, part: ChapterPart) -> None:
        heading = self.opening(part)
        if part.goals:
            line = self.doc.add_paragraph()
            for goal in part.goals:
                run = line.add_run(f" {goal.number} ")
                run.bold, run.font.color.rgb = True, RGBColor(255, 255, 255)
                shade(run, goal.colour)
                line.add_run(f" {goal.label}   ")
        self.annotate(heading, part.own_notes)
        self.tokens.write(part.tokens)
        self.reviewer_notes(part.review_notes, part.own_notes)
        for section in part.sections:
            heading = self.heading(section.title, 2)
            self.place(heading, section.id)
            if section.targets:
                p = self.doc.add_paragraph(" · ".join(t.label for t in section.targets))
                p.runs[0].italic = True
            self.annotate(heading, section.notes)
            self.tokens.write(section.tokens)
            self.reviewer_notes(section.review_notes, section.notes)

    def report(self, part: Report) -> None:
        self.opening(part)
        self.blocks(part.intro)
        for section in part.sections:
            self.heading(section.title, 2)
            self.blocks(section.blocks)

    def annex(self, part: Annex) -> None:
        self.opening(part)
        self.doc.add_paragraph(part.intro)
        for group in part.groups:
            if group.goal_heading:
                self.heading(group.goal_heading, 2)
            self.heading(group.target_heading, 3)
            if group.target_text:
                self.doc.add_paragraph(group.target_text).runs[0].italic = True
            for region, said in group.regions:
                self.heading(region, 4)
                for same in said:
                    self.doc.add_paragraph(same.voice.comment.text, style="List Bullet")
                    if same.raised:
                        self.doc.add_paragraph(same.raised, style="List Continue").runs[0].font.size = Pt(8)
                    for v in same.voices:  # the same text made at several seminars: each one's line
                        self.doc.add_paragraph(v.line, style="List Continue").runs[0].font.size = Pt(8)
                        if v.status:
                            answer = self.doc.add_paragraph(style="List Continue")
                            answer.add_run(f"{v.status}{': ' if v.response else ''}").bold = True
                            if v.response:
                                answer.add_run(v.response.text)

    def unplaced(self, part: Unplaced) -> None:
        self.opening(part)
        self.doc.add_paragraph(part.intro)
        for note in part.notes:
            p = self.doc.add_paragraph(f"{note.voice.region}: {note.voice.comment.text}")
            self.annotate(p, [note])

    def changes(self, part: ChangesPart) -> None:
        self.opening(part)
        self.doc.add_paragraph(part.intro)
        if part.texts:
            self.heading(part.texts_title, 2)
        for view in part.texts:
            self.heading(f"{view.change.title} ({view.status})", 3)
            for paragraph in view.change.paragraphs:
                p = self.doc.add_paragraph()
                for op, words in paragraph.parts:
                    run = p.add_run(words + " ")
                    if op == "+":
                        run.font.underline, run.font.color.rgb = True, RGBColor(0x1A, 0x5C, 0x2B)
                    elif op == "-":
                        run.font.strike, run.font.color.rgb = True, RGBColor(0xA4, 0x0E, 0x26)
        for title, seminars in part.lists:
            self.heading(title, 2)
            self.items(Items(seminars))
        for title, items in part.comments:
            self.heading(title, 2)
            for item in items:
                self.doc.add_paragraph(f"{item.key}: {item.text}", style="List Bullet")
                if item.before:
                    p = self.doc.add_paragraph(f"{part.was} ", style="List Continue")
                    p.add_run(item.before).font.strike = True
        if part.moved:
            self.heading(part.moved_title, 2)
            self.items(Items(part.moved))
        if part.responses:
            self.heading(part.responses_title, 2)
            self.items(Items(tuple(f"{key}: {line}" for key, line in part.responses)))
        if part.none:
            self.doc.add_paragraph(part.none)

    # -- blocks of generated parts --
    def blocks(self, blocks) -> None:
        for block in blocks:
            BLOCK_RULES[block.kind](self, block)

    def prose(self, prose: Prose) -> None:
        paragraph = self.doc.add_paragraph(prose.text)
        if prose.style == "note":
            paragraph.runs[0].font.size = Pt(8)

    def table(self, table: Table) -> None:
        if table.caption:
            caption = self.doc.add_paragraph(table.title, style="Caption")
            caption.paragraph_format.keep_with_next = True
        made = add_table(self.doc, [list(table.header)], [list(row.cells) for row in table.rows],
                         lambda paragraph, text: paragraph.add_run(text), table.numeric)
        for row, cells in zip(table.rows, made.rows[1:]):
            for colour, cell in zip(row.shades, cells.cells):
                if colour:
                    shade(cell, colour)
            if row.total:
                for cell in cells.cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        if table.note:
            self.prose(Prose(table.note, "note"))

    def figure(self, figure: Figure) -> None:
        chart = figure.chart
        shape = self.doc.add_picture(io.BytesIO(chart.png), width=min(Mm(chart.width_mm), TEXT_WIDTH))
        describe_picture(shape, chart.alt, chart.title or chart.alt[:60])
        if figure.caption:
            self.doc.add_paragraph(figure.caption, style="Caption")

    def links(self, links: Links) -> None:  # Word shows no page here: the places are bookmarked headings
        self.items(Items(tuple(text for text, _ in links.items)))

    def items(self, items: Items) -> None:
        for item in items.items:
            self.doc.add_paragraph(item, style="List Bullet")

    def reviewer_notes(self, block, margin=()) -> None:
        """The open reviewers' notes at the end of their place, shaded like the PDF's box. A Word
        document has no margin: the notes answering a comment there are listed here too (as Word
        comments, a later collect would take them for new notes)."""
        notes = [*(block.notes if block else ()), *(r for note in margin for r in note.replies)]
        if not notes:
            return
        made = [self.doc.add_paragraph()]
        made[0].add_run((block.title if block else self.review.msgs("review.title")).upper()).bold = True
        for note in notes:
            made.append(self.doc.add_paragraph())
            made[-1].add_run(note.meta).bold = True
            if note.quote:
                made.append(self.doc.add_paragraph(note.quote, style="Quote"))
            made.append(self.doc.add_paragraph(note.text))
        for paragraph in made:
            shade(paragraph, "#FFF9E0")

    # -- Word comments (reviewers' edition) --
    def annotate(self, paragraph, notes) -> None:
        for note in notes:  # none in the public edition: resolve places no notes there
            self.comment(paragraph, note)

    def comment(self, paragraph, note: Note) -> None:
        v = note.voice
        runs = paragraph.runs or [paragraph.add_run("")]
        comment = self.doc.add_comment(runs, text=v.comment.text, author=v.region,
                                       initials=v.seminar.region)
        for line in note.raised_lines:
            comment.add_paragraph(line)  # folded: where else the same comment was made
        comment.add_paragraph(ids.comment_last_line(v.meta, v.key))  # the key: what a reply answers
        date_comment(comment, self.when)
        if v.response:
            reply = self.threads.reply(comment, runs, v.response.line, v.response.editors, v.response.resolved)
            date_comment(reply, self.when)

    def save(self) -> bytes:
        self.threads.write()
        if direction(self.review.lang) == "rtl":
            right_to_left(self.doc)
        out = io.BytesIO()
        self.doc.save(out)
        return ooxml.fixed(out.getvalue(), self.stamp)


PART_RULES = {
    "chapter": DocxWriter.chapter,
    "annex": DocxWriter.annex,
    "unplaced": DocxWriter.unplaced,
    "changes": DocxWriter.changes,
}

BLOCK_RULES = {
    "prose": DocxWriter.prose,
    "table": DocxWriter.table,
    "figure": DocxWriter.figure,
    "items": DocxWriter.items,
    "links": DocxWriter.links,
}


LANGUAGE_TAGS = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ", "fr": "fr-FR", "es": "es-ES", "ar": "ar", "zh": "zh-CN"}


def _default_run(doc):
    """The document's default run properties (styles.xml, w:docDefaults)."""
    return doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))


def _document_language(doc, tag: str) -> None:
    """The language of all text, so Word spell-checks and screen readers pronounce it right."""
    r_pr = _default_run(doc)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), tag)


# What may follow each property we add, in the schema's order (ECMA-376 Part 1, CT_PPrBase, CT_RPr,
# CT_TblPr, CT_SectPr): Word refuses a document whose properties are out of order.
AFTER = {
    "w:bidi": ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
    "w:rtl": ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:bidiVisual": ("w:tblStyleRowBandSize", "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing",
                     "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                     "w:tblCaption", "w:tblDescription"),
    "w:sectPr/w:bidi": ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange"),
}
# A right-to-left run's bold, italic and size are its complex-script ones (Arabic letters take those)
COMPLEX = {"w:b": "w:bCs", "w:i": "w:iCs", "w:sz": "w:szCs"}
# A script's font: (the run font attribute that script's letters take, the theme attribute that
# would override it, the font); the same fonts as style.css's
FONTS = {"ar": ("w:cs", "w:cstheme", "Noto Naskh Arabic"), "zh": ("w:eastAsia", "w:eastAsiaTheme", "Noto Sans CJK SC")}


def _flag(parent, tag: str, after_key: str | None = None) -> None:
    """`<tag/>` in `parent`, before whatever the schema puts after it, unless it is there."""
    if parent.find(qn(tag)) is None:
        parent.insert_element_before(OxmlElement(tag), *AFTER[after_key or tag])


def right_to_left(doc) -> None:
    """Every paragraph, run and table of every part (body, footer, comments) right to left, and
    the section too, so Word lays the pages out as an Arabic document's."""
    for part in doc.part.package.iter_parts():
        root = getattr(part, "element", None)
        if root is None:
            continue
        for p in root.iter(qn("w:p")):
            _flag(p.get_or_add_pPr(), "w:bidi")
        for r in root.iter(qn("w:r")):
            r_pr = r.get_or_add_rPr()
            for plain, twin in COMPLEX.items():
                found = r_pr.find(qn(plain))
                if found is not None and r_pr.find(qn(twin)) is None:
                    found.addnext(OxmlElement(twin, dict(found.attrib)))
            _flag(r_pr, "w:rtl")
        for tbl in root.iter(qn("w:tbl")):
            _flag(tbl.tblPr, "w:bidiVisual")
        for sect in root.iter(qn("w:sectPr")):
            _flag(sect, "w:bidi", "w:sectPr/w:bidi")


def _document_fonts(doc, lang: str) -> None:
    """The script's font in every style (the theme's font would win over it: it goes), and, right
    to left, the default run direction, so that text Word's users type runs the same way."""
    if lang in FONTS:
        attribute, theme, font = FONTS[lang]
        for fonts in doc.styles.element.iter(qn("w:rFonts")):
            fonts.attrib.pop(qn(theme), None)
            fonts.set(qn(attribute), font)
    if direction(lang) == "rtl":
        _flag(_default_run(doc), "w:rtl")


def render(review: Review) -> bytes:
    writer = DocxWriter(review)
    with linear_python_docx(writer.doc):
        return writer.write()
