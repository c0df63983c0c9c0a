"""How vnr import writes a seminar file: a new one laid out as the sample's, or an existing one
changed only where its values stand (its comments, quoting and block texts kept byte for byte)."""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

from ..base.errors import Pos, Problems
from ..model import CATEGORIES
from ..read import schema as s

SEMINAR = ("region", "city", "date", "audience")  # a seminar's own fields, beside counts and comments
CONTENT = ("text", "targets", "goals", "kind", "from")  # what a comment says, beside its id
PLAIN = re.compile(r"[^\W\d_][\w .()'-]*")  # a letter first, no YAML punctuation
RESOLVER = yaml.resolver.Resolver()


def scalar(value: str) -> str:
    """Unquoted where YAML reads it back as this very text (not null, yes, 1 or a date), else quoted."""
    plain = PLAIN.fullmatch(value) and value == value.strip() and \
        RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == s.STR
    return value if plain else _quoted(value)


def _quoted(value: str) -> str:
    # JSON's escapes are YAML's; YAML alone reads a raw NEL (U+0085) in quotes as a space.
    return json.dumps(value, ensure_ascii=False).replace("\x85", "\\x85")


def render(key, value) -> str:
    """A value as the sample's files write it."""
    if key == "text":
        return _quoted(value)
    if key == "targets":
        return "[" + ", ".join(map(_quoted, value)) + "]"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {n}" for k, n in value.items()) + "}"
    if isinstance(value, str):
        return scalar(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _comment_fields(c: dict) -> list[tuple[str, str]]:
    return [("id", scalar(c["id"])), ("text", render("text", c["text"])),
            *((k, render(k, c[k])) for k in ("targets", "goals") if c[k]),
            ("kind", c["kind"]), ("from", c["from"])]


def comment_block(c: dict, indent: int = 2) -> str:
    pad = " " * indent
    return "".join(f"{pad}{'- ' if i == 0 else '  '}{k}: {v}\n" for i, (k, v) in enumerate(_comment_fields(c)))


def new_file(values: dict, comments: list[dict]) -> str:
    out = [f"{name}: {render(name, values[(name,)])}" for name in SEMINAR]
    counts = [(c, values[("participants", c)]) for c in CATEGORIES if ("participants", c) in values]
    if counts:
        out.append("participants:")
        out += [f"  {c}: {n}" for c, n in counts]
    priorities = {k[1]: n for k, n in values.items() if k[0] == "priorities"}
    if priorities:
        out.append(f"priorities: {render('priorities', dict(sorted(priorities.items())))}")
    out.append("comments:" if comments else "comments: []")
    return "\n".join(out) + "\n" + "".join(comment_block(c) for c in comments)


class Edits:
    """A seminar file's text, changed only where its YAML nodes stand: the rest keeps its bytes
    (YAML comments, quoting, block texts, the order of keys)."""

    def __init__(self, text: str, rel: str, problems: Problems):
        self.bom = "\ufeff" if text.startswith("\ufeff") else ""
        self.source = text[len(self.bom):]
        self.rel, self.problems = rel, problems
        self.top = yaml.compose(self.source, Loader=s.LOADER)  # the loader read it: it is valid
        self.newline = "\r\n" if "\r\n" in self.source else "\n"  # what the new lines end with
        self.changes: list[tuple[int, int, str]] = []  # (start, end, new text) in `source`

    def text(self) -> str:
        out, done = [self.bom], 0
        for start, end, new in sorted(self.changes, key=lambda c: c[0]):  # stable: insertions keep their order
            out += [self.source[done:start], new.replace("\n", self.newline)]
            done = end
        return "".join(out) + self.source[done:]

    def values(self, changed: dict) -> None:
        for name in SEMINAR:
            if (name,) in changed:
                self.set(self.top, name, render(name, changed[(name,)]))
        for group in ("participants", "priorities"):
            items = {k[1]: v for k, v in changed.items() if k[0] == group}
            mapping = _value(self.top, group)
            if items and mapping is None:
                self.add(self.top, group, render(group, items), before="comments")
            for k, v in items.items() if mapping is not None else ():
                self.set(mapping, str(k), str(v))

    def comment(self, new: dict, old: dict) -> None:
        item = next(i for i in _value(self.top, "comments").value if _value(i, "id").value == new["id"])
        for k in CONTENT:
            if new[k] != old[k] and (new[k] or _value(item, k) is not None):
                self.set(item, k, render(k, new[k]))

    def append(self, comments: list[dict]) -> None:
        seq = _value(self.top, "comments")
        if not comments:
            return
        if seq is not None and not seq.flow_style:  # after its last item, indented as its items are
            at = self._after_line(seq)
            self.changes.append((at, at, "".join(comment_block(c, seq.start_mark.column) for c in comments)))
        elif self.top.flow_style or seq is not None and seq.value:  # a flow list: inside its brackets
            flow = ", ".join("{" + ", ".join(f"{k}: {v}" for k, v in _comment_fields(c)) + "}" for c in comments)
            if seq is None:
                self.add(self.top, "comments", f"[{flow}]")
            else:
                at = seq.end_mark.index - 1  # the closing bracket
                self.changes.append((at, at, (", " if seq.value else "") + flow))
        else:  # a block list, in place of `[]` or of none
            indent = self.top.start_mark.column + 2
            self.set(self.top, "comments", "\n" + "".join(comment_block(c, indent) for c in comments).rstrip("\n"))

    def set(self, mapping, key: str, rendered: str) -> None:
        entry = next(((k, v) for k, v in mapping.value if k.value == key), None)
        if entry is None:
            return self.add(mapping, key, rendered)
        k, v = entry
        if v.start_mark.index < k.end_mark.index:  # an alias: its node stands at its anchor, elsewhere
            self.problems.add(Pos(self.rel, k.start_mark.line + 1, k.start_mark.column + 1),
                              f"'{key}' is a YAML alias here: write its value out before importing a new one")
            return
        self.changes.append((k.end_mark.index, _end(self.source, v), ":" + _spaced(rendered)))

    def add(self, mapping, key: str, rendered: str, before: str | None = None) -> None:
        if mapping.flow_style:
            at = mapping.end_mark.index - 1  # the closing brace
            self.changes.append((at, at, (", " if mapping.value else "") + f"{key}: {rendered}"))
            return
        follower = next((k for k, _ in mapping.value if k.value == before), None)  # then on the line before it
        at = follower.start_mark.index - follower.start_mark.column if follower else self._after_line(mapping)
        self.changes.append((at, at, f"{' ' * mapping.start_mark.column}{key}:{_spaced(rendered)}\n"))

    def remove(self, mapping, key: str) -> None:
        """The key and its value taken out: its lines in a block mapping, its item in a flow one."""
        at = next((i for i, (k, _) in enumerate(mapping.value) if k.value == key), None)
        if at is None:
            return
        k, v = mapping.value[at]
        if not mapping.flow_style:
            self.changes.append((k.start_mark.index - k.start_mark.column, self._after_line(v), ""))
        elif at:  # from the end of the item before it: its comma goes with it
            self.changes.append((_end(self.source, mapping.value[at - 1][1]), _end(self.source, v), ""))
        else:  # the first: up to the next item, or the closing brace
            after = mapping.value[1][0].start_mark.index if len(mapping.value) > 1 else _end(self.source, v)
            self.changes.append((k.start_mark.index, after, ""))

    def end(self, text: str) -> None:
        """Lines added at the end of the file (its last line ended first)."""
        if self.source and not self.source.endswith("\n"):
            self.source += self.newline
        self.changes.append((len(self.source), len(self.source), text))

    def _after_line(self, node) -> int:
        """Where the line after the node's last value starts (the file's last line is ended first)."""
        at = self.source.find("\n", _end(self.source, node))
        if at < 0 and not self.source.endswith("\n"):
            self.source += self.newline
            return len(self.source)
        return at + 1 if at >= 0 else len(self.source)


def _spaced(rendered: str) -> str:
    return rendered if rendered.startswith("\n") else " " + rendered


def _value(mapping, key: str):
    return next((v for k, v in mapping.value if k.value == key), None)


def _end(text: str, node) -> int:
    """Where a node's own text ends: a block collection's end mark would include the comments and
    blank lines after it; a block scalar's, the line breaks after its text."""
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(text, last[1] if isinstance(node, yaml.MappingNode) else last)
    end = node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        end = node.start_mark.index + len(text[node.start_mark.index:end].rstrip())
    return end
