"""The pipeline, one way through: load, resolve, write, publish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .base.errors import Problems
from .base.i18n import Messages
from .model import FORMATS, Project
from .progress import Progress
from .publish import cache, manifest, swap
from .read import history, load, revision, sources
from .resolve import resolve
from .review import Review


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
    strict: bool = False  # warnings are errors (for CI)
    jobs: int | None = None  # WeasyPrint processes laying out the PDF (default: the cores this process may use)


def read(root: Path, lang: str | None, edition: str, rev: str, since: str | None = None,
         date: dt.date | None = None, strict: bool = False) -> tuple[Project, Review]:
    """Load and resolve, reporting every problem of both in one InputError (warnings too if `strict`)."""
    problems = Problems(strict)
    project = load.read_project(root, problems)
    changes = None
    if since and edition == "review" and not problems:
        unplaced = Messages(lang or project.settings.language)("unplaced.title")
        changes = history.compare(history.project_at(root, since), project, revision.short(root, since), unplaced)
    # resolve reports the load's problems with those of the bodies; past them, an exception is a bug
    review = resolve(project, lang or project.settings.language, edition, rev,
                     date or revision.build_date(root), problems, changes)
    return project, review


def check(root: Path, lang: str | None = None, strict: bool = False) -> Review:
    """Everything a build reads and validates, nothing written. Raises InputError."""
    return read(root, lang, "review", "check", strict=strict)[1]


def build(options: Options, say=lambda line: None, progress: Progress | None = None,
          warn=None) -> dict[str, bytes]:
    """Build the outputs of `options` into options.out; returns them (name -> bytes). Each
    warning goes to `warn` (default: `say`).

    Outputs whose inputs did not change since the last build (their keys in the manifest) are
    kept as they are; the PDF is laid out in a second process while this one writes the rest.
    """
    progress = progress or Progress(False)
    root, name = options.root, options.edition
    rev = revision.revision(root, options.revision)
    date = revision.build_date(root)
    keys = cache.keys(options, rev, date, cache.current_inputs(options.out, name, root))
    kept = cache.unchanged(options.out, name, keys)
    wanted = [f"{name}.{fmt}" for fmt in options.formats] + (["archive.pdf"] if options.archive else [])
    if all(output in kept for output in wanted):
        say(f"{options.out}: up to date, nothing rendered (no input, option or vnr version changed)")
        return {}
    needs_pdf = any(o.endswith(".pdf") and o not in kept for o in wanted)
    from .write import pdf, pool

    # they import WeasyPrint while this process reads
    worker = pdf.Pdf(pool.processes(options.jobs)) if needs_pdf else None
    try:
        with progress.stage("load and resolve"):
            project, review = read(root, options.lang, name, rev, options.since, date, options.strict)
        from .collect.reviews import summary

        # the loader has read reviews/ already: no second parse in the build
        for line in summary(((n.author, n.place, n.status) for n in project.review_notes), project.chapters):
            say(line)
        for warning in review.warnings:
            (warn or say)(str(warning))
        from .write import docx, html  # heavy: only a build needs them

        inputs = sources.inputs(root, project.inputs, review.images.values(), review.data_read)
        with progress.stage("html"):
            page = html.render(review, root)
        if worker:
            worker.send(pdf.job(review, page, roots(root), inputs if options.archive else None,
                                cache.looks(inputs)))
        outputs: dict[str, bytes] = dict(kept)  # made from these very inputs: still outputs of this build
        if f"{name}.html" in wanted:
            outputs[f"{name}.html"] = page.text.encode("utf-8")
        if f"{name}.docx" in wanted and f"{name}.docx" not in kept:
            with progress.stage("docx"):
                outputs[f"{name}.docx"] = docx.render(review)
        pages = cache.pages(options.out, name)
        if worker:
            with progress.stage("pdf (second process)"):
                made = worker.result()
            pages = made.pages
            if f"{name}.pdf" in wanted:
                outputs[f"{name}.pdf"] = made.pdf
            if made.archive is not None:
                outputs["archive.pdf"] = made.archive
    finally:
        if worker:
            worker.stop()
    made_from = cache.keys(options, rev, date, inputs)  # what was read, images included
    built = {o: made_from[o] for o in outputs}
    outputs[f"{name}.manifest.json"] = manifest.manifest(review, project, inputs, outputs, pages, built)
    # the folder holds what the manifest lists: the edition's outputs of an earlier build go
    stale = ({*cache.listed(options.out, name), *(f"{name}.{fmt}" for fmt in FORMATS)} - set(outputs))
    with progress.stage("publish"):
        swap.replace_outputs(options.out, outputs, last=f"{name}.manifest.json", drop=stale)
    for output, data in outputs.items():
        say(f"{'kept' if output in kept else 'wrote'} {options.out / output} ({len(data):,} bytes)"
            f"{' unchanged' if output in kept else ''}")
    return outputs


def roots(root: Path) -> list[Path]:
    """The folders whose files the PDF may load: the project (first: relative URLs resolve
    against it) and the package's templates."""
    return [root, Path(str(resources.files("vnr").joinpath("templates")))]


def diff(root: Path, rev: str, rev2: str | None = None) -> list[str]:
    """The changes between two revisions (the later one: the working tree by default), as text."""
    old = history.project_at(root, rev)
    new = history.project_at(root, rev2) if rev2 else load.load(root)
    return history.compare(old, new, revision.short(root, rev)).summary()
