"""Where a value sits in the JSON text a client sent: ARM's "at line 'L' and column 'C'".

ARM reads a deployment request with Json.NET, which remembers each token's line and position; its
template errors quote them ("The template resource 'x' at line '1' and column '345' is not valid",
"Could not find member 'x' on object of type 'Template'. Path 'properties.template.x', line 1,
position 512."). Python's json module keeps no positions, so `JsonText` walks the text along a
path, skipping the values it does not enter with the json module's own scanner.
"""

from __future__ import annotations

import json
from json.decoder import scanstring
from typing import Any

Path = tuple[str | int, ...]
"""Keys and list indexes from the document's root to a value."""

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


class JsonText:
    """The raw text of one request body, answering where a path's value starts."""

    def __init__(self, text: str) -> None:
        self.text = text

    @classmethod
    def of(cls, body: bytes) -> JsonText:
        """The body as text (undecodable bytes never stop an error message from being written)."""
        return cls(body.decode("utf-8", errors="replace"))

    def offset(self, path: Path) -> int | None:
        """The index of the first character of the value at `path`, or None when it is not there."""
        try:
            return self._walk(path)
        except (ValueError, IndexError):
            return None

    def position(self, path: Path) -> tuple[int, int]:
        """(line, column), both from 1, of the value at `path`; (0, 0) when it cannot be found, as
        ARM reports a position it does not know."""
        index = self.offset(path)
        if index is None:
            return 0, 0
        line = self.text.count("\n", 0, index) + 1
        start = self.text.rfind("\n", 0, index) + 1
        return line, index - start + 1

    def after_key(self, path: Path) -> tuple[int, int]:
        """(line, position) just after the `"key":` of the last step of `path`, where Json.NET stands
        when it meets a member it cannot place ("Path 'x', line 1, position 12.")."""
        index = self.offset(path)
        if index is None:
            return 0, 0
        colon = self.text.rfind(":", 0, index)
        line = self.text.count("\n", 0, colon) + 1
        start = self.text.rfind("\n", 0, colon) + 1
        return line, colon - start + 1

    def _skip_space(self, index: int) -> int:
        while index < len(self.text) and self.text[index] in _SPACE:
            index += 1
        return index

    def _walk(self, path: Path) -> int:
        index = self._skip_space(0)
        for step in path:
            index = self._enter_list(index, step) if isinstance(step, int) else self._enter_object(index, step)
        return index

    def _enter_object(self, index: int, key: str) -> int:
        if self.text[index] != "{":
            raise ValueError("not an object")
        index = self._skip_space(index + 1)
        while self.text[index] != "}":
            name, index = scanstring(self.text, index + 1)
            index = self._skip_space(self._skip_space(index) + 1)  # past the colon
            if name == key:
                return index
            index = self._next(index, "}")
        raise ValueError(f"no member {key}")

    def _enter_list(self, index: int, wanted: int) -> int:
        if self.text[index] != "[":
            raise ValueError("not a list")
        index = self._skip_space(index + 1)
        position = 0
        while self.text[index] != "]":
            if position == wanted:
                return index
            index = self._next(index, "]")
            position += 1
        raise ValueError(f"no item {wanted}")

    def _next(self, index: int, closing: str) -> int:
        """Skip the value at `index` and the comma after it; the index of what follows."""
        _value, end = _DECODER.raw_decode(self.text, index)
        end = self._skip_space(end)
        if self.text[end] == ",":
            return self._skip_space(end + 1)
        if self.text[end] != closing:
            raise ValueError("malformed")
        return end


def path_text(path: Path) -> str:
    """A path as ARM writes it: `properties.template.resources[0].name`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out


def find_value(document: Any, path: Path) -> Any:
    """The value at `path` in a parsed document (KeyError/IndexError when absent)."""
    for step in path:
        document = document[step]
    return document
