"""Every Markdown token vnr's parser can make has an HTML rule and a DOCX rule; a token the DOCX
writer has no rule for is an error naming it, never text left out."""

from __future__ import annotations

from html import unescape

import pytest
from docx import Document
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from vnr.base.markdown import parse, parser
from vnr.write.docx_rules import BLOCK_RULES, INLINE_RULES, TokenWriter, UnknownToken
from vnr.write.html import RENDERER

# What each of markdown-it's rules hands the writers, by rule chain and rule name (the names
# markdown-it itself lists: `get_active_rules`). `text_special`, which escapes and entities make,
# is joined into `text` by the core rule text_join before any writer sees it.
MAKES = {
    "core": {"normalize": (), "block": (), "inline": (), "text_join": ()},
    "block": {
        "table": ("table_open", "thead_open", "thead_close", "tbody_open", "tbody_close", "tr_open", "tr_close",
                  "th_open", "th_close", "td_open", "td_close", "inline", "table_close"),
        "code": ("code_block",),
        "fence": ("fence",),
        "blockquote": ("blockquote_open", "blockquote_close"),
        "hr": ("hr",),
        "list": ("bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
                 "list_item_open", "list_item_close"),
        "reference": (),  # a link reference definition makes no token: the links that use it do
        "html_block": (),  # on, but html=False: raw HTML is a paragraph's text
        "heading": ("heading_open", "inline", "heading_close"),
        "lheading": ("heading_open", "inline", "heading_close"),
        "paragraph": ("paragraph_open", "inline", "paragraph_close"),
    },
    "inline": {
        "text": ("text",),
        "newline": ("softbreak", "hardbreak"),
        "escape": ("text", "hardbreak"),
        "backticks": ("code_inline",),
        "strikethrough": ("s_open", "s_close"),
        "emphasis": ("em_open", "em_close", "strong_open", "strong_close"),
        "link": ("link_open", "link_close"),
        "image": ("image",),
        "autolink": ("link_open", "text", "link_close"),
        "html_inline": (),  # on, but html=False: raw HTML is text
        "entity": ("text",),
    },
    "inline2": {"balance_pairs": (), "strikethrough": (), "emphasis": (), "fragments_join": ()},
}
BLOCKS = {t for rule in MAKES["block"].values() for t in rule} | {"vnr_blocks"}  # vnr's own: resolve/bodies.py
INLINES = {t for chain in ("inline", "inline2") for rule in MAKES[chain].values() for t in rule}

# A document with every construct; two spaces end the line before the first hard break.
SAMPLE = "\n".join((
    "# Heating *in* the **north**",
    "",
    "Setext heading",
    "--------------",
    "",
    "A paragraph with *emphasis*, **strong**, ~~struck~~, `code`, a [link](https://example.org \"title\"),",
    "a [reference link][ref], an autolink <https://stat.gov.kz>, an image ![a map of **regions**](maps/kz.png),",
    "an entity &amp; &copy; and an escape \\* not emphasis,  ",
    "a hard break above and one here\\",
    "and raw HTML <b>shown as text</b>.",
    "",
    "<div class=\"raw\">a raw HTML block, shown as text</div>",
    "",
    "> A quote",
    "> > nested",
    "",
    "- a bullet",
    "  - nested bullet",
    "",
    "3. ordered from three",
    "4. next",
    "",
    "A paragraph between.",
    "",
    "    indented code",
    "",
    "```python",
    "fenced code",
    "```",
    "",
    "***",
    "",
    "| Region | Comments |",
    "|:-------|---------:|",
    "| Almaty | 17 |",
    "",
    "[ref]: https://example.org/ref",
))


def unchecked(md: MarkdownIt) -> dict[str, list[str]]:
    """The rules `md` runs that MAKES does not know, and those MAKES names that it no longer runs."""
    found = {}
    for chain, rules in md.get_active_rules().items():
        differ = set(rules) ^ set(MAKES.get(chain, ()))
        if differ:
            found[chain] = sorted(differ)
    return found


def _tokens() -> tuple[list[Token], list[Token]]:
    """The sample's tokens: block level, and the inline ones (an image's alt text is its own)."""
    tokens = list(parse(SAMPLE))
    return tokens, [child for token in tokens for child in token.children or ()]


def test_markdown_it_runs_no_rule_the_writers_were_not_checked_for():
    assert not unchecked(parser()), (
        f"vnr's Markdown parser runs other rules than MAKES lists: {unchecked(parser())}; add what each makes "
        "to MAKES, and a rule for every new token to vnr/write/docx_rules.py (and write/html.py if it has no tag)")


def test_a_plugin_or_an_upgrade_adding_a_rule_is_caught():
    with_footnotes = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).use(footnote_plugin)
    assert unchecked(with_footnotes) == {"block": ["footnote_def"], "core": ["footnote_tail"],
                                         "inline": ["footnote_inline", "footnote_ref"]}


def test_the_sample_makes_every_token_the_rules_can_make():
    blocks, inlines = _tokens()
    assert {t.type for t in blocks} == BLOCKS - {"vnr_blocks"}
    assert {t.type for t in inlines} == INLINES


def _html_rule(token: Token):
    """How markdown-it renders the token with vnr's renderer: its rule, or its tag by `renderToken`."""
    if token.type == "inline":
        return RENDERER.renderInline
    return RENDERER.rules.get(token.type) or (RENDERER.renderToken if token.tag else None)


def test_every_token_has_an_html_rule_and_a_docx_rule():
    blocks, inlines = _tokens()
    blocks.append(Token("vnr_blocks", "", 0, meta={"blocks": ()}))
    for token in blocks:
        assert token.type in BLOCK_RULES, f"no DOCX rule for the Markdown token {token.type!r}"
        assert _html_rule(token), f"no HTML rule for the Markdown token {token.type!r}"
    for token in inlines:
        assert token.type in INLINE_RULES, f"no DOCX rule for the inline Markdown token {token.type!r}"
        assert _html_rule(token), f"no HTML rule for the inline Markdown token {token.type!r}"


def test_no_text_is_left_out_of_either_output():
    blocks, inlines = _tokens()
    written = [t.content for t in inlines if t.type in ("text", "code_inline") and t.content.strip()]
    written += [t.content.strip() for t in blocks if t.type in ("code_block", "fence")]
    assert "and raw HTML <b>shown as text</b>." in written  # html=False
    assert '<div class="raw">a raw HTML block, shown as text</div>' in written

    doc = Document()
    TokenWriter(doc, {}, lambda blocks: None).write(blocks)
    docx_text = "\n".join([p.text for p in doc.paragraphs] +
                          [cell.text for table in doc.tables for row in table.rows for cell in row.cells])
    html_text = unescape(RENDERER.render(blocks, parser().options, {"images": {}}))
    for text in written:
        assert text in docx_text, f"left out of the DOCX: {text!r}"
        assert text in html_text, f"left out of the HTML: {text!r}"


def test_a_token_without_a_docx_rule_is_an_error_naming_it():
    footnotes = MarkdownIt("commonmark").use(footnote_plugin).parse("Heating is worn[^1].\n\n[^1]: Almaty, 2024.\n")
    with pytest.raises(UnknownToken, match="'footnote_ref'"):
        TokenWriter(Document(), {}, lambda blocks: None).write(footnotes)
    with pytest.raises(UnknownToken, match="'footnote_block_open'"):
        TokenWriter(Document(), {}, lambda blocks: None).write([Token("footnote_block_open", "", 1)])
