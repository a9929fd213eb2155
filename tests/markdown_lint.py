"""A small Markdown linter for the basic rules (markdownlint's MD001, MD009, MD012, MD022, MD025,
MD031, MD032, MD041, MD047, MD055/MD056 and MD058), for tests of generated Markdown.

pymarkdownlnt is not a dependency of the project; these are the rules a generated document can
break, checked line by line with fenced code blocks skipped.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"^(#{1,6}) \S")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)]) ")
FENCE = re.compile(r"^(`{3,}|~{3,})")


def _cells(row: str) -> int:
    """Cells of a table row, `\\|` not counting as a separator."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return len(re.split(r"(?<!\\)\|", inner))


def lint(text: str) -> list[str]:
    """Every rule broken, as `line N: MDxxx what`; empty when the text passes."""
    problems: list[str] = []
    lines = text.split("\n")
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append("end: MD047 the file must end with exactly one newline")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    fence: str | None = None
    h1 = 0
    last_level = 0
    table_cells: int | None = None
    kinds: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line != line.rstrip():
            problems.append(f"line {number}: MD009 trailing spaces")
        match = FENCE.match(line)
        if fence is not None:
            kinds.append("code")
            if match and line.startswith(fence):
                fence = None
                kinds[-1] = "fence-end"
            continue
        if match:
            fence = match.group(1)
            kinds.append("fence-start")
            continue
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                h1 += 1
            if last_level and level > last_level + 1:
                problems.append(f"line {number}: MD001 heading jumps from h{last_level} to h{level}")
            if number == 1 and level != 1:
                problems.append("line 1: MD041 the first line must be a top-level heading")
            last_level = level
            kinds.append("heading")
        elif not line.strip():
            kinds.append("blank")
        elif line.lstrip().startswith("|"):
            cells = _cells(line)
            if kinds and kinds[-1] == "table":
                if table_cells is not None and cells != table_cells:
                    problems.append(f"line {number}: MD056 {cells} cells, the header has {table_cells}")
            else:
                table_cells = cells
            kinds.append("table")
        elif LIST_ITEM.match(line):
            kinds.append("list")
        else:
            kinds.append("text")
    if fence is not None:
        problems.append("end: the last code fence is not closed")
    if h1 != 1:
        problems.append(f"MD025 there must be exactly one h1 (found {h1})")
    if lines and not HEADING.match(lines[0]):
        problems.append("line 1: MD041 the first line must be a top-level heading")
    for index, kind in enumerate(kinds):
        before = kinds[index - 1] if index else "blank"
        after = kinds[index + 1] if index + 1 < len(kinds) else "blank"
        number = index + 1
        if kind == "blank" and before == "blank" and index:
            problems.append(f"line {number}: MD012 more than one blank line")
        rule = {"heading": "MD022", "fence-start": "MD031", "list": "MD032", "table": "MD058"}.get(kind)
        if rule and before not in ("blank", kind) and index:
            problems.append(f"line {number}: {rule} needs a blank line before it")
        end_rule = {"heading": "MD022", "fence-end": "MD031", "list": "MD032", "table": "MD058"}.get(kind)
        if end_rule and after not in ("blank", kind):
            problems.append(f"line {number}: {end_rule} needs a blank line after it")
    return problems
