"""The AI Factory's Azure DevOps `variables.yaml`: read with ruamel.yaml, rewritten in place.

Reading: `wizard.safe_yaml.compose` gives every key and value with its exact position in the
text, without constructing Python objects and within its limits: anchors and aliases are refused
outright, so a "billion laughs" bomb never grows, and so are several documents and documents
too large or too deeply nested to be a variables file (the v1.24 template has 509 parse events
and nests 2 levels).
Values are taken as written: a quoted value as its string, a plain one as its source text
(`7` is "7", `1.20` stays "1.20"), null as "".

Writing: the new value is spliced into the original text at the value's position, in the
value's own quoting style; keys the file lacks are appended in a marked section. We do not
re-dump through ruamel's round-trip emitter because it drops whitespace-only lines and
changes the final newline of the real template; splicing keeps every byte we do not change,
so comments, key order, quoting and the unquoted integers (`admin_keyvaultSoftDeleteDays: 7`)
all survive. The result is parsed again and checked before it is returned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wizard.interop.errors import InteropError
from wizard.interop.tagdoc import VarDoc, parse_tag_comment
from wizard.interop.textio import as_interop_error
from wizard.safe_yaml import YamlError, compose

_NULL_TAG = "tag:yaml.org,2002:null"
_PLAIN_SAFE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_NULL_WORDS = frozenset({"null", "Null", "NULL", "~"})
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


@dataclass(frozen=True)
class AdoEntry:
    """One variable: its key, value and where the value sits in the text."""

    key: str
    value: str
    line: int
    """1-based line of the key."""
    start: int
    """Index of the value's first character (its opening quote, if any) in the text."""
    end: int
    """Index just after the value."""
    style: str | None
    """'"', "'", None for plain, '|' or '>' for block scalars."""
    comment: str | None
    """The comment after the value on its last line, without the '#'."""


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar for any text, escaping what YAML cannot hold literally."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029\ufeff\ufffe\uffff":
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _scalar(value: str, style: str | None) -> str:
    """The value in the style the line used, when that style can hold it; else double-quoted."""
    if style == "'" and all(ch.isprintable() for ch in value):
        return "'" + value.replace("'", "''") + "'"
    if style is None and _PLAIN_SAFE.fullmatch(value) and value not in _NULL_WORDS:
        return value
    return double_quoted(value)


def _variables_node(root: Node | None, path: str) -> tuple[MappingNode, bool]:
    """The mapping under `variables:`, and whether it is the last key of the document."""
    if not isinstance(root, MappingNode):
        raise InteropError(path, 1, "the file has no top-level `variables:` mapping",
                           "start the file with `variables:` and indent each `key: value` under it")
    for index, (key, value) in enumerate(root.value):
        if isinstance(key, ScalarNode) and key.value == "variables":
            if not isinstance(value, MappingNode):
                kind = "a list" if isinstance(value, SequenceNode) else "not a mapping"
                raise InteropError(
                    path, value.start_mark.line + 1, f"`variables` is {kind}",
                    "write the variables as a mapping (`  key: value` lines); the list form "
                    "(`- name: …` / `value: …`) and variable groups are not supported",
                )
            return value, index == len(root.value) - 1
    raise InteropError(path, 1, "the file has no top-level `variables:` mapping",
                       "start the file with `variables:` and indent each `key: value` under it")


def _entry(text: str, key: Node, value: Node, path: str) -> AdoEntry:
    line = key.start_mark.line + 1
    if not isinstance(key, ScalarNode):
        raise InteropError(path, line, "a variable name must be plain text", "write it as `  name: value`")
    if not isinstance(value, ScalarNode):
        kind = "list" if isinstance(value, SequenceNode) else "mapping"
        raise InteropError(path, line, f"variable {key.value!r} holds a {kind}, not one value",
                           f'write it as `  {key.value}: "value"`')
    scalar = "" if value.tag == _NULL_TAG else value.value  # a plain scalar's value is its own text
    start, end = value.start_mark.index, value.end_mark.index
    colon = text.find(":", key.end_mark.index, max(end, key.end_mark.index))
    if start == end and colon >= 0:  # `key:` with nothing after it: the empty value sits right after the colon
        start = end = colon + 1
    line_end = text.find("\n", end)
    after = text[end : len(text) if line_end < 0 else line_end].strip()
    comment = after[1:] if after.startswith("#") else None
    return AdoEntry(key=key.value, value=scalar, line=line, start=start, end=end, style=value.style,
                    comment=comment)


@dataclass
class AdoDocument:
    """A parsed variables.yaml: its text and each variable's value and position."""

    path: str
    text: str
    entries: list[AdoEntry]
    indent: int
    """Column of the variable names, used for appended keys."""
    append_at: int
    """Index in the text where appended keys go."""

    @classmethod
    def parse(cls, text: str, path: str) -> AdoDocument:
        try:
            root = compose(text, path)
        except YamlError as exc:
            raise as_interop_error(exc) from None
        mapping, last = _variables_node(root, path)
        entries: list[AdoEntry] = []
        seen: dict[str, int] = {}
        for key, value in mapping.value:
            entry = _entry(text, key, value, path)
            if entry.key in seen:
                raise InteropError(path, entry.line,
                                   f"{entry.key} is set twice (first on line {seen[entry.key]})",
                                   f"keep one {entry.key} line")
            seen[entry.key] = entry.line
            entries.append(entry)
        if not entries:
            raise InteropError(path, mapping.start_mark.line + 1, "`variables` holds no variables",
                               "add `  key: value` lines under `variables:`")
        if last:
            append_at = len(text)
        else:
            newline = text.find("\n", entries[-1].end)
            append_at = len(text) if newline < 0 else newline + 1
        return cls(path=path, text=text, entries=entries,
                   indent=mapping.value[0][0].start_mark.column, append_at=append_at)

    def values(self) -> dict[str, str]:
        return {entry.key: entry.value for entry in self.entries}

    def line_numbers(self) -> dict[str, int]:
        return {entry.key: entry.line for entry in self.entries}

    def keys(self) -> list[str]:
        return [entry.key for entry in self.entries]

    def docs(self) -> dict[str, VarDoc]:
        return {e.key: parse_tag_comment(e.comment) for e in self.entries if e.comment is not None}

    def render(self, values: Mapping[str, str], comments: Mapping[str, str], section: str) -> str:
        """This file with `values` written in place; keys it lacks are appended under `section`."""
        edits: list[tuple[int, int, str]] = []
        for entry in self.entries:
            if entry.key in values and values[entry.key] != entry.value:
                new = _scalar(values[entry.key], entry.style)
                if entry.start == entry.end:
                    new = " " + new  # `key:` with no value: keep a space after the colon
                elif entry.style in ("|", ">"):
                    new += "\n"  # a block scalar's span ends after its line break
                edits.append((entry.start, entry.end, new))
        present = {entry.key for entry in self.entries}
        added = [key for key in values if key not in present]
        if added:
            edits.append((self.append_at, self.append_at, self._appendix(values, comments, section, added)))
        text = self.text
        for start, end, new in sorted(edits, reverse=True):
            text = text[:start] + new + text[end:]
        self._verify(text, values)
        return text

    def _appendix(self, values: Mapping[str, str], comments: Mapping[str, str], section: str,
                  added: list[str]) -> str:
        eol = "\r\n" if "\r\n" in self.text else "\n"
        pad = " " * self.indent
        before = self.text[: self.append_at]
        lines = ["" if before.endswith("\n") or not before else eol, f"{pad}# --- {section} ---{eol}"]
        for key in added:
            name = key if _SIMPLE_KEY.fullmatch(key) else double_quoted(key)
            comment = f" # {comments[key]}" if comments.get(key) else ""
            lines.append(f"{pad}{name}: {double_quoted(values[key])}{comment}{eol}")
        return "".join(lines)

    def _verify(self, text: str, values: Mapping[str, str]) -> None:
        """Parse what we wrote and check every value reads back as intended."""
        written = AdoDocument.parse(text, self.path).values()
        for key, value in values.items():
            if written.get(key) != value:
                raise InteropError(self.path, None, f"could not write {key} into this file safely",
                                   "export without a base file, or simplify that line of the base")
