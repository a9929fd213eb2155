"""Reading user YAML safely, with line numbers for error messages.

Presets and variables.yaml come from users and from other people's repositories, so a file may
be huge, binary, or a "billion laughs" alias bomb. Neither the AI Factory's files nor ours ever
need anchors or aliases, so any document that uses them is refused before it is built. Values
keep the line they came from so that a pydantic error can point at `file:line`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.errors import UserError

MAX_BYTES = 2 * 1024 * 1024
"""Largest YAML file accepted; the AI Factory's variables.yaml is about 60 KB."""
MAX_EVENTS = 200_000
"""Largest number of parse events accepted; guards against deeply nested or enormous documents."""


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


def syntax_error(path: str, exc: Exception) -> YamlError:
    """A ruamel parse error as a YamlError at the line it names."""
    from ruamel.yaml.error import MarkedYAMLError

    problem = str(exc).splitlines()[0] if str(exc) else "is not valid YAML"
    mark = None
    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or problem
    line = mark.line + 1 if mark is not None else None
    return YamlError(path, f"is not valid YAML: {problem}",
                     "fix the YAML syntax on that line (indentation, quotes, a ':' after each key)", line)


def guard(text: str, path: str, *, max_events: int = MAX_EVENTS) -> None:
    """Refuse anchors, aliases, several documents and runaway documents before anything is built."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent, DocumentStartEvent

    documents = 0
    try:
        for count, event in enumerate(YAML(typ="rt").parse(text), start=1):
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
            if count > max_events:
                raise YamlError(path, f"the document has more than {max_events:,} YAML nodes",
                                "check that this is the right file", line)
    except YAMLError as exc:
        raise syntax_error(path, exc) from None


def _plain(node: Any, prefix: str, lines: dict[str, int]) -> Any:
    """Convert ruamel's commented containers to plain ones, recording each key's line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            with contextlib.suppress(KeyError, TypeError):
                lines[path] = node.lc.key(key)[0] + 1
            out[str(key)] = _plain(value, path, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            path = f"{prefix}.{index}" if prefix else str(index)
            with contextlib.suppress(KeyError, TypeError):
                lines[path] = node.lc.item(index)[0] + 1
            items.append(_plain(value, path, lines))
        return items
    if isinstance(node, Mapping):
        return {str(k): _plain(v, f"{prefix}.{k}", lines) for k, v in node.items()}
    if hasattr(node, "value") and type(node).__module__.startswith("ruamel"):
        return node.value
    if type(node).__module__.startswith("ruamel"):
        if isinstance(node, bool):
            return bool(node)
        if isinstance(node, int):
            return int(node)
        if isinstance(node, float):
            return float(node)
        if isinstance(node, str):
            return str(node)
    return node


def load_yaml_text(text: str, path: str = "<text>") -> LoadedYaml:
    """Parse one YAML document safely into plain data with key line numbers."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    guard(text, path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        message = exc.problem or str(exc).splitlines()[0]
        if "duplicate key" in str(exc):  # ruamel quotes both values: never echo them (one may be a secret)
            message = f"a key is given twice ({message.split(' with value ', 1)[0]})"
        raise YamlError(path, message, "keep one of them", line) from None
    except YAMLError as exc:
        raise YamlError(path, f"is not valid YAML: {exc}") from None
    lines: dict[str, int] = {}
    return LoadedYaml(_plain(document, "", lines), lines)


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read and parse a YAML file (see `read_text` and `load_yaml_text`)."""
    return load_yaml_text(read_text(path), str(path))
