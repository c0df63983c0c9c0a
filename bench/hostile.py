"""How long `vnr check` takes to refuse hostile input: the timings the tests do not hold.

    .venv/bin/python bench/hostile.py

Each case is a small valid project (the tests' fixture) with one hostile file added; prints a
Markdown table: the case, the exit status, the wall time (fastest of three) and the first error.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import write_project  # noqa: E402

NESTED = "x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
    f"x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * 10) + "]\n" for i in range(1, 9))
CASES = {
    "alias bomb (10^9 nodes)": ("chapters/bomb.yaml", NESTED + "id: bomb\ntitle: Bomb\n"),
    "two nested loops of 99,999": ("chapters/loop.yaml", "id: loop\ntitle: L\nbody: |\n  "
                                   "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"),
    '"word " * 3000000': ("chapters/words.yaml", 'id: words\ntitle: W\nbody: |\n  {{ "word " * 3000000 }}\n'),
    "a body that renders 6 MB in a loop": ("chapters/join.yaml", "id: join\ntitle: J\nbody: |\n  "
                                           "{% for i in range(99999) %}{{ range(9999) | join(',') }}{% endfor %}\n"),
    "macro recursion": ("chapters/rec.yaml", "id: rec\ntitle: R\nbody: |\n  "
                        "{% macro d(n) %}{{ d(n + 1) }}{% endmacro %}{{ d(0) }}\n"),
    "a 12 MB feedback file": ("feedback/kz-75-huge.yaml", "region: KZ-75\n" + "# notes\n" * 1_500_000),
}


def main() -> None:
    print("| hostile input | exit | `vnr check` | first error |\n|---|---|---|---|")
    for name, (rel, text) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = write_project(Path(tmp) / "p")
            (root / rel).write_text(text, encoding="utf-8")
            best, done = float("inf"), None
            for _ in range(3):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "vnr", "check", str(root)], capture_output=True, text=True)
                best = min(best, time.perf_counter() - started)
            first = done.stderr.splitlines()[0] if done.stderr else done.stdout.strip()
            print(f"| {name} | {done.returncode} | {best:.2f} s | `{first[:110]}` |")


if __name__ == "__main__":
    main()
