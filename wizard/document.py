"""A document as plain data: sections of paragraphs, lists, tables, commands and drawings.

The handover report is built once as a `Document` and rendered twice, as HTML and as Markdown,
so both carry the same content. Everything here is text as the user wrote it or the wizard said
it: nothing is markup, and each renderer escapes all of it (user text is never injected).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from wizard.drawing import Drawing

Tone = Literal["plain", "ok", "note", "warning", "error", "muted"]
"""How a piece of text reads: the HTML renderer colours it; the text itself carries any mark."""


@dataclass(frozen=True, slots=True)
class Span:
    """Text with a tone (a grid mark, a severity, a total)."""

    text: str
    tone: Tone = "plain"
    mono: bool = False


CellValue = str | Span


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; a `note` or `warning` stands out as a callout."""

    text: str
    tone: Tone = "plain"


@dataclass(frozen=True, slots=True)
class Facts:
    """Name: value pairs (a definition list)."""

    pairs: tuple[tuple[str, CellValue], ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    """An unordered list."""

    items: tuple[CellValue, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows under headers; `align` per column: `l`eft, `r`ight or `c`entre."""

    headers: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    align: str = ""
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Commands:
    """Lines to run or paste, as they are (monospace, never wrapped into prose)."""

    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    """A drawing, the same picture as text (Markdown shows that), and a caption."""

    drawing: Drawing
    text: str
    caption: str


Block = Paragraph | Facts | Bullets | Table | Commands | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part of the document; its subsections are one heading level lower."""

    id: str
    """Anchor and test handle, e.g. `address-plan`."""
    title: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: its title, a line under it, and its sections."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]


def map_text(value: Any, change: Callable[[str], str]) -> Any:
    """`value` (a document or any part of it) with `change` applied to every string in it."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(map_text(item, change) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: map_text(getattr(value, f.name), change)
                                             for f in dataclasses.fields(value)})
    return value
