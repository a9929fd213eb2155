"""A `Document` as Markdown with the same content as the HTML page.

Written to pass a linter's basic rules: one H1, headings one level deeper at a time, a blank line
around every heading, list, table, code block and paragraph, no trailing spaces, the same number
of cells in every table row. Document text is escaped (`_t`), so nothing a user typed becomes
Markdown or HTML: `<b>` shows as `<b>`, a `|` never splits a table cell. Drawings are shown as
their text version in a fenced block.
"""

from __future__ import annotations

import re

from wizard import __version__
from wizard.document import (
    Block,
    Bullets,
    CellValue,
    Commands,
    Document,
    Facts,
    Figure,
    Paragraph,
    Section,
    Table,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_BULLET_START = re.compile(r"^([-+=])(?= |$)")
_NUMBER_START = re.compile(r"^(\d+)([.)])(?= |$)")
"""What at the start of a line would make a list item or a heading underline."""


def _t(text: str) -> str:
    """Document text as Markdown text: special characters escaped, one line."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(text.split()).replace("&", "&amp;"))
    return _NUMBER_START.sub(r"\1\\\2", _BULLET_START.sub(r"\\\1", flat))


def _code(text: str) -> str:
    """A code span around `text`, whatever backticks it holds."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _span(value: CellValue) -> str:
    if isinstance(value, str):
        return _t(value)
    if value.mono:
        return _code(value.text)
    return f"**{_t(value.text)}**" if value.tone == "plain" else _t(value.text)


def _cell(value: CellValue) -> str:
    """A table cell: a `|` must be escaped even inside a code span."""
    text = _span(value)
    if not isinstance(value, str) and value.mono:
        text = text.replace("|", "\\|")
    return text or " "


def _fence(lines: list[str], info: str) -> str:
    longest = max((len(run) for line in lines for run in re.findall(r"`{3,}", line)), default=2)
    fence = "`" * (longest + 1)
    return "\n".join([f"{fence}{info}", *(line.rstrip() for line in lines), fence])


def _table(block: Table) -> str:
    width = len(block.headers)
    align = block.align.ljust(width, "l")
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(_t(h) for h in block.headers) + " |",
             "| " + " | ".join(marks[a] for a in align) + " |"]
    for row in block.rows:
        cells = [_cell(c) for c in row] + [" "] * (width - len(row))
        lines.append("| " + " | ".join(cells[:width]) + " |")
    text = "\n".join(lines)
    return f"{text}\n\n{_t(block.caption)}" if block.caption else text


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"> {_t(block.text)}" if block.tone in ("note", "warning", "error") else _t(block.text)
    if isinstance(block, Facts):
        return "\n".join(f"- **{_t(k)}**: {_span(v)}" for k, v in block.pairs)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_span(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Commands):
        return _fence(list(block.lines), "sh")
    assert isinstance(block, Figure)
    return f"{_fence(block.text.splitlines(), 'text')}\n\n{_t(block.caption)}"


def _section(section: Section, level: int) -> list[str]:
    parts = [f"{'#' * level} {_t(section.title)}"]
    parts += [_block(b) for b in section.blocks]
    for sub in section.subsections:
        parts += _section(sub, level + 1)
    return parts


def render_markdown(document: Document) -> str:
    """The whole document: blocks separated by one blank line, ending in one newline."""
    parts = [f"# {_t(document.title)}", _t(document.subtitle)]
    for section in document.sections:
        parts += _section(section, 2)
    parts.append(f"Written by aifactory {_t(__version__)}. Figures are estimates and plans; Azure decides.")
    return "\n\n".join(p.rstrip() for p in parts) + "\n"
