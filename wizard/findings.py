"""Finding: the one shape of every problem, whoever found it.

Offline rules, live checks and deployment errors all report Findings, so the CLI, the JSON
output and the TUI show them the same way. `field` is a dotted path into FactoryConfig
(e.g. `environments.dev.address_space`) so the UI can jump to the input that caused it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import IntEnum
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class SetField:
    """Fix by setting a configuration field (the TUI's Apply button; `try_set` does it)."""

    field: str
    """Dotted path into FactoryConfig."""
    value: Any
    """The value to set, of the field's own type."""
    kind: Literal["set_field"] = "set_field"

    def describe(self) -> str:
        shown = ",".join(map(str, self.value)) if isinstance(self.value, list) else self.value
        return f"set {self.field} to {shown}"


@dataclass(frozen=True, slots=True)
class RunCommand:
    """Fix by running a command (the TUI offers to copy it)."""

    command: str
    kind: Literal["run_command"] = "run_command"

    def describe(self) -> str:
        return f"run: {self.command}"


@dataclass(frozen=True, slots=True)
class OpenLink:
    """Fix by following a link (a quota request form, a portal blade, a doc)."""

    url: str
    kind: Literal["open_link"] = "open_link"

    def describe(self) -> str:
        return f"open {self.url}"


@dataclass(frozen=True, slots=True)
class RegisterProvider:
    """Fix by registering a resource provider in a subscription (with the person's consent)."""

    subscription_id: str
    namespace: str
    kind: Literal["register_provider"] = "register_provider"

    def describe(self) -> str:
        return f"register {self.namespace} in subscription {self.subscription_id}"


Fix = SetField | RunCommand | OpenLink | RegisterProvider
"""A typed action that resolves a finding; each front end renders it its own way."""

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
    fix: Fix | None = None
    """The action that resolves it, when one is known; `hint` says the same in words."""

    def to_json(self) -> dict[str, Any]:
        """The JSON shape documented for `aifactory validate --json` (`fix` only when there is one)."""
        data: dict[str, Any] = {key: getattr(self, key)
                                for key in ("severity", "code", "message", "hint", "field", "environment", "check")}
        if self.fix is not None:
            data["fix"] = asdict(self.fix)
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; stable within a severity."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


def has_blocking(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """True when a finding should make the command fail."""
    blocking = {"error", "warning"} if strict else {"error"}
    return any(f.severity in blocking for f in findings)
