"""Problems in a project's input, reported as `path:line:column: error: message` (or `warning:`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Pos:
    """Where a value came from: a project-relative path, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1
    cell: str = ""  # a workbook's "Comments!D12": then shown instead of line and column

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.cell}"
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path  # line 0: an argument


def at(path: str, text: str, index: int) -> Pos:
    """The position of `text[index]` in the file `path` (line and column counted in characters)."""
    return Pos(path, text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index))


def undecodable(path: str, data: bytes, exc: UnicodeDecodeError) -> Pos:
    """The position of the first byte that is not UTF-8 (what comes before it is)."""
    before = data[: exc.start].decode("utf-8-sig")
    return at(path, before, len(before))


def argument(written: str) -> Pos:
    """The position of a problem with what was given on the command line (a revision), not in a file."""
    return Pos(written, 0, 0)


@dataclass(frozen=True)
class Text:
    """A string with the position of its first character, for errors inside it (Jinja)."""

    value: str
    pos: Pos


@dataclass(frozen=True, order=True)
class Diagnostic:
    pos: Pos
    message: str
    severity: str = "error"  # or "warning": what a build can go on with but an editor should know

    def __str__(self) -> str:
        # One line per problem, whatever the input held: control characters, line and
        # paragraph separators and bidi overrides are shown as escapes.
        message = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in self.message)
        return f"{self.pos}: {self.severity}: {message}"


class InputError(Exception):
    """Raised once per run with every problem found, so the editor sees them all at once."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(map(str, self.diagnostics)))


class UsageError(Exception):
    """The command was asked for something the project does not have (a working group it does not
    name): exit status 2, as for a wrong option; nothing is written."""


class MachineFailure(Exception):
    """The machine, not the input, failed the build (a worker killed by the kernel, the disk full):
    exit status 3, the message says which, nothing is written."""


class Problems:
    """Collects diagnostics during a phase; `raise_if_any` ends the phase. Warnings are kept apart
    (`warnings`), or counted as errors when `strict` (`--strict`, for CI)."""

    def __init__(self, strict: bool = False) -> None:
        self.items: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []
        self.strict = strict

    def add(self, pos: Pos, message: str) -> None:
        self.items.append(Diagnostic(pos, message))

    def warn(self, pos: Pos, message: str) -> None:
        if self.strict:
            self.add(pos, f"{message} (a warning, an error with --strict)")
        elif Diagnostic(pos, message, "warning") not in self.warnings:
            self.warnings.append(Diagnostic(pos, message, "warning"))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)
