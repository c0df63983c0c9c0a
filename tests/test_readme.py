"""README's Quick start is what CI runs, and what vnr imports is what a plain install brings."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start$(.*?)(?=^## )", readme, re.M | re.S).group(1)
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_has_two_commands_and_ci_runs_both_verbatim_in_order():
    commands = quick_start()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "pip install -e ." in commands[0] and "[test]" not in commands[0] and "vnr build" in commands[0]
    assert "'.[test]'" in commands[1] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in ci
    runs = [line for line in ci.splitlines() if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert runs == commands  # nothing else, nothing between: the first command runs without the test extras


def _imports() -> set[str]:
    """The top-level modules vnr's own code imports (absolute imports only)."""
    found = set()
    for path in (ROOT / "vnr").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"vnr"}


def _declared(names: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[ ;]", n, maxsplit=1)[0].lower().replace("_", "-") for n in names}


def test_every_library_vnr_imports_is_a_runtime_dependency_and_every_dependency_is_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _declared(project["dependencies"])
    test_only = _declared(project["optional-dependencies"]["test"]) - runtime
    owners = packages_distributions()
    imported = {module: {d.lower().replace("_", "-") for d in owners.get(module, [module])} for module in _imports()}
    missing = {m: d for m, d in imported.items() if not d & runtime}
    assert not missing, f"imported by vnr but not in [project.dependencies]: {missing}"
    assert not {m for m, d in imported.items() if d & test_only}, "vnr imports a test-only library"
    used = set().union(*imported.values())
    assert runtime <= used, f"declared but imported by nothing: {runtime - used}"
