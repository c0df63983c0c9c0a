"""README's Quick start is what CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_start_has_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start$(.*?)(?=^## )", readme, re.M | re.S).group(1)
    commands = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    assert "vnr build" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[1] in ci
