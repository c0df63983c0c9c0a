"""The pipeline, one way through: load, resolve, write, publish."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import groups as groups_of
from .base.errors import Problems, UsageError
from .base.i18n import Messages
from .model import FORMATS, Group, Project
from .progress import Progress
from .publish import cache, manifest, swap
from .publish.cache import PACKS
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
    groups: tuple[str, ...] | None = None  # working groups' packs to write too (ALL_GROUPS: every one)


ALL_GROUPS = ("*",)  # --groups
PACK_FORMATS = ("pdf", "docx")  # a working group's pack: what it reads and answers in


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
    kept as they are; the PDF is laid out in other processes while this one writes the rest.
    With `groups`, each working group's pack follows the review: groups/ID.pdf and .docx.
    """
    progress = progress or Progress(False)
    root, name = options.root, options.edition
    rev = revision.revision(root, options.revision)
    date = revision.build_date(root)
    asked = _asked_groups(options)
    keys = cache.keys(options, rev, date, cache.current_inputs(options.out, name, root),
                      {*asked, *cache.packs(options.out, name)})
    kept = cache.unchanged(options.out, name, keys)
    wanted = [f"{name}.{fmt}" for fmt in options.formats] + (["archive.pdf"] if options.archive else [])
    wanted += [f"{PACKS}/{g}.{fmt}" for g in asked for fmt in options.formats if fmt in PACK_FORMATS]
    if options.groups != ALL_GROUPS and all(output in kept for output in wanted):
        say(f"{options.out}: up to date, nothing rendered (no input, option or vnr version changed)")
        return {}
    needs_pdf = any(o.endswith(".pdf") and o not in kept for o in wanted) or options.groups == ALL_GROUPS
    from .write import pdf, pool

    # they import WeasyPrint while this process reads
    worker = pdf.Pdf(pool.processes(options.jobs)) if needs_pdf else None
    try:
        with progress.stage("load and resolve"):
            project, review = read(root, options.lang, name, rev, options.since, date, options.strict)
        groups = _groups(options, project)
        wanted += [f"{PACKS}/{g.id}.{fmt}" for g in groups if g.id not in asked
                   for fmt in options.formats if fmt in PACK_FORMATS]
        from .collect.reviews import summary

        # the loader has read reviews/ already: no second parse in the build
        for line in summary(((n.author, n.place, n.status) for n in project.review_notes), project.chapters):
            say(line)
        for warning in review.warnings:
            (warn or say)(str(warning))
        inputs = sources.inputs(root, project.inputs, review.images.values(), review.data_read)
        outputs: dict[str, bytes] = dict(kept)  # made from these very inputs: still outputs of this build
        pages = cache.pages(options.out, name)
        pages.update(_write(review, root, name, wanted, kept, outputs, worker, progress,
                            inputs if options.archive else None, cache.looks(inputs)))
        packs = cache.listed_packs(options.out, name)
        for group in groups:
            stem = f"{PACKS}/{group.id}"
            if all(o in kept for o in wanted if o.startswith(f"{stem}.")):
                continue
            cut = groups_of.pack(project, group)
            pack = resolve(cut, review.lang, "review", rev, date, group=group)
            pages.update(_write(pack, root, stem, wanted, kept, outputs, worker, progress, None,
                                cache.looks(inputs)))
            packs[group.id] = groups_of.summary(group, cut, pack,
                                                sorted(o for o in wanted if o.startswith(f"{stem}.")))
    finally:
        if worker:
            worker.stop()
    made_from = cache.keys(options, rev, date, inputs,
                           {*asked, *cache.packs(options.out, name), *project.settings.groups})
    built = {o: made_from[o] for o in outputs}
    packs = {g: about for g, about in sorted(packs.items()) if any(o.startswith(f"{PACKS}/{g}.") for o in outputs)}
    outputs[f"{name}.manifest.json"] = manifest.manifest(review, project, inputs, outputs, pages, built, packs)
    # the folder holds what the manifest lists: the edition's outputs of an earlier build go
    stale = ({*cache.listed(options.out, name), *(f"{name}.{fmt}" for fmt in FORMATS)} - set(outputs))
    with progress.stage("publish"):
        swap.replace_outputs(options.out, outputs, last=f"{name}.manifest.json", drop=stale)
    for output, data in outputs.items():
        say(f"{'kept' if output in kept else 'wrote'} {options.out / output} ({len(data):,} bytes)"
            f"{' unchanged' if output in kept else ''}")
    return outputs


def _write(review: Review, root: Path, stem: str, wanted: list[str], kept: dict[str, bytes],
           outputs: dict[str, bytes], worker, progress: Progress, sources_: dict[str, bytes] | None,
           looks: str) -> dict[str, int]:
    """One document's outputs (the review's, or a pack's: `stem` groups/ID) into `outputs`: the
    PDF laid out by `worker` while this process writes the DOCX. Returns the PDFs' page counts."""
    from .write import docx, html, pdf  # heavy: only a build needs them

    missing = [o for o in wanted if o not in kept
               and (o.startswith(f"{stem}.") or (o == "archive.pdf" and sources_ is not None))]
    if not missing:
        return {}
    with progress.stage(f"{stem}: html"):
        page = html.render(review, root)
    laying = any(o.endswith(".pdf") for o in missing)
    if laying:
        worker.send(pdf.job(review, page, roots(root), sources_, looks), fresh=True)
    if f"{stem}.html" in missing:
        outputs[f"{stem}.html"] = page.text.encode("utf-8")
    if f"{stem}.docx" in missing:
        with progress.stage(f"{stem}: docx"):
            outputs[f"{stem}.docx"] = docx.render(review)
    if not laying:
        return {}
    with progress.stage(f"{stem}: pdf"):
        made = worker.result()
    counts = {}
    if f"{stem}.pdf" in wanted:
        outputs[f"{stem}.pdf"], counts[f"{stem}.pdf"] = made.pdf, made.pages
    if made.archive is not None:
        outputs["archive.pdf"], counts["archive.pdf"] = made.archive, made.pages
    return counts


def _asked_groups(options: Options) -> list[str]:
    """The working groups named on the command line (--group ID); --groups: known once read."""
    return [] if options.groups in (None, ALL_GROUPS) else list(options.groups)


def _groups(options: Options, project: Project) -> list[Group]:
    """The working groups whose packs this build writes, as vnr.yaml defines them."""
    defined = project.settings.groups
    if options.groups is None:
        return []
    if not defined:
        raise UsageError("vnr.yaml names no working groups (see 'groups' in the README)")
    unknown = [g for g in _asked_groups(options) if g not in defined]
    if unknown:
        raise UsageError(f"unknown working group '{unknown[0]}' (vnr.yaml names: {', '.join(defined)})")
    return list(defined.values()) if options.groups == ALL_GROUPS else [defined[g] for g in options.groups]


def roots(root: Path) -> list[Path]:
    """The folders whose files the PDF may load: the project (first: relative URLs resolve
    against it) and the package's templates."""
    return [root, Path(str(resources.files("vnr").joinpath("templates")))]


def diff(root: Path, rev: str, rev2: str | None = None) -> list[str]:
    """The changes between two revisions (the later one: the working tree by default), as text."""
    old = history.project_at(root, rev)
    new = history.project_at(root, rev2) if rev2 else load.load(root)
    return history.compare(old, new, revision.short(root, rev)).summary()
