"""Codecs: how one AI Factory variable's text becomes a model value and back.

Both files hold every value as text ("true", "61", "a,b"). A codec turns that text into the
Python value a FactoryConfig field takes and writes it back in the AI Factory's spelling.
`decode` raises ValueError with a sentence starting "must ..." so the importer can say
"DEV_CIDR_RANGE must be a whole number". Codecs never validate ranges or patterns: the model
does that, so there is one place that knows what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """Free text, kept exactly (no stripping: a trailing space may matter to a name)."""

    def decode(self, text: str) -> object:
        return text

    def encode(self, value: object) -> str:
        return str(value)


@dataclass(frozen=True)
class OptionalText:
    """Text where the empty string (or `empty`, e.g. the salt's `<5>`) means "not set" (None)."""

    empty: str = ""

    def decode(self, text: str) -> object:
        return None if text in ("", self.empty) else text

    def encode(self, value: object) -> str:
        return self.empty if value is None else str(value)


@dataclass(frozen=True)
class Flag:
    """The strings "true"/"false"; `invert` for switches the model states the other way round."""

    invert: bool = False

    def decode(self, text: str) -> object:
        word = text.strip().lower()
        if word not in ("true", "false"):
            raise ValueError("must be true or false")
        return (word == "true") != self.invert

    def encode(self, value: object) -> str:
        return "true" if bool(value) != self.invert else "false"


@dataclass(frozen=True)
class Whole:
    """A whole number written in decimal digits."""

    def decode(self, text: str) -> object:
        digits = text.strip()
        if not re.fullmatch(r"[0-9]+", digits):
            raise ValueError("must be a whole number")
        return int(digits)

    def encode(self, value: object) -> str:
        return str(value)


@dataclass(frozen=True)
class Csv:
    """A comma-separated list without spaces; "" (or `empty`, e.g. "-") is the empty list."""

    empty: str = ""

    def decode(self, text: str) -> object:
        stripped = text.strip()
        if stripped in ("", "-", self.empty):
            return []
        return [part.strip() for part in stripped.split(",") if part.strip()]

    def encode(self, value: object) -> str:
        assert isinstance(value, list)
        return ",".join(str(item) for item in value) if value else self.empty


Codec = Text | OptionalText | Flag | Whole | Csv

TEXT = Text()
OPTIONAL = OptionalText()
TODO_WHEN_UNSET = OptionalText(empty="<todo>")
"""For values the AI Factory needs (ids, the seeding Key Vault): unset is written as `<todo>`,
the marker its own preflight stops on, rather than an empty string that would slip through."""
FLAG = Flag()
NOT_FLAG = Flag(invert=True)
WHOLE = Whole()
CSV = Csv()
