"""YAML read as nodes, so that every value keeps its line and column.

Each validator is a small function `(reader, node) -> value`; on a problem it reports
`path:line:column` through the reader and returns INVALID, so one run reports every
problem of a file instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from ..base.errors import Pos, Problems, Text, at, undecodable

INVALID: Any = object()
STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
# Aliases are shared nodes: walking them expands them. A real project file has a few
# thousand nodes; this bound turns an alias bomb into an error instead of a hang.
MAX_NODES = 200_000
# What a document may hold once its aliases are expanded: as much as a file may (load.py's
# MAX_FILE_BYTES). A 2 MB file that repeats a 1 MB text by alias would otherwise put 273 MB of
# text in a review (7.7 GB to lay out).
MAX_EXPANDED = 10_000_000
# One text value (a comment, a response, a reviewer's note, a title): the sample's longest is
# under 1,000 characters; a body is bounded by what it renders to (sandbox.py).
MAX_TEXT = 100_000
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

Validator = Callable[["Reader", yaml.Node], Any]


class Reader:
    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems
        self.visited = 0
        self.lines: list[str] = []  # the file's text, set by `parse`

    def pos(self, node_or_mark) -> Pos:
        mark = getattr(node_or_mark, "start_mark", node_or_mark)
        return Pos(self.path, mark.line + 1, mark.column + 1)

    def error(self, node, message: str) -> Any:
        self.problems.add(self.pos(node), message)
        return INVALID

    def visit(self, node) -> bool:
        self.visited += 1
        if self.visited == MAX_NODES:
            self.error(node, "document too large or too many aliases (alias expansion limit reached)")
        return self.visited < MAX_NODES


# libyaml composes ten times faster than the pure-Python parser; both keep line and column.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(reader: "Reader", data: bytes) -> yaml.Node | None:
    """Bytes of one file to its YAML node tree, or None after reporting why not."""
    path, problems = reader.path, reader.problems
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(undecodable(path, data, exc), "file is not valid UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        problems.add(Pos(path), "file is empty")
        return None
    reader.lines = text.splitlines()
    try:
        nodes = list(yaml.compose_all(text, Loader=LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Pos(path, mark.line + 1, mark.column + 1) if mark else Pos(path)
        context = f" ({exc.context})" if exc.problem and exc.context else ""
        problems.add(where, f"invalid YAML: {exc.problem or exc.context}{context}")
        return None
    except yaml.reader.ReaderError as exc:  # a raw control character: libyaml gives its index only
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problems.add(at(path, text, exc.position), unwritable(chr(char)))
        return None
    except yaml.YAMLError as exc:
        problems.add(Pos(path), f"invalid YAML: {exc}")
        return None
    except RecursionError:
        problems.add(Pos(path), "invalid YAML: nested too deeply")
        return None
    if len(nodes) > 1:
        problems.add(reader.pos(nodes[1]), "only one YAML document per file is allowed")
        return None
    if not nodes or nodes[0] is None:
        problems.add(Pos(path), "file is empty")
        return None
    too_large = _expansion_bound(nodes[0])
    if too_large:
        problems.add(reader.pos(too_large), "aliases expand this file past what a file may hold "
                                            f"({MAX_NODES:,} values or {MAX_EXPANDED:,} characters): "
                                            "write the values out, or split the file")
        return None
    return nodes[0]


def _expansion_bound(root: yaml.Node) -> yaml.Node | None:
    """Walk the document as it reads once aliases are expanded, in order, and stop at the
    bound: the last node met for the first time before it (where the repeating alias is written),
    or None. The walk costs at most MAX_NODES steps, whatever the aliases."""
    seen: set[int] = set()
    nodes = chars = 0
    last = root
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            last = node
        nodes += 1
        if isinstance(node, yaml.ScalarNode):
            chars += len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        else:
            stack.extend(n for pair in reversed(node.value) for n in reversed(pair))
        if nodes > MAX_NODES or chars > MAX_EXPANDED:
            return last
    return None


def _kind(node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        STR: "text", INT: "a whole number", "tag:yaml.org,2002:float": "a decimal number",
        "tag:yaml.org,2002:bool": "true/false", "tag:yaml.org,2002:null": "nothing (null)",
        "tag:yaml.org,2002:timestamp": "a date",
    }.get(node.tag, f"a value tagged {node.tag}")


class Where(dict):
    """Positions of a mapping's values by key ("" for the mapping itself); `keys_at`: of the keys."""

    def __init__(self, pos: Pos):
        super().__init__({"": pos})
        self.keys_at: dict[str, Pos] = {}


@dataclass(frozen=True)
class Field:
    check: Validator
    required: bool = False
    default: Any = None


def mapping(fields: dict[str, Field]) -> Validator:
    """A mapping with exactly these keys: (values, positions of the values as a `Where`).

    A value that failed its check is INVALID in `values` (its problem is already reported), so
    the caller can go on and report the problems of the rest of the file in the same run.
    """

    def check(r: Reader, node) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return r.error(node, f"expected a mapping, got {_kind(node)}")
        values: dict[str, Any] = {}
        where = Where(r.pos(node))
        for key_node, value_node in node.value:
            if not r.visit(key_node):
                return INVALID
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key_node.tag == "tag:yaml.org,2002:merge":
                r.error(key_node, "merge keys ('<<') are not supported")
            elif key in where:
                r.error(key_node, f"duplicate key '{key}' (first at line {where[key].line})")
            elif key not in fields:
                hint = difflib.get_close_matches(str(key), list(fields), n=1)
                extra = f"; did you mean '{hint[0]}'?" if hint else f"; did you mean one of: {', '.join(fields)}?"
                r.error(key_node, f"unknown key '{key}'{extra}")
            else:
                where[key], where.keys_at[key] = r.pos(value_node), r.pos(key_node)
                values[key] = fields[key].check(r, value_node)
        for name, field in fields.items():
            if name not in values:
                if field.required:
                    r.error(node, f"missing required key '{name}'")
                values[name] = INVALID if field.required else field.default
        return values, where

    return check


def valid(values: dict, *keys: str) -> bool:
    return all(values[k] is not INVALID for k in keys)


# Control characters other than tab and newline (carriage return and DEL too), and what no
# output format can carry (XML forbids them): an error in any text read, never passed on.
UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def unwritable(char: str) -> str:
    return f"text contains the control character U+{ord(char):04X}, which no output can hold"


def text(r: Reader, node) -> Any:
    if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
        return r.error(node, f"expected text, got {_kind(node)}")
    bad = UNWRITABLE.search(node.value)
    if bad:
        return r.error(node, unwritable(bad.group()))
    if len(node.value) > MAX_TEXT:
        return r.error(node, f"text of {len(node.value):,} characters: at most {MAX_TEXT:,} fit one value")
    return node.value


def located_text(r: Reader, node) -> Any:
    """Text that may hold errors of its own (a Jinja body): keep where its first line starts."""
    value = text(r, node)
    if value is INVALID:
        return INVALID
    pos = r.pos(node)
    if node.style in ("|", ">"):
        # A block scalar's content begins on the line after the indicator.
        line_text = r.lines[node.start_mark.line + 1 : node.start_mark.line + 2]
        indent = len(line_text[0]) - len(line_text[0].lstrip(" ")) if line_text else 0
        pos = Pos(pos.path, pos.line + 1, indent + 1)
    elif node.style in ("'", '"'):
        pos = Pos(pos.path, pos.line, pos.column + 1)
    return Text(value, pos)


def nonempty_text(r: Reader, node) -> Any:
    value = text(r, node)
    if value is not INVALID and not value.strip():
        return r.error(node, "must not be empty")
    return value


def pattern(regex: str, what: str) -> Validator:
    compiled = re.compile(regex)

    def check(r: Reader, node) -> Any:
        value = text(r, node)
        if value is not INVALID and not compiled.fullmatch(value):
            return r.error(node, f"invalid {what} '{value}'")
        return value

    return check


def integer(minimum: int | None = None, maximum: int | None = None, what: str = "number") -> Validator:
    def check(r: Reader, node) -> Any:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
            return r.error(node, f"expected a whole number, got {_kind(node)}")
        value = _CONSTRUCTOR.construct_yaml_int(node)
        if minimum is not None and value < minimum:
            if minimum == 0:
                return r.error(node, f"{what} must not be negative, got {value}")
            return r.error(node, f"{what} must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            return r.error(node, f"{what} must be at most {maximum}, got {value}")
        return value

    return check


def date(r: Reader, node) -> Any:
    if not isinstance(node, yaml.ScalarNode) or node.tag not in ("tag:yaml.org,2002:timestamp", STR):
        return r.error(node, f"expected a date (YYYY-MM-DD), got {_kind(node)}")
    try:
        return dt.date.fromisoformat(node.value.strip())
    except ValueError:
        return r.error(node, f"invalid date '{node.value}' (expected YYYY-MM-DD)")


def choice(options: tuple[str, ...], what: str) -> Validator:
    def check(r: Reader, node) -> Any:
        value = text(r, node)
        if value is INVALID:
            return INVALID
        if value not in options:
            hint = difflib.get_close_matches(value, options, n=1)
            extra = f"; did you mean '{hint[0]}'?" if hint else f" (expected one of: {', '.join(options)})"
            return r.error(node, f"unknown {what} '{value}'{extra}")
        return value

    return check


class Checked(list):
    """A list whose invalid items (already reported) were left out: `complete` says if any were."""

    complete = True


def list_of(item: Validator) -> Validator:
    def check(r: Reader, node) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return r.error(node, f"expected a list, got {_kind(node)}")
        values = []
        for child in node.value:
            if not r.visit(child):
                return INVALID
            values.append(item(r, child))
        result = Checked(v for v in values if v is not INVALID)  # the others are reported
        result.complete = len(result) == len(values)
        return result

    return check


def dict_of(key: Validator, value: Validator) -> Validator:
    def check(r: Reader, node) -> Any:
        if not isinstance(node, yaml.MappingNode):
            return r.error(node, f"expected a mapping, got {_kind(node)}")
        result: dict = {}
        for key_node, value_node in node.value:
            if not r.visit(key_node):
                return INVALID
            k, v = key(r, key_node), value(r, value_node)
            if k is INVALID or v is INVALID:
                continue
            if k in result:
                r.error(key_node, f"duplicate key '{key_node.value}'")
            else:
                result[k] = v
        return result

    return check
