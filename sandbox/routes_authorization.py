"""The caller's effective permissions (arm-sandbox.md row 19).

The wizard asks whether the caller may write role assignments; the seed makes the caller Owner
everywhere except aif-prod, where Contributor's `notActions` exclude `Microsoft.Authorization/*`
writes. Resource-group scope answers the same as the subscription (no RG-level assignments).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from sandbox.paging import page
from sandbox.wire import Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm


def subscription_permissions(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.Authorization/permissions."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    items = copy.deepcopy(arm.catalog.permissions.get(sub_id.lower(), []))
    return page(request, items, arm.page_size)


def group_permissions(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """GET /subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Authorization/permissions."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    arm.resource_group(sub_id, rg)
    items = copy.deepcopy(arm.catalog.permissions.get(sub_id.lower(), []))
    return page(request, items, arm.page_size)


def allows(arm: Arm, subscription_id: str, action: str) -> bool:
    """Does the caller's permission set allow `action` (wildcards as ARM evaluates them)?"""
    import fnmatch

    for entry in arm.catalog.permissions.get(subscription_id.lower(), []):
        granted = any(fnmatch.fnmatch(action.lower(), a.lower()) for a in entry["actions"])
        denied = any(fnmatch.fnmatch(action.lower(), a.lower()) for a in entry["notActions"])
        if granted and not denied:
            return True
    return False


ROUTES = [
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Authorization/permissions", subscription_permissions),
    ("GET", "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Authorization/permissions",
     group_permissions),
]
