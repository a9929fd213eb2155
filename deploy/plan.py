"""The deployment plan: which ARM deployments, at which scope, after which others.

A Plan is what `aifactory plan` lists, `aifactory export --format arm` writes, what-if previews
and the runner executes. Each Stage is one ARM deployment of one template with literal values
(ARCHITECTURE.md, Decisions): names, CIDRs and SKUs are resolved here, before submission, so a
template reads on its own, diffs, and what-if answers precisely. Stages follow the AI Factory's
own order (aifactory.md §5): per environment the common resource group, the common network, the
common services; per project its subnets, its services, its role assignments. Stages that do not
depend on each other may run at once.

`build_plan` (config -> Plan) lives here too; the builders of each stage's template live in
`deploy/templates/`, one module per stage kind.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.model import EnvName

StageKind = Literal[
    "common_rg", "common_network", "common_services", "project_network", "project_services", "project_rbac",
]
"""What a stage deploys; the dashboard groups by it, the runner does not care."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a deployment is submitted: a subscription (with the deployment's location), or a
    resource group in it."""

    subscription_id: str
    location: str
    """The deployment's location: required for subscription-scope deployments, informative otherwise."""
    resource_group: str | None = None

    @property
    def id(self) -> str:
        """The ARM id of the scope, e.g. `/subscriptions/<s>/resourceGroups/<rg>`."""
        base = f"/subscriptions/{self.subscription_id}"
        return f"{base}/resourceGroups/{self.resource_group}" if self.resource_group else base


@dataclass(frozen=True, slots=True)
class PlannedResource:
    """One resource a stage creates, as the dashboard and `aifactory plan` show it."""

    type: str
    """ARM type, e.g. `Microsoft.KeyVault/vaults` (child types in full: `.../subnets`)."""
    name: str
    """Its name (a child's full name, e.g. `vnet/snet`)."""
    api_version: str


@dataclass(frozen=True, slots=True)
class Stage:
    """One ARM deployment of the plan."""

    id: str
    """Stable and unique within the plan, e.g. `dev/common-network`, `dev/prj001/services`."""
    environment: EnvName
    project: str | None
    """Project number for project stages; None for common ones."""
    kind: StageKind
    title: str
    """What a person reads, e.g. `dev · project 001 · services`."""
    deployment_name: str
    """The ARM deployment name, following the AI Factory's naming, at most 64 characters."""
    scope: Scope
    template: dict[str, Any]
    """An ARM template (`$schema`, `contentVersion`, `resources`, ...) with literal values."""
    depends_on: tuple[str, ...] = ()
    """Ids of the stages that must succeed before this one starts."""
    resources: tuple[PlannedResource, ...] = ()
    """What it creates, in template order (nested deployments flattened)."""

    @property
    def fingerprint(self) -> str:
        """A digest of what this stage would submit: equal fingerprints deploy the same thing."""
        payload = json.dumps({"scope": self.scope.id, "name": self.deployment_name, "template": self.template},
                             sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Plan:
    """Every stage, in an order where each comes after what it depends on."""

    stages: tuple[Stage, ...]
    notes: tuple[str, ...] = field(default=())
    """What the plan could not do and why (a service the templates do not cover yet, ...)."""

    def __post_init__(self) -> None:
        ids = [s.id for s in self.stages]
        if len(ids) != len(set(ids)):
            raise ValueError("stage ids must be unique")
        seen: set[str] = set()
        for stage in self.stages:
            missing = [d for d in stage.depends_on if d not in seen]
            if missing:
                raise ValueError(f"stage {stage.id} depends on {missing}, which do not come before it")
            seen.add(stage.id)

    def stage(self, stage_id: str) -> Stage:
        """The stage called `stage_id`."""
        return next(s for s in self.stages if s.id == stage_id)

    def dependents(self, stage_id: str) -> Iterator[Stage]:
        """Stages that depend on `stage_id`, directly or not (what a failure holds back)."""
        blocked = {stage_id}
        for stage in self.stages:
            if blocked & set(stage.depends_on):
                blocked.add(stage.id)
                yield stage

    @property
    def fingerprint(self) -> str:
        """A digest of the whole plan: it changed since a preview when this differs."""
        return hashlib.sha256("".join(s.fingerprint for s in self.stages).encode()).hexdigest()[:16]

    def for_environment(self, environment: str) -> tuple[Stage, ...]:
        """The stages of one environment, in order."""
        return tuple(s for s in self.stages if s.environment == environment)
