"""Removing what deployment runs created, and only that: `aifactory destroy`.

What to delete comes from the runs' journals, never from a guess at names: the resource groups
whose creation a run recorded (ARM answered `Created`, not `OK`: a group that was there before
is not ours to delete), the deployments the runs submitted outside those groups, and the Key
Vaults they created, which Azure keeps soft-deleted after their group goes and which must be
purged before the names can be used again. The preview shows what exists of that now; the
deletion removes exactly the previewed items.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from deploy.arm_calls import Target, text
from deploy.journal import RunRecord
from wizard.azure.sdk_models import prepared

RESOURCE_GROUPS = "microsoft.resources/resourcegroups"
VAULTS = "microsoft.keyvault/vaults"


@dataclass(frozen=True, slots=True)
class Group:
    """A resource group to delete."""

    subscription_id: str
    name: str


@dataclass(frozen=True, slots=True)
class Vault:
    """A Key Vault to purge once its group is deleted."""

    subscription_id: str
    name: str
    resource_group: str


@dataclass
class Teardown:
    """Exactly what `destroy` deletes, in the order it does."""

    groups: list[Group] = field(default_factory=list)
    deployments: list[Target] = field(default_factory=list)
    vaults: list[Vault] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing recorded exists any more."""
        return not (self.groups or self.deployments or self.vaults)

    def to_json(self) -> dict[str, Any]:
        """For `aifactory destroy --json`."""
        return {"resource_groups": [{"subscription_id": g.subscription_id, "name": g.name} for g in self.groups],
                "deployments": [t.id for t in self.deployments],
                "vaults_to_purge": [{"subscription_id": v.subscription_id, "name": v.name} for v in self.vaults],
                "notes": list(self.notes)}


def _parse(resource_id: str) -> tuple[str, str]:
    """(subscription, resource group) of an ARM id."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    sub = parts[1] if len(parts) > 1 and lowered[0] == "subscriptions" else ""
    group = parts[3] if len(parts) > 3 and lowered[2] == "resourcegroups" else ""
    return sub, group


def recorded(runs: Iterable[RunRecord], environment: str | None = None) -> Teardown:
    """What the runs recorded creating (in one environment, or all), before checking what exists."""
    teardown = Teardown()
    groups: dict[tuple[str, str], Group] = {}
    vaults: dict[tuple[str, str], Vault] = {}
    deployments: dict[str, Target] = {}
    for run in runs:
        for stage in run.stages.values():
            if environment is not None and stage.environment != environment:
                continue
            if stage.attempts:
                sub, group = _parse(stage.scope_id)
                target = Target(sub, group or None, stage.deployment_name)
                deployments[target.id.lower()] = target
            for resource in stage.resources.values():
                kind = resource.type.lower()
                sub, group = _parse(resource.resource_id)
                if kind == RESOURCE_GROUPS and resource.status_code == "Created" and sub:
                    groups[(sub.lower(), resource.name.lower())] = Group(sub, resource.name)
                elif kind == VAULTS and resource.state == "Succeeded" and sub:
                    vaults[(sub.lower(), resource.name.lower())] = Vault(sub, resource.name, group)
    teardown.groups = list(groups.values())
    deleted = {(g.subscription_id.lower(), g.name.lower()) for g in teardown.groups}
    teardown.vaults = [v for v in vaults.values() if (v.subscription_id.lower(), v.resource_group.lower()) in deleted]
    teardown.deployments = [t for t in deployments.values()
                            if not t.resource_group or (t.subscription_id.lower(), t.resource_group.lower())
                            not in deleted]
    kept = len(vaults) - len(teardown.vaults)
    if kept:
        teardown.notes.append(f"{kept} Key Vault(s) stay: they are in resource groups the runs did not create")
    return teardown


def existing(teardown: Teardown, session: Any) -> Teardown:
    """The part of a recorded teardown that exists now (a vault counts while live or soft-deleted)."""
    from deploy.arm_calls import ArmCalls

    calls = ArmCalls(session)
    now = Teardown(notes=list(teardown.notes))
    now.groups = [g for g in teardown.groups
                  if prepared(session.resources(g.subscription_id).resource_groups.check_existence)(g.name)]
    now.deployments = [t for t in teardown.deployments if calls.find(t) is not None]
    live = {(g.subscription_id.lower(), g.name.lower()) for g in now.groups}
    deleted = {sub: _deleted_vaults(session, sub) for sub in {v.subscription_id for v in teardown.vaults}}
    now.vaults = [v for v in teardown.vaults
                  if (v.subscription_id.lower(), v.resource_group.lower()) in live
                  or v.name.lower() in deleted[v.subscription_id]]
    return now


def _deleted_vaults(session: Any, subscription_id: str) -> dict[str, str]:
    """Soft-deleted vault name (lower case) -> its location."""
    vaults = session.keyvault(subscription_id).vaults
    return {text(v.name).lower(): text(v.properties.location) for v in prepared(vaults.list_deleted)()}


def execute(teardown: Teardown, session: Any, *, say: Callable[[str], None] = lambda line: None) -> None:
    """Delete the groups (all at once, then wait), the deployments, then purge the vaults."""
    pollers = []
    for group in teardown.groups:
        say(f"deleting resource group {group.name} ({group.subscription_id})")
        groups = session.resources(group.subscription_id).resource_groups
        pollers.append((group, prepared(groups.begin_delete)(group.name)))
    for group, poller in pollers:
        poller.result()
        say(f"deleted resource group {group.name}")
    for target in teardown.deployments:
        client = session.deployments(target.subscription_id).deployments
        if target.resource_group:
            prepared(client.begin_delete)(target.resource_group, target.name).result()
        else:
            prepared(client.begin_delete_at_subscription_scope)(target.name).result()
        say(f"deleted deployment {target.name}")
    deleted = {sub: _deleted_vaults(session, sub) for sub in {v.subscription_id for v in teardown.vaults}}
    for vault in teardown.vaults:
        location = deleted[vault.subscription_id].get(vault.name.lower())
        if location is None:
            say(f"Key Vault {vault.name} is not in the deleted list (purge protection or already purged)")
            continue
        say(f"purging Key Vault {vault.name}")
        prepared(session.keyvault(vault.subscription_id).vaults.begin_purge_deleted)(vault.name, location).result()
        say(f"purged Key Vault {vault.name}")
