"""Template deployments simulated against the clock.

A plan that passed ARM's checks (`sandbox.plans`, `sandbox.preflight`) is scheduled at once, the
whole tree: each resource starts when the resources it depends on have finished and takes its
type's duration (`sandbox.durations`, divided by the clock's speed); a nested
`Microsoft.Resources/deployments` becomes a child deployment whose own operations run in its
scope. Nothing runs in the background: every read computes states from the schedule and the
clock, and `advance()` writes finished resources into the world so later reads see them.

What fails once a resource is written is decided at scheduling and surfaces when its operation
ends, nested as ARM nests it: the deployment's `DeploymentFailed` holds, per failed operation,
either the provider's error itself when the provider refused the write outright (a taken or
soft-deleted name, a bad address prefix, quota: a synchronous error, answered in seconds), or a
`ResourceDeploymentFailure` around it when the resource reached provisioning state Failed
(allocation, internal errors); a failed nested deployment is a `ResourceDeploymentFailure`
targeting the nested deployment, around that deployment's own `DeploymentFailed`.

Two deployments writing one virtual network's subnets at once: the later write is refused with
`AnotherOperationInProgress`, as the network provider does. A cancel stops what has not started;
what is being written finishes (the resource exists afterwards) while the deployment is Canceled.
"""

from __future__ import annotations

import contextlib
import copy
from typing import TYPE_CHECKING, Any

from sandbox import durations, names
from sandbox.clock import iso, iso_duration
from sandbox.plans import DEPLOYMENTS_TYPE, Plan
from sandbox.resources import parse_id
from sandbox.templates import PlannedResource, echo_parameters, template_hash
from sandbox.wire import ArmError, error_object

if TYPE_CHECKING:
    from sandbox.arm import Arm

FAILED_MESSAGE = (
    "At least one resource deployment operation failed. Please list deployment operations for "
    "details. Please see https://aka.ms/arm-deployment-operations for usage details."
)
TERMINAL_FAILED = ("The resource write operation failed to complete successfully, because it reached terminal "
                   "provisioning state 'Failed'.")
ASYNCHRONOUS_CODES = frozenset({"AllocationFailed", "ZonalAllocationFailed", "InternalServerError", "RetryableError",
                                "ResourceOperationFailure", "OperationTimedOut"})
"""Root causes a provider reports after accepting the write (the resource reaches Failed); every
other code is the provider refusing the write outright."""
HISTORY_LIMIT = 800
"""Deployments a scope may hold in its history."""
GROOM_ABOVE, GROOM_TO = 700, 600
"""Beyond 700 deployments ARM deletes the oldest (finished) ones until 600 are left."""
_STATUS_TEXT = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 429: "TooManyRequests",
                500: "InternalServerError"}
_VNET = "microsoft.network/virtualnetworks"
_SUBNET = "microsoft.network/virtualnetworks/subnets"


def key_of(scope: str, name: str) -> str:
    """Key of a deployment record in `World.deployments`."""
    return f"{scope}|{name}".lower()


# --- scheduling ---------------------------------------------------------------------------------


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
    arm: Arm, plan: Plan, start: float, *, tags: dict[str, Any] | None = None, root: str | None = None
) -> dict[str, Any]:
    """Create the deployment record (and child records) for a validated plan starting at `start`.

    `root` is the key of the top-level deployment when this is a nested one.
    """
    scaled = arm.clock.scaled
    record: dict[str, Any] = {
        "scope": plan.scope,
        "subscription": plan.subscription,
        "resource_group": plan.resource_group,
        "name": plan.name,
        "location": plan.location,
        "tags": dict(tags or {}),
        "properties": _stored_properties(plan.properties),
        "parameters": echo_parameters(plan.template, plan.parameters),
        "outputs": plan.outputs,
        "template_hash": template_hash(plan.template),
        "correlation_id": arm.new_id("correlation"),
        "status_op": arm.new_id("status").replace("-", "").upper()[:16],
        "submitted": start,
        "ready": start + scaled(durations.ACCEPT_SECONDS),
        "visible_from": start if root else 0.0,
        "root": root or key_of(plan.scope, plan.name),
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
    for index in _order(plan.deps):
        item = plan.planned[index]
        if any(d in blocked for d in plan.deps[index]):
            blocked.add(index)
            continue
        t0 = max([record["ready"]] + [ops[d]["end"] for d in plan.deps[index]])
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
            _schedule_child(arm, plan.children[index], op, t0, record["root"])
        else:
            typical = durations.with_jitter(durations.typical(item.type), arm.faults.plan.seed,
                                            f"{record['correlation_id']}:{item.id.lower()}")
            op["end"] = t0 + scaled(typical)
            op["body"] = item.body
            op["existed"] = _exists(arm, item)
            account_location = account_locations.get(item.id.rsplit("/deployments/", 1)[0].lower())
            problem = (_subnets_busy(arm, item, t0, op["end"], record["root"])
                       or _runtime_problem(arm, item, account_location))
            if problem is not None:
                _fail(arm, op, problem, t0)
        if "error" in op:
            blocked.add(index)
        ops[index] = op
    ordered = sorted(ops.values(), key=lambda o: (o["start"], o["end"]))
    record["ops"] = ordered
    last = max((o["end"] for o in ordered), default=record["ready"])
    record["end"] = last + scaled(durations.FINISH_SECONDS)
    failed = [o["error"] for o in ordered if "error" in o]
    record["error"] = (error_object("DeploymentFailed", FAILED_MESSAGE, target=plan.id, details=failed)
                       if failed else None)
    return record


def _schedule_child(arm: Arm, child: Plan, op: dict[str, Any], t0: float, root: str) -> None:
    record = schedule(arm, child, t0, root=root)
    arm.world.deployments[key_of(child.scope, child.name)] = record
    op["child"] = key_of(child.scope, child.name)
    op["end"] = record["end"]
    if record["error"] is not None:
        op["error"] = error_object("ResourceDeploymentFailure", TERMINAL_FAILED, target=child.id,
                                   details=[record["error"]])
        op["status"] = 409


def _fail(arm: Arm, op: dict[str, Any], problem: ArmError, t0: float) -> None:
    """Record how a resource write fails: refused outright (its error as is, in seconds), or after
    provisioning (wrapped in `ResourceDeploymentFailure`, at the end of its duration)."""
    op["status"] = problem.status
    if problem.code in ASYNCHRONOUS_CODES:
        op["error"] = error_object("ResourceDeploymentFailure", TERMINAL_FAILED, target=op["resource_id"],
                                   details=[problem.to_error()])
        return
    op["synchronous"] = True
    op["error"] = problem.to_error()
    op["end"] = min(op["end"], t0 + arm.clock.scaled(durations.SYNC_FAILURE_SECONDS))


def _exists(arm: Arm, item: PlannedResource) -> bool:
    """Whether the resource is there already (ARM then answers its PUT 200 OK, not 201 Created)."""
    if item.type.lower() == "microsoft.resources/resourcegroups":
        parsed = parse_id(item.id)
        return f"{parsed['subscription']}/{parsed['resource_group']}".lower() in arm.world.resource_groups
    return item.id.lower() in arm.world.resources


def _runtime_problem(arm: Arm, item: PlannedResource, account_location: str | None) -> ArmError | None:
    from sandbox.routes_resources import runtime_problem

    if item.type.lower() == names.VAULT:
        conflict = names.creation_conflict(arm, item.id, item.body)
        if conflict is not None:
            return conflict
    return runtime_problem(arm, item.id, item.body, account_location)


# --- one virtual network, one writer at a time --------------------------------------------------


def _vnet_of(resource_type: str, resource_id: str) -> str | None:
    lowered = resource_type.lower()
    if lowered == _SUBNET:
        return resource_id.rsplit("/subnets/", 1)[0].lower()
    if lowered == _VNET:
        return resource_id.lower()
    return None


def vnet_writers(arm: Arm, vnet: str, start: float, end: float, *, other_than: str | None = None) -> list[
        dict[str, Any]]:
    """Operations of deployments (other than the tree `other_than`) writing the VNet `vnet` (lower-cased
    id) or its subnets at some time in [start, end)."""
    writers = []
    for record in arm.world.deployments.values():
        if record.get("settled") or record.get("void") or record.get("root") == other_than:
            continue
        for op in record["ops"]:
            if op.get("dropped") or "child" in op or _vnet_of(op["type"], op["resource_id"]) != vnet:
                continue
            if op["start"] < end and start < op["end"] and not op.get("synchronous"):
                writers.append(op)
    return writers


def another_operation(arm: Arm, vnet: str, tracking: str, status: int = 429) -> ArmError:
    """The network provider's refusal of a write to a VNet another operation is writing: 429 to a
    direct write (the SDK retries it after `Retry-After`), Conflict in a deployment's operation."""
    resource = arm.world.resources.get(vnet)
    location = str((resource or {}).get("location") or "westeurope")
    sub = parse_id(vnet)["subscription"]
    return ArmError(status, "AnotherOperationInProgress", "Another operation on this or dependent resource is in "
                    "progress. To retrieve status of the operation use uri: https://management.azure.com/subscriptions/"
                    f"{sub}/providers/Microsoft.Network/locations/{location}/operations/{tracking}"
                    "?api-version=2025-07-01.", headers={"Retry-After": "10"})


def _subnets_busy(arm: Arm, item: PlannedResource, start: float, end: float, root: str) -> ArmError | None:
    vnet = _vnet_of(item.type, item.id)
    if vnet is None:
        return None
    writers = vnet_writers(arm, vnet, start, end, other_than=root)
    return another_operation(arm, vnet, writers[0]["tracking"], 409) if writers else None


# --- the deployment history ----------------------------------------------------------------------


def groom_history(arm: Arm, scope: str, now: float, *, adding: str | None = None) -> None:
    """ARM's automatic deletion: beyond 700 deployments at a scope, delete the oldest finished ones
    until 600 are left. Adding a new one (`adding`, its name) when 800 remain is refused with
    `DeploymentQuotaExceeded`."""
    prefix = scope.lower() + "|"
    keys = [k for k, r in arm.world.deployments.items() if k.startswith(prefix) and not r.get("void")]
    if len(keys) > GROOM_ABOVE:
        finished = sorted((k for k in keys if not is_active(arm.world.deployments[k], now)),
                          key=lambda k: arm.world.deployments[k]["submitted"])
        for key in finished[: len(keys) - GROOM_TO]:
            del arm.world.deployments[key]
            keys.remove(key)
    if adding is not None and key_of(scope, adding) not in keys and len(keys) >= HISTORY_LIMIT:
        raise ArmError(400, "DeploymentQuotaExceeded", f"Creating the deployment '{adding}' would exceed the quota "
                       f"of '{HISTORY_LIMIT}'. The current deployment count is '{len(keys)}'. Please delete some "
                       "deployments before creating a new one, or see https://aka.ms/800LimitFix for information "
                       "on managing deployment limits.")


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
                {"id": plan.planned[d].id, "resourceType": plan.planned[d].type, "resourceName": plan.planned[d].name}
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
    return float(cancelled) if cancelled is not None else float(record["end"])


def cancel(arm: Arm, record: dict[str, Any], now: float) -> None:
    """Cancel at `now`, as ARM does: operations not started never start (nested deployments not
    started never exist), resources being written finish, running nested deployments are cancelled
    in turn; the deployment is Canceled."""
    record["cancelled_at"] = now
    for op in record["ops"]:
        if op["end"] <= now:
            continue
        child = arm.world.deployments.get(op["child"]) if "child" in op else None
        if op["start"] > now:
            op["dropped"] = True
            if child is not None:
                child["void"] = True
                child["settled"] = True
        elif child is not None:
            cancel(arm, child, now)
            op["canceled_at"] = now


def advance(arm: Arm, now: float) -> None:
    """Write the resources of finished operations into the world (idempotent).

    Operations of all deployments are applied in the order they finished, so a resource group
    created by a parent deployment exists before its nested deployment's resources are written,
    however long the sandbox was left alone. A cancelled deployment's in-flight writes still land.
    """
    pending: list[tuple[float, int, dict[str, Any], dict[str, Any]]] = []
    for record in arm.world.deployments.values():
        if record.get("settled"):
            continue
        for op in record["ops"]:
            if not op.get("applied") and not op.get("dropped") and op["end"] <= now:
                pending.append((op["end"], len(pending), record, op))
    for _end, _seq, record, op in sorted(pending, key=lambda item: (item[0], item[1])):
        op["applied"] = True
        if "error" not in op and "child" not in op:
            _apply(arm, record, op)
    for record in arm.world.deployments.values():
        done = all(op.get("applied") or op.get("dropped") for op in record["ops"])
        if not record.get("settled") and done and now >= finished_at(record):
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
    group = arm.world.resource_groups.get(f"{parsed['subscription']}/{parsed['resource_group']}".lower())
    if parsed["resource_group"] and (group is None or group.get("deleting")):
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
            if "error" not in op and "child" not in op and not op.get("dropped") and op["end"] <= finished_at(record)
        ]
    if state == "Succeeded" and record["outputs"]:
        props["outputs"] = copy.deepcopy(record["outputs"])
    if state == "Failed":
        props["error"] = copy.deepcopy(record["error"])
    body: dict[str, Any] = {"id": deployment_id(record), "name": record["name"], "type": DEPLOYMENTS_TYPE}
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
    """Operations as `GET .../operations` lists them (those that have started)."""
    rendered = [render_operation(record, op, now) for op in record["ops"]
                if op["start"] <= now and not op.get("dropped")]
    if status(record, now) == "Succeeded" and record["outputs"]:
        rendered.append(_output_operation(record))
    return rendered


def render_operation(record: dict[str, Any], op: dict[str, Any], now: float) -> dict[str, Any]:
    """One `DeploymentOperation`."""
    canceled = op.get("canceled_at")
    if canceled is not None and now >= canceled:
        state, stamp = "Canceled", float(canceled)
    elif op["end"] <= now:
        state, stamp = ("Failed" if "error" in op else "Succeeded"), op["end"]
    else:
        state, stamp = "Running", now
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
        error = copy.deepcopy(op["error"])
        props["statusMessage"] = {"error": error} if op.get("synchronous") else {"status": "Failed", "error": error}
    target: dict[str, Any] = {"id": op["resource_id"], "resourceType": op["type"], "resourceName": op["name"]}
    if op.get("api_version"):
        target["apiVersion"] = op["api_version"]
    if op.get("symbolic"):
        target["symbolicName"] = op["symbolic"]
    props["targetResource"] = target
    return {"id": f"{deployment_id(record)}/operations/{op['id']}", "operationId": op["id"], "properties": props}


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


def render_validation(plan: Plan, correlation_id: str, now: float) -> dict[str, Any]:
    """`DeploymentValidateResult` for a template that passed validation."""
    body: dict[str, Any] = {"id": plan.id, "name": plan.name, "type": DEPLOYMENTS_TYPE}
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
        "validatedResources": [{"id": item.id} for _, item in plan.walk()],
    }
    link = plan.properties.get("templateLink")
    if isinstance(link, dict):
        props["templateLink"] = {**link, "contentVersion": "1.0.0.0"}
    body["properties"] = props
    return body

