"""bench/RESULTS.md, kept by section: a run replaces the sections it measured and keeps the others.

`make bench` and `make fuzz` measure different things at different times; neither may erase
what the other recorded.
"""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
"""The committed record of every benchmark's last run."""


def header() -> str:
    """The first line: when, and on what machine."""
    return (f"# Benchmark results ({date.today()}, Python {platform.python_version()}, "
            f"{platform.machine()}, {os.cpu_count()} cores)")


def _sections(text: str) -> dict[str, list[str]]:
    """`## ` heading line -> its lines (heading included, trailing blank lines dropped)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(_title(line), [])
        if current is not None:
            current.append(line)
    for lines in sections.values():
        while lines and not lines[-1].strip():
            lines.pop()
    return sections


def _title(heading: str) -> str:
    """A section's identity: its heading up to the first parenthesis (which holds run details)."""
    return heading.split("(")[0].strip()


def record(new_sections: list[list[str]], path: Path = RESULTS) -> None:
    """Write `new_sections` (each starting with its `## ` heading) into the file, keeping the rest."""
    sections = _sections(path.read_text(encoding="utf-8")) if path.exists() else {}
    for lines in new_sections:
        sections[_title(lines[0])] = lines
    body = "\n\n".join("\n".join(lines) for lines in sections.values())
    path.write_text(f"{header()}\n\n{body}\n", encoding="utf-8")
