"""Subscriptions, tenants and locations (arm-sandbox.md rows 1-3).

Shapes follow the official examples GetSubscriptions.json, GetTenants.json and GetLocations.json.
Only subscriptions of the caller's home tenant are listed: the partner tenant is visible in
`/tenants` but holds nothing the caller can read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.paging import page
from sandbox.wire import Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm


def render_subscription(sub: dict[str, Any]) -> dict[str, Any]:
    """A subscription as `GET /subscriptions/{id}` returns it."""
    return {
        "id": f"/subscriptions/{sub['subscriptionId']}",
        "authorizationSource": sub["authorizationSource"],
        "managedByTenants": [dict(t) for t in sub["managedByTenants"]],
        "subscriptionId": sub["subscriptionId"],
        "tenantId": sub["tenantId"],
        "displayName": sub["displayName"],
        "state": sub["state"],
        "subscriptionPolicies": dict(sub["subscriptionPolicies"]),
        "tags": dict(sub["tags"]),
    }


def list_subscriptions(arm: Arm, request: Request) -> Reply:
    """GET /subscriptions."""
    home = arm.catalog.caller["tenantId"]
    items = [render_subscription(s) for s in arm.catalog.subscriptions if s["tenantId"] == home]
    return page(request, items, arm.page_size)


def get_subscription(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}."""
    return Reply(200, render_subscription(arm.subscription(sub)))


def list_tenants(arm: Arm, request: Request) -> Reply:
    """GET /tenants."""
    items = [{"id": f"/tenants/{t['tenantId']}", **t} for t in arm.catalog.tenants]
    return page(request, items, arm.page_size)


def render_location(sub_id: str, region: dict[str, Any]) -> dict[str, Any]:
    """One region as `GET /subscriptions/{s}/locations` lists it."""
    base = f"/subscriptions/{sub_id}/locations"
    return {
        "id": f"{base}/{region['name']}",
        "name": region["name"],
        "type": "Region",
        "displayName": region["displayName"],
        "regionalDisplayName": region["regionalDisplayName"],
        "metadata": {
            "regionType": "Physical",
            "regionCategory": "Recommended",
            "geography": region["geography"],
            "geographyGroup": region["geographyGroup"],
            "longitude": region["longitude"],
            "latitude": region["latitude"],
            "physicalLocation": region["physicalLocation"],
            "pairedRegion": [
                {"name": region["pairedRegion"], "id": f"{base}/{region['pairedRegion']}"}
            ],
        },
        "availabilityZoneMappings": [
            {"logicalZone": zone, "physicalZone": f"{region['name']}-az{zone}"}
            for zone in region["zones"]
        ],
    }


def list_locations(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/locations."""
    subscription = arm.subscription(sub)
    sub_id = subscription["subscriptionId"]
    return page(request, [render_location(sub_id, r) for r in arm.catalog.regions], arm.page_size)


ROUTES = [
    ("GET", "/subscriptions", list_subscriptions),
    ("GET", "/tenants", list_tenants),
    ("GET", "/subscriptions/{sub}", get_subscription),
    ("GET", "/subscriptions/{sub}/locations", list_locations),
]
