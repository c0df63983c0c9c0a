"""Review -> HTML through Jinja templates: the project's templates/ first, then the defaults."""

from __future__ import annotations

import base64
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..framework import framework
from ..markdown import parser
from ..review import Review


def template_files(project_root: Path) -> list[Path]:
    """The project's own template files: inputs of the build, like chapters."""
    folder = project_root / "templates"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def environment(project_root: Path) -> Environment:
    loaders = [PackageLoader("vnr", "templates")]
    if (project_root / "templates").is_dir():
        loaders.insert(0, FileSystemLoader(project_root / "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    md = parser()
    env.filters["md"] = lambda tokens: Markup(md.renderer.render(list(tokens), md.options, {}))
    env.filters["b64"] = lambda text: base64.b64encode(text.encode("utf-8")).decode("ascii")
    return env


def render(review: Review, project_root: Path) -> str:
    m = review.msgs
    return environment(project_root).get_template("review.html.j2").render(
        review=review, t=m, number=m.number, percent=m.percent, date=m.date,
        goals=list(framework().goals.values()),
    )
