"""What fits where: VM SKUs, vCPU quota, Cognitive Services models and TPM quota (rows 15-17),
AI Search service quota per SKU and Cosmos DB's access per region.

Usage is live: model deployments and search services created in the sandbox (directly or by a
deployment) add to the seeded `currentValue`, and one that would exceed its limit fails with
`InsufficientQuota` or `ServiceQuotaExceeded`, as in Azure.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from sandbox.paging import page
from sandbox.resources import parse_id
from sandbox.wire import ArmError, Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm

MODEL_DEPLOYMENT = "microsoft.cognitiveservices/accounts/deployments"
ACCOUNT = "microsoft.cognitiveservices/accounts"


def _region(arm: Arm, location: str, resource_type: str, namespace: str) -> str:
    region = arm.catalog.region(location)
    if region is None:
        raise ArmError(
            400,
            "NoRegisteredProviderFound",
            f"No registered resource provider found for location '{location}' and API version "
            f"for type '{resource_type}'. The supported locations are "
            f"'{', '.join(r['name'] for r in arm.catalog.regions)}' (namespace {namespace}).",
        )
    return str(region["name"])


def list_skus(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.Compute/skus[?$filter=location eq 'x']."""
    arm.subscription(sub)
    text = request.param("$filter") or ""
    match = re.search(r"location\s+eq\s+'([^']*)'", text, re.IGNORECASE)
    items = arm.catalog.vm_skus
    if match:
        region = arm.catalog.region(match.group(1))
        wanted = region["name"] if region else match.group(1).lower()
        items = [s for s in items if s["locations"][0] == wanted]
    return page(request, copy.deepcopy(items), arm.page_size)


def list_compute_usages(arm: Arm, request: Request, sub: str, loc: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.Compute/locations/{l}/usages."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    region = _region(arm, loc, "locations/usages", "Microsoft.Compute")
    rows = arm.catalog.compute_usages.get(f"{sub_id}/{region}".lower(), [])
    return page(request, copy.deepcopy(rows), arm.page_size)


def list_models(arm: Arm, request: Request, sub: str, loc: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{l}/models."""
    arm.subscription(sub)
    region = _region(arm, loc, "locations/models", "Microsoft.CognitiveServices")
    return page(request, copy.deepcopy(arm.catalog.models.get(region, [])), arm.page_size)


def _account_region(arm: Arm, account_id: str) -> str | None:
    account = arm.world.resources.get(account_id.lower())
    if account is None:
        return None
    region = arm.catalog.region(str(account.get("location", "")))
    return str(region["name"]) if region else None


def deployed_capacity(arm: Arm, sub_id: str, region: str, exclude: str | None = None) -> dict[str, int]:
    """Capacity (thousands of TPM) held by live model deployments, by usage name."""
    held: dict[str, int] = {}
    prefix = f"/subscriptions/{sub_id}/".lower()
    for key, resource in arm.world.resources.items():
        if not key.startswith(prefix) or str(resource.get("type", "")).lower() != MODEL_DEPLOYMENT:
            continue
        if exclude is not None and key == exclude.lower():
            continue
        account_id = resource["id"].rsplit("/deployments/", 1)[0]
        if _account_region(arm, account_id) != region:
            continue
        usage = usage_name(resource)
        if usage:
            held[usage] = held.get(usage, 0) + int((resource.get("sku") or {}).get("capacity") or 0)
    return held


def usage_name(resource: dict[str, Any]) -> str | None:
    """`OpenAI.<Sku>.<model>` for a model deployment body."""
    sku = (resource.get("sku") or {}).get("name")
    model = ((resource.get("properties") or {}).get("model") or {}).get("name")
    if not sku or not model:
        return None
    return f"OpenAI.{sku}.{model}"


def cognitive_usages(arm: Arm, sub_id: str, region: str) -> list[dict[str, Any]]:
    """Seeded usages plus what live accounts and model deployments hold."""
    rows = copy.deepcopy(arm.catalog.cognitive_usages.get(f"{sub_id}/{region}".lower(), []))
    held = deployed_capacity(arm, sub_id, region)
    prefix = f"/subscriptions/{sub_id}/".lower()
    accounts = sum(
        1
        for key, r in arm.world.resources.items()
        if key.startswith(prefix) and str(r.get("type", "")).lower() == ACCOUNT
    )
    for row in rows:
        name = row["name"]["value"]
        if name == "AccountCount":
            row["currentValue"] += accounts
        else:
            row["currentValue"] += held.get(name, 0)
    return rows


def list_cognitive_usages(arm: Arm, request: Request, sub: str, loc: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.CognitiveServices/locations/{l}/usages."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    region = _region(arm, loc, "locations/usages", "Microsoft.CognitiveServices")
    return page(request, cognitive_usages(arm, sub_id, region), arm.page_size)


def quota_problem(arm: Arm, resource_id: str, body: dict[str, Any], account_location: str | None) -> ArmError | None:
    """`InsufficientQuota` when a model deployment asks for more TPM than is left."""
    parsed = parse_id(resource_id)
    sub_id = parsed["subscription"]
    region_entry = arm.catalog.region(account_location or "") if account_location else None
    if region_entry is None:
        region_name = _account_region(arm, resource_id.rsplit("/deployments/", 1)[0])
    else:
        region_name = region_entry["name"]
    usage = usage_name(body)
    if region_name is None or usage is None:
        return None
    requested = int((body.get("sku") or {}).get("capacity") or 0)
    rows = arm.catalog.cognitive_usages.get(f"{sub_id}/{region_name}".lower(), [])
    row = next((r for r in rows if r["name"]["value"] == usage), None)
    if row is None:
        return ArmError(
            400,
            "DeploymentModelNotSupported",
            f"The model '{usage}' is not supported in region '{region_name}' with this SKU.",
        )
    held = deployed_capacity(arm, sub_id, region_name, exclude=resource_id).get(usage, 0)
    available = row["limit"] - row["currentValue"] - held
    if requested > available:
        return ArmError(
            409,
            "InsufficientQuota",
            f"This operation require {requested} new capacity in quota Tokens Per Minute "
            f"(thousands) - {usage}, which is bigger than the current available capacity "
            f"{max(available, 0)}. The current quota usage is {row['currentValue'] + held} and the "
            f"quota limit is {row['limit']} for quota {usage}.",
        )
    return None


SEARCH_SERVICE = "microsoft.search/searchservices"


def _search_usage_name(sku: str) -> str:
    """The usage a search SKU counts against: `storage_optimized_l1` is `storageOptimizedL1`."""
    return sku.replace("_", "").lower()


def search_usages(arm: Arm, sub_id: str, region: str) -> list[dict[str, Any]]:
    """Seeded search usages plus the search services the sandbox holds in that region."""
    rows = copy.deepcopy(arm.catalog.search_usages.get(f"{sub_id}/{region}".lower(), []))
    prefix = f"/subscriptions/{sub_id}/".lower()
    held: dict[str, int] = {}
    for key, resource in arm.world.resources.items():
        if key.startswith(prefix) and str(resource.get("type", "")).lower() == SEARCH_SERVICE:
            where = arm.catalog.region(str(resource.get("location", "")))
            if where is not None and where["name"] == region:
                name = _search_usage_name(str((resource.get("sku") or {}).get("name", "")))
                held[name] = held.get(name, 0) + 1
    for row in rows:
        row["currentValue"] += held.get(row["name"]["value"].lower(), 0)
    return rows


def list_search_usages(arm: Arm, request: Request, sub: str, loc: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.Search/locations/{l}/usages (GetQuotaUsagesList)."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    region = _region(arm, loc, "locations/usages", "Microsoft.Search")
    return page(request, search_usages(arm, sub_id, region), arm.page_size)


def search_quota_problem(arm: Arm, resource_id: str, body: dict[str, Any]) -> ArmError | None:
    """ARM's 409 `ServiceQuotaExceeded` for a new search service beyond its SKU's quota."""
    if resource_id.lower() in arm.world.resources:
        return None
    region = arm.catalog.region(str(body.get("location", "")))
    sku = str((body.get("sku") or {}).get("name", ""))
    if region is None or not sku:
        return None
    sub_id = parse_id(resource_id)["subscription"]
    row = next((r for r in search_usages(arm, sub_id, region["name"])
                if r["name"]["value"].lower() == _search_usage_name(sku)), None)
    if row is None or row["currentValue"] < row["limit"]:
        return None
    return ArmError(
        409,
        "ServiceQuotaExceeded",
        f"Operation would exceed '{sku}' tier service quota. You are using {row['currentValue']} out of "
        f"{row['limit']} '{sku}' tier service quota. If you need more quota, please submit a quota increase "
        "request with issue type 'Service and subscription limits (quota)' and quota type 'Search' following "
        "https://docs.microsoft.com/en-us/azure/azure-resource-manager/resource-manager-quota-errors.",
    )


def get_cosmos_location(arm: Arm, request: Request, sub: str, loc: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.DocumentDB/locations/{l} (CosmosDBLocationGet)."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    region = _region(arm, loc, "locations", "Microsoft.DocumentDB")
    properties = arm.catalog.cosmos_locations.get(f"{sub_id}/{region}".lower())
    if properties is None:
        raise ArmError(404, "NotFound", f"Location '{loc}' was not found for Microsoft.DocumentDB.")
    return Reply(200, {
        "id": f"/subscriptions/{sub_id}/providers/Microsoft.DocumentDB/locations/{region}",
        "type": "Microsoft.DocumentDB/locations",
        "name": region,
        "properties": copy.deepcopy(properties),
    })


ROUTES = [
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Search/locations/{loc}/usages", list_search_usages),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.DocumentDB/locations/{loc}", get_cosmos_location),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Compute/skus", list_skus),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/usages", list_compute_usages),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.CognitiveServices/locations/{loc}/models", list_models),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.CognitiveServices/locations/{loc}/usages",
     list_cognitive_usages),
]
