"""Template deployments simulated against the clock.

A PUT validates the template (and every nested inline template), runs ARM's preflight checks
(registration, resource groups, locations, globally unique names), then schedules the whole tree
at once: each resource starts when the resources it depends on have finished and takes a
per-type duration; a nested `Microsoft.Resources/deployments` becomes a child deployment whose
own operations run in its scope. Nothing runs in the background: every read computes states
from the schedule and the clock, and `advance()` writes finished resources into the world so
later reads (and what-if) see them. Failures (injected, quota, permissions, soft-deleted names)
are decided at scheduling time and surface when their operation ends, as `DeploymentFailed`
with the root cause nested in `details`.
"""

from __future__ import annotations

import contextlib
import copy
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox import names
from sandbox.clock import iso, iso_duration
from sandbox.resources import in_scope, parse_id, render
from sandbox.templates import (
    Context,
    PlannedResource,
    check_template,
    echo_parameters,
    evaluate,
    expand,
    resolve_dependencies,
    resolve_parameters,
    template_hash,
)
from sandbox.wire import ArmError, error_object

if TYPE_CHECKING:
    from sandbox.arm import Arm

ACCEPT_SECONDS = 1.0
"""Time a deployment spends `Accepted` before it runs."""
FINISH_SECONDS = 1.0
"""Time between the last operation ending and the deployment's terminal state."""
DEFAULT_SECONDS = 5.0
"""Duration of a resource type missing from `DURATIONS`."""

#: Simulated seconds to create one resource, by type (lower case).
DURATIONS: dict[str, float] = {
    "microsoft.resources/resourcegroups": 2,
    "microsoft.network/virtualnetworks": 6,
    "microsoft.network/virtualnetworks/subnets": 4,
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": 5,
    "microsoft.network/networksecuritygroups": 4,
    "microsoft.network/routetables": 3,
    "microsoft.network/privateendpoints": 12,
    "microsoft.network/privateendpoints/privatednszonegroups": 5,
    "microsoft.network/privatednszones": 6,
    "microsoft.network/privatednszones/virtualnetworklinks": 8,
    "microsoft.network/publicipaddresses": 4,
    "microsoft.network/bastionhosts": 20,
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections": 15,
    "microsoft.storage/storageaccounts": 12,
    "microsoft.storage/storageaccounts/blobservices/containers": 3,
    "microsoft.keyvault/vaults": 10,
    "microsoft.cognitiveservices/accounts": 15,
    "microsoft.cognitiveservices/accounts/deployments": 8,
    "microsoft.cognitiveservices/accounts/projects": 8,
    "microsoft.search/searchservices": 20,
    "microsoft.machinelearningservices/workspaces": 20,
    "microsoft.machinelearningservices/workspaces/computes": 15,
    "microsoft.containerregistry/registries": 10,
    "microsoft.insights/components": 5,
    "microsoft.insights/diagnosticsettings": 3,
    "microsoft.operationalinsights/workspaces": 8,
    "microsoft.managedidentity/userassignedidentities": 3,
    "microsoft.authorization/roleassignments": 3,
    "microsoft.documentdb/databaseaccounts": 20,
    "microsoft.app/managedenvironments": 20,
    "microsoft.containerservice/managedclusters": 20,
    "microsoft.web/sites": 10,
    "microsoft.web/serverfarms": 6,
}

DEPLOYMENTS_TYPE = "Microsoft.Resources/deployments"
FAILED_MESSAGE = (
    "At least one resource deployment operation failed. Please list deployment operations for "
    "details. Please see https://aka.ms/arm-deployment-operations for usage details."
)
_NAME = re.compile(r"[-\w\._\(\)]{1,64}")
_STATUS_TEXT = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 500: "InternalServerError"}


def scope_id(subscription: str, resource_group: str | None) -> str:
    """The id of a deployment scope."""
    base = f"/subscriptions/{subscription}"
    return f"{base}/resourceGroups/{resource_group}" if resource_group else base


def key_of(scope: str, name: str) -> str:
    """Key of a deployment record in `World.deployments`."""
    return f"{scope}|{name}".lower()


# --- preflight: from a request body to a validated plan -----------------------------------------


@dataclass
class Plan:
    """A validated deployment (and its nested deployments) ready to schedule."""

    subscription: str
    resource_group: str | None
    name: str
    location: str | None
    properties: dict[str, Any]
    template: dict[str, Any]
    parameters: dict[str, Any]
    outputs: dict[str, Any]
    planned: list[PlannedResource]
    deps: list[list[int]]
    linked: bool
    children: dict[int, Plan] = field(default_factory=dict)

    @property
    def scope(self) -> str:
        return scope_id(self.subscription, self.resource_group)

    @property
    def id(self) -> str:
        return f"{self.scope}/providers/{DEPLOYMENTS_TYPE}/{self.name}"


def read_body(body: Any, name: str, subscription_scope: bool) -> dict[str, Any]:
    """The request envelope checks ARM makes before looking at the template."""
    if not _NAME.fullmatch(name):
        raise ArmError(
            400,
            "InvalidDeploymentName",
            f"The deployment name '{name}' is invalid. It can contain only alphanumeric "
            "characters, underscores, parentheses, hyphens and periods, and cannot exceed 64 "
            "characters.",
        )
    if not isinstance(body, dict) or not isinstance(body.get("properties"), dict):
        raise ArmError(
            400,
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'Required property "
            "'properties' not found in JSON. Path '', line 1, position 2.'.",
        )
    props = body["properties"]
    if props.get("mode") not in ("Incremental", "Complete"):
        raise ArmError(
            400,
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: 'Required property "
            "'mode' not found in JSON or its value is not Incremental or Complete.'.",
        )
    if "template" not in props and "templateLink" not in props:
        raise ArmError(
            400,
            "InvalidRequestContent",
            "The request content was invalid: one of 'template' or 'templateLink' is required.",
        )
    if subscription_scope and not body.get("location"):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    return props


def build_plan(
    arm: Arm,
    *,
    subscription: str,
    resource_group: str | None,
    name: str,
    location: str | None,
    properties: dict[str, Any],
    outer: Context | None = None,
    created_groups: set[str] | None = None,
) -> Plan:
    """Validate a template and expand it (recursively for nested deployments)."""
    sub = arm.subscription(subscription, write=True)
    template = properties.get("template")
    linked = template is None
    if linked:
        template = {"$schema": "", "contentVersion": "1.0.0.0", "resources": []}
    check_template(template)
    assert isinstance(template, dict)
    group_location = None
    if resource_group:
        group = arm.world.resource_groups.get(f"{subscription}/{resource_group}".lower())
        if group is not None:
            group_location = group["location"]
            resource_group = group["name"]
        elif resource_group.lower() not in (created_groups or set()):
            raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{resource_group}' could not be found.")
    ctx = Context(
        parameters={},
        variables=template.get("variables", {}) or {},
        subscription_id=sub["subscriptionId"],
        tenant_id=sub["tenantId"],
        subscription_name=sub["displayName"],
        resource_group=resource_group,
        resource_group_location=group_location or location,
        deployment_name=name,
        deployment_location=location,
        known_resources=arm.world.resources,
    )
    if outer is not None and properties.get("_outer_parameters") is not None:
        ctx.parameters = dict(properties["_outer_parameters"])
        ctx.variables = {**(properties.get("_outer_variables") or {}), **ctx.variables}
        values = dict(ctx.parameters)
    else:
        values = resolve_parameters(template, properties.get("parameters"), ctx)
        ctx.parameters = values
    planned = expand(template, ctx)
    deps = resolve_dependencies(planned)
    outputs = evaluate(template.get("outputs", {}) or {}, ctx)
    plan = Plan(
        subscription=sub["subscriptionId"],
        resource_group=resource_group,
        name=name,
        location=location,
        properties=properties,
        template=template,
        parameters=values,
        outputs=outputs if isinstance(outputs, dict) else {},
        planned=planned,
        deps=deps,
        linked=linked,
    )
    groups = set(created_groups or set())
    groups |= {
        p.name.lower() for p in planned if p.type.lower() == "microsoft.resources/resourcegroups"
    }
    for index, item in enumerate(planned):
        if item.nested is None:
            _preflight_resource(arm, plan, item)
            continue
        nested = item.nested
        nested_props = nested["properties"]
        if nested_props.get("mode") not in ("Incremental", "Complete"):
            nested_props["mode"] = "Incremental"
        plan.children[index] = build_plan(
            arm,
            subscription=nested["subscription"],
            resource_group=nested["resource_group"],
            name=nested["name"],
            location=item.location or location,
            properties=nested_props,
            outer=ctx,
            created_groups=groups,
        )
    return plan


def _preflight_resource(arm: Arm, plan: Plan, item: PlannedResource) -> None:
    subscription = parse_id(item.id)["subscription"] or plan.subscription
    arm.ensure_registered(subscription, item.type)
    if item.location:
        _check_location(arm, item)
    if item.type.lower() in (names.STORAGE, names.REGISTRY):
        problem = names.creation_conflict(arm, item.id, item.body)
        if problem is not None:
            raise ArmError(
                400,
                "InvalidTemplateDeployment",
                f"The template deployment '{plan.name}' is not valid according to the validation "
                "procedure. See inner errors for details.",
                details=[error_object(
                    "PreflightValidationCheckFailed",
                    "Preflight validation failed. Please refer to the details for the specific errors.",
                    details=[error_object(problem.code, problem.message, target=item.name)],
                )],
            )


def _check_location(arm: Arm, item: PlannedResource) -> None:
    location = str(item.location)
    if location.lower() == "global":
        return
    provider = arm.catalog.provider(item.type.split("/")[0])
    if provider is None:
        return
    short = item.type.split("/", 1)[1].lower() if "/" in item.type else ""
    entry = next((rt for rt in provider["resourceTypes"] if rt["resourceType"].lower() == short), None)
    if entry is None or not entry["locations"] or "global" in entry["locations"]:
        return
    region = arm.catalog.region(location)
    if region is None or region["name"] not in entry["locations"]:
        raise ArmError(
            400,
            "LocationNotAvailableForResourceType",
            f"The provided location '{location}' is not available for resource type "
            f"'{item.type}'. List of available regions for the resource type is "
            f"'{','.join(entry['locations'])}'.",
        )


# --- scheduling ---------------------------------------------------------------------------------


def _duration(arm: Arm, rtype: str) -> float:
    return DURATIONS.get(rtype.lower(), DEFAULT_SECONDS) * arm.duration_scale


def _order(deps: list[list[int]]) -> list[int]:
    done: list[int] = []
    seen: set[int] = set()

    def visit(i: int) -> None:
        if i in seen:
            return
        seen.add(i)
        for d in deps[i]:
            visit(d)
        done.append(i)

    for i in range(len(deps)):
        visit(i)
    return done


def schedule(
    arm: Arm, plan: Plan, start: float, *, tags: dict[str, Any] | None = None, child: bool = False
) -> dict[str, Any]:
    """Create the deployment record (and child records) for a validated plan starting at `start`."""
    scale = arm.duration_scale
    record: dict[str, Any] = {
        "scope": plan.scope,
        "subscription": plan.subscription,
        "resource_group": plan.resource_group,
        "name": plan.name,
        "location": plan.location,
        "tags": dict(tags or {}),
        "properties": _stored_properties(plan.properties),
        "parameters": echo_parameters(plan.template, plan.parameters),
        "outputs": {
            k: {"type": str((v or {}).get("type", "string")).capitalize(), "value": (v or {}).get("value")}
            for k, v in plan.outputs.items()
        },
        "template_hash": template_hash(plan.template),
        "correlation_id": arm.new_id("correlation"),
        "status_op": arm.new_id("status").replace("-", "").upper()[:16],
        "submitted": start,
        "ready": start + ACCEPT_SECONDS * scale,
        "visible_from": start if child else 0.0,
        "cancelled_at": None,
        "settled": False,
        "ops": [],
        "dependencies": _dependencies(plan),
        "providers": _providers(plan),
    }
    account_locations = {
        p.id.lower(): p.location for p in plan.planned if p.type.lower() == "microsoft.cognitiveservices/accounts"
    }
    ops: dict[int, dict[str, Any]] = {}
    blocked: set[int] = set()
    ready = start + ACCEPT_SECONDS * scale
    for index in _order(plan.deps):
        item = plan.planned[index]
        if any(d in blocked for d in plan.deps[index]):
            blocked.add(index)
            continue
        t0 = max([ready] + [ops[d]["end"] for d in plan.deps[index]])
        op: dict[str, Any] = {
            "id": arm.new_id("op").replace("-", "").upper()[:16],
            "tracking": arm.new_id("tracking"),
            "type": item.type,
            "name": item.name,
            "resource_id": item.id,
            "api_version": item.api_version,
            "symbolic": item.symbolic,
            "start": t0,
            "applied": False,
        }
        if item.nested is not None:
            child_plan = plan.children[index]
            child_record = schedule(arm, child_plan, t0, child=True)
            arm.world.deployments[key_of(child_plan.scope, child_plan.name)] = child_record
            op["child"] = key_of(child_plan.scope, child_plan.name)
            op["end"] = child_record["end"]
            if child_record["error"] is not None:
                op["error"] = child_record["error"]
                op["status"] = 409
        else:
            op["end"] = t0 + _duration(arm, item.type)
            op["body"] = item.body
            op["existed"] = item.id.lower() in arm.world.resources
            account_location = account_locations.get(item.id.rsplit("/deployments/", 1)[0].lower())
            problem = _runtime_problem(arm, item, account_location)
            if problem is not None:
                op["error"] = problem.to_error()
                op["status"] = problem.status
        if "error" in op:
            blocked.add(index)
        ops[index] = op
    ordered = sorted(ops.values(), key=lambda o: (o["start"], o["end"]))
    record["ops"] = ordered
    last = max((o["end"] for o in ordered), default=ready)
    record["end"] = last + FINISH_SECONDS * scale
    failed = [o for o in ordered if "error" in o]
    record["error"] = _deployment_failed(plan.id, failed) if failed else None
    return record


def _runtime_problem(arm: Arm, item: PlannedResource, account_location: str | None) -> ArmError | None:
    from sandbox.routes_resources import runtime_problem

    if item.type.lower() == names.VAULT:
        conflict = names.creation_conflict(arm, item.id, item.body)
        if conflict is not None:
            return conflict
    return runtime_problem(arm, item.id, item.body, account_location)


def _deployment_failed(deployment_id: str, failed: list[dict[str, Any]]) -> dict[str, Any]:
    details = []
    for op in failed:
        if "child" in op:
            details.append(op["error"])
        else:
            details.append(error_object(
                "ResourceDeploymentFailure",
                "The resource write operation failed to complete successfully, because it "
                "reached terminal provisioning state 'Failed'.",
                target=op["resource_id"],
                details=[op["error"]],
            ))
    return error_object("DeploymentFailed", FAILED_MESSAGE, target=deployment_id, details=details)


def _stored_properties(props: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in props.items() if not k.startswith("_")}


def _dependencies(plan: Plan) -> list[dict[str, Any]]:
    out = []
    for index, deps in enumerate(plan.deps):
        if not deps:
            continue
        item = plan.planned[index]
        out.append({
            "dependsOn": [
                {
                    "id": plan.planned[d].id,
                    "resourceType": plan.planned[d].type,
                    "resourceName": plan.planned[d].name,
                }
                for d in deps
            ],
            "id": item.id,
            "resourceType": item.type,
            "resourceName": item.name,
        })
    return out


def _providers(plan: Plan) -> list[dict[str, Any]]:
    grouped: dict[str, dict[str, set[str]]] = {}
    for item in plan.planned:
        namespace, _, rest = item.type.partition("/")
        locations = grouped.setdefault(namespace, {}).setdefault(rest, set())
        if item.location:
            locations.add(item.location)
    return [
        {
            "namespace": namespace,
            "resourceTypes": [
                {"resourceType": rtype, "locations": sorted(locs)} for rtype, locs in sorted(types.items())
            ],
        }
        for namespace, types in sorted(grouped.items())
    ]


# --- state from the clock -----------------------------------------------------------------------


def visible(record: dict[str, Any], now: float) -> bool:
    """A nested deployment exists only once its operation has started (and was not cancelled)."""
    if record.get("void"):
        return False
    return now >= record.get("visible_from", 0.0)


def status(record: dict[str, Any], now: float) -> str:
    """provisioningState now: Accepted, Running, Succeeded, Failed or Canceled."""
    cancelled = record.get("cancelled_at")
    if cancelled is not None and now >= cancelled:
        return "Canceled"
    if now < record["ready"]:
        return "Accepted"
    if now < record["end"]:
        return "Running"
    return "Failed" if record.get("error") else "Succeeded"


def is_active(record: dict[str, Any], now: float) -> bool:
    """Accepted or Running."""
    return status(record, now) in ("Accepted", "Running")


def finished_at(record: dict[str, Any]) -> float:
    """When the deployment reached (or will reach) its terminal state."""
    cancelled = record.get("cancelled_at")
    return cancelled if cancelled is not None else record["end"]


def cancel(arm: Arm, record: dict[str, Any], now: float) -> None:
    """Stop a running deployment at `now` (children too); unfinished work never completes."""
    record["cancelled_at"] = now
    for op in record["ops"]:
        child_key = op.get("child")
        if not child_key or op["end"] <= now:
            continue
        child = arm.world.deployments.get(child_key)
        if child is None:
            continue
        if op["start"] > now:
            child["void"] = True
            child["settled"] = True
        else:
            cancel(arm, child, now)


def advance(arm: Arm, now: float) -> None:
    """Write the resources of finished operations into the world (idempotent).

    Operations of all deployments are applied in the order they finished, so a resource group
    created by a parent deployment exists before its nested deployment's resources are written,
    however long the sandbox was left alone.
    """
    pending: list[tuple[float, int, dict[str, Any], dict[str, Any]]] = []
    for record in arm.world.deployments.values():
        if record.get("settled"):
            continue
        cancelled = record.get("cancelled_at")
        limit = now if cancelled is None else min(now, cancelled)
        for op in record["ops"]:
            if not op.get("applied") and op["end"] <= limit:
                pending.append((op["end"], len(pending), record, op))
    for _end, _seq, record, op in sorted(pending, key=lambda item: (item[0], item[1])):
        op["applied"] = True
        if "error" not in op and "child" not in op:
            _apply(arm, record, op)
    for record in arm.world.deployments.values():
        if not record.get("settled") and now >= finished_at(record):
            record["settled"] = True
    for key in [k for k, r in arm.world.deployments.items() if r.get("void")]:
        del arm.world.deployments[key]


def _apply(arm: Arm, record: dict[str, Any], op: dict[str, Any]) -> None:
    from sandbox.routes_resources import ensure_group, put_resource

    body = op.get("body") or {}
    if op["type"].lower() == "microsoft.resources/resourcegroups":
        with contextlib.suppress(ArmError):
            ensure_group(arm, record["subscription"], op["name"], str(body.get("location", "")), body.get("tags"))
        return
    parsed = parse_id(op["resource_id"])
    group_key = f"{parsed['subscription']}/{parsed['resource_group']}".lower()
    if parsed["resource_group"] and group_key not in arm.world.resource_groups:
        return
    resource, _ = put_resource(arm, op["resource_id"], body)
    resource["_created"] = op["end"]


# --- rendering ----------------------------------------------------------------------------------


def deployment_id(record: dict[str, Any]) -> str:
    """The deployment's ARM id."""
    return f"{record['scope']}/providers/{DEPLOYMENTS_TYPE}/{record['name']}"


def render_deployment(record: dict[str, Any], now: float) -> dict[str, Any]:
    """`DeploymentExtended` as GET returns it."""
    state = status(record, now)
    terminal = state in ("Succeeded", "Failed", "Canceled")
    stamp = finished_at(record) if terminal else (record["submitted"] if state == "Accepted" else now)
    props: dict[str, Any] = {
        "templateHash": record["template_hash"],
        "parameters": copy.deepcopy(record["parameters"]),
        "mode": record["properties"].get("mode", "Incremental"),
        "provisioningState": state,
        "timestamp": iso(stamp),
        "duration": iso_duration(stamp - record["submitted"]),
        "correlationId": record["correlation_id"],
        "providers": copy.deepcopy(record["providers"]),
        "dependencies": copy.deepcopy(record["dependencies"]),
    }
    link = record["properties"].get("templateLink")
    if isinstance(link, dict):
        props["templateLink"] = {**link, "contentVersion": "1.0.0.0"}
    for key in ("debugSetting", "onErrorDeployment"):
        if key in record["properties"]:
            props[key] = copy.deepcopy(record["properties"][key])
    if terminal:
        props["outputResources"] = [
            {"id": op["resource_id"]}
            for op in record["ops"]
            if "error" not in op and "child" not in op and op["end"] <= finished_at(record)
        ]
    if state == "Succeeded" and record["outputs"]:
        props["outputs"] = copy.deepcopy(record["outputs"])
    if state == "Failed":
        props["error"] = copy.deepcopy(record["error"])
    body: dict[str, Any] = {
        "id": deployment_id(record),
        "name": record["name"],
        "type": DEPLOYMENTS_TYPE,
    }
    if record.get("location"):
        body["location"] = record["location"]
    if record.get("tags"):
        body["tags"] = dict(record["tags"])
    body["properties"] = props
    return body


def status_body(record: dict[str, Any], now: float) -> dict[str, Any]:
    """The Azure-AsyncOperation answer: `{status}` plus `error` when it failed."""
    state = status(record, now)
    body: dict[str, Any] = {"status": "Running" if state == "Accepted" else state}
    if state == "Failed":
        body["error"] = copy.deepcopy(record["error"])
    return body


def visible_operations(record: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """Operations as `GET .../operations` lists them (started ones only)."""
    cancelled = record.get("cancelled_at")
    horizon = now if cancelled is None else min(now, cancelled)
    rendered = [render_operation(record, op, now) for op in record["ops"] if op["start"] <= horizon]
    if status(record, now) == "Succeeded" and record["outputs"]:
        rendered.append(_output_operation(record))
    return rendered


def render_operation(record: dict[str, Any], op: dict[str, Any], now: float) -> dict[str, Any]:
    """One `DeploymentOperation`."""
    cancelled = record.get("cancelled_at")
    horizon = now if cancelled is None else min(now, cancelled)
    if op["end"] <= horizon:
        state = "Failed" if "error" in op else "Succeeded"
        stamp = op["end"]
    elif cancelled is not None and now >= cancelled:
        state = "Canceled"
        stamp = cancelled
    else:
        state = "Running"
        stamp = now
    props: dict[str, Any] = {
        "provisioningOperation": "Create",
        "provisioningState": state,
        "timestamp": iso(stamp),
        "duration": iso_duration(stamp - op["start"]),
        "trackingId": op["tracking"],
        "serviceRequestId": op["tracking"],
    }
    if state == "Succeeded":
        props["statusCode"] = "OK" if op.get("existed") else "Created"
    elif state == "Failed":
        props["statusCode"] = _STATUS_TEXT.get(int(op.get("status", 400)), "BadRequest")
        props["statusMessage"] = {"status": "Failed", "error": copy.deepcopy(op["error"])}
    target: dict[str, Any] = {
        "id": op["resource_id"],
        "resourceType": op["type"],
        "resourceName": op["name"],
    }
    if op.get("api_version"):
        target["apiVersion"] = op["api_version"]
    if op.get("symbolic"):
        target["symbolicName"] = op["symbolic"]
    props["targetResource"] = target
    return {
        "id": f"{deployment_id(record)}/operations/{op['id']}",
        "operationId": op["id"],
        "properties": props,
    }


def _output_operation(record: dict[str, Any]) -> dict[str, Any]:
    op_id = (record["status_op"][::-1])[:16]
    stamp = record["end"]
    return {
        "id": f"{deployment_id(record)}/operations/{op_id}",
        "operationId": op_id,
        "properties": {
            "provisioningOperation": "EvaluateDeploymentOutput",
            "provisioningState": "Succeeded",
            "timestamp": iso(stamp),
            "duration": iso_duration(0.0),
            "trackingId": record["correlation_id"],
            "statusCode": "OK",
            "statusMessage": {"status": "OK"},
        },
    }


# --- validate and what-if -----------------------------------------------------------------------


def render_validation(plan: Plan, correlation_id: str, now: float) -> dict[str, Any]:
    """`DeploymentValidateResult` for a template that passed validation."""
    body: dict[str, Any] = {
        "id": plan.id,
        "name": plan.name,
        "type": DEPLOYMENTS_TYPE,
    }
    if plan.location:
        body["location"] = plan.location
    props: dict[str, Any] = {
        "correlationId": correlation_id,
        "dependencies": _dependencies(plan),
        "diagnostics": [],
        "duration": iso_duration(0.0),
        "mode": plan.properties.get("mode", "Incremental"),
        "parameters": echo_parameters(plan.template, plan.parameters),
        "providers": _providers(plan),
        "provisioningState": "Succeeded",
        "templateHash": template_hash(plan.template),
        "timestamp": iso(now),
        "validatedResources": [{"id": p.id} for p in _all_resources(plan)],
    }
    link = plan.properties.get("templateLink")
    if isinstance(link, dict):
        props["templateLink"] = {**link, "contentVersion": "1.0.0.0"}
    body["properties"] = props
    return body


def _all_resources(plan: Plan) -> list[PlannedResource]:
    out: list[PlannedResource] = []
    for index, item in enumerate(plan.planned):
        out.append(item)
        if index in plan.children:
            out += _all_resources(plan.children[index])
    return out


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

