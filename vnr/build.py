"""The pipeline, one way through: load, resolve, write, publish."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import history, load, publish, revision
from .errors import Problems
from .i18n import Messages
from .model import Project
from .review import Review, resolve


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    formats: tuple[str, ...] = ("pdf", "docx", "html")
    edition: str = "review"
    lang: str | None = None
    revision: str | None = None
    archive: bool = False  # also archive.pdf: PDF/A-3b with the sources embedded
    since: str | None = None  # git revision: add "Changes since" to the reviewers' edition


def read(root: Path, lang: str | None, edition: str, rev: str, since: str | None = None) -> tuple[Project, Review]:
    """Load and resolve, reporting every problem of both in one InputError."""
    problems = Problems()
    project = load.read_project(root, problems)
    changes = None
    if since and edition == "review" and not problems:
        unplaced = Messages(lang or project.settings.language)("unplaced.title")
        changes = history.compare(history.project_at(root, since), project, revision.short(root, since), unplaced)
    try:
        review = resolve(project, lang or project.settings.language, edition, rev,
                         revision.build_date(root), problems, changes)
    except Exception:
        if not problems:
            raise
        problems.raise_if_any()  # a project that failed to load may trip resolve: its own problems come first
    problems.raise_if_any()
    return project, review


def check(root: Path, lang: str | None = None) -> Review:
    """Everything a build reads and validates, nothing written. Raises InputError."""
    return read(root, lang, "review", "check")[1]


def build(options: Options, say=lambda line: None) -> dict[str, bytes]:
    from .write import docx, html, pdf  # heavy (WeasyPrint, python-docx): only a build needs them

    root = options.root
    project, review = read(root, options.lang, options.edition, revision.revision(root, options.revision),
                           options.since)
    if review.fallbacks:
        say(f"note: no {review.lang} translation in the official data for {', '.join(review.fallbacks)}; "
            "shown in English, marked [en]")
    inputs = dict(project.inputs)
    for path in html.template_files(root):
        inputs[path.relative_to(root).as_posix()] = path.read_bytes()

    outputs: dict[str, bytes] = {}
    pages = None
    name = options.edition
    page = html.render(review, root)
    if "html" in options.formats:
        outputs[f"{name}.html"] = page.encode("utf-8")
    if "pdf" in options.formats or options.archive:
        package_templates = Path(str(resources.files("vnr").joinpath("templates")))
        made, pages, archive = pdf.render(review, page, [root, package_templates],
                                          inputs if options.archive else None)
        if "pdf" in options.formats:
            outputs[f"{name}.pdf"] = made
        if archive is not None:
            outputs["archive.pdf"] = archive
    if "docx" in options.formats:
        outputs[f"{name}.docx"] = docx.render(review)
    outputs[f"{name}.manifest.json"] = publish.manifest(review, project, inputs, outputs, pages)
    publish.replace_outputs(options.out, outputs)
    return outputs


def diff(root: Path, rev: str, rev2: str | None = None) -> list[str]:
    """The changes between two revisions (the later one: the working tree by default), as text."""
    old = history.project_at(root, rev)
    new = history.project_at(root, rev2) if rev2 else load.load(root)
    return history.compare(old, new, revision.short(root, rev)).summary()
