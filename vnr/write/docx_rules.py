"""markdown-it tokens -> python-docx, as a table of small rules keyed by token type.

The same token stream the HTML comes from; adding a construct means adding one entry. A token
type with no entry is an error (UnknownToken), never text left out: tests/test_markdown_rules.py
checks that every token vnr's parser can make has one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable
from unicodedata import east_asian_width

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from markdown_it.token import Token

from .docx_internals import describe_picture, element

MAX_IMAGE_WIDTH = Mm(160)


class UnknownToken(RuntimeError):
    """A Markdown token type the DOCX writer has no rule for: a parser rule or plugin enabled
    without one (a bug in vnr, not in the input)."""

    def __init__(self, token_type: str):
        super().__init__(f"no DOCX rule for the Markdown token {token_type!r}: add one to vnr/write/docx_rules.py")
        self.token_type = token_type


def _rule(rules: dict, token: Token):
    try:
        return rules[token.type]
    except KeyError:
        raise UnknownToken(token.type) from None


class TokenWriter:
    def __init__(self, doc: Document, images: dict[str, Path], blocks: Callable[[tuple], None]):
        self.doc = doc
        self.blocks = blocks  # writes the blocks of a `vnr_blocks` token (an indicator's table and chart)
        self.images = images  # checked in resolve: files inside the project
        self.paragraph = None  # where inline content goes
        self.lists: list[str] = []  # "bullet" | "ordered", innermost last
        self.numbers: list[int] = []  # next item number of each open ordered list
        self.quote = 0
        self.table: list[list[Token | None]] | None = None  # rows of cells' inline tokens
        self.header_rows = 0
        self.marks: dict[str, bool] = {}
        self.link: str | None = None
        self.item_pending = False

    def write(self, tokens) -> None:
        for token in tokens:
            _rule(BLOCK_RULES, token)(self, token)

    # -- blocks --
    def vnr_blocks(self, token: Token) -> None:
        self.paragraph = None
        self.blocks(token.meta["blocks"])

    def heading_open(self, token: Token) -> None:
        self.paragraph = self.doc.add_heading("", level=int(token.tag[1]))

    def paragraph_open(self, token: Token) -> None:
        if self.table is not None:
            return
        depth = "" if len(self.lists) < 2 else f" {min(len(self.lists), 3)}"
        if self.lists and self.item_pending:
            ordered = self.lists[-1] == "ordered"
            self.paragraph = self.doc.add_paragraph(style=f"List {'Number' if ordered else 'Bullet'}{depth}")
            if ordered:  # Word's own numbering would run on across lists: write the number
                self.paragraph.style = "List Paragraph"
                self.paragraph.add_run(f"{self.numbers[-1]}.\t")
                self.numbers[-1] += 1
            self.item_pending = False
        elif self.lists:
            self.paragraph = self.doc.add_paragraph(style=f"List Continue{depth}")
        else:
            self.paragraph = self.doc.add_paragraph(style="Quote" if self.quote else None)

    def list_open(self, token: Token) -> None:
        self.lists.append("bullet" if token.type == "bullet_list_open" else "ordered")
        self.numbers.append(int(token.attrs.get("start", 1) or 1))

    def list_close(self, token: Token) -> None:
        self.lists.pop()
        self.numbers.pop()

    def list_item_open(self, token: Token) -> None:
        self.item_pending = True

    def blockquote(self, token: Token) -> None:
        self.quote += 1 if token.type == "blockquote_open" else -1

    def code_block(self, token: Token) -> None:
        paragraph = self.doc.add_paragraph(style="No Spacing")
        run = paragraph.add_run(token.content.rstrip("\n"))
        run.font.name = "DejaVu Sans Mono"
        run.font.size = Pt(8.5)

    def hr(self, token: Token) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.LINE)

    def table_open(self, token: Token) -> None:
        self.table, self.header_rows = [], 0

    def tr_open(self, token: Token) -> None:
        self.table.append([])

    def cell_open(self, token: Token) -> None:
        self.table[-1].append(None)

    def thead_close(self, token: Token) -> None:
        self.header_rows = len(self.table)

    def table_close(self, token: Token) -> None:
        rows, self.table = self.table, None
        header = rows[: self.header_rows]
        body = rows[self.header_rows :]
        add_table(self.doc, header, body, self.inline_into)

    def inline(self, token: Token) -> None:
        if self.table is not None:
            self.table[-1][-1] = token
            return
        self.inline_into(self.paragraph, token)

    def inline_into(self, paragraph, token: Token | None) -> None:
        if token is None:
            return
        self.paragraph = paragraph
        for child in token.children or ():
            _rule(INLINE_RULES, child)(self, child)

    # -- inline --
    def text(self, token: Token) -> None:
        run = self.paragraph.add_run(token.content)
        if self.marks.get("strong"):
            run.bold = True
        if self.marks.get("em"):
            run.italic = True
        if self.marks.get("s"):
            run.font.strike = True
        if self.link:
            run.font.underline = True

    def mark(self, token: Token) -> None:
        name, _, edge = token.type.rpartition("_")
        self.marks[name] = edge == "open"

    def code_inline(self, token: Token) -> None:
        run = self.paragraph.add_run(token.content)
        run.font.name = "DejaVu Sans Mono"

    def softbreak(self, token: Token) -> None:
        self.paragraph.add_run(" ")

    def hardbreak(self, token: Token) -> None:
        self.paragraph.add_run().add_break(WD_BREAK.LINE)

    def link_open(self, token: Token) -> None:
        self.link = str(token.attrs.get("href", ""))

    def link_close(self, token: Token) -> None:
        if self.link and not self.link.startswith("#"):
            self.paragraph.add_run(f" ({self.link})")
        self.link = None

    def image(self, token: Token) -> None:
        path = self.images.get(str(token.attrs.get("src", "")))
        if path is None or path.suffix.lower() == ".svg":  # Word takes no SVG from python-docx
            self.paragraph.add_run(f"[{token.content}]")
            return
        shape = self.paragraph.add_run().add_picture(str(path))
        if shape.width > MAX_IMAGE_WIDTH:
            shape.height = int(shape.height * MAX_IMAGE_WIDTH / shape.width)
            shape.width = MAX_IMAGE_WIDTH
        alt = "".join(c.content for c in token.children or () if c.type in ("text", "code_inline"))
        describe_picture(shape, alt or token.content)


def add_table(doc: Document, header: list[list], body: list[list], fill, numeric: tuple[int, ...] = ()):
    """One table for Markdown tables and generated ones: `fill(paragraph, cell_content)`. The
    columns in `numeric` are aligned to the end, their headers too, as in the PDF (`.num`): `w:jc`
    "right", which Word and LibreOffice read as the end side in a right-to-left paragraph."""
    width = max(len(r) for r in header + body) if header or body else 0
    if not width:
        return None
    table = doc.add_table(rows=0, cols=width)
    table.style = "Light List Accent 1"
    table.autofit = False
    widths = _widths([[_text(c) for c in cells[:width]] for cells in header + body], width, len(header))
    for column, share in zip(table.columns, widths):  # the grid, which LibreOffice follows; Word the cells
        column.width = share
    for is_header, rows in ((True, header), (False, body)):
        for cells in rows:
            row = table.add_row()
            for column, (cell, content, share) in enumerate(zip(row.cells, cells[:width], widths)):  # row.cells: once
                fill(cell.paragraphs[0], content)
                for run in cell.paragraphs[0].runs:
                    run.font.size = TABLE_FONT
                cell.width = share
                if column in numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if is_header:
                _repeat_header(row)
    doc.add_paragraph()
    return table


PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(210), Mm(297), Mm(22)  # A4, vnr's margins
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


CELL_MARGINS = Mm(3.81)  # a cell's margins left and right, 108 twips each: the table style's, Word's and LibreOffice's
TABLE_FONT = Pt(9)  # a table's text, a size under the body's as in the PDF (8.5pt there)
TEXT_COLUMN = Mm(30)  # a column of running text (a cell of 36 characters or more) is never narrower
WORD = 12  # a longer word in a cell may break; the header's words, shorter ones and numbers never do
DIGITS, POINTS = set("0123456789+\u2212"), set(".,")  # Noto Sans's digits are tabular: 0.572 em, points 0.285
NARROW = set("iljtfrIJ;:'!|()[]-")
WIDE = set("mwMW%@\u0416\u0428\u0429\u042e\u042b\u0436\u0448\u0449\u044e\u044b\u041c\u043c\u041e\u043e")


def _text(content) -> str:
    return content if isinstance(content, str) else getattr(content, "content", "") or ""


def _word_width(word: str) -> int:
    """A word's width in bold Noto Sans at the tables' size, from its characters: digits and points
    as the font has them; letters by kind, within 7% of the font's own measure for every word of
    vnr's messages (en, fr, es, ru, kk, ar, zh), so counted 8% wider. East Asian wide characters
    are one em."""
    exact = sum(0.58 if c in DIGITS else 0.3 if c in POINTS else 0 for c in word)
    letters = sum(0 if c in DIGITS or c in POINTS else 1.0 if east_asian_width(c) in "WF" else 0.38 if c in NARROW
                  else 0.95 if c in WIDE else 0.66 for c in word)
    return int((exact + letters * 1.08) * TABLE_FONT)


def _floor(column: list[str], header: int) -> int:
    """The narrowest a column may be: its longest unbreakable word with the cell's margins. The
    header's words, the cells' words up to WORD characters and numbers never break."""
    words = [w for c in column[:header] for w in c.split()]
    words += [w for c in column[header:] for w in c.split() if len(w) <= WORD or not any(ch.isalpha() for ch in w)]
    return min(max(map(_word_width, words), default=0) + CELL_MARGINS, TEXT_WIDTH // 3)


def _widths(rows: list[list[str]], count: int, header: int = 1) -> list[int]:
    """Column widths in proportion to their longest text (capped, so one long cell does not take
    the table), none narrower than a short number: Word's equal columns wrap a region's name
    word by word beside a column of digits. None narrower than its floor either: a column
    narrower than "Participants" broke it inside, "Participa-nts", in LibreOffice and Word, and a
    number, "1,702.-9"; and a column of running text not narrower than TEXT_COLUMN. When the
    floors do not fit, the columns of running text keep theirs and the others share the rest in
    proportion to their floors."""
    cells = [[row[i] for row in rows if i < len(row)] for i in range(count)]
    weights = [max(min(max([len(c) for c in column] + [1]), 36), 9) for column in cells]
    running = {i for i, weight in enumerate(weights) if weight >= 36}
    floors = [max(_floor(column, header), TEXT_COLUMN if i in running else 0) for i, column in enumerate(cells)]
    if sum(floors) >= TEXT_WIDTH:
        kept = sum(floors[i] for i in running)
        kept = kept if kept < TEXT_WIDTH / 2 else 0
        rest = sum(f for i, f in enumerate(floors) if not kept or i not in running)
        return [int(f) if kept and i in running else int((TEXT_WIDTH - kept) * f / rest) for i, f in enumerate(floors)]
    fixed: dict[int, int] = {}  # the columns held at their floor
    while True:
        free = [i for i in range(count) if i not in fixed]
        room = TEXT_WIDTH - sum(fixed.values())
        shares = {i: room * weights[i] / sum(weights[j] for j in free) for i in free}
        short = [i for i in free if shares[i] < floors[i]]
        if not short:
            break
        fixed.update((i, floors[i]) for i in short)
    return [int(fixed[i]) if i in fixed else int(shares[i]) for i in range(count)]


def shade(item, colour: str) -> None:
    """A background colour on a run, a paragraph or a table cell."""
    xml = element(item)
    properties = (xml.get_or_add_rPr() if xml.tag == qn("w:r") else
                  xml.get_or_add_pPr() if xml.tag == qn("w:p") else xml.get_or_add_tcPr())
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    properties.append(shading)


def _repeat_header(row) -> None:
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    element(row).get_or_add_trPr().append(repeat)


def _nothing(writer: TokenWriter, token: Token) -> None:
    """A token whose work its opening or closing partner does."""


BLOCK_RULES = {
    "heading_open": TokenWriter.heading_open,
    "heading_close": _nothing,
    "paragraph_open": TokenWriter.paragraph_open,
    "paragraph_close": _nothing,  # the next block opens its own paragraph
    "bullet_list_open": TokenWriter.list_open,
    "ordered_list_open": TokenWriter.list_open,
    "bullet_list_close": TokenWriter.list_close,
    "ordered_list_close": TokenWriter.list_close,
    "list_item_open": TokenWriter.list_item_open,
    "list_item_close": _nothing,
    "blockquote_open": TokenWriter.blockquote,
    "blockquote_close": TokenWriter.blockquote,
    "code_block": TokenWriter.code_block,
    "fence": TokenWriter.code_block,
    "hr": TokenWriter.hr,
    "table_open": TokenWriter.table_open,
    "thead_open": _nothing,
    "thead_close": TokenWriter.thead_close,
    "tbody_open": _nothing,
    "tbody_close": _nothing,
    "tr_open": TokenWriter.tr_open,
    "tr_close": _nothing,
    "th_open": TokenWriter.cell_open,
    "th_close": _nothing,
    "td_open": TokenWriter.cell_open,
    "td_close": _nothing,
    "table_close": TokenWriter.table_close,  # the whole table, once its cells are known
    "inline": TokenWriter.inline,
    "vnr_blocks": TokenWriter.vnr_blocks,
}

INLINE_RULES = {
    "text": TokenWriter.text,
    "strong_open": TokenWriter.mark,
    "strong_close": TokenWriter.mark,
    "em_open": TokenWriter.mark,
    "em_close": TokenWriter.mark,
    "s_open": TokenWriter.mark,
    "s_close": TokenWriter.mark,
    "code_inline": TokenWriter.code_inline,
    "softbreak": TokenWriter.softbreak,
    "hardbreak": TokenWriter.hardbreak,
    "link_open": TokenWriter.link_open,
    "link_close": TokenWriter.link_close,
    "image": TokenWriter.image,
}
