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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from deploy.templates import (
    common_network,
    common_rg,
    common_services,
    project_network,
    project_rbac,
    project_services,
)
from deploy.templates.context import EnvContext
from wizard import catalog, naming, network
from wizard.model import EnvName, FactoryConfig, HubSpokeZone
from wizard.network import LiveVnet

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
    reads: tuple[str, ...] = ()
    """Ids of resources earlier stages create that its template reads when it runs (`reference()`,
    e.g. an identity's principal id): what-if can answer for it only once they exist."""

    def request_body(self) -> dict[str, Any]:
        """The body of the PUT (or what-if) that submits this stage: incremental, the template
        inline, and the location a subscription-scope deployment needs."""
        body: dict[str, Any] = {"properties": {"mode": "Incremental", "template": self.template}}
        if self.scope.resource_group is None:
            body["location"] = self.scope.location
        return body

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


# ------------------------------------------------------------------------------------ building


def _planned(template: dict[str, Any]) -> tuple[PlannedResource, ...]:
    """What a template creates, nested deployments flattened; extension resources named by their target."""
    out: list[PlannedResource] = []
    for item in template.get("resources", []):
        if item["type"] == "Microsoft.Resources/deployments":
            out += _planned(item["properties"]["template"])
            continue
        name = item["name"]
        if "scope" in item:
            name = f"{item['scope'].rsplit('/', 1)[-1]}/{name}"
        out.append(PlannedResource(item["type"], name, item["apiVersion"]))
    return tuple(out)


def _reads(template: dict[str, Any]) -> tuple[str, ...]:
    """The resource ids a template's `reference('<id>', ...)` expressions read."""
    return tuple(dict.fromkeys(re.findall(r"\[reference\('(/subscriptions/[^']+)'", json.dumps(template))))


def build_plan(config: FactoryConfig, live: Mapping[EnvName, LiveVnet] | None = None) -> Plan:
    """The stage graph of a configuration, in the AI Factory's order (aifactory.md §5.2).

    Per enabled environment: C1 the common resource group, C2 the common network, C3 the common
    services; per project that has room in the VNet: P6 its subnets, the service steps 61-69 its
    switches ask for, and the role assignments 100/101. Each stage depends only on what it
    really needs, so the runner can start, e.g., every project's step 61 at once. `live` holds
    the AI Factory VNets that already exist (`LiveSession.live_vnets`): projects are then carved
    after their highest subnet, as the AI Factory's calculator does; without, from fresh VNets.
    Raises `wizard.network.TemplateError` (a UserError) when an address template does not resolve.
    """
    stages: list[Stage] = []
    notes: list[str] = []
    left_out: dict[str, list[str]] = {}
    for env, _ in config.environments.enabled():
        ctx = EnvContext(config, env)
        if ctx.subscription == naming.PLACEHOLDER_SUBSCRIPTION:
            notes.append(f"{env}: no subscription yet, so ids use {naming.PLACEHOLDER_SUBSCRIPTION} and names a "
                         f"provisional salt; set environments.{env}.subscription_id (or use --demo)")
        sub_scope = Scope(ctx.subscription, ctx.region)
        common = naming.common_deployment_names(config, env)

        def add(stage_id: str, kind: StageKind, title: str, name: str, scope: Scope, template: dict[str, Any],
                depends_on: tuple[str, ...], project: str | None = None, env: EnvName = env) -> None:
            stages.append(Stage(f"{env}/{stage_id}", env, project, kind, f"{env} · {title}", name, scope, template,
                                tuple(f"{env}/{d}" for d in depends_on), _planned(template), _reads(template)))

        add("common-rg", "common_rg", "common · resource group", common["C1"], sub_scope, common_rg.build(ctx), ())
        add("common-network", "common_network", "common · network", common["C2"],
            Scope(ctx.subscription, ctx.region, ctx.vnet_rg), common_network.build(ctx, common["C2"]),
            ("common-rg",))
        add("common-services", "common_services", "common · services", common["C3"],
            Scope(ctx.subscription, ctx.region, ctx.common_rg), common_services.build(ctx), ("common-network",))
        address_plan = network.plan_environment(config, env, (live or {}).get(env))
        placed = {p.number: p for p in address_plan.projects}
        for number in address_plan.unplaced:
            notes.append(f"{env}: project {number} has no room in {ctx.vnet} ({address_plan.vnet}), so it is "
                         "not planned; see `aifactory network`")
        for project in config.projects:
            if project.number not in placed:
                continue
            nr = project.number
            names = naming.project_deployment_names(config, env, nr)
            group = Scope(ctx.subscription, ctx.region, naming.project_resource_group(config, env, nr))
            prefix = f"prj{nr}"
            add(f"{prefix}/network", "project_network", f"project {nr} · subnets", names["P6"],
                Scope(ctx.subscription, ctx.region, ctx.vnet_rg), project_network.build(ctx, placed[nr]),
                ("common-network",), nr)
            done: list[str] = []
            for step in project_services.build(ctx, project, placed[nr], lambda s, n=names: n[s]):
                needs = tuple(f"{prefix}/{naming.PROJECT_STEPS[n]}" if n[0].isdigit() else
                              (f"{prefix}/network" if n == "network" else n) for n in step.needs)
                tail = naming.PROJECT_STEPS[step.step]
                add(f"{prefix}/{tail}", "project_services", f"project {nr} · {tail.replace('-', ' ', 1)}",
                    names[step.step], sub_scope if step.subscription_scope else group, step.template, needs, nr)
                done.append(f"{prefix}/{tail}")
            add(f"{prefix}/{naming.PROJECT_STEPS['100']}", "project_rbac", f"project {nr} · role assignments",
                names["100"], group, project_rbac.project_group(ctx, project), tuple(done), nr)
            add(f"{prefix}/{naming.PROJECT_STEPS['101']}", "project_rbac", f"project {nr} · roles in common",
                names["101"], Scope(ctx.subscription, ctx.region, ctx.common_rg),
                project_rbac.common_group(ctx, project), (done[0], "common-services"), nr)
            for service in project_services.not_deployed(ctx, project):
                left_out.setdefault(service, [])
                if nr not in left_out[service]:
                    left_out[service].append(nr)
    return Plan(tuple(stages), tuple(notes + _left_out_notes(config, left_out)))


def _left_out_notes(config: FactoryConfig, left_out: dict[str, list[str]]) -> list[str]:
    """What the configuration asks for that the plan does not do, one sentence each."""
    everyone = len(config.projects) > 1
    notes = []
    for service, projects in left_out.items():
        who = "every project" if everyone and len(projects) == len(config.projects) else \
            f"project{'s' if len(projects) > 1 else ''} {', '.join(projects)}"
        notes.append(f"{catalog.SERVICES[service].display_name} (services.{service}) is switched on for {who} but "
                     "not deployed: the plan has no template for it yet")
    if config.access.admin_vm or config.access.project_vm:
        notes.append("the admin and project VMs (access.admin_vm, access.project_vm) are not deployed: the plan has "
                     "no template for virtual machines yet")
    if config.security.cmk or config.security.defender_for_ai_resource:
        notes.append("customer-managed keys (security.cmk) and Defender for AI per resource "
                     "(security.defender_for_ai_resource) are not configured by the plan")
    if isinstance(config.landing_zone, HubSpokeZone):
        notes.append("the plan peers each environment's VNet to the hub; the hub's side of each peering is the "
                     "network team's to add (the AI Factory deploys neither)")
    if config.aifactory_extra.get("BYO_SUBNETS", "").lower() == "true":
        notes.append("BYO_SUBNETS is set, but the plan still creates the AI Factory's own VNet and subnets")
    return notes
