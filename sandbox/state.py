"""The sandbox's data: a static catalogue and the mutable world.

* `Catalog` is what the seed says about the tenant and never changes during a run: tenants,
  subscriptions, regions, what each provider offers where, VM SKUs, quotas, models, names taken
  outside the tenant, soft-deleted Cognitive Services accounts, the caller's permissions. It is rebuilt from
  `sandbox.seed` on every start, so an edit to the seed (say, a new name in `TAKEN_STORAGE_NAMES`)
  shows up even in a demo whose state was saved before.
* `World` is what clients change and what must survive between runs: provider registration
  states, resource groups, resources, deployments and pending asynchronous operations. It is
  plain JSON-able data so `Arm.save()` can write it atomically and `Arm.load()` can resume it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Catalog:
    """Static facts about the demo tenant (see docs/demo-tenant.md and sandbox/seed.py)."""

    caller: dict[str, str]
    """The signed-in demo user: objectId, tenantId, upn."""
    tenants: list[dict[str, Any]]
    """Tenant descriptions as `GET /tenants` lists them (without `id`)."""
    subscriptions: list[dict[str, Any]]
    """Subscription facts: subscriptionId, displayName, state, tenantId, policies, tags."""
    regions: list[dict[str, Any]]
    """Physical regions with display names, geography, coordinates, pairs and zones."""
    providers: list[dict[str, Any]]
    """Provider namespaces with their resource types, api-versions and region names."""
    vm_skus: list[dict[str, Any]]
    """Rendered `ResourceSku` objects, one per SKU and region."""
    compute_usages: dict[str, list[dict[str, Any]]]
    """vCPU usages keyed `"<subscription>/<region>"` (lower case)."""
    models: dict[str, list[dict[str, Any]]]
    """Cognitive Services models offered per region."""
    cognitive_usages: dict[str, list[dict[str, Any]]]
    """Cognitive Services usages (TPM quota) keyed `"<subscription>/<region>"`."""
    deleted_accounts: list[dict[str, Any]]
    """Soft-deleted Cognitive Services accounts."""
    taken_names: dict[str, list[str]]
    """Globally unique names already taken outside the tenant: storage, vault, registry."""
    permissions: dict[str, list[dict[str, list[str]]]]
    """The caller's effective permissions per subscription id (lower case)."""
    search_usages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """AI Search services per SKU keyed `"<subscription>/<region>"`: usage rows."""
    cosmos_locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Cosmos DB region properties keyed `"<subscription>/<region>"`: status and access flags."""
    policy_assignments: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Policy assignments at subscription scope, per subscription id (lower case)."""

    def subscription(self, subscription_id: str) -> dict[str, Any] | None:
        """Look a subscription up by id, case-insensitively."""
        wanted = subscription_id.lower()
        for sub in self.subscriptions:
            if sub["subscriptionId"].lower() == wanted:
                return sub
        return None

    def region(self, name: str) -> dict[str, Any] | None:
        """Look a region up by its name or display name ("westeurope", "West Europe")."""
        wanted = name.replace(" ", "").lower()
        for region in self.regions:
            if region["name"] == wanted:
                return region
        return None

    def provider(self, namespace: str) -> dict[str, Any] | None:
        """Look a provider namespace up case-insensitively."""
        wanted = namespace.lower()
        for provider in self.providers:
            if provider["namespace"].lower() == wanted:
                return provider
        return None


@dataclass
class World:
    """Everything clients change. Plain data: dicts keyed by lower-cased ids."""

    counter: int = 0
    """Source of deterministic ids (correlation ids, operation ids, tokens)."""
    providers: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    """Registration per subscription and namespace: `{"state": ..., "since": epoch}`."""
    resource_groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resource groups keyed `"<sub>/<rg>"` (lower case)."""
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources keyed by lower-cased id; values are ARM resource bodies."""
    deployments: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Deployment records keyed `"<scope id>|<name>"` (lower case)."""
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Asynchronous operations (what-if, resource group delete) keyed by operation id."""
    deleted_vaults: list[dict[str, Any]] = field(default_factory=list)
    """Soft-deleted Key Vaults (name, location, subscription, resource_group, dates, purge
    protection): the seed's, and those deleted since; a purge or a recover removes one."""
    seeded: list[str] = field(default_factory=list)
    """Keys of the seeded resource groups and resources this world has had, so a newer seed adds
    only what is new and never brings back what a client deleted."""

    def to_json(self) -> dict[str, Any]:
        """A JSON-able copy."""
        return {
            "counter": self.counter,
            "providers": self.providers,
            "resource_groups": self.resource_groups,
            "resources": self.resources,
            "deployments": self.deployments,
            "operations": self.operations,
            "deleted_vaults": self.deleted_vaults,
            "seeded": self.seeded,
        }

    @classmethod
    def from_json(cls, data: Any) -> World:
        """Inverse of `to_json()`; ValueError names the first part that does not have its JSON type."""
        if not isinstance(data, dict):
            raise ValueError("world is not a JSON object")
        for key, kind in _WORLD_FIELDS.items():
            value = data.get(key)
            if key in data and not _is_json(value, kind):
                raise ValueError(f"world.{key} is not {_KIND_NAMES[kind]}")
            entries = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
            if kind is not int and any(not isinstance(entry, dict) for entry in entries):
                raise ValueError(f"world.{key} holds an entry that is not a JSON object")
        return cls(
            counter=int(data.get("counter", 0)),
            providers=data.get("providers", {}),
            resource_groups=data.get("resource_groups", {}),
            resources=data.get("resources", {}),
            deployments=data.get("deployments", {}),
            operations=data.get("operations", {}),
            deleted_vaults=data.get("deleted_vaults", []),
            seeded=data.get("seeded", []),
        )


_WORLD_FIELDS: dict[str, type] = {
    "counter": int, "providers": dict, "resource_groups": dict, "resources": dict, "deployments": dict,
    "operations": dict, "deleted_vaults": list,
}
"""The saved world's fields and their JSON types (every entry of a map or list is an object)."""
_KIND_NAMES = {int: "a whole number", dict: "a JSON object", list: "a JSON list"}


def _is_json(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)
