"""The caller's effective permissions (arm-sandbox.md row 19) and the policy assignments.

The wizard asks whether the caller may write role assignments; the seed makes the caller Owner
everywhere except aif-prod, where Contributor's `notActions` exclude `Microsoft.Authorization/*`
writes. Resource-group scope answers the same as the subscription (no RG-level assignments).

Policy assignments are listed as `az policy assignment list` reads them, and enforced where the
seed assigns the built-in "Not allowed resource types": creating such a type fails with
`RequestDisallowedByPolicy`, as in Azure (unless the assignment is `DoNotEnforce`).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING

from sandbox.paging import page
from sandbox.wire import ArmError, Reply, Request

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


NOT_ALLOWED_TYPES = "6c112d4e-5bc7-47ae-a041-ea2d9dccd749"
"""Name of the built-in "Not allowed resource types" policy definition."""


def list_policy_assignments(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers/Microsoft.Authorization/policyAssignments[?$filter=atScope()].

    Every seeded assignment is at subscription scope, so `atScope()` and no filter list the same.
    """
    sub_id = arm.subscription(sub)["subscriptionId"]
    items = copy.deepcopy(arm.catalog.policy_assignments.get(sub_id.lower(), []))
    return page(request, items, arm.page_size)


def policy_denial(arm: Arm, subscription_id: str, resource_id: str, resource_type: str) -> ArmError | None:
    """ARM's 403 `RequestDisallowedByPolicy` when an enforced assignment forbids the type."""
    for assignment in arm.catalog.policy_assignments.get(subscription_id.lower(), []):
        props = assignment["properties"]
        if props.get("enforcementMode") == "DoNotEnforce" or not props["policyDefinitionId"].endswith(
                NOT_ALLOWED_TYPES):
            continue
        forbidden = (props.get("parameters", {}).get("listOfResourceTypesNotAllowed") or {}).get("value", [])
        if resource_type.lower() in (t.lower() for t in forbidden):
            name = resource_id.rstrip("/").rsplit("/", 1)[-1]
            identifiers = json.dumps([{
                "policyAssignment": {"name": props["displayName"], "id": assignment["id"]},
                "policyDefinition": {"name": "Not allowed resource types", "id": props["policyDefinitionId"]},
            }], separators=(",", ":"))
            return ArmError(403, "RequestDisallowedByPolicy",
                            f"Resource '{name}' was disallowed by policy. Policy identifiers: '{identifiers}'.")
    return None


ROUTES = [
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments", list_policy_assignments),
    ("GET", "/subscriptions/{sub}/providers/Microsoft.Authorization/permissions", subscription_permissions),
    ("GET", "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Authorization/permissions",
     group_permissions),
]
