"""Review -> HTML through Jinja templates: the project's templates/ first, then the defaults."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import mimetypes
import pickle
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    pass_context,
)
from markdown_it.renderer import RendererHTML
from markupsafe import Markup, escape

from ..base import ids
from ..base.errors import Diagnostic, InputError, Pos
from ..base.framework import framework
from ..base.i18n import direction
from ..base.markdown import parser
from ..review import Annex, Note, Report, Review

# Rough heights in mm, only to spread a place's margin notes along its text (see `with_notes`).
BODY_MM_PER_CHAR, BODY_LINE_MM = 5.1 / 85, 5.1
NOTE_MM_PER_CHAR, NOTE_LINE_MM = 3.2 / 44, 3.2


def blocks(tokens) -> list[list]:
    """Top-level blocks (a paragraph, a list, a table) as token runs."""
    groups: list[list] = []
    depth = 0
    for token in tokens:
        if depth == 0:
            groups.append([])
        groups[-1].append(token)
        depth += token.nesting
    return groups


def _block_height(group) -> float:
    if group[0].type == "vnr_blocks":  # an indicator's table, and its chart
        return sum(len(b.rows) * 6.5 + 12 if b.kind == "table" else b.chart.height_mm + 8
                   for b in group[0].meta["blocks"])
    rows = sum(1 for t in group if t.type == "tr_open")
    chars = sum(len(t.content) for t in group if t.type == "inline")
    return rows * 6.5 + 4 if rows else chars * BODY_MM_PER_CHAR + BODY_LINE_MM + 2


def _note_height(note: Note) -> float:
    return note.margin_chars * NOTE_MM_PER_CHAR + (3 + len(note.replies)) * NOTE_LINE_MM + 2


@pass_context
def with_notes(context, tokens, notes) -> Markup:
    """The body's HTML with the place's margin notes spread along it.

    WeasyPrint pushes text below a run of floats taller than what is left of the page, so
    the notes are spread over the blocks: each block gets the notes its height can carry
    beside it; what is left follows the last block and flows on into the next pages' margins.
    The first note always stands at the start of the place, with its sticky note.
    """
    md = parser()
    env = context.environment
    note_html, block_html = env.get_template("note.html.j2"), env.get_template("block.html.j2")
    summary_html = env.get_template("note_summary.html.j2")
    render_env = {"images": context["review"].images,  # what the render rules below read
                  "block": lambda b: block_html.render({**context.get_all(), "block": b})}
    # (height, html): the notes shown, then the summary of those past notes_per_place
    queue = [(_note_height(n), lambda n=n: note_html.render({**context.get_all(), "note": n}))
             for n in notes if not n.hidden]
    hidden = [n for n in notes if n.hidden]
    if hidden:
        queue.append((len(hidden[0].more.text) * NOTE_MM_PER_CHAR + 3 * NOTE_LINE_MM,
                      lambda: summary_html.render({**context.get_all(), "summary": hidden[0].more, "notes": hidden})))
    room, out = 12.0, []  # the heading beside the first note
    for group in blocks(tokens) or [[]]:
        room += _block_height(group) if group else 0
        beside = []
        while queue and (room >= queue[0][0] or not out and not beside):
            room -= queue[0][0]
            beside.append(queue.pop(0)[1]())
        block = RENDERER.render(group, md.options, render_env)
        # the notes and the block they stand beside, together: a narrow screen shows them under it
        out.append(f'<div class="noted">{"".join(beside)}{block}</div>' if beside and block
                   else "".join(beside) + block)
    out.extend(render() for _, render in queue)
    return Markup("".join(out))


def _image(renderer, tokens, idx, options, env) -> str:
    """An image of the project, embedded: the HTML is one file that reads the same anywhere."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    path = env.get("images", {}).get(src)
    if path is not None:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        src = f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    return f'<img src="{escape(src)}" alt="{escape(alt)}">'


def _blocks(renderer, tokens, idx, options, env) -> str:
    """An indicator's table and chart (a `vnr_blocks` token): the generated parts' block template."""
    return "".join(env["block"](block) for block in tokens[idx].meta["blocks"])


class Renderer(RendererHTML):
    """markdown-it's HTML rules and vnr's two (a subclass: markdown-it's documented way to add
    rules), apart from the parser resolve and every writer share."""

    image = _image
    vnr_blocks = _blocks


RENDERER = Renderer()


DEFAULTS = Path(__file__).resolve().parent.parent / "templates"  # vnr's own templates


def environment(project_root: Path) -> Environment:
    loaders = [PackageLoader("vnr", "templates")]
    if (project_root / "templates").is_dir():
        loaders.insert(0, FileSystemLoader(project_root / "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["with_notes"] = with_notes
    env.filters["b64"] = lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii")
    env.globals["ids"] = ids  # element ids come from where collect reads them back: `ids.COVER`, ...
    return env


@dataclass(frozen=True)
class Html:
    """The review as one HTML page, and as the documents WeasyPrint lays out one by one: the
    cover with the contents, then each part (each part starts a page: see write/layout.py)."""

    text: str
    documents: tuple[str, ...]
    blank: str  # the page with neither front nor parts: write/layout.py numbers pages with it


class Kept:
    """Parts' HTML from earlier renders, by what each was made from (`vnr preview`): the whole
    part's, and the pieces it is laid out in."""

    def __init__(self):
        self.parts: dict[bytes, tuple[str, tuple[str, ...]]] = {}


def render(review: Review, project_root: Path, kept: Kept | None = None, looks: str = "") -> Html:
    """With `kept`, a part made of the same data, templates (`looks`: cache.looks) and images as
    one rendered before is not rendered again."""
    m = review.msgs
    env = environment(project_root)
    context = dict(review=review, t=m, number=m.number, percent=m.percent, date=m.date,
                   goals=list(framework().goals.values()), dir=direction(review.lang))
    shared = _shared_key(review, looks) if kept is not None else None
    fresh: dict[bytes, tuple[str, tuple[str, ...]]] = {}
    parts, documents = [], []
    for part in review.parts:
        key = _part_key(part, shared) if shared else None
        made = kept.parts.get(key) if key else None
        if made is None:
            template = env.select_template([f"parts/{part.kind}.html.j2", "parts/report.html.j2"])
            whole = template.render({**context, "part": part, "continued": False, "more": False})
            # a project's own template of the part (README: Templates) is laid out whole, as it was written
            shares = _pieces(part) if Path(template.filename or "").is_relative_to(DEFAULTS) else []
            made = whole, tuple(template.render({**context, "part": share, "continued": i > 0, "more": more})
                                for i, (share, more) in enumerate(shares)) or (whole,)
        if key:
            fresh[key] = made
        parts.append(Markup(made[0]))
        documents.extend(Markup(piece) for piece in made[1])
    if kept is not None:
        kept.parts = fresh
    page = env.get_template("review.html.j2")
    blank = page.render(context, front=False, parts=())
    if review.parts and f'id="{review.parts[0].id}"' in blank:  # an override written before part-by-part layout
        raise InputError([Diagnostic(Pos("templates/review.html.j2"), "shows review.parts itself: show `parts` "
                                     "(the parts' HTML) and the cover and contents only `if front` (README: Templates)")])
    return Html(page.render(context, front=True, parts=parts),
                (page.render(context, front=True, parts=()),
                 *(page.render(context, front=False, parts=(html,)) for html in documents)),
                blank)


def _shared_key(review: Review, looks: str) -> bytes:
    """What every part's HTML depends on besides the part: words, edition, templates, images."""
    images = sorted((src, hashlib.sha256(path.read_bytes()).digest()) for src, path in review.images.items())
    return hashlib.sha256(pickle.dumps((review.lang, review.edition, review.revision, review.date,
                                        review.annotated, images, looks))).digest()


def _part_key(part, shared: bytes) -> bytes | None:
    try:
        return hashlib.sha256(shared + pickle.dumps(part, protocol=5)).digest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # not plain data: rendered every time


def _pieces(part) -> list[tuple[object, bool]]:
    """The pieces a part is laid out in, each (the part with a share of its content, whether more
    follow); none: laid out whole. The two largest parts are laid out goal by goal, each goal starting
    a page: the annex and the statistics. No document dwarfs the others, and a changed comment or
    indicator lays out one goal again."""
    if isinstance(part, Annex):
        chunks: list[list] = []
        for group in part.groups:
            if group.goal_heading is not None or not chunks:
                chunks.append([])
            chunks[-1].append(group)
        shares = [dataclasses.replace(part, groups=tuple(chunk)) for chunk in chunks]
    elif isinstance(part, Report) and part.kind == "statistics":
        shares = [dataclasses.replace(part, sections=(section,)) for section in part.sections]
    else:
        return []
    return [(share, i < len(shares) - 1) for i, share in enumerate(shares)] if len(shares) > 1 else []
