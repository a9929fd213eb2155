"""The resource store: ids, writes, reads, and the few type-specific views ARM computes.

Resources live in `World.resources` as the bodies clients (or deployments) wrote, keyed by the
lower-cased id. Reads render them the way ARM does: ARM casing in ids, `provisioningState`,
a system identity's principal id, and for virtual networks the subnets and peerings whether they
were written inline or as child resources.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from sandbox.state import World
from sandbox.wire import ArmError

_IDENTITY_NAMESPACE = uuid.UUID("5a0c4b8e-8f1d-4f7e-9a65-0d3c2e1b4a77")


def rg_key(subscription: str, resource_group: str) -> str:
    """Key of a resource group in `World.resource_groups`."""
    return f"{subscription}/{resource_group}".lower()


def parse_id(resource_id: str) -> dict[str, Any]:
    """Split an ARM id into subscription, resource group, namespace, types and names.

    Extension resources (`.../providers/A/x/y/providers/B/t/n`) are split at the last
    `providers` segment: the part before it is the `scope`.
    """
    parts = [p for p in resource_id.split("/") if p]
    result: dict[str, Any] = {"subscription": None, "resource_group": None, "namespace": None,
                              "types": [], "names": [], "scope": ""}
    lowered = [p.lower() for p in parts]
    if len(parts) >= 2 and lowered[0] == "subscriptions":
        result["subscription"] = parts[1]
    if len(parts) >= 4 and lowered[2] == "resourcegroups":
        result["resource_group"] = parts[3]
    if "providers" in lowered:
        at = len(lowered) - 1 - lowered[::-1].index("providers")
        result["scope"] = "/" + "/".join(parts[:at]) if at else ""
        rest = parts[at + 1 :]
        if rest:
            result["namespace"] = rest[0]
            result["types"] = rest[1::2]
            result["names"] = rest[2::2]
    return result


def type_of(resource_id: str) -> str:
    """The full resource type of an id, e.g. `Microsoft.Network/virtualNetworks/subnets`."""
    parsed = parse_id(resource_id)
    if parsed["namespace"] is None:
        if parsed["resource_group"] is not None:
            return "Microsoft.Resources/resourceGroups"
        return "Microsoft.Resources/subscriptions"
    return "/".join([parsed["namespace"], *parsed["types"]])


def canonical_id(resource_id: str) -> str:
    """ARM's casing for the fixed segments (`subscriptions`, `resourceGroups`, `providers`)."""
    parts = resource_id.split("/")
    fixed = {"subscriptions": "subscriptions", "resourcegroups": "resourceGroups", "providers": "providers"}
    return "/".join(fixed.get(p.lower(), p) if i % 2 == 1 else p for i, p in enumerate(parts))


def _principal(resource_id: str, kind: str) -> str:
    return str(uuid.uuid5(_IDENTITY_NAMESPACE, f"{kind}:{resource_id.lower()}"))


def normalize(resource_id: str, body: dict[str, Any], tenant_id: str, now: float) -> dict[str, Any]:
    """Turn a written body into the stored resource (id, name, type, computed properties)."""
    resource = copy.deepcopy(body)
    rid = canonical_id(resource_id)
    rtype = type_of(rid)
    resource["id"] = rid
    resource["name"] = rid.rstrip("/").split("/")[-1]
    resource["type"] = rtype
    properties = resource.get("properties")
    if not isinstance(properties, dict):
        properties = {}
    properties["provisioningState"] = "Succeeded"
    resource["properties"] = properties
    identity = resource.get("identity")
    if isinstance(identity, dict) and "systemassigned" in str(identity.get("type", "")).lower():
        identity.setdefault("principalId", _principal(rid, "system"))
        identity.setdefault("tenantId", tenant_id)
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), dict):
        for uai_id in identity["userAssignedIdentities"]:
            identity["userAssignedIdentities"][uai_id] = {
                "principalId": _principal(uai_id, "user"),
                "clientId": _principal(uai_id, "client"),
            }
    lowered = rtype.lower()
    if lowered == "microsoft.managedidentity/userassignedidentities":
        properties.setdefault("principalId", _principal(rid, "user"))
        properties.setdefault("clientId", _principal(rid, "client"))
        properties.setdefault("tenantId", tenant_id)
    elif lowered == "microsoft.cognitiveservices/accounts":
        domain = properties.get("customSubDomainName") or resource["name"]
        properties.setdefault("endpoint", f"https://{domain}.cognitiveservices.azure.com/")
    elif lowered == "microsoft.authorization/roleassignments":
        properties.setdefault("scope", parse_id(rid)["scope"])
    resource["_created"] = resource.get("_created", now)
    return resource


def render(world: World, resource: dict[str, Any]) -> dict[str, Any]:
    """A stored resource as a GET returns it (private bookkeeping keys removed)."""
    out = {k: copy.deepcopy(v) for k, v in resource.items() if not k.startswith("_")}
    lowered = str(out.get("type", "")).lower()
    if lowered == "microsoft.network/virtualnetworks":
        _render_vnet(world, out)
    return out


def _render_vnet(world: World, vnet: dict[str, Any]) -> None:
    props = vnet.setdefault("properties", {})
    base = vnet["id"]
    subnets: dict[str, dict[str, Any]] = {}
    for subnet in props.get("subnets", []) or []:
        name = subnet.get("name", "")
        subnets[name.lower()] = _subnet_view(base, name, subnet)
    for child in children(world, base, "subnets"):
        subnets[child["name"].lower()] = _subnet_view(base, child["name"], child)
    props["subnets"] = list(subnets.values())
    peerings: dict[str, dict[str, Any]] = {}
    for peering in props.get("virtualNetworkPeerings", []) or []:
        peerings[peering.get("name", "").lower()] = peering
    for child in children(world, base, "virtualNetworkPeerings"):
        view = {k: copy.deepcopy(v) for k, v in child.items() if not k.startswith("_")}
        view.setdefault("properties", {}).setdefault("peeringState", "Connected")
        peerings[child["name"].lower()] = view
    props["virtualNetworkPeerings"] = list(peerings.values())
    props.setdefault("provisioningState", "Succeeded")


def _subnet_view(vnet_id: str, name: str, subnet: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(subnet.get("properties", {}) or {})
    props.setdefault("provisioningState", "Succeeded")
    props.setdefault("privateEndpointNetworkPolicies", "Disabled")
    props.setdefault("privateLinkServiceNetworkPolicies", "Enabled")
    props.setdefault("delegations", [])
    return {
        "name": name,
        "id": f"{vnet_id}/subnets/{name}",
        "type": "Microsoft.Network/virtualNetworks/subnets",
        "properties": props,
    }


def children(world: World, parent_id: str, child_type: str) -> list[dict[str, Any]]:
    """Direct child resources of one type (e.g. a VNet's `subnets`)."""
    prefix = f"{parent_id}/{child_type}/".lower()
    return [
        r for key, r in world.resources.items() if key.startswith(prefix) and "/" not in key[len(prefix) :]
    ]


def find(world: World, resource_id: str) -> dict[str, Any] | None:
    """A stored resource, or a subnet declared inline in its VNet's body."""
    found = world.resources.get(resource_id.lower())
    if found is not None:
        return found
    parsed = parse_id(resource_id)
    if (
        (parsed["namespace"] or "").lower() == "microsoft.network"
        and [t.lower() for t in parsed["types"]] == ["virtualnetworks", "subnets"]
    ):
        vnet_id = resource_id.rsplit("/subnets/", 1)[0]
        vnet = world.resources.get(vnet_id.lower())
        if vnet is not None:
            for subnet in vnet.get("properties", {}).get("subnets", []) or []:
                if subnet.get("name", "").lower() == parsed["names"][-1].lower():
                    return _subnet_view(vnet["id"], subnet["name"], subnet)
    return None


def in_scope(world: World, subscription: str, resource_group: str | None = None) -> list[dict[str, Any]]:
    """Resources in a subscription, or in one of its resource groups."""
    prefix = f"/subscriptions/{subscription}/".lower()
    if resource_group is not None:
        prefix = f"/subscriptions/{subscription}/resourcegroups/{resource_group}/".lower()
    return [r for key, r in sorted(world.resources.items()) if key.startswith(prefix)]


def remove_tree(world: World, resource_id: str) -> int:
    """Delete a resource and its children; returns how many were removed."""
    key = resource_id.lower()
    doomed = [k for k in world.resources if k == key or k.startswith(key + "/")]
    for k in doomed:
        del world.resources[k]
    return len(doomed)


def not_found(resource_id: str) -> ArmError:
    """ARM's 404 for a missing resource."""
    parsed = parse_id(resource_id)
    rtype = type_of(resource_id)
    name = "/".join(parsed["names"]) or resource_id
    where = (
        f"under resource group '{parsed['resource_group']}' "
        if parsed["resource_group"]
        else ""
    )
    return ArmError(
        404,
        "ResourceNotFound",
        f"The Resource '{rtype}/{name}' {where}was not found. For more details please go to "
        "https://aka.ms/ARMResourceNotFoundFix",
    )
