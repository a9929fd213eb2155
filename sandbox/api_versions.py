"""Which api-versions the sandbox accepts, and ARM's refusal of any other.

ARM routes a request by its api-version: its own endpoints (subscriptions, resource groups,
deployments, providers) accept the versions of `Microsoft.Resources`, and refuse others with
400 `InvalidApiVersionParameter`; a request for a provider's resource type is refused with 400
`NoRegisteredProviderFound` unless the provider lists the version for that type. Both messages
list what is supported, as ARM's do.

The versions come from the catalogue (`sandbox.seed.PROVIDERS`), the same lists
`GET /providers` shows: the versions the installed SDK clients send, the versions of the ARM
template schemas in ../shared/reference/arm-schemas, and those of the official examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.resources import parse_id
from sandbox.state import Catalog, World
from sandbox.wire import ArmError, Request

ARM_NAMESPACE = "Microsoft.Resources"
"""ARM's own namespace: its versions are accepted on every ARM endpoint."""

ARM_RELEASED = (
    "2024-08-01", "2024-07-01", "2024-03-01", "2023-07-01", "2022-12-01", "2022-09-01", "2022-06-01",
    "2022-05-01", "2022-01-01", "2021-04-01", "2021-01-01", "2020-10-01", "2020-09-01", "2020-08-01",
    "2020-07-01", "2020-06-01", "2020-05-01", "2020-01-01", "2019-11-01", "2019-10-01", "2019-09-01",
    "2019-08-01", "2019-07-01", "2019-06-01", "2019-05-10", "2019-05-01", "2019-03-01", "2018-11-01",
    "2018-09-01", "2018-08-01", "2018-07-01", "2018-06-01", "2018-05-01", "2018-02-01", "2018-01-01",
    "2017-12-01", "2017-08-01", "2017-06-01", "2017-05-10", "2017-05-01", "2017-03-01", "2016-09-01",
    "2016-07-01", "2016-06-01", "2016-02-01", "2015-11-01", "2015-01-01", "2014-04-01", "2014-01-01",
)
"""Stable versions ARM itself has accepted for years, as its `InvalidApiVersionParameter` message lists
them (the 2024 list quoted in Azure/azure-cli#28038). azure-mgmt-core's auto-registration policy still
sends 2016-02-01."""


def arm_versions(catalog: Catalog) -> list[str]:
    """Every version ARM itself accepts, newest first (as its error message lists them): the released
    list and every version the catalogue gives a `Microsoft.Resources` type."""
    provider = catalog.provider(ARM_NAMESPACE)
    versions = {v for rt in (provider or {}).get("resourceTypes", []) for v in rt["apiVersions"]}
    return sorted(versions | set(ARM_RELEASED), reverse=True)


def addressed_type(template: str, path: str, method: str = "GET") -> tuple[str, str] | None:
    """(namespace, resource type) a request addresses; None for ARM's own endpoints.

    `template` is the matched route: a route without `/providers/<namespace>` literal (resource
    groups, subscriptions, the provider registration API `/providers/{ns}`) is ARM's own. A POST to
    an action (`.../deletedVaults/{name}/purge`) addresses the type the action belongs to.
    """
    lowered = template.lower()
    if "/providers/" not in lowered or "/providers/{ns}" in lowered:
        return None
    parsed = parse_id(path)
    namespace, types = parsed["namespace"], list(parsed["types"])
    if not namespace or not types or namespace.lower() == ARM_NAMESPACE.lower():
        return None
    if method == "POST" and len(types) > 1 and len(types) > len(parsed["names"]):
        types = types[:-1]
    return namespace, "/".join(types)


def check(catalog: Catalog, world: World, request: Request, template: str) -> None:
    """Refuse the request's api-version as ARM would, unless it is supported for what it addresses."""
    version = request.api_version or ""
    addressed = addressed_type(template, request.path, request.method)
    if addressed is None:
        supported = arm_versions(catalog)
        if version.lower() not in (v.lower() for v in supported):
            raise ArmError(400, "InvalidApiVersionParameter", f"The api-version '{version}' is invalid. "
                           f"The supported versions are '{','.join(supported)}'.")
        return
    problem = type_problem(catalog, "/".join(addressed), version, lambda: _location(world, request))
    if problem is not None:
        raise problem


def type_problem(catalog: Catalog, resource_type: str, version: str, location: Callable[[], str]) -> ArmError | None:
    """ARM's refusal of a resource type that does not exist, or of an api-version its provider does
    not offer for it (`InvalidResourceNamespace`, `InvalidResourceType`, `NoRegisteredProviderFound`,
    which names `location()`); None when both exist. Templates meet the same refusal at submission."""
    namespace, _, rtype = resource_type.partition("/")
    provider = catalog.provider(namespace)
    if provider is None:
        return ArmError(400, "InvalidResourceNamespace", f"The resource namespace '{namespace}' is invalid.")
    entry = next((rt for rt in provider["resourceTypes"] if rt["resourceType"].lower() == rtype.lower()), None)
    if entry is None:
        return ArmError(400, "InvalidResourceType", f"The resource type '{rtype}' could not be found in the "
                        f"namespace '{provider['namespace']}' for api version '{version}'.")
    offered = list(entry["apiVersions"])
    if provider["namespace"] == ARM_NAMESPACE:
        offered += [v for v in ARM_RELEASED if v not in offered]
    if version.lower() in (v.lower() for v in offered):
        return None
    locations = ", ".join(entry["locations"])
    return ArmError(
        400,
        "NoRegisteredProviderFound",
        f"No registered resource provider found for location '{location()}' and API version "
        f"'{version}' for type '{entry['resourceType']}'. The supported api-versions are "
        f"'{', '.join(sorted(offered))}'."
        + (f" The supported locations are '{locations}'." if locations else ""),
    )


def _location(world: World, request: Request) -> str:
    """The location ARM names in its refusal: the body's, the stored resource's, or the path's."""
    body: Any = None
    if request.method in ("PUT", "PATCH"):
        try:
            body = request.json(required=False)
        except ArmError:
            body = None
    if isinstance(body, dict) and isinstance(body.get("location"), str):
        return str(body["location"])
    stored = world.resources.get(request.path.lower())
    if stored is not None and stored.get("location"):
        return str(stored["location"])
    parts = request.path.split("/")
    lowered = [p.lower() for p in parts]
    if "locations" in lowered and lowered.index("locations") + 1 < len(parts):
        return parts[lowered.index("locations") + 1]
    return "global"
