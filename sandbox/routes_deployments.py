"""Deployment endpoints at subscription and resource-group scope (arm-sandbox.md rows 7-14).

PUT answers 201 with `Azure-AsyncOperation` and `Retry-After`; the status URL, the deployment
and its operations are then read against the clock (see `sandbox.deployments`). What-if answers
202 with `Location`; validate answers 200 or 400 `InvalidTemplate`. Row 14's quirk is served:
resource-group operations also live at `/subscriptions/{s}/resourcegroups/{rg}/deployments/{d}/
operations` (no `/providers/Microsoft.Resources`), which is where the SDK reads them.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from sandbox import durations
from sandbox.deployments import (
    cancel,
    groom_history,
    is_active,
    key_of,
    render_deployment,
    render_validation,
    schedule,
    status,
    status_body,
    visible,
    visible_operations,
)
from sandbox.json_positions import JsonText
from sandbox.paging import page
from sandbox.plans import Plan, build_plan, read_body, scope_id
from sandbox.preflight import preflight
from sandbox.templates import Origin
from sandbox.what_if import what_if_changes
from sandbox.wire import ArmError, Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm


def _scope(arm: Arm, sub: str, rg: str | None, *, write: bool = False) -> tuple[str, str | None]:
    sub_id = arm.subscription(sub, write=write)["subscriptionId"]
    if rg is not None:
        rg = (arm.writable_group(sub_id, rg) if write else arm.resource_group(sub_id, rg))["name"]
    return sub_id, rg


def _record(arm: Arm, sub_id: str, rg: str | None, name: str) -> dict[str, Any]:
    record = arm.world.deployments.get(key_of(scope_id(sub_id, rg), name))
    if record is None or not visible(record, arm.now()):
        raise ArmError(404, "DeploymentNotFound", f"Deployment '{name}' could not be found.")
    return record


def _base(sub_id: str, rg: str | None, name: str) -> str:
    return f"{scope_id(sub_id, rg)}/providers/Microsoft.Resources/deployments/{name}"


def put_deployment(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """PUT a deployment: validate, preflight, schedule; 201 + Azure-AsyncOperation."""
    sub_id, rg = _scope(arm, sub, rg, write=True)
    body = request.json()
    props = read_body(body, name, subscription_scope=rg is None, text=JsonText.of(request.body))
    location = body.get("location")
    now = arm.now()
    key = key_of(scope_id(sub_id, rg), name)
    existing = arm.world.deployments.get(key)
    if existing is not None and visible(existing, now):
        if is_active(existing, now):
            raise ArmError(
                409,
                "DeploymentActive",
                f"Unable to edit or replace deployment '{name}': previous deployment from "
                f"'{existing['correlation_id']}' is still active. Please see "
                "https://aka.ms/arm-deploy for usage details.",
            )
        old_region = arm.catalog.region(str(existing.get("location") or ""))
        new_region = arm.catalog.region(str(location or ""))
        if rg is None and old_region and new_region and old_region["name"] != new_region["name"]:
            raise ArmError(
                400,
                "InvalidDeploymentLocation",
                f"Invalid deployment location '{location}'. The deployment '{name}' already exists "
                f"in location '{existing['location']}'.",
            )
    groom_history(arm, scope_id(sub_id, rg), now, adding=name)
    plan = build_plan(arm, subscription=sub_id, resource_group=rg, name=name, location=location, properties=props,
                      origin=Origin(JsonText.of(request.body)))
    preflight(arm, plan)
    if existing is not None:
        arm.world.operations[existing["status_op"]] = {
            "kind": "deployment-status",
            "body": status_body(existing, now),
            "done_at": 0.0,
        }
    record = schedule(arm, plan, now, tags=body.get("tags"))
    arm.world.deployments[key] = record
    status_url = request.url_for(
        f"{_base(sub_id, rg, name)}/operationStatuses/{record['status_op']}",
        **{"api-version": request.api_version or ""},
    )
    headers = {"Azure-AsyncOperation": status_url, "Retry-After": arm.retry_after()}
    return Reply(201, render_deployment(record, now), headers)


def get_deployment(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """GET a deployment (`DeploymentExtended`)."""
    sub_id, rg = _scope(arm, sub, rg)
    return Reply(200, render_deployment(_record(arm, sub_id, rg, name), arm.now()))


def head_deployment(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """HEAD a deployment: 204 or 404."""
    sub_id, rg = _scope(arm, sub, rg)
    record = arm.world.deployments.get(key_of(scope_id(sub_id, rg), name))
    return Reply(204 if record is not None and visible(record, arm.now()) else 404)


def delete_deployment(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """DELETE a deployment record (not its resources): 202 + Location."""
    sub_id, rg = _scope(arm, sub, rg, write=True)
    record = _record(arm, sub_id, rg, name)
    now = arm.now()
    if is_active(record, now):
        raise ArmError(
            409,
            "DeploymentActive",
            f"The deployment '{name}' is active and cannot be deleted until it completes.",
        )
    del arm.world.deployments[key_of(scope_id(sub_id, rg), name)]
    op_id = arm.new_id("operation").replace("-", "").upper()
    arm.world.operations[op_id] = {"kind": "deployment-delete", "done_at": now + arm.clock.scaled(1.0)}
    location = request.url_for(
        f"/subscriptions/{sub_id}/operationresults/{op_id}", **{"api-version": request.api_version or ""}
    )
    return Reply(202, None, {"Location": location, "Retry-After": "1"})


def list_deployments(arm: Arm, request: Request, sub: str, rg: str | None = None) -> Reply:
    """GET the deployments at a scope (`$filter=provisioningState eq 'X'`, `$top`)."""
    sub_id, rg = _scope(arm, sub, rg)
    now = arm.now()
    scope = scope_id(sub_id, rg).lower() + "|"
    records = [r for k, r in sorted(arm.world.deployments.items()) if k.startswith(scope) and visible(r, now)]
    match = re.search(r"provisioningState\s+eq\s+'([^']+)'", request.param("$filter") or "", re.IGNORECASE)
    if match:
        records = [r for r in records if status(r, now).lower() == match.group(1).lower()]
    records.sort(key=lambda r: r["submitted"], reverse=True)
    top = request.param("$top")
    if top and top.isdigit():
        records = records[: int(top)]
    return page(request, [render_deployment(r, now) for r in records], arm.page_size)


def get_status(arm: Arm, request: Request, sub: str, name: str, op: str, rg: str | None = None) -> Reply:
    """GET .../operationStatuses/{id}: `{status}` (Running, Succeeded, Failed, Canceled)."""
    sub_id, rg = _scope(arm, sub, rg)
    now = arm.now()
    record = arm.world.deployments.get(key_of(scope_id(sub_id, rg), name))
    if record is not None and record["status_op"].lower() == op.lower():
        body = status_body(record, now)
        headers = {"Retry-After": arm.retry_after()} if body["status"] == "Running" else {}
        return Reply(200, body, headers)
    archived = arm.world.operations.get(op.upper()) or arm.world.operations.get(op)
    if archived is not None and archived.get("kind") == "deployment-status":
        return Reply(200, copy.deepcopy(archived["body"]))
    raise ArmError(404, "OperationNotFound", f"The operation '{op}' could not be found.")


def _requested_plan(arm: Arm, request: Request, sub: str, name: str, rg: str | None) -> tuple[str, Plan]:
    """The subscription id and the plan of the deployment a validate or what-if request describes."""
    sub_id, rg = _scope(arm, sub, rg, write=True)
    body = request.json()
    text = JsonText.of(request.body)
    props = read_body(body, name, subscription_scope=rg is None, text=text)
    groom_history(arm, scope_id(sub_id, rg), arm.now())
    plan = build_plan(arm, subscription=sub_id, resource_group=rg, name=name, location=body.get("location"),
                      properties=props, origin=Origin(text))
    preflight(arm, plan)
    return sub_id, plan


def validate(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """POST .../validate: 200 `DeploymentValidateResult`, or 400 `InvalidTemplate`."""
    _, plan = _requested_plan(arm, request, sub, name, rg)
    return Reply(200, render_validation(plan, arm.new_id("correlation"), arm.now()))


def what_if(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """POST .../whatIf: 202 + Location; the result is ready after a couple of seconds."""
    sub_id, plan = _requested_plan(arm, request, sub, name, rg)
    changes = what_if_changes(arm, plan)
    op_id = arm.new_id("operation").replace("-", "").upper()
    arm.world.operations[op_id] = {
        "kind": "whatif",
        "done_at": arm.now() + arm.clock.scaled(durations.WHAT_IF_SECONDS),
        "result": {"status": "Succeeded", "properties": {"changes": changes}},
    }
    location = request.url_for(
        f"/subscriptions/{sub_id}/operationresults/{op_id}", **{"api-version": request.api_version or ""}
    )
    return Reply(202, None, {"Location": location, "Retry-After": "1"})


def cancel_deployment(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """POST .../cancel: 204, or 409 when the deployment is not Accepted/Running."""
    sub_id, rg = _scope(arm, sub, rg, write=True)
    record = _record(arm, sub_id, rg, name)
    now = arm.now()
    if not is_active(record, now):
        raise ArmError(
            409,
            "DeploymentCannotBeCancelled",
            f"The deployment '{name}' cannot be cancelled because it is in "
            f"'{status(record, now)}' state. Only deployments in 'Accepted' or 'Running' state "
            "can be cancelled.",
        )
    cancel(arm, record, now)
    return Reply(204)


def export_template(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """POST .../exportTemplate: the template the deployment ran."""
    sub_id, rg = _scope(arm, sub, rg)
    record = _record(arm, sub_id, rg, name)
    return Reply(200, {"template": copy.deepcopy(record["properties"].get("template", {}))})


def list_operations(arm: Arm, request: Request, sub: str, name: str, rg: str | None = None) -> Reply:
    """GET .../operations: the operations that have started."""
    sub_id, rg = _scope(arm, sub, rg)
    record = _record(arm, sub_id, rg, name)
    return page(request, visible_operations(record, arm.now()), arm.page_size)


def get_operation(arm: Arm, request: Request, sub: str, name: str, op: str, rg: str | None = None) -> Reply:
    """GET .../operations/{id}."""
    sub_id, rg = _scope(arm, sub, rg)
    record = _record(arm, sub_id, rg, name)
    for rendered in visible_operations(record, arm.now()):
        if rendered["operationId"].lower() == op.lower():
            return Reply(200, rendered)
    raise ArmError(404, "DeploymentOperationNotFound", f"Deployment operation '{op}' could not be found.")


def _rg(handler: Any) -> Any:
    """Adapt a handler to the resource-group routes (`rg` comes from the path)."""

    def wrapped(arm: Arm, request: Request, sub: str, rg: str, **params: Any) -> Reply:
        return handler(arm, request, sub=sub, rg=rg, **params)

    wrapped.__doc__ = handler.__doc__
    return wrapped


_SUB = "/subscriptions/{sub}/providers/Microsoft.Resources/deployments"
_RG = "/subscriptions/{sub}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments"
_RG_QUIRK = "/subscriptions/{sub}/resourcegroups/{rg}/deployments"

ROUTES: list[tuple[str, str, Any]] = []
for _prefix, _wrap in ((_SUB, lambda h: h), (_RG, _rg)):
    ROUTES += [
        ("GET", _prefix, _wrap(list_deployments)),
        ("PUT", _prefix + "/{name}", _wrap(put_deployment)),
        ("GET", _prefix + "/{name}", _wrap(get_deployment)),
        ("HEAD", _prefix + "/{name}", _wrap(head_deployment)),
        ("DELETE", _prefix + "/{name}", _wrap(delete_deployment)),
        ("GET", _prefix + "/{name}/operationStatuses/{op}", _wrap(get_status)),
        ("POST", _prefix + "/{name}/validate", _wrap(validate)),
        ("POST", _prefix + "/{name}/whatIf", _wrap(what_if)),
        ("POST", _prefix + "/{name}/cancel", _wrap(cancel_deployment)),
        ("POST", _prefix + "/{name}/exportTemplate", _wrap(export_template)),
        ("GET", _prefix + "/{name}/operations", _wrap(list_operations)),
        ("GET", _prefix + "/{name}/operations/{op}", _wrap(get_operation)),
    ]
ROUTES += [
    ("GET", _RG_QUIRK + "/{name}/operations", _rg(list_operations)),
    ("GET", _RG_QUIRK + "/{name}/operations/{op}", _rg(get_operation)),
]
