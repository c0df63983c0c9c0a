"""The one Markdown parser every writer reads from: CommonMark plus tables, raw HTML off.

Shared, so nobody changes it: each writer renders the tokens with rules of its own (write/html.py's
Renderer, write/docx_rules.py's tables), and tests/test_markdown_rules.py checks that both have a
rule for every token its enabled rules can make.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.token import Token


@functools.cache
def parser() -> MarkdownIt:
    # html=False: editors' and citizens' text never becomes markup; it is shown as written.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    # Every link and image reaches the token stream, so `bodies` can reject the unsafe ones
    # with their line instead of markdown-it silently showing them as text.
    md.validateLink = lambda url: True
    return md


def parse(source: str, top_level: int = 1) -> tuple[Token, ...]:
    """Tokens of `source`; headings are raised to at least `top_level` (h3 under a section),
    so a body's own headings never compete with the chapter and section titles."""
    tokens = parser().parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, max(top_level, int(token.tag[1])))}"
    return tuple(tokens)
