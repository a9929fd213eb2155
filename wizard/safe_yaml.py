"""Reading user YAML safely, with line numbers for error messages.

Presets and variables.yaml come from users and from other people's repositories, so a file may
be huge, binary, nested a thousand levels deep, or a "billion laughs" alias bomb. Every such
file must end in one clear `file:line: what — fix` message, and quickly, so reading goes in
three bounded steps:

1. `read_text` refuses a file over the size limit before reading it, and binaries and
   non-UTF-8 text once read;
2. `prescan` counts bracket nesting in one linear pass over the text, before any parser runs:
   ruamel's scanner spends time proportional to the flow depth on every token, so a few KB of
   `[[[[…` would otherwise take seconds (quadratic);
3. `compose` builds the node tree from ruamel's parse events in a loop (no recursion, so no
   RecursionError however deep), refusing anchors and aliases (neither the AI Factory's files
   nor ours need them, and a bomb then never grows), several documents, more than a bounded
   number of events and more than MAX_DEPTH levels (the exact check behind the pre-scan).

`load_yaml_text` then turns the tree into plain dicts, lists and scalars. It builds only the
types a configuration holds (text, whole numbers, decimals, true/false, null): a date stays the
text it was written as, numbers longer than any setting are refused before Python converts them
(int() refuses more than 4,300 digits), and any other tag (`!!binary`, `!!omap`, `!python/…`)
is refused with its line. Values keep the line they came from so that a pydantic error can
point at `file:line`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.errors import UserError

if TYPE_CHECKING:
    from ruamel.yaml.nodes import Node

MAX_BYTES = 512 * 1024
"""Largest configuration file accepted; the AI Factory's variables.yaml is 58 KB, its .env 44 KB.

Sized so that the slowest document ruamel (pure Python) can be handed still reads in well under
a second (`make fuzz` records the worst shapes at this size)."""
MAX_EVENTS = 5_000
"""Largest number of parse events accepted; the v1.24 variables.yaml has 509, a preset a few hundred.

Parsing costs up to ~75 µs of CPU per event (pure-Python ruamel, deep flow nesting), so this
also bounds the time any document can take."""
MAX_DEPTH = 32
"""Deepest nesting accepted (mappings, lists, brackets); real presets nest 5 levels, variables.yaml 2."""
MAX_NUMBER_CHARS = 64
"""Longest number accepted; no setting takes more than a few digits."""

_CORE = "tag:yaml.org,2002:"
_NULL, _BOOL, _INT, _FLOAT, _STR = (f"{_CORE}{kind}" for kind in ("null", "bool", "int", "float", "str"))
_TEXT_TAGS = frozenset({_STR, f"{_CORE}timestamp", f"{_CORE}merge", f"{_CORE}value"})
"""Implicit tags whose values we keep as the text written (`2001-12-14`, `<<`, `=`)."""
_TRUE = frozenset({"true", "yes", "on", "y"})
_FALSE = frozenset({"false", "no", "off", "n"})

_PRESCAN = re.compile(
    r"""(?:^|(?<=[\s\[{,:]))(?:"(?:[^"\\]|\\.)*(?:"|\Z)|'(?:[^']|'')*(?:'|\Z))  # a quoted scalar
      | (?:^|(?<=\s))\#[^\n]*                                                   # a comment
      | [\[{\]}]                                                                 # a bracket
    """,
    re.VERBOSE | re.MULTILINE | re.DOTALL,
)
"""What the pre-scan looks at: brackets count, unless inside quotes or a comment."""
_YAML_DIRECTIVE = re.compile(r"^%YAML[ \t]+(\S*)", re.MULTILINE)
"""A `%YAML 1.x` line; ruamel asserts (rather than reports) on a version other than 1.1 or 1.2."""


class YamlError(UserError):
    """A YAML file that cannot be read; the message names the file, the line and the fix."""

    def __init__(self, path: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        super().__init__(message, hint, f"{path}:{line}" if line else path)


@dataclass(frozen=True, slots=True)
class LoadedYaml:
    """A parsed document and where each key stood."""

    data: Any
    """The document as plain Python dicts, lists and scalars."""
    lines: dict[str, int]
    """Dotted key path (e.g. `environments.dev.region`, `projects.0.number`) -> 1-based line."""


def read_text(path: Path, *, max_bytes: int = MAX_BYTES, keep_bom: bool = False) -> str:
    """Read a user file as UTF-8 text, refusing binaries and oversized files with a clear message.

    The size is checked before the file is read. `keep_bom=True` keeps a byte-order mark in the
    text, for callers that write the file back byte for byte.
    """
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlError(where, f"file is {size:,} bytes; configuration files are well under {max_bytes:,}",
                            "check that this is the right file")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError(where, "cannot read the file: it does not exist", "check the path") from None
    except IsADirectoryError:
        raise YamlError(where, "cannot read the file: it is a folder", "name the file itself") from None
    except OSError as exc:
        raise YamlError(where, f"cannot read the file ({exc.strerror or exc})",
                        "check the path and that you may read it") from None
    if len(raw) > max_bytes:  # the file grew between stat and read
        raise YamlError(where, f"file is over {max_bytes:,} bytes", "check that this is the right file")
    if b"\x00" in raw:
        raise YamlError(where, "is a binary file (a NUL byte), not text", "name a YAML or .env text file",
                        _line_at(raw, raw.index(b"\x00")))
    try:
        return raw.decode("utf-8" if keep_bom else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(where, f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8",
                        _line_at(raw, exc.start)) from None


def _line_at(raw: bytes, index: int) -> int:
    """1-based line of byte `index`."""
    return raw[:index].count(b"\n") + 1


def syntax_error(path: str, exc: Exception, text: str) -> YamlError:
    """A ruamel error as a YamlError at the line it names (or, for a bad character, where it is)."""
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    if isinstance(exc, ReaderError) and isinstance(exc.character, int):
        return YamlError(
            path, f"holds the character U+{exc.character:04X}, which YAML does not allow in a file",
            "delete it, or write it as an escape inside double quotes (e.g. \"\\x07\")",
            text.count("\n", 0, exc.position) + 1,
        )
    problem = str(exc).splitlines()[0] if str(exc) else "is not valid YAML"
    mark = None
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or problem
    line = mark.line + 1 if mark is not None else None
    return YamlError(path, f"is not valid YAML: {problem}",
                     "fix the YAML syntax on that line (indentation, quotes, a ':' after each key)", line)


def prescan(text: str, path: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse what the parser cannot take well, in linear passes before it runs: bracket nesting
    deeper than `max_depth`, and a `%YAML` version other than 1.1 or 1.2.

    Brackets inside quoted scalars and comments do not count. A quote inside plain text (`it's`)
    can hide brackets from this scan; `compose` then still stops at the same depth, only later.
    """
    for match in _YAML_DIRECTIVE.finditer(text):
        if match.group(1) not in ("1.1", "1.2"):
            raise YamlError(path, f"declares YAML version {match.group(1)[:20]!r}; only 1.1 and 1.2 exist",
                            "remove the %YAML line", text.count("\n", 0, match.start()) + 1)
    depth = 0
    for match in _PRESCAN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                raise _too_deep(path, max_depth, text.count("\n", 0, match.start()) + 1)
        elif token in "]}":
            depth = max(depth - 1, 0)


def _too_deep(path: str, max_depth: int, line: int | None) -> YamlError:
    return YamlError(path, f"nests deeper than {max_depth} levels; configuration files nest a few levels at most",
                     "check that this is the right file", line)


def compose(text: str, path: str, *, max_events: int = MAX_EVENTS, max_depth: int = MAX_DEPTH) -> Node | None:
    """The node tree of a one-document YAML text (None when empty), every limit enforced.

    Nodes are ruamel's (ScalarNode, SequenceNode, MappingNode) with their tags resolved and their
    marks (line, column, index) set, as ruamel's own composer makes them.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    prescan(text, path, max_depth=max_depth)
    yaml = YAML(typ="safe", pure=True)
    try:
        return _build(_checked_events(yaml.parse(text), path, max_events, max_depth), yaml.resolver)
    except YAMLError as exc:
        raise syntax_error(path, exc, text) from None


def _checked_events(events: Iterator[Any], path: str, max_events: int, max_depth: int) -> Iterator[Any]:
    """The parse events, stopping at the first anchor, alias, second document or exceeded limit."""
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, DocumentStartEvent

    documents = depth = 0
    for count, event in enumerate(events, start=1):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(
                path, "uses YAML anchors or aliases (&name, *name); anchors and aliases are not allowed "
                "in configuration files",
                "write every value out in full", line,
            )
        if isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlError(path, "holds more than one YAML document",
                                "keep only one document (remove the `---` line)", line)
        elif isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise _too_deep(path, max_depth, line)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if count > max_events:
            raise YamlError(path, f"the document has more than {max_events:,} YAML nodes",
                            "check that this is the right file", line)
        yield event


def _build(events: Iterator[Any], resolver: Any) -> Node | None:
    """ruamel's composer as a loop: the same nodes, without one Python frame per level."""
    from ruamel.yaml.events import CollectionEndEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    root: Node | None = None
    open_nodes: list[Any] = []
    pending_keys: list[Any] = []  # per open mapping: the key whose value comes next, else None

    def attach(node: Node) -> None:
        nonlocal root
        if not open_nodes:
            root = node
        elif isinstance(open_nodes[-1], SequenceNode):
            open_nodes[-1].value.append(node)
        elif pending_keys[-1] is None:
            pending_keys[-1] = node
        else:
            open_nodes[-1].value.append((pending_keys[-1], node))
            pending_keys[-1] = None

    def tag_of(event: Any, kind: type, value: str | None) -> Any:
        tag = event.ctag
        return resolver.resolve(kind, value, event.implicit) if tag is None or str(tag) == "!" else tag

    for event in events:
        if isinstance(event, ScalarEvent):
            attach(ScalarNode(tag_of(event, ScalarNode, event.value), event.value, event.start_mark,
                              event.end_mark, style=event.style))
        elif isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
            node = kind(tag_of(event, kind, None), [], event.start_mark, None, flow_style=event.flow_style)
            attach(node)
            open_nodes.append(node)
            pending_keys.append(None)
        elif isinstance(event, CollectionEndEvent):
            open_nodes.pop().end_mark = event.end_mark
            pending_keys.pop()
    return root


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _tag_name(tag: str) -> str:
    """`tag:yaml.org,2002:binary` as the user wrote it, `!!binary`."""
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _scalar(node: Node, path: str) -> Any:
    """A scalar node as text, a whole number, a decimal, true/false or None; any other tag is refused."""
    tag, text = str(node.tag), str(node.value)
    if tag in _TEXT_TAGS:
        return text
    if tag == _NULL:
        if text.strip() in ("", "~", "null", "Null", "NULL"):
            return None
    elif tag == _BOOL:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
    elif tag in (_INT, _FLOAT):
        return _number(node, path)
    else:
        raise YamlError(path, f"uses the tag {_tag_name(tag)}, which configuration files do not use",
                        "remove the tag and write the value as plain text", _line(node))
    raise YamlError(path, f"{text[:40]!r} is not a valid {_tag_name(tag)} value",
                    "remove the tag, or write a value of that kind", _line(node))


def _number(node: Node, path: str) -> int | float:
    """A whole number or decimal as YAML writes them (1_000, 0x1F, 0o17, 0b101, -1.5e3, .inf)."""
    text = str(node.value).replace("_", "")
    kind = "a whole number" if str(node.tag) == _INT else "a decimal"
    if len(text) > MAX_NUMBER_CHARS:
        raise YamlError(path, f"a number {len(text):,} characters long is longer than any setting takes",
                        "write a shorter number; if this is text, put it in quotes", _line(node))
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in ("+", "-") else text
    try:
        if str(node.tag) == _FLOAT:
            special = {".inf": float("inf"), ".nan": float("nan")}.get(body.lower())
            return sign * (special if special is not None else float(body))
        base = {"0b": 2, "0o": 8, "0x": 16}.get(body[:2].lower(), 10)
        return sign * int(body[2:] if base != 10 else body, base)
    except ValueError:
        raise YamlError(path, f"{str(node.value)[:40]!r} is not {kind}",
                        "write it in digits, or remove the tag if it is text", _line(node)) from None


def _plain(node: Node, prefix: str, lines: dict[str, int], path: str) -> Any:
    """A node tree as plain dicts, lists and scalars, recording each key's line.

    Recursion is safe here: `compose` has already refused anything deeper than MAX_DEPTH.
    """
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        tag = str(node.tag)
        if tag not in (f"{_CORE}map", "!"):
            raise YamlError(path, f"uses the tag {_tag_name(tag)}, which configuration files do not use",
                            "remove the tag", _line(node))
        out: dict[str, Any] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                raise YamlError(path, "uses a list or mapping as a key; keys are names",
                                "write the key as plain text", _line(key))
            name = str(key.value)
            dotted = f"{prefix}.{name}" if prefix else name
            if name in out:
                raise YamlError(path, f"the key {name[:60]!r} is given twice (first on line {lines[dotted]})",
                                "keep one of them", _line(key))
            lines[dotted] = _line(key)
            out[name] = _plain(value, dotted, lines, path)
        return out
    if isinstance(node, SequenceNode):
        tag = str(node.tag)
        if tag not in (f"{_CORE}seq", "!"):
            raise YamlError(path, f"uses the tag {_tag_name(tag)}, which configuration files do not use",
                            "remove the tag", _line(node))
        items = []
        for index, value in enumerate(node.value):
            dotted = f"{prefix}.{index}" if prefix else str(index)
            lines[dotted] = _line(value)
            items.append(_plain(value, dotted, lines, path))
        return items
    return _scalar(node, path)


def load_yaml_text(text: str, path: str = "<text>") -> LoadedYaml:
    """Parse one YAML document safely into plain data with key line numbers."""
    root = compose(text, path)
    lines: dict[str, int] = {}
    return LoadedYaml(None if root is None else _plain(root, "", lines, path), lines)


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read and parse a YAML file (see `read_text` and `load_yaml_text`)."""
    return load_yaml_text(read_text(path), str(path))
