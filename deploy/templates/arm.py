"""What every stage template is made of: api-versions, resource ids, escaping, the envelope.

Templates hold literal values (ARCHITECTURE.md, Decisions): names, CIDRs, SKUs and ids are
computed in Python before submission. A literal string that starts with `[` would be read by ARM
as an expression, so `literal` escapes it as `[[`. The few values that cannot be known before
deployment (an identity's principal id, the tenant of a demo subscription) are ARM expressions,
written as `Expr` so the escaping leaves them alone.

The api-versions are those of ../shared/reference/arm-schemas/README.md: the newest stable version
each type has a published schema for (tests hold every body to that schema).
"""

from __future__ import annotations

from typing import Any

API: dict[str, str] = {
    "Microsoft.Authorization/roleAssignments": "2022-04-01",
    "Microsoft.CognitiveServices/accounts": "2026-05-01",
    "Microsoft.CognitiveServices/accounts/deployments": "2026-05-01",
    "Microsoft.CognitiveServices/accounts/projects": "2026-05-01",
    "Microsoft.ContainerRegistry/registries": "2025-11-01",
    "Microsoft.ContainerService/managedClusters": "2026-05-01",
    "Microsoft.DocumentDB/databaseAccounts": "2026-03-15",
    "Microsoft.Insights/components": "2020-02-02",
    "Microsoft.Insights/diagnosticSettings": "2021-05-01-preview",
    "Microsoft.KeyVault/vaults": "2026-02-01",
    "Microsoft.MachineLearningServices/workspaces": "2026-05-01",
    "Microsoft.MachineLearningServices/workspaces/computes": "2026-05-01",
    "Microsoft.ManagedIdentity/userAssignedIdentities": "2024-11-30",
    "Microsoft.Network/bastionHosts": "2025-07-01",
    "Microsoft.Network/networkSecurityGroups": "2025-07-01",
    "Microsoft.Network/privateDnsZones": "2024-06-01",
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": "2024-06-01",
    "Microsoft.Network/privateEndpoints": "2025-07-01",
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": "2025-07-01",
    "Microsoft.Network/publicIPAddresses": "2025-07-01",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections": "2025-07-01",
    "Microsoft.Network/virtualNetworks": "2025-07-01",
    "Microsoft.Network/virtualNetworks/subnets": "2025-07-01",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings": "2025-07-01",
    "Microsoft.OperationalInsights/workspaces": "2025-07-01",
    "Microsoft.Resources/deployments": "2025-04-01",
    "Microsoft.Resources/resourceGroups": "2025-04-01",
    "Microsoft.Search/searchServices": "2025-05-01",
    "Microsoft.Security/pricings": "2024-01-01",
    "Microsoft.Storage/storageAccounts": "2026-04-01",
    "Microsoft.Storage/storageAccounts/blobServices/containers": "2026-04-01",
}
"""Resource type -> the api-version every template uses for it."""

RG_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#"


class Expr(str):
    """An ARM template expression, e.g. `[subscription().tenantId]`: never escaped."""

    __slots__ = ()


def literal(value: Any) -> Any:
    """`value` with every string that starts with `[` escaped as `[[` (expressions kept)."""
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, str):
        return "[" + value if value.startswith("[") else value
    if isinstance(value, dict):
        return {k: literal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [literal(v) for v in value]
    return value


def resource(rtype: str, name: str, *, depends_on: list[str] | tuple[str, ...] = (), **envelope: Any) -> dict[str, Any]:
    """One template resource: type, its api-version from `API`, name, envelope (location, sku,
    properties, ...); `depends_on` lists resource ids (`rid`) deployed in the same template."""
    body: dict[str, Any] = {"type": rtype, "apiVersion": API[rtype], "name": name}
    if depends_on:
        body["dependsOn"] = list(dict.fromkeys(depends_on))
    body.update({k: v for k, v in envelope.items() if v is not None})
    return body


def rid(subscription: str, resource_group: str | None, rtype: str, *names: str) -> str:
    """The ARM id of a resource (a resource group when `rtype` is resourceGroups)."""
    base = f"/subscriptions/{subscription}"
    if rtype == "Microsoft.Resources/resourceGroups":
        return f"{base}/resourceGroups/{names[0]}"
    namespace, *types = rtype.split("/")
    if len(types) != len(names):
        raise ValueError(f"{rtype} needs {len(types)} names, got {names}")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    group = f"/resourceGroups/{resource_group}" if resource_group else ""
    return f"{base}{group}/providers/{namespace}/{path}"


def template(resources: list[dict[str, Any]], *, subscription_scope: bool = False) -> dict[str, Any]:
    """A complete template around `resources`, literals escaped."""
    return {
        "$schema": SUB_SCHEMA if subscription_scope else RG_SCHEMA,
        "contentVersion": "1.0.0.0",
        "resources": literal(resources),
    }


def nested(name: str, resources: list[dict[str, Any]], *, resource_group: str, subscription: str | None = None,
           depends_on: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """A nested deployment of `resources` into another resource group (or subscription's group)."""
    inner = {"$schema": RG_SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}
    body = resource("Microsoft.Resources/deployments", name, depends_on=depends_on,
                    properties={"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
                                "template": inner})
    body["resourceGroup"] = resource_group
    if subscription is not None:
        body["subscriptionId"] = subscription
    return body

