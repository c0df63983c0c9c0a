"""The pipeline, one way through: load, resolve, write, publish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import load, publish, revision
from .review import Review, resolve
from .write import docx, html, pdf


@dataclass(frozen=True)
class Options:
    root: Path
    out: Path
    formats: tuple[str, ...] = ("pdf", "docx", "html")
    edition: str = "review"
    lang: str | None = None
    revision: str | None = None


def check(root: Path) -> Review:
    """Everything a build reads and validates, nothing written. Raises InputError."""
    project = load.load(root)
    return resolve(project, project.settings.language, "review", "check", revision.build_date(root))


def build(options: Options) -> dict[str, bytes]:
    root = options.root
    project = load.load(root)
    lang = options.lang or project.settings.language
    review = resolve(project, lang, options.edition, revision.revision(root, options.revision),
                     revision.build_date(root))
    inputs = dict(project.inputs)
    for path in html.template_files(root):
        inputs[path.relative_to(root).as_posix()] = path.read_bytes()

    outputs: dict[str, bytes] = {}
    pages = None
    name = options.edition
    page = html.render(review, root)
    if "html" in options.formats:
        outputs[f"{name}.html"] = page.encode("utf-8")
    if "pdf" in options.formats:
        outputs[f"{name}.pdf"], pages = pdf.render(review, page, [root])
    if "docx" in options.formats:
        outputs[f"{name}.docx"] = docx.render(review)
    outputs[f"{name}.manifest.json"] = publish.manifest(review, inputs, outputs, pages)
    publish.replace_outputs(options.out, outputs)
    return outputs
