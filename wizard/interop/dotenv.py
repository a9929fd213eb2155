"""The AI Factory's GitHub `.env`: a bash-sourced file, read and rewritten line by line.

The upload script `source`s the file, so it must stay valid bash and mean to bash what it means
to us. Each line is kept whole (its text, where the value sits in it, its quoting, its comment
and its line end); rendering replaces only the characters of a value that changed. Everything
else, including the template's repeated keys, survives byte for byte.

What is refused, with the line and a fix:
* an unterminated quote (bash would swallow the following lines into the value);
* a line that is not `KEY=value`, a comment or blank (bash would run it as a command);
* anything bash expands outside single quotes: `$(…)`, backticks, `$NAME`, `${…}`, `$[…]` and
  the special parameters `$$ $? $# $! $- $@ $*` and `$0`–`$9` (the AI Factory would upload the
  PID or an exit status instead of the text). The message names the key and the line to write
  instead; inside single quotes all of this is literal text and accepted, as in TAGS. A `$`
  that bash leaves alone (`"cost$"`, `"a$ b"`) is read as the `$` it is;
* unquoted characters bash treats specially (`;`, `|`, `<`, quotes, …);
* one key given two different values (identical repeats are fine and all kept); the message
  quotes both values unless they are secrets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from wizard.interop.errors import InteropError
from wizard.interop.tagdoc import VarDoc, parse_tag_comment
from wizard.secrets import shown

_ASSIGN = re.compile(r"(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_]*)=")
_UNQUOTED_BAD = frozenset("\"'`$\\;&|<>()~")
_UNQUOTED_SAFE = re.compile(r"[A-Za-z0-9_./:@%+,=-]*")
"""Values we write without quotes only when the line had none; all else gets double quotes."""
_DOUBLE_ESCAPES = frozenset('"\\$`')


@dataclass(frozen=True)
class EnvLine:
    """One line of the file; `key` is None for blank and comment lines."""

    number: int
    text: str
    """The line without its line end."""
    eol: str
    """"\\n", "\\r\\n", or "" for a last line without one."""
    key: str | None = None
    value: str = ""
    """The value as bash sees it (quotes removed, escapes resolved)."""
    quote: str = ""
    """'"', "'" or "" (unquoted)."""
    start: int = 0
    """Index in `text` where the value begins (at its opening quote)."""
    end: int = 0
    """Index in `text` just after the value (after its closing quote)."""
    comment: str | None = None
    """The comment after the value, without the '#'."""


class _LineError(Exception):
    """A problem on the line being parsed; EnvDocument adds the path and line number."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


_SPECIAL = {
    "$": "its own process id", "?": "the last command's exit status", "#": "the number of arguments",
    "!": "the last background process id", "-": "its option flags", "@": "the arguments", "*": "the arguments",
}
"""Bash's special parameters ($$, $?, …) and what bash puts in their place."""


def _expansion(text: str, i: int) -> str | None:
    """What bash does with the backtick or `$` at text[i] inside double quotes, or None if it is literal."""
    if text[i] == "`":
        return "a backtick (command substitution), which bash runs as a command"
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if nxt == "(":
        return "$( … ) (command substitution), which bash runs as a command"
    if nxt == "[":
        return "$[ … ] (arithmetic expansion), which bash evaluates"
    if nxt == "{" or nxt == "_" or (nxt.isascii() and nxt.isalpha()):
        return f"${nxt}… (a variable expansion), which bash replaces with a variable's value"
    if nxt.isascii() and nxt.isdigit():
        return f"${nxt} (a special parameter), which bash replaces with a script argument"
    if nxt in _SPECIAL:
        return f"${nxt} (a special parameter), which bash replaces with {_SPECIAL[nxt]}"
    return None


def _read_double_quoted(text: str, start: int) -> tuple[str, int, str | None]:
    """Decode "…" from text[start] (the quote) as bash does: the value as written (escapes
    resolved), the end index, and the first expansion bash would make in it, if any."""
    out: list[str] = []
    expansion: str | None = None
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1, expansion
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _DOUBLE_ESCAPES:
            out.append(text[i + 1])
            i += 2
            continue
        if ch in "$`" and expansion is None:
            expansion = _expansion(text, i)
        out.append(ch)
        i += 1
    raise _LineError(
        "the double quote that opens the value is never closed",
        'close it on the same line: KEY="value" (a value cannot span lines)',
    )


def _expanded(key: str, literal: str, what: str) -> _LineError:
    """The error for a value bash would not keep as written, with the line that keeps it."""
    return _LineError(
        f"{key}: the value holds {what} when the AI Factory sources the file, so it would not upload "
        "what is written",
        f"to keep the text as written, write {key}={quote_value(literal, chr(39))}",
    )


def _read_value(key: str, text: str, start: int) -> tuple[str, str, int]:
    """The value of `key` that starts at text[start]: (value, quote, end index)."""
    if text.startswith('"', start):
        value, end, expansion = _read_double_quoted(text, start)
        if expansion is not None:
            raise _expanded(key, value, expansion)
        return value, '"', end
    if text.startswith("'", start):
        end = text.find("'", start + 1)
        if end < 0:
            raise _LineError(
                "the single quote that opens the value is never closed",
                "close it on the same line: KEY='value' (a value cannot span lines)",
            )
        return text[start + 1 : end], "'", end + 1
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    value = text[start:end]
    bad = sorted(set(value) & _UNQUOTED_BAD)
    if bad:
        if "$" in bad or "`" in bad:
            raise _expanded(key, value, "$ or a backtick outside quotes, which bash expands")
        raise _LineError(
            f"the unquoted value holds {' '.join(bad)}, which bash treats specially",
            'quote the whole value: KEY="value"',
        )
    return value, "", end


def _parse_line(number: int, text: str, eol: str) -> EnvLine:
    """Parse one line; raises _LineError when it is not blank, a comment or KEY=value."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return EnvLine(number=number, text=text, eol=eol)
    match = _ASSIGN.match(text)
    if not match:
        raise _LineError(
            "this line is not KEY=value, a comment or blank",
            'write it as KEY="value", or start it with # to make it a comment',
        )
    value, quote, end = _read_value(match.group(2), text, match.end())
    rest = text[end:]
    comment: str | None = None
    if rest.strip():
        if not rest[0].isspace() or not rest.lstrip().startswith("#"):
            raise _LineError(
                f"unexpected text after the value: {rest.strip()[:40]!r}",
                'quote the whole value, and put a space and # before a comment: KEY="value" # note',
            )
        comment = rest.lstrip()[1:]
    return EnvLine(number=number, text=text, eol=eol, key=match.group(2), value=value,
                   quote=quote, start=match.end(), end=end, comment=comment)


def quote_value(value: str, quote: str) -> str:
    """The value written as bash will read it back, in the line's quoting style if it can be."""
    if any(ch in value for ch in "\n\r\0"):
        raise ValueError("a .env value cannot hold a line break or NUL character")
    if quote == "'" and "'" not in value:
        return f"'{value}'"
    if quote == "" and _UNQUOTED_SAFE.fullmatch(value):
        return value
    escaped = "".join("\\" + ch if ch in _DOUBLE_ESCAPES else ch for ch in value)
    return f'"{escaped}"'


@dataclass
class EnvDocument:
    """A parsed .env: every line in order, and the value of each key."""

    path: str
    lines: list[EnvLine]
    bom: str
    """A UTF-8 byte-order mark the file began with, written back as it was."""

    @classmethod
    def parse(cls, text: str, path: str) -> EnvDocument:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        lines: list[EnvLine] = []
        seen: dict[str, EnvLine] = {}
        raw_lines = body.split("\n")
        for index, raw in enumerate(raw_lines):
            last = index == len(raw_lines) - 1
            if last and raw == "":
                break
            eol = "" if last else "\n"
            if raw.endswith("\r"):
                raw, eol = raw[:-1], "\r" + eol
            try:
                line = _parse_line(index + 1, raw, eol)
            except _LineError as exc:
                raise InteropError(path, index + 1, exc.message, exc.hint) from None
            if line.key is not None:
                first = seen.setdefault(line.key, line)
                if first.value != line.value:
                    raise InteropError(
                        path, line.number,
                        f"{line.key} is set again with a different value "
                        f"(line {first.number}: {shown(line.key, first.value)}, here: {shown(line.key, line.value)})",
                        f"keep one {line.key} line, or give both the same value",
                    )
            lines.append(line)
        if not seen:
            raise InteropError(path, 1, "no KEY=value lines found",
                               "this does not look like an AI Factory .env; check the file")
        return cls(path=path, lines=lines, bom=bom)

    def values(self) -> dict[str, str]:
        """Each key's value, in the order keys first appear."""
        values: dict[str, str] = {}
        for line in self.lines:
            if line.key is not None:
                values.setdefault(line.key, line.value)
        return values

    def line_numbers(self) -> dict[str, int]:
        """The line where each key first appears."""
        numbers: dict[str, int] = {}
        for line in self.lines:
            if line.key is not None:
                numbers.setdefault(line.key, line.number)
        return numbers

    def keys(self) -> list[str]:
        """The keys in the order they first appear."""
        return list(self.line_numbers())

    def docs(self) -> dict[str, VarDoc]:
        """The tagged comment of each key's first line that has one."""
        docs: dict[str, VarDoc] = {}
        for line in self.lines:
            if line.key is not None and line.comment is not None and line.key not in docs:
                docs[line.key] = parse_tag_comment(line.comment)
        return docs

    def render(self, values: Mapping[str, str], comments: Mapping[str, str], section: str) -> str:
        """This file with `values` written in: lines keep their place, quoting and comment;
        keys the file lacks go at the end under a `section` heading with their `comments`."""
        eol = "\r\n" if any(line.eol == "\r\n" for line in self.lines) else "\n"
        out = [self.bom]
        for line in self.lines:
            text = line.text
            if line.key is not None and line.key in values and values[line.key] != line.value:
                text = text[: line.start] + self._quote(line.key, values[line.key], line.quote) + text[line.end :]
            out.append(text + line.eol)
        present = set(self.keys())
        added = [key for key in values if key not in present]
        if added:
            if self.lines and not self.lines[-1].eol:
                out.append(eol)
            out.append(f"{eol}# --- {section} ---{eol}")
            for key in added:
                comment = f" # {comments[key]}" if comments.get(key) else ""
                value = self._quote(key, values[key], '"')
                out.append(f"{key}={value}{comment}{eol}")
        return "".join(out)

    def _quote(self, key: str, value: str, quote: str) -> str:
        try:
            return quote_value(value, quote)
        except ValueError as exc:
            raise InteropError(self.path, None, f"{key}: {exc}",
                               "remove the line break from the value in the wizard") from None
