"""What several test modules share: running vnr, reading its errors, writing files, git, processes."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from pathlib import Path

from vnr.cli import main


def vnr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vnr", *args], capture_output=True, text=True, cwd=cwd)


def run(*args: str) -> tuple[int, list[str]]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(args))
    return code, err.getvalue().splitlines()


def errors(root: Path) -> list[str]:
    code, lines = run("check", str(root))
    assert code == 1, lines
    assert lines[-1].startswith("vnr: ") and "nothing was written" in lines[-1]
    assert not any("Traceback" in line for line in lines)
    return lines[:-1]


def named(cases) -> list[str]:
    """Test ids for a table of error cases: the start of each case's expected message (its last item)."""
    return [case[-1].split(": error: ")[1][:40] for case in cases]


def put(root: Path, rel: str, text: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))


RESPONSES = {
    "kz-75-leb/waste-1": ("accepted", "Section 12.5 now reports separate collection of household waste in every city.",
                          "sdg-07-heat"),
    "kz-75-leb/heat-1": ("partly", "Жылу беру желілерінің тозуы 7.1-бөлімде көрсетілді; қаржыландыру туралы деректер "
                         "әлі жоқ.", "sdg-07-heat"),
    "kz-11-residents/school-1": ("noted", "Малокомплектные школы будут отдельно рассмотрены в главе 4.", None),
    "kz-43-residents/water-1": ("declined", "A local matter for the akimat of Kyzylorda Region, outside the "
                                "national review.", None),
}  # kz-11-residents/solar-1 stays open
DONE = {"accepted", "declined"}


def responses_yaml(items=RESPONSES) -> str:
    out = []
    for key, (status, text, place) in items.items():
        out.append(f'{key}:\n  status: {status}\n  text: "{text}"\n' + (f"  place: {place}\n" if place else ""))
    return "".join(out)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Drafting team", "-c", "user.email=vnr@example.org", *args],
                          cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def pdf_workers(parent: int) -> list[int]:
    """Processes started by `parent` that run vnr's PDF worker."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == parent and b"vnr.write.weasy" in cmdline:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits to be read


def within(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
