"""What a deployment run has done so far, and how long the rest should take.

A front end folds the runner's events (`wizard.events`) into a `RunProgress` and draws from it:
the dashboard's lanes and stage rows, a headless progress line, a benchmark. Nothing here draws
or waits, so folding an event costs a few dictionary updates, and a burst of hundreds of events
never holds up the screen that shows them.

The ETA is learnt from the run itself: every resource that succeeds teaches how long its ARM
type takes (in the clock the deployment runs on, so the demo's fast clock teaches demo times).
A stage is expected to take as long as its slowest unfinished resource (ARM writes a template's
independent resources at once), and the run as long as the longest chain of stages still to go
through the stage graph. Until a first resource has finished there is nothing to learn from, and
the ETA is unknown rather than invented.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median

from wizard.events import (
    DeployRefused,
    Event,
    ProviderRegistration,
    ResourceProgress,
    RunFinished,
    RunStarted,
    StageFinished,
    StageInfo,
    StageRetrying,
    StageStarted,
    StageStatus,
)
from wizard.findings import Finding

DONE_STATES = frozenset({"Succeeded", "Failed", "Canceled"})
"""ARM provisioning states after which a resource no longer changes in this attempt."""

OVERDUE_SHARE = 0.1
"""A resource running past its expected time is still expected to take this share of it again."""


@dataclass(slots=True)
class ResourceView:
    """One resource of a stage as last reported."""

    type: str
    name: str
    state: str = "Pending"
    """`Pending` until ARM reports it, then ARM's provisioning state."""
    elapsed: float = 0.0
    """ARM's duration of its operation at the last report."""
    reported_at: float | None = None
    """The progress clock's reading at the last report (a running resource's time goes on from it)."""

    @property
    def done(self) -> bool:
        """True once it succeeded, failed or was canceled."""
        return self.state in DONE_STATES

    def elapsed_at(self, now: float) -> float:
        """Its elapsed time at `now`: still counting while it runs."""
        if self.done or self.reported_at is None:
            return self.elapsed
        return self.elapsed + max(0.0, now - self.reported_at)


@dataclass(slots=True)
class StageView:
    """One stage: what the plan says it creates, and how its deployment goes."""

    info: StageInfo
    status: StageStatus = "pending"
    resources: dict[tuple[str, str], ResourceView] = field(default_factory=dict)
    """(type, name) -> resource, in template order, then in the order ARM reported extras."""
    portal_url: str = ""
    attempt: int = 0
    started_at: float | None = None
    elapsed: float = 0.0
    """Seconds it took, once finished (the runner's figure)."""
    failure: Finding | None = None
    error_class: str | None = None
    note: str = ""
    """The latest remark worth showing beside it (a retry after a throttle, a registration)."""
    succeeded: int = 0
    """How many of its resources succeeded (kept as they change: the lanes read it every frame)."""

    @property
    def id(self) -> str:
        """The stage id."""
        return self.info.id

    def counts(self) -> tuple[int, int]:
        """(resources succeeded, resources in all)."""
        return self.succeeded, len(self.resources)

    def recount(self) -> None:
        """Count the succeeded resources again (after a change to many at once)."""
        self.succeeded = sum(r.state == "Succeeded" for r in self.resources.values())

    def elapsed_at(self, now: float) -> float:
        """How long it has run, or took."""
        if self.status == "running" and self.started_at is not None:
            return max(0.0, now - self.started_at)
        return self.elapsed


@dataclass(slots=True)
class Durations:
    """Seconds each ARM type took in this run, learnt as resources succeed."""

    by_type: dict[str, list[float]] = field(default_factory=dict)
    _medians: dict[str, float | None] = field(default_factory=dict)
    """Answers of `expected` since the last `learn` (an ETA asks it for every resource)."""

    def learn(self, resource_type: str, seconds: float) -> None:
        """One more resource of `resource_type` took `seconds`."""
        self.by_type.setdefault(resource_type.lower(), []).append(seconds)
        self._medians.clear()

    def expected(self, resource_type: str) -> float | None:
        """The median seen for this type; else the median over every type; None before any."""
        kind = resource_type.lower()
        if kind not in self._medians:
            seen = self.by_type.get(kind) or [s for values in self.by_type.values() for s in values]
            self._medians[kind] = median(seen) if seen else None
        return self._medians[kind]


class RunProgress:
    """The state of one run, folded from its events (`apply`)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        """Where `now` comes from (a frozen clock in tests)."""
        self.run_id = ""
        self.journal = ""
        self.resumed = False
        self.stages: dict[str, StageView] = {}
        """Stage id -> stage, in the plan's order (each after what it depends on)."""
        self.environments: list[str] = []
        """Environments in the order of their first stage."""
        self.durations = Durations()
        self.started_at: float | None = None
        self.refused: DeployRefused | None = None
        self.finished: RunFinished | None = None
        self.registrations: dict[str, str] = {}
        """Provider namespace -> its registration state, for the providers the run needed."""

    # ------------------------------------------------------------------ folding events

    def apply(self, event: Event) -> tuple[str, ...]:
        """Fold one event in; returns the ids of the stages it changed (to redraw just those)."""
        if isinstance(event, ResourceProgress):
            return self._resource(event)
        if isinstance(event, RunStarted):
            self._started(event)
            return tuple(self.stages)
        if isinstance(event, StageStarted):
            return self._stage_started(event)
        if isinstance(event, StageFinished):
            return self._stage_finished(event)
        if isinstance(event, StageRetrying):
            stage = self.stages.get(event.stage)
            if stage is None:
                return ()
            stage.note = f"retrying in {event.delay:.0f} s (attempt {event.attempt}): {event.reason}"
            return (stage.id,)
        if isinstance(event, ProviderRegistration):
            self.registrations[event.namespace] = event.state
            return ()
        if isinstance(event, DeployRefused):
            self.refused = event
            return ()
        if isinstance(event, RunFinished):
            self.finished = event
            return ()
        return ()

    def _started(self, event: RunStarted) -> None:
        self.run_id, self.journal, self.resumed = event.run_id, event.journal, event.resumed
        self.started_at = self.clock()
        self.finished = None
        known = self.stages
        self.stages = {}
        for info in event.stages:
            view = known.get(info.id) or StageView(info)
            view.info = info
            for kind, name in info.resources:
                view.resources.setdefault((kind, name), ResourceView(kind, name))
            self.stages[info.id] = view
            if info.environment not in self.environments:
                self.environments.append(info.environment)

    def _stage_started(self, event: StageStarted) -> tuple[str, ...]:
        stage = self.stages.get(event.stage)
        if stage is None:
            return ()
        self.finished = None  # a retry after the run ended opens it again
        stage.status, stage.portal_url, stage.attempt = "running", event.portal_url, event.attempt
        stage.started_at = self.clock()
        stage.failure, stage.error_class, stage.note = None, None, ""
        if event.reattached:
            stage.note = "re-attached to the deployment still running in Azure"
        for resource in stage.resources.values():
            if resource.state != "Succeeded":
                resource.state, resource.elapsed, resource.reported_at = "Pending", 0.0, None
        stage.recount()
        return (stage.id, *self._unblock())

    def _unblock(self) -> tuple[str, ...]:
        """Stages shown blocked whose dependencies are no longer failed go back to pending."""
        changed = []
        for stage in self.stages.values():
            if stage.status == "blocked" and not any(
                    self.stages[d].status in ("failed", "blocked", "canceled")
                    for d in stage.info.depends_on if d in self.stages):
                stage.status = "pending"
                changed.append(stage.id)
        return tuple(changed)

    def _stage_finished(self, event: StageFinished) -> tuple[str, ...]:
        stage = self.stages.get(event.stage)
        if stage is None:
            return ()
        stage.status, stage.elapsed = event.status, event.elapsed
        stage.failure, stage.error_class = event.failure, event.error_class
        stage.note = ""
        if event.status in ("succeeded", "skipped"):
            for resource in stage.resources.values():
                resource.state = "Succeeded"
            stage.succeeded = len(stage.resources)
        return (stage.id,)

    def _resource(self, event: ResourceProgress) -> tuple[str, ...]:
        stage = self.stages.get(event.stage)
        if stage is None:
            return ()
        key = (event.resource_type, event.resource_name)
        resource = stage.resources.get(key) or self._planned(stage, event)
        if resource is None:
            resource = stage.resources[key] = ResourceView(*key)
        if event.state == "Succeeded" and resource.state != "Succeeded":
            self.durations.learn(event.resource_type, event.elapsed)
        stage.succeeded += (event.state == "Succeeded") - (resource.state == "Succeeded")
        resource.state, resource.elapsed, resource.reported_at = event.state, event.elapsed, self.clock()
        return (stage.id,)

    @staticmethod
    def _planned(stage: StageView, event: ResourceProgress) -> ResourceView | None:
        """The planned resource ARM reports under a shorter name: an extension resource (a
        diagnostic setting) is planned as `parent/name` but its operation names only `name`.
        Several with one name (a setting on each vault) are told apart by the parent in the id."""
        kind, name = event.resource_type.lower(), event.resource_name
        candidates = [r for (t, n), r in stage.resources.items()
                      if t.lower() == kind and n != name and n.endswith("/" + name)]
        if len(candidates) > 1:
            resource_id = event.resource_id.lower()
            by_parent = [r for r in candidates if f"/{r.name.split('/')[0].lower()}/" in resource_id]
            candidates = by_parent or candidates
        return candidates[0] if candidates else None

    # ------------------------------------------------------------------ reading

    def now(self) -> float:
        """The progress clock's reading."""
        return self.clock()

    def elapsed(self) -> float:
        """Seconds since the run started (the runner's total once it finished)."""
        if self.finished is not None:
            return self.finished.elapsed
        return 0.0 if self.started_at is None else max(0.0, self.clock() - self.started_at)

    def counts(self, environment: str | None = None) -> tuple[int, int]:
        """(resources succeeded, resources in all), over the run or one environment."""
        done = total = 0
        for stage in self.stages.values():
            if environment is None or stage.info.environment == environment:
                d, t = stage.counts()
                done, total = done + d, total + t
        return done, total

    def stage_counts(self) -> dict[StageStatus, int]:
        """How many stages are in each status."""
        counts: dict[StageStatus, int] = {}
        for stage in self.stages.values():
            counts[stage.status] = counts.get(stage.status, 0) + 1
        return counts

    def for_environment(self, environment: str) -> list[StageView]:
        """The stages of one environment, in plan order."""
        return [s for s in self.stages.values() if s.info.environment == environment]

    def failed(self) -> list[StageView]:
        """Stages that failed (what a retry can take up)."""
        return [s for s in self.stages.values() if s.status == "failed"]

    def remaining(self) -> float | None:
        """Seconds the run should still take: the longest chain of unfinished stages, each as long
        as its slowest unfinished resource is expected to take. None while nothing has been learnt."""
        if self.finished is not None:
            return 0.0
        if not self.durations.by_type:
            return None
        now = self.clock()
        finish: dict[str, float] = {}
        for stage in self.stages.values():
            start = max((finish.get(d, 0.0) for d in stage.info.depends_on), default=0.0)
            finish[stage.id] = start + self._stage_remaining(stage, now)
        return max(finish.values(), default=0.0)

    def _stage_remaining(self, stage: StageView, now: float) -> float:
        if stage.status not in ("pending", "running"):
            return 0.0
        longest = 0.0
        for resource in stage.resources.values():
            if resource.done:
                continue
            expected = self.durations.expected(resource.type) or 0.0
            ran = resource.elapsed_at(now)
            left = expected - ran if ran < expected else expected * OVERDUE_SHARE
            longest = max(longest, left)
        return longest
