"""How long `vnr check` takes to refuse hostile input: the timings the tests do not hold.

    .venv/bin/python bench/hostile.py

Each case is a small valid project (the tests' fixture) with one hostile file added (or a few:
indicator data and the chapter that shows it); prints a Markdown table: the case, the exit
status, the wall time (fastest of three), the peak memory (resident, largest of the three) and
the first error.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
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

REPLY = "Жылу беру желілерін жаңарту жоспары әзірленуде. " * 2000  # 96,000 characters, under the bound of one text
CASES["a 96,000-character reply repeated by alias 10,000,000 times"] = ("responses/all.yaml", (
    f'kz-75-leb/waste-1:\n  status: noted\n  text: &reply "{REPLY}"\n'
    + "".join(f"k{n}: &r{n} [" + ", ".join(["*reply" if n == 0 else f"*r{n - 1}"] * 10) + "]\n" for n in range(7))))


def _indicator(csv: str | bytes, call: str = 'indicator("3.2.1", by="SEX")', labels: str = "") -> dict:
    """Files of a project that shows indicator 3.2.1 in a chapter: its CSV (and labels of SEX)."""
    chapter = f"id: sdg-03\norder: 30\ntitle: Health\ngoals: [3]\nbody: |\n  {{{{ {call} }}}}\n"
    return {"chapters/sdg-03.yaml": chapter, "indicators/data/indicator_3-2-1.csv": csv,
            "indicators/translations/en/SEX.yml": labels or "F: Female\nM: Male\n"}


SEX = "Year,SEX,Value\n2018,,10.1\n2018,F,9.5\n"
CASES |= {
    "indicator value 1e400": _indicator(SEX + "2019,,1e400\n"),
    "indicator value 1e-999999999": _indicator(SEX + "2019,,1e-999999999\n"),
    "a NUL in an indicator CSV cell": _indicator(SEX + "2019,M\x00,9.9\n"),
    "bad UTF-8 at line 40 of an indicator CSV": _indicator(SEX.encode() + b"2019,,9.9\n" * 36 + b"2020,\xff,1\n"),
    "indicator translations of 10^9 nested aliases": _indicator(SEX, labels=NESTED + "F: Female\n"),
    "indicator(years=[0, ..., 99998])": _indicator(SEX, 'indicator("3.2.1", years=range(99999) | list)'),
    "indicator(years=[a year of 4,995 digits])": _indicator(
        SEX, 'indicator("3.2.1", years=[10**999 * 10**999 * 10**999 * 10**999 * 10**999])'),
}


# A small Python that runs `vnr check` and says how long it took and its peak memory: a child of
# this process (which holds vnr and the tests' fixture) would count this process's memory as its own.
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
print(done.returncode, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(done.stderr, end="")
"""


def check(root: Path) -> tuple[int, float, int, str]:
    """`vnr check` of the project: exit status, seconds, peak resident kB and standard error."""
    said = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "vnr", "check", str(root)],
                          capture_output=True, text=True, check=True).stdout
    measured, _, errors = said.partition("\n")
    code, seconds, peak = measured.split()
    return int(code), float(seconds), int(peak), errors


def main() -> None:
    print("| hostile input | exit | `vnr check` | peak memory | first error |\n|---|---|---|---|---|")
    for name, case in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            root = write_project(Path(tmp) / "p")
            for rel, text in (case.items() if isinstance(case, dict) else [case]):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            runs = [check(root) for _ in range(3)]
            code, errors = runs[-1][0], runs[-1][3]
            best, peak = min(r[1] for r in runs), max(r[2] for r in runs)
            first = errors.splitlines()[0] if errors else "(none)"
            print(f"| {name} | {code} | {best:.2f} s | {peak / 1024:.0f} MB | `{first[:110]}` |")


if __name__ == "__main__":
    main()
