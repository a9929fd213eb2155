"""Progress events: what a long-running job tells the front ends while it runs.

One module for every stream (the preflight now, deployment next), in the manner of harlequin's
headless generator that both its app and its CLI consume: the TUI turns events into grid cells
and marks, the CLI into a spinner line and a table, `--json` into one object per line, and a
journal can write them down. Events are frozen dataclasses with a `kind` tag, so a consumer can
dispatch on type with `match` or on `kind` when it only has JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.findings import Finding

CellStatus = Literal["pass", "warn", "fail", "n/a"]
"""A grid cell: passed, passed with warnings, failed, or does not apply to this configuration."""


def status_of(findings: list[Finding] | tuple[Finding, ...]) -> CellStatus:
    """fail when any finding is an error, warn when any is a warning, else pass."""
    severities = {f.severity for f in findings}
    if "error" in severities:
        return "fail"
    if "warning" in severities:
        return "warn"
    return "pass"


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every progress event."""

    @property
    def kind(self) -> str:
        """A stable tag for the event's type, e.g. `check_finished` (used in JSON output)."""
        name = type(self).__name__
        return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")

    def to_json(self) -> dict[str, Any]:
        """The event as one JSON object (findings in their documented shape)."""
        data: dict[str, Any] = {"event": self.kind}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, tuple) and value and isinstance(value[0], Finding):
                value = [f.to_json() for f in value]
            data[name] = value
        return data


@dataclass(frozen=True, slots=True)
class RulesFinished(Event):
    """The offline rules ran (they take milliseconds and need no Azure)."""

    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class CheckStarted(Event):
    """A live check began for one environment."""

    check: str
    environment: str


@dataclass(frozen=True, slots=True)
class CheckFinished(Event):
    """A live check ended for one environment: its cell's status and what it found.

    A passing cell is reported too (with no findings), so a grid turns green cell by cell.
    `n/a` cells (a check that does not apply to this configuration) are reported once, at the
    start, so the grid knows its whole shape before anything is read.
    """

    check: str
    environment: str
    status: CellStatus
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadsProgress(Event):
    """How many ARM reads the run has made so far (distinct reads, cache hits, HTTP requests)."""

    distinct_reads: int
    cache_hits: int
    http_requests: int


@dataclass(frozen=True, slots=True)
class PreflightFinished(Event):
    """The end of a preflight stream; `cancelled` when it stopped early on request."""

    cancelled: bool = False
    elapsed: float = 0.0
    unregistered: dict[str, list[str]] = field(default_factory=dict)
    """Subscription -> provider namespaces found not registered (what `register_providers` takes)."""
