"""What fits where: VM SKUs, vCPU quota, Cognitive Services models and TPM quota (rows 15-17).

TPM usage is live: model deployments created in the sandbox (directly or by a deployment) add
their capacity to the seeded `currentValue`, and a deployment that would exceed the limit fails
with `InsufficientQuota`, as in Azure.
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


ROUTES = [
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Compute/skus", list_skus),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/usages", list_compute_usages),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.CognitiveServices/locations/{loc}/models", list_models),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.CognitiveServices/locations/{loc}/usages",
     list_cognitive_usages),
]
