"""What a deployment run did, as a report tells it: stages, resources, durations, failures.

The deployment journal lives in `deploy/` (it folds the runner's events into a RunRecord); the
core may not import it, so the handover report takes this plain summary instead, and
`deploy/run_report.py` makes one from a journal. Every failure keeps how it ended: retried and
succeeded, resumed and succeeded, or still open with its fix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ResourceSummary:
    """One resource of a stage as the run last saw it."""

    type: str
    name: str
    state: str
    """ARM's provisioning state: Succeeded, Failed, Canceled, Running, Accepted."""
    elapsed: float
    """Seconds its operation took (or has taken so far)."""


@dataclass(frozen=True, slots=True)
class FailureNote:
    """One failure of a stage and how it was resolved."""

    attempt: int
    what: str
    """What went wrong (the error, with its code)."""
    resolution: str
    """How it ended: `retried: succeeded on attempt 2`, or `open: <the fix>`."""
    resolved: bool


@dataclass(frozen=True, slots=True)
class StageSummary:
    """One stage (an ARM deployment) of the run."""

    environment: str
    project: str | None
    title: str
    deployment_name: str
    status: str
    """succeeded, failed, canceled, blocked, skipped, running, pending."""
    attempts: int
    elapsed: float
    resources: tuple[ResourceSummary, ...] = ()
    failures: tuple[FailureNote, ...] = ()


@dataclass(frozen=True, slots=True)
class RunSummary:
    """A whole run."""

    run_id: str
    status: str
    """succeeded, failed, canceled, interrupted, or `unfinished` (killed, or still going)."""
    started: str
    """When it started, as a person reads it (`2026-12-02 15:04 UTC`)."""
    elapsed: float
    resumes: int
    stages: tuple[StageSummary, ...]
    registrations: tuple[str, ...] = ()
    """Resource providers registered during the run, one sentence each."""
    refused: str = ""
    """Why nothing was submitted, when the run was refused."""
    demo: bool = False
    """Deployed to the demo sandbox, not Azure."""
    earlier: tuple[str, ...] = ()
    """Earlier runs that deployed stages this one found already there (shown as they ran then)."""


def duration(seconds: float) -> str:
    """`0:42`, `12:03`, `1:02:03`."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"
