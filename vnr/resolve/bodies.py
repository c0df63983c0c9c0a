"""Chapter and section bodies: Jinja (sandboxed, strict) over the consultation figures, then Markdown.

A body's `indicator()` calls are kept in a list of its own, in the order they run; each returns a
paragraph naming its place in that list (MARKER), which `placed` turns into one `vnr_blocks`
token holding the call's Table (and Figure): see review.Tokens.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError, TemplateSyntaxError
from markdown_it.token import Token

from ..base.errors import Pos, Problems, Text
from ..base.markdown import parse
from ..base.names import Names
from ..figures import Figures
from ..review import Block
from .indicator import Tables
from .sandbox import MAX_CHARS, BodyLimit, environment, failing_line, render

# What a call returns: MARKER and the call's number in its body. The control character is one no
# body's text may hold (read.schema refuses it): words a body writes never pass for a table.
MARKER = "\x01vnr-indicator-"


def namespace(figures: Figures, names: Names) -> dict:
    """What a body may name: `consultations` (and `indicator()`, added by Bodies for each body)."""
    return {"consultations": {
        "seminars": {"total": figures.seminars, **figures.seminars_by_audience},
        "period": {"start": figures.start, "end": figures.end},
        "regions": {"covered": len(figures.regions_covered), "existing": len(figures.regions_existing)},
        "participants": {
            "total": figures.participants,
            "by_category": dict(figures.by_category),
            "by_audience": dict(figures.by_audience),
            "by_region": dict(figures.by_region),
        },
        "comments": {"total": figures.comments, "by_kind": dict(figures.comments_by_kind)},
        "priorities": [
            {"goal": p.goal, "votes": p.votes, "share": p.share, "title": names.goal(p.goal).short}
            for p in figures.priorities
        ],
    }}


IMAGE_TYPES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
LINK_SCHEMES = ("http", "https", "mailto")


class Bodies:
    def __init__(self, root: Path, figures: Figures, names: Names, problems: Problems, tables: Tables):
        msgs = names.msgs
        self.root = root.resolve()
        self.images: dict[str, Path] = {}  # src as written -> the file inside the project
        self.env = environment(dict(number=msgs.number, percent=msgs.percent,
                                    date=lambda d: msgs.date(d) if d else ""), msgs.locale)
        self.scope = namespace(figures, names)
        self.tables = tables
        self.problems = problems

    def tokens(self, body: Text, top_level: int):
        made: list[tuple[Block, ...]] = []  # the blocks of the body's indicator() calls, in call order
        source = self.render(body, made)
        if source is None:
            return ()
        tokens = self.placed(parse(source, top_level), made, body)
        lines = source.splitlines()
        for token in tokens:
            line = (token.map or [0])[0] + 1
            for child in token.children or ():
                if child.type in ("softbreak", "hardbreak"):
                    line += 1  # a paragraph's lines are its inline children's lines
                elif child.type == "image":
                    src = str(child.attrs.get("src", ""))
                    self.check_image(src, _at(body, lines, line, src))
                elif child.type == "link_open":
                    href = str(child.attrs.get("href", ""))
                    self.check_link(href, _at(body, lines, line, href))
        return tokens

    def placed(self, tokens: tuple[Token, ...], made: list[tuple[Block, ...]], body: Text) -> tuple[Token, ...]:
        """Each `indicator()` marker paragraph replaced by one token holding its table and chart."""
        markers = {f"{MARKER}{n}": blocks for n, blocks in enumerate(made, 1)}
        out: list[Token] = []
        for token in tokens:
            if made and token.type in ("inline", "fence", "code_block") and MARKER in token.content:
                blocks = markers.get(token.content.strip())
                if token.type == "inline" and token.level == 1 and blocks and out[-1].type == "paragraph_open":
                    out[-1] = Token("vnr_blocks", "", 0, map=token.map, meta={"blocks": blocks})
                    continue
                self.problems.add(_line(body, (token.map or [0])[0] + 1),
                                  "indicator() makes a table: put it on a line of its own, "
                                  "outside lists, quotes and tables")
            elif token.type == "paragraph_close" and out and out[-1].type == "vnr_blocks":
                continue
            out.append(token)
        return tuple(out)

    def check_link(self, href: str, pos: Pos) -> None:
        scheme = urlsplit(href).scheme.lower()
        if scheme and scheme not in LINK_SCHEMES:
            self.problems.add(pos, f"link '{href}' is not allowed: links may be http, https, mailto or #anchors")

    def check_image(self, src: str, pos: Pos) -> None:
        """An image must be a file inside the project: never a URL, never a file elsewhere."""
        if src in self.images:
            return
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or src.startswith("/"):
            self.problems.add(pos, f"image '{src}' is not a file of the project; "
                                   "use a path relative to the project, such as assets/map.png")
            return
        path = (self.root / unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root):
            self.problems.add(pos, f"image '{src}' is outside the project")
        elif not path.is_file():
            self.problems.add(pos, f"image '{src}' not found")
        elif path.suffix.lower() not in IMAGE_TYPES:
            self.problems.add(pos, f"image '{src}' is not a picture ({', '.join(IMAGE_TYPES)})")
        else:
            self.images[src] = path

    def render(self, body: Text, made: list[tuple[Block, ...]]) -> str | None:
        """The body's Markdown; its indicator() calls' blocks appended to `made`."""
        if "{" not in body.value:
            if len(body.value) <= MAX_CHARS:
                return body.value
            self.problems.add(body.pos, f"the body has more than {MAX_CHARS:,} characters")
            return None

        def indicator(line: int, /, *args, **kwargs) -> str:
            blocks = self.tables.make(_line(body, line), *args, **kwargs)
            if not blocks:
                return ""
            made.append(blocks)
            return f"\n\n{MARKER}{len(made)}\n\n"

        try:
            return render(self.env, body.value, self.scope, lined={"indicator": indicator})
        except BodyLimit as exc:
            self.problems.add(_line(body, exc.lineno or failing_line(exc)), f"template error: {exc.message}")
        except TemplateSyntaxError as exc:
            self.problems.add(_line(body, exc.lineno), f"template syntax error: {exc.message}")
        except TemplateError as exc:
            self.problems.add(_line(body, failing_line(exc)), f"template error: {exc.message or exc}")
        except Exception as exc:  # arithmetic or type errors inside an expression are input errors too
            self.problems.add(_line(body, failing_line(exc)), f"template error: {type(exc).__name__}: {exc}")
        return None


def _at(body: Text, lines: list[str], lineno: int, written: str) -> Pos:
    """Where `written` (a link's target, an image's source) stands on the body's line `lineno`."""
    pos = _line(body, lineno)
    column = lines[lineno - 1].find(written) if 0 < lineno <= len(lines) else -1
    return Pos(pos.path, pos.line, pos.column + column) if column >= 0 else pos


def _line(body: Text, lineno: int | None) -> Pos:
    pos = body.pos
    return Pos(pos.path, pos.line + max(1, lineno or 1) - 1, pos.column)
