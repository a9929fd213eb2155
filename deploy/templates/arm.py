"""What every stage template is made of: api-versions, resource ids, escaping, the envelope.

Templates hold literal values (ARCHITECTURE.md, Decisions): names, CIDRs, SKUs and ids are
computed in Python before submission. A literal string that starts with `[` would be read by ARM
as an expression, so `literal` escapes it as `[[`. The few values that cannot be known before
deployment (an identity's principal id, the tenant of a demo subscription) are ARM expressions,
written as `Expr` so the escaping leaves them alone.

The api-versions are `wizard.catalog.API_VERSIONS` (the live checks read the factory's own
resources with the same ones).
"""

from __future__ import annotations

from typing import Any

from wizard.catalog import API_VERSIONS

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
    """One template resource: type, its api-version from `API_VERSIONS`, name, envelope (location, sku,
    properties, ...); `depends_on` lists resource ids (`rid`) deployed in the same template."""
    body: dict[str, Any] = {"type": rtype, "apiVersion": API_VERSIONS[rtype], "name": name}
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

