"""Reading user YAML safely, with line numbers for error messages.

Presets and variables.yaml come from users and from other people's repositories, so a file may
be huge, binary, or a "billion laughs" alias bomb. Neither the AI Factory's files nor ours ever
need anchors or aliases, so any document that uses them is refused before it is built. Values
keep the line they came from so that a pydantic error can point at `file:line`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 2 * 1024 * 1024
"""Largest YAML file accepted; the AI Factory's variables.yaml is about 60 KB."""
MAX_EVENTS = 200_000
"""Largest number of parse events accepted; guards against deeply nested or enormous documents."""


class YamlError(Exception):
    """A YAML file that cannot be read; the message names the file, the line and the fix."""

    def __init__(self, path: str, message: str, hint: str = "", line: int | None = None) -> None:
        self.path = path
        self.message = message
        self.hint = hint
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}" + (f" — {hint}" if hint else ""))


@dataclass(frozen=True, slots=True)
class LoadedYaml:
    """A parsed document and where each key stood."""

    data: Any
    """The document as plain Python dicts, lists and scalars."""
    lines: dict[str, int]
    """Dotted key path (e.g. `environments.dev.region`, `projects.0.number`) -> 1-based line."""


def read_text(path: Path) -> str:
    """Read a user file as UTF-8 text, refusing binaries and oversized files with a clear message."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YamlError(str(path), "file not found", "check the path") from None
    except IsADirectoryError:
        raise YamlError(str(path), "is a folder, not a file", "name a .yaml file") from None
    except OSError as exc:
        raise YamlError(str(path), f"cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(
            str(path), f"is {len(raw) // 1024} KB; configuration files are far smaller",
            "check that this is the right file",
        )
    if b"\x00" in raw:
        raise YamlError(str(path), "is a binary file, not text", "name a YAML or .env text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(str(path), f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8") from None


def _guard(text: str, path: str) -> None:
    """Refuse anchors, aliases and runaway documents before anything is constructed."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent

    count = 0
    try:
        for event in YAML(typ="rt").parse(text):
            count += 1
            anchor = getattr(event, "anchor", None)
            if isinstance(event, AliasEvent) or anchor:
                line = event.start_mark.line + 1 if event.start_mark else None
                raise YamlError(
                    path, "uses YAML anchors or aliases, which configuration files never need",
                    "write the values out in full", line,
                )
            if count > MAX_EVENTS:
                raise YamlError(path, "is far too large or deeply nested", "check the file")
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        problem = exc.problem or "is not valid YAML"
        raise YamlError(path, f"is not valid YAML: {problem}", "check indentation and quoting", line) from None


def _plain(node: Any, prefix: str, lines: dict[str, int]) -> Any:
    """Convert ruamel's commented containers to plain ones, recording each key's line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            try:
                lines[path] = node.lc.key(key)[0] + 1
            except (KeyError, TypeError):
                pass
            out[str(key)] = _plain(value, path, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            path = f"{prefix}.{index}" if prefix else str(index)
            try:
                lines[path] = node.lc.item(index)[0] + 1
            except (KeyError, TypeError):
                pass
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

    _guard(text, path)
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        message = exc.problem or str(exc).splitlines()[0]
        if "duplicate key" in str(exc):
            message = f"a key is given twice ({message})"
        raise YamlError(path, message, "keep one of them", line) from None
    except YAMLError as exc:
        raise YamlError(path, f"is not valid YAML: {exc}") from None
    lines: dict[str, int] = {}
    return LoadedYaml(_plain(document, "", lines), lines)


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read and parse a YAML file (see `read_text` and `load_yaml_text`)."""
    return load_yaml_text(read_text(path), str(path))
