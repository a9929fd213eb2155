"""Finding: the one shape of every problem, whoever found it.

Offline rules, live checks and deployment errors all report Findings, so the CLI, the JSON
output and the TUI show them the same way. `field` is a dotted path into FactoryConfig
(e.g. `environments.dev.address_space`) so the UI can jump to the input that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Literal

Severity = Literal["error", "warning", "info"]

SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}


class ExitCode(IntEnum):
    """Exit codes of every headless command; part of the public interface."""

    OK = 0
    """Done; no finding of error severity (or of warning severity under --strict)."""
    FINDINGS = 1
    """Validation found errors (or warnings under --strict)."""
    BAD_INPUT = 2
    """The input could not be read or the command was used wrongly."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or remark about a configuration."""

    severity: Severity
    """error blocks a deployment, warning deserves a look, info is for the record."""
    code: str
    """Stable identifier, e.g. `AIF-NET-OVERLAP`; scripts and docs may rely on it."""
    message: str
    """What is wrong, in one sentence naming the thing."""
    hint: str = ""
    """What to do about it: the value to use, the command to run, the link to follow."""
    field: str = ""
    """Dotted path into FactoryConfig of the value that causes it; empty when none does."""
    environment: str = ""
    """dev, stage or prod when the finding belongs to one environment."""
    check: str = ""
    """The check (grid column) that produced it, e.g. `network` or `quota`."""

    def to_json(self) -> dict[str, str]:
        """The JSON shape documented for `aifactory validate --json`."""
        data = asdict(self)
        return {key: data[key] for key in ("severity", "code", "message", "hint", "field", "environment", "check")}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; stable within a severity."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def has_blocking(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """True when a finding should make the command fail."""
    blocking = {"error", "warning"} if strict else {"error"}
    return any(f.severity in blocking for f in findings)
