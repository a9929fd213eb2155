"""What-if: the changes a deployment would make, predicted from the plan and the world.

Create for what does not exist, NoChange or Modify (with a property delta) for what does, and
for the rest of a resource group Ignore (incremental mode) or Delete (complete mode). A nested
deployment with a `templateLink` cannot be predicted: Unsupported, as ARM says.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from sandbox.plans import Plan
from sandbox.resources import in_scope, parse_id, render
from sandbox.templates import PlannedResource

if TYPE_CHECKING:
    from sandbox.arm import Arm

_ENVELOPE = ("location", "tags", "sku", "kind", "identity", "zones", "properties", "plan", "managedBy")


def _after(item: PlannedResource) -> dict[str, Any]:
    after: dict[str, Any] = {
        "id": item.id,
        "name": item.name.split("/")[-1],
        "type": item.type,
        "apiVersion": item.api_version,
    }
    for key in _ENVELOPE:
        if key in item.body:
            after[key] = copy.deepcopy(item.body[key])
    return after


def _delta(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in after.items():
            child = f"{path}.{key}" if path else key
            if key not in before and isinstance(value, dict) and value:
                changes += _delta({}, value, child)
            elif key not in before:
                changes.append({"path": child, "propertyChangeType": "Create", "after": value})
            else:
                changes += _delta(before[key], value, child)
        return changes
    if before != after:
        changes.append({"path": path, "propertyChangeType": "Modify", "before": before, "after": after})
    return changes


def what_if_changes(arm: Arm, plan: Plan) -> list[dict[str, Any]]:
    """Predicted changes: Create, Modify, NoChange, and Ignore/Delete for the rest of a group."""
    changes: list[dict[str, Any]] = []
    mentioned: set[str] = set()
    _collect_changes(arm, plan, changes, mentioned)
    if plan.resource_group:
        complete = plan.properties.get("mode") == "Complete"
        for resource in in_scope(arm.world, plan.subscription, plan.resource_group):
            rid = resource["id"].lower()
            if any(rid == m or rid.startswith(m + "/") for m in mentioned):
                continue
            view = render(arm.world, resource)
            if complete:
                changes.append({"resourceId": resource["id"], "changeType": "Delete", "before": view})
            else:
                changes.append({"resourceId": resource["id"], "changeType": "Ignore", "before": view})
    return changes


def _collect_changes(arm: Arm, plan: Plan, changes: list[dict[str, Any]], mentioned: set[str]) -> None:
    for index, item in enumerate(plan.planned):
        if item.nested is not None:
            child = plan.children[index]
            if child.linked:
                changes.append({
                    "resourceId": item.id,
                    "changeType": "Unsupported",
                    "unsupportedReason": "Changes to nested deployments that use 'templateLink' "
                    "cannot be predicted.",
                })
            else:
                _collect_changes(arm, child, changes, mentioned)
            continue
        mentioned.add(item.id.lower())
        after = _after(item)
        existing = _existing_view(arm, item)
        if existing is None:
            changes.append({"resourceId": item.id, "changeType": "Create", "after": after})
            continue
        before = {k: v for k, v in existing.items() if k in after or k in ("id", "name", "type")}
        before["apiVersion"] = item.api_version
        comparable = {k: v for k, v in after.items() if k not in ("id", "name", "type", "apiVersion")}
        delta = _delta(existing, comparable)
        if delta:
            changes.append({
                "resourceId": item.id,
                "changeType": "Modify",
                "before": before,
                "after": {**before, **after},
                "delta": delta,
            })
        else:
            changes.append({"resourceId": item.id, "changeType": "NoChange", "before": before, "after": before})


def _existing_view(arm: Arm, item: PlannedResource) -> dict[str, Any] | None:
    if item.type.lower() == "microsoft.resources/resourcegroups":
        parsed = parse_id(item.id)
        group = arm.world.resource_groups.get(f"{parsed['subscription']}/{parsed['resource_group']}".lower())
        if group is None:
            return None
        from sandbox.routes_resources import render_group

        view = render_group(group)
        view.pop("properties", None)
        view.setdefault("tags", {})
        return view
    resource = arm.world.resources.get(item.id.lower())
    if resource is None:
        return None
    view = render(arm.world, resource)
    props = view.get("properties")
    if isinstance(props, dict):
        props.pop("provisioningState", None)
    return view

