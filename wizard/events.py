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
            data[name] = _plain(getattr(self, name))
        return data


def _plain(value: Any) -> Any:
    """A field's value as JSON: findings in their documented shape, nested records as objects."""
    if isinstance(value, Finding):
        return value.to_json()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    return value


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


# ---------------------------------------------------------------------------------------- deployment

StageStatus = Literal["pending", "running", "succeeded", "failed", "canceled", "blocked", "skipped"]
"""A stage's state in a run: `blocked` when a stage it depends on failed, `skipped` when an
earlier run already deployed exactly this (resume, or a second deploy of the same plan)."""

RunStatus = Literal["succeeded", "failed", "canceled", "interrupted"]
"""How a run ended: `interrupted` when it stopped with deployments left running for a resume."""


@dataclass(frozen=True, slots=True)
class StageInfo:
    """What a front end needs to draw one stage before anything runs (not an event itself)."""

    id: str
    environment: str
    project: str | None
    kind: str
    title: str
    deployment_name: str
    scope_id: str
    depends_on: tuple[str, ...] = ()
    resources: tuple[tuple[str, str], ...] = ()
    """(ARM type, name) of each resource the stage creates, in template order."""
    fingerprint: str = ""
    """A digest of what the stage submits (`Stage.fingerprint`): a resume skips stages whose
    fingerprint already succeeded."""


@dataclass(frozen=True, slots=True)
class RunStarted(Event):
    """A deployment run began (or resumed): the whole stage graph, so lanes are drawn at once."""

    run_id: str
    plan_fingerprint: str
    stages: tuple[StageInfo, ...]
    journal: str
    """Path of the run's journal on disk."""
    resumed: bool = False


@dataclass(frozen=True, slots=True)
class DeployRefused(Event):
    """Nothing was submitted: preflight errors (without --force), or a plan that cannot run."""

    reason: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class StageStarted(Event):
    """A stage's ARM deployment was submitted (or re-attached to, on resume)."""

    stage: str
    deployment_name: str
    portal_url: str
    attempt: int = 1
    reattached: bool = False
    operation_url: str = ""
    """The deployment's `Azure-AsyncOperation` URL (what a resume polls); empty when re-attached by name."""


@dataclass(frozen=True, slots=True)
class ResourceProgress(Event):
    """One resource of a running stage changed state (from the deployment's operations)."""

    stage: str
    resource_type: str
    resource_name: str
    state: str
    """ARM's provisioning state: Accepted, Running, Succeeded, Failed, Canceled."""
    elapsed: float = 0.0
    """Seconds since the resource's operation started (ARM's `duration`)."""
    resource_id: str = ""
    """The resource's ARM id (what `aifactory destroy` deletes)."""
    status_code: str = ""
    """ARM's `Created` for a new resource, `OK` for one that was there already (once it succeeded)."""

    def can_replace(self, other: Event) -> bool:
        """A newer state of the same resource supersedes this one (a front end may drop it)."""
        return (isinstance(other, ResourceProgress) and other.stage == self.stage
                and other.resource_type == self.resource_type and other.resource_name == self.resource_name)


@dataclass(frozen=True, slots=True)
class StageRetrying(Event):
    """A stage met a transient failure (or a throttle) and will be submitted again."""

    stage: str
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True, slots=True)
class ProviderRegistration(Event):
    """A resource provider the stage needs is being registered (with consent), then the stage resumes."""

    subscription_id: str
    namespace: str
    state: str
    """Registering, Registered, or Refused (no consent / no permission)."""


@dataclass(frozen=True, slots=True)
class StageFinished(Event):
    """A stage ended; `failure` says why it failed, with the fix, when it did."""

    stage: str
    status: StageStatus
    elapsed: float = 0.0
    failure: Finding | None = None
    error_class: str | None = None
    """transient, quota, registration, permission, policy, conflict, template, or other."""


@dataclass(frozen=True, slots=True)
class RunFinished(Event):
    """The end of a deployment stream."""

    status: RunStatus
    elapsed: float
    succeeded: int
    failed: int
    journal: str
