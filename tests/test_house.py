"""The house: README's code map names every module, and no import points back up the flow."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vnr"
ORDER = ["progress", "base", "model", "placement", "read", "figures", "review", "groups", "resolve", "write", "publish",
         "feedback", "collect", "build", "preview", "cli", "__main__"]


def _code_map() -> set[str]:
    """The module paths README's code map names (`read/load.py`; several on a line: `pdf.py, docx.py`)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\nvnr/\n(.*?)```", readme, re.S).group(1)
    named, folder = set(), ""
    for line in block.splitlines():
        indent = len(line) - len(line.lstrip())
        first = line.split()[0] if line.strip() else ""
        if indent == 2 and first.endswith("/"):
            folder = first
        elif indent == 2:
            folder = ""
        if indent in (2, 4) and ".py" in line:
            files = re.match(r"\s*((?:[\w]+\.py(?:, )?)+)", line).group(1)
            named |= {folder + f.strip() for f in files.split(",")}
    return named


def test_the_code_map_names_every_module_and_only_modules_there_are():
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")}
    modules -= {m for m in modules if m.endswith("__init__.py") and m != "resolve/__init__.py"} | {"__main__.py"}
    assert _code_map() == modules


def _room(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _imports() -> set[tuple[str, str]]:
    """(importing room, imported room) for every import of vnr's own modules."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        here = ".".join(parts if parts[-1] != "__init__" else parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                targets = [target] if node.module else [f"{target}.{a.name}" for a in node.names]
                found |= {(_room(here), _room(t)) for t in targets if t != "vnr.__version__"}
    return found


def test_no_import_points_back_up_the_flow():
    rank = {room: n for n, room in enumerate(ORDER)}
    assert {room for pair in _imports() for room in pair} <= set(rank), "a room README's map does not name"
    upward = sorted((a, b) for a, b in _imports() if a != b and rank[b] > rank[a])
    assert not upward, f"imports against the flow: {upward}"
