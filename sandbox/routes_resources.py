"""Providers, resource groups and generic resources (arm-sandbox.md rows 4-6, network reads).

* Providers list their resource types with regions as display names, as ARM does; a register
  POST answers `Registering` and later reads show `Registered` (3 s of sandbox time).
* Resource groups: PUT 201/200, HEAD 204/404, DELETE 202 + `Location` (an LRO that removes the
  group, its resources and its deployments when it completes).
* Generic resources under `/providers/...`: direct PUT/GET/PATCH/DELETE of any type, and lists of
  one type in a resource group or a subscription. Virtual networks, virtual hubs and private DNS
  zones (seeded, or created by deployments) are read through these routes.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from sandbox import bodies, durations, names
from sandbox.faults import FAILURE_STATUS
from sandbox.paging import page
from sandbox.resources import (
    children,
    find,
    in_scope,
    normalize,
    not_found,
    parse_id,
    remove_tree,
    render,
    rg_key,
    type_of,
)
from sandbox.routes_authorization import allows, policy_denial
from sandbox.routes_capacity import MODEL_DEPLOYMENT, SEARCH_SERVICE, quota_problem, search_quota_problem
from sandbox.wire import ArmError, Reply, Request

if TYPE_CHECKING:
    from sandbox.arm import Arm

# --- providers ----------------------------------------------------------------------------------


def render_provider(arm: Arm, sub_id: str, provider: dict[str, Any]) -> dict[str, Any]:
    """A provider as `GET /subscriptions/{s}/providers/{ns}` returns it."""
    display = {r["name"]: r["displayName"] for r in arm.catalog.regions}
    if provider["registrationPolicy"] == "RegistrationFree":
        state = "Registered"
    else:
        state = arm.registration_state(sub_id, provider["namespace"])
    return {
        "id": f"/subscriptions/{sub_id}/providers/{provider['namespace']}",
        "namespace": provider["namespace"],
        "registrationPolicy": provider["registrationPolicy"],
        "registrationState": state,
        "resourceTypes": [
            {
                "resourceType": rt["resourceType"],
                "locations": [display.get(loc, loc) for loc in rt["locations"]],
                "apiVersions": list(rt["apiVersions"]),
                "capabilities": rt["capabilities"],
            }
            for rt in provider["resourceTypes"]
        ],
    }


def _provider(arm: Arm, ns: str) -> dict[str, Any]:
    provider = arm.catalog.provider(ns)
    if provider is None:
        raise ArmError(404, "InvalidResourceNamespace", f"The resource namespace '{ns}' is invalid.")
    return provider


def list_providers(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/providers."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    items = [render_provider(arm, sub_id, p) for p in arm.catalog.providers]
    return page(request, items, arm.page_size)


def get_provider(arm: Arm, request: Request, sub: str, ns: str) -> Reply:
    """GET /subscriptions/{s}/providers/{ns}."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    return Reply(200, render_provider(arm, sub_id, _provider(arm, ns)))


def register_provider(arm: Arm, request: Request, sub: str, ns: str) -> Reply:
    """POST /subscriptions/{s}/providers/{ns}/register."""
    sub_id = arm.subscription(sub, write=True)["subscriptionId"]
    provider = _provider(arm, ns)
    states = arm.world.providers.setdefault(sub_id.lower(), {})
    current = arm.registration_state(sub_id, provider["namespace"])
    if current not in ("Registered", "Registering"):
        states[provider["namespace"].lower()] = {"state": "Registering", "since": arm.now()}
    return Reply(200, render_provider(arm, sub_id, provider))


def unregister_provider(arm: Arm, request: Request, sub: str, ns: str) -> Reply:
    """POST /subscriptions/{s}/providers/{ns}/unregister."""
    sub_id = arm.subscription(sub, write=True)["subscriptionId"]
    provider = _provider(arm, ns)
    if provider["registrationPolicy"] != "RegistrationFree":
        arm.world.providers.setdefault(sub_id.lower(), {})[provider["namespace"].lower()] = {
            "state": "NotRegistered",
            "since": arm.now(),
        }
    return Reply(200, render_provider(arm, sub_id, provider))


# --- resource groups ----------------------------------------------------------------------------


def render_group(group: dict[str, Any]) -> dict[str, Any]:
    """A resource group as ARM returns it."""
    body: dict[str, Any] = {
        "id": f"/subscriptions/{group['subscription']}/resourceGroups/{group['name']}",
        "name": group["name"],
        "type": "Microsoft.Resources/resourceGroups",
        "location": group["location"],
    }
    if group.get("managedBy"):
        body["managedBy"] = group["managedBy"]
    if group.get("tags"):
        body["tags"] = dict(group["tags"])
    body["properties"] = {"provisioningState": "Deleting" if group.get("deleting") else "Succeeded"}
    return body


def _check_group_name(name: str) -> None:
    if not re.fullmatch(r"[-\w\._\(\)]{1,90}", name) or name.endswith("."):
        raise ArmError(
            400,
            "InvalidResourceGroupName",
            f"The provided resource group name '{name}' has these invalid characters or is too "
            "long. The name can be up to 90 characters and contain only letters, digits, "
            "underscores, hyphens, periods (not at the end) and parentheses.",
        )


def ensure_group(
    arm: Arm, sub_id: str, name: str, location: str, tags: dict[str, Any] | None
) -> tuple[dict[str, Any], bool]:
    """Create or update a resource group (also used by deployments); returns (group, created)."""
    key = rg_key(sub_id, name)
    existing = arm.world.resource_groups.get(key)
    region = arm.catalog.region(location)
    if region is None:
        raise ArmError(
            400,
            "LocationNotAvailableForResourceGroup",
            f"The provided location '{location}' is not available for resource group. List of "
            f"available regions is '{','.join(r['name'] for r in arm.catalog.regions)}'.",
        )
    if existing is not None:
        if existing.get("deleting"):
            raise ArmError(
                409,
                "ResourceGroupBeingDeleted",
                f"The resource group '{existing['name']}' is in deprovisioning state and cannot "
                "perform this operation.",
            )
        if existing["location"] != region["name"]:
            raise ArmError(
                409,
                "InvalidResourceGroupLocation",
                f"Invalid resource group location '{location}'. The Resource group already "
                f"exists in location '{existing['location']}'.",
            )
        if tags is not None:
            existing["tags"] = dict(tags)
        return existing, False
    group = {
        "subscription": sub_id,
        "name": name,
        "location": region["name"],
        "tags": dict(tags or {}),
        "created": arm.now(),
    }
    arm.world.resource_groups[key] = group
    return group, True


def put_group(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """PUT /subscriptions/{s}/resourcegroups/{rg}."""
    sub_id = arm.subscription(sub, write=True)["subscriptionId"]
    _check_group_name(rg)
    body = request.json()
    unreadable = bodies.envelope_problem(body)
    if unreadable is not None:
        raise unreadable
    if not body.get("location"):
        raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
    group, created = ensure_group(arm, sub_id, rg, str(body["location"]), body.get("tags"))
    if body.get("managedBy"):
        group["managedBy"] = body["managedBy"]
    return Reply(201 if created else 200, render_group(group))


def get_group(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """GET /subscriptions/{s}/resourcegroups/{rg}."""
    arm.subscription(sub)
    return Reply(200, render_group(arm.resource_group(sub, rg)))


def head_group(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """HEAD /subscriptions/{s}/resourcegroups/{rg}: 204 or 404."""
    arm.subscription(sub)
    exists = rg_key(sub, rg) in arm.world.resource_groups
    return Reply(204 if exists else 404)


def patch_group(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """PATCH /subscriptions/{s}/resourcegroups/{rg} (tags)."""
    arm.subscription(sub, write=True)
    group = arm.resource_group(sub, rg)
    body = request.json()
    unreadable = bodies.envelope_problem(body)
    if unreadable is not None:
        raise unreadable
    if isinstance(body.get("tags"), dict):
        group["tags"] = dict(body["tags"])
    return Reply(200, render_group(group))


def delete_group(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """DELETE /subscriptions/{s}/resourcegroups/{rg}: 202 + Location, done after a while."""
    sub_id = arm.subscription(sub, write=True)["subscriptionId"]
    group = arm.resource_group(sub_id, rg)
    if not group.get("deleting"):
        count = len(in_scope(arm.world, sub_id, group["name"]))
        op_id = arm.new_id("operation").replace("-", "").upper()
        done_at = arm.now() + arm.clock.scaled(durations.RG_DELETE_SECONDS + durations.RG_DELETE_PER_RESOURCE * count)
        group["deleting"] = {"operation": op_id, "done_at": done_at}
        arm.world.operations[op_id] = {
            "kind": "rg-delete",
            "subscription": sub_id,
            "resource_group": group["name"],
            "done_at": done_at,
            "applied": False,
        }
    op_id = group["deleting"]["operation"]
    return Reply(202, None, _location_headers(arm, request, sub_id, op_id))


def _location_headers(arm: Arm, request: Request, sub_id: str, op_id: str) -> dict[str, str]:
    url = request.url_for(
        f"/subscriptions/{sub_id}/operationresults/{op_id}", **{"api-version": request.api_version or ""}
    )
    return {"Location": url, "Retry-After": arm.retry_after()}


def list_groups(arm: Arm, request: Request, sub: str) -> Reply:
    """GET /subscriptions/{s}/resourcegroups."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    prefix = f"{sub_id}/".lower()
    items = [
        render_group(g) for key, g in sorted(arm.world.resource_groups.items()) if key.startswith(prefix)
    ]
    return page(request, items, arm.page_size)


def advance_deletions(arm: Arm, now: float) -> None:
    """Complete resource group deletions whose time has come."""
    for op in arm.world.operations.values():
        if op.get("kind") != "rg-delete" or op.get("applied") or op["done_at"] > now:
            continue
        op["applied"] = True
        key = rg_key(op["subscription"], op["resource_group"])
        arm.world.resource_groups.pop(key, None)
        prefix = f"/subscriptions/{op['subscription']}/resourcegroups/{op['resource_group']}".lower()
        for rid in [k for k in arm.world.resources if k.startswith(prefix + "/")]:
            resource = arm.world.resources.pop(rid)
            names.soft_delete(arm, resource, now)
        for dkey in [k for k in arm.world.deployments if k.startswith(prefix + "|")]:
            del arm.world.deployments[dkey]


def operation_result(arm: Arm, request: Request, sub: str, op: str) -> Reply:
    """GET /subscriptions/{s}/operationresults/{id}: 202 while running, then the result."""
    arm.subscription(sub)
    record = arm.world.operations.get(op) or arm.world.operations.get(op.upper())
    if record is None:
        raise ArmError(404, "OperationNotFound", f"The operation '{op}' could not be found.")
    if arm.now() < record["done_at"]:
        return Reply(202, None, _location_headers(arm, request, sub, op))
    if record["kind"] == "whatif":
        return Reply(200, record["result"])
    if record["kind"] == "deployment-delete":
        return Reply(204)
    return Reply(200)


# --- generic resources --------------------------------------------------------------------------


def _resource_path(sub: str, rg: str | None, rest: str) -> tuple[str, bool]:
    """The id for a `/providers/...` path, and whether it names one resource (vs a collection)."""
    prefix = f"/subscriptions/{sub}"
    if rg is not None:
        prefix += f"/resourceGroups/{rg}"
    rid = f"{prefix}/providers/{rest}"
    parsed = parse_id(rid)
    is_item = len(parsed["names"]) == len(parsed["types"]) and bool(parsed["types"])
    return rid, is_item


def _check_parent(arm: Arm, rid: str) -> None:
    parsed = parse_id(rid)
    if len(parsed["types"]) > 1:
        parent = rid.rsplit("/", 2)[0]
        if find(arm.world, parent) is None:
            raise ArmError(
                404,
                "ParentResourceNotFound",
                f"Can not perform requested operation on nested resource. Parent resource "
                f"'{'/'.join(parsed['names'][:-1])}' not found.",
            )


def put_resource(arm: Arm, rid: str, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create or replace a resource after ARM's checks (also used by deployments' what-if)."""
    resource = normalize(rid, body, arm.catalog.caller["tenantId"], arm.now())
    key = rid.lower()
    created = key not in arm.world.resources
    if not created:
        resource["_created"] = arm.world.resources[key].get("_created", arm.now())
    arm.world.resources[key] = resource
    names.recover(arm, rid, body)
    return resource, created


def check_write(arm: Arm, rid: str, body: dict[str, Any]) -> None:
    """The checks a direct resource write meets (registration, names, permissions, quota, faults)."""
    parsed = parse_id(rid)
    unreadable = bodies.resource_problem(arm.world, rid, body)
    if unreadable is not None:
        raise unreadable
    arm.ensure_registered(parsed["subscription"], type_of(rid))
    problem = names.creation_conflict(arm, rid, body) or runtime_problem(arm, rid, body, None)
    if problem is not None:
        raise problem


def runtime_problem(
    arm: Arm, rid: str, body: dict[str, Any], account_location: str | None
) -> ArmError | None:
    """Why creating this resource fails once it runs: a body the provider refuses (bad address
    prefixes), permissions, TPM quota, injected faults.

    Deployments call this for each resource they create; `account_location` is the location of
    a model deployment's account when the account is created by the same template.
    """
    unreadable = bodies.resource_problem(arm.world, rid, body)
    if unreadable is not None:
        return unreadable
    rtype = type_of(rid)
    lowered = rtype.lower()
    subscription = parse_id(rid)["subscription"] or ""
    if lowered == "microsoft.authorization/roleassignments" and not allows(
        arm, subscription, "Microsoft.Authorization/roleAssignments/write"
    ):
        return ArmError(
            403,
            "AuthorizationFailed",
            f"The client '{arm.catalog.caller['upn']}' with object id "
            f"'{arm.catalog.caller['objectId']}' does not have authorization to perform action "
            f"'Microsoft.Authorization/roleAssignments/write' over scope '{parse_id(rid)['scope']}' "
            "or the scope is invalid. If access was recently granted, please refresh your credentials.",
        )
    if lowered == MODEL_DEPLOYMENT:
        quota = quota_problem(arm, rid, body, account_location)
        if quota is not None:
            return quota
    denial = policy_denial(arm, subscription, rid, rtype) or (
        search_quota_problem(arm, rid, body) if lowered == SEARCH_SERVICE else None)
    if denial is not None:
        return denial
    failure = arm.resource_failure(rtype)
    if failure is not None:
        return ArmError(FAILURE_STATUS.get(failure.code, 400), failure.code,
                        failure.render_message(rid.rstrip("/").rsplit("/", 1)[-1]))
    return None


def resource_item(arm: Arm, request: Request, sub: str, rest: str, rg: str | None = None) -> Reply:
    """GET/PUT/PATCH/DELETE/HEAD on one resource, or GET on a collection of one type."""
    rid, is_item = _resource_path(sub, rg, rest)
    write = request.method in ("PUT", "PATCH", "DELETE")
    sub_id = arm.subscription(sub, write=write)["subscriptionId"]
    rid = rid.replace(f"/subscriptions/{sub}", f"/subscriptions/{sub_id}", 1)
    if rg is not None:
        group = arm.writable_group(sub_id, rg) if write and is_item else arm.resource_group(sub_id, rg)
        rid = rid.replace(f"/resourceGroups/{rg}", f"/resourceGroups/{group['name']}", 1)
    if not is_item:
        if request.method != "GET":
            raise ArmError(405, "HttpMethodNotAllowed", "Collections only support GET.")
        return _list_collection(arm, request, sub_id, rg, rid)
    if request.method in ("GET", "HEAD"):
        found = find(arm.world, rid)
        if found is None:
            if request.method == "HEAD":
                return Reply(404)
            raise not_found(rid)
        return Reply(200 if request.method == "GET" else 204, render(arm.world, found))
    if request.method == "DELETE":
        existing = arm.world.resources.get(rid.lower())
        if existing is None:
            return Reply(204)
        remove_tree(arm.world, rid)
        names.soft_delete(arm, existing, arm.now())
        return Reply(200)
    body = request.json()
    if not isinstance(body, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.")
    if request.method == "PATCH":
        existing = arm.world.resources.get(rid.lower())
        if existing is None:
            raise not_found(rid)
        merged = copy.deepcopy(existing)
        for key, value in body.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key].update(value)
            else:
                merged[key] = value
        unreadable = bodies.resource_problem(arm.world, rid, merged)
        if unreadable is not None:
            raise unreadable
        resource, _ = put_resource(arm, rid, merged)
        return Reply(200, render(arm.world, resource))
    _check_parent(arm, rid)
    check_write(arm, rid, body)
    _check_vnet_free(arm, rid)
    resource, created = put_resource(arm, rid, body)
    return Reply(201 if created else 200, render(arm.world, resource))


def _check_vnet_free(arm: Arm, rid: str) -> None:
    """A direct write to a VNet (or one of its subnets) while a deployment writes it: 429
    `AnotherOperationInProgress`, as the network provider answers."""
    from sandbox.deployments import another_operation, vnet_writers

    lowered = type_of(rid).lower()
    if lowered not in (bodies.VNET, bodies.SUBNET):
        return
    vnet = rid.lower() if lowered == bodies.VNET else rid.rsplit("/subnets/", 1)[0].lower()
    now = arm.now()
    writers = vnet_writers(arm, vnet, now, now + 1e-6)
    if writers:
        raise another_operation(arm, vnet, writers[0]["tracking"])


def _list_collection(arm: Arm, request: Request, sub_id: str, rg: str | None, rid: str) -> Reply:
    parsed = parse_id(rid)
    if len(parsed["types"]) > 1:
        parent_id = rid.rsplit("/", 1)[0]
        parent = find(arm.world, parent_id)
        if parent is None:
            raise not_found(parent_id)
        child_type = parsed["types"][-1]
        view = render(arm.world, parent)
        inline = (view.get("properties") or {}).get(child_type)
        if isinstance(inline, list):
            return page(request, inline, arm.page_size)
        listed = [render(arm.world, c) for c in children(arm.world, parent["id"], child_type)]
        return page(request, listed, arm.page_size)
    wanted = type_of(rid).lower()
    items = [
        render(arm.world, r)
        for r in in_scope(arm.world, sub_id, rg)
        if str(r.get("type", "")).lower() == wanted
    ]
    return page(request, items, arm.page_size)


def resource_item_rg(arm: Arm, request: Request, sub: str, rg: str, rest: str) -> Reply:
    """Resource routes under a resource group."""
    return resource_item(arm, request, sub, rest, rg)


def _filter_type(request: Request) -> str | None:
    text = request.param("$filter") or ""
    match = re.search(r"resourceType\s+eq\s+'([^']+)'", text, re.IGNORECASE)
    return match.group(1).lower() if match else None


def _generic_view(resource: dict[str, Any]) -> dict[str, Any]:
    """`GenericResourceExpanded`: the envelope without properties."""
    return {k: resource[k] for k in ("id", "name", "type", "location", "kind", "sku", "tags") if k in resource}


def tracked_top_level(resource: dict[str, Any]) -> bool:
    """What ARM's resource list shows: top-level resources of a resource group (not a VNet's
    subnets, a vault's secrets, a role assignment on a resource) that ARM tracks (with a location:
    not proxy resources such as role assignments or diagnostic settings)."""
    parsed = parse_id(str(resource.get("id", "")))
    in_group = parsed["scope"].count("/") == 4 and parsed["resource_group"] is not None
    return in_group and len(parsed["types"]) == 1 and bool(resource.get("location"))


def list_resources(arm: Arm, request: Request, sub: str, rg: str | None = None) -> Reply:
    """GET /subscriptions/{s}[/resourcegroups/{rg}]/resources with `$filter=resourceType eq '...'`:
    the top-level tracked resources only."""
    sub_id = arm.subscription(sub)["subscriptionId"]
    if rg is not None:
        rg = arm.resource_group(sub_id, rg)["name"]
    wanted = _filter_type(request)
    items = [
        _generic_view(r)
        for r in in_scope(arm.world, sub_id, rg)
        if tracked_top_level(r) and (wanted is None or str(r.get("type", "")).lower() == wanted)
    ]
    return page(request, items, arm.page_size)


def list_resources_rg(arm: Arm, request: Request, sub: str, rg: str) -> Reply:
    """GET /subscriptions/{s}/resourcegroups/{rg}/resources."""
    return list_resources(arm, request, sub, rg)


ROUTES = [
    ("GET", "/subscriptions/{sub}/providers", list_providers),
    ("GET", "/subscriptions/{sub}/providers/{ns}", get_provider),
    ("POST", "/subscriptions/{sub}/providers/{ns}/register", register_provider),
    ("POST", "/subscriptions/{sub}/providers/{ns}/unregister", unregister_provider),
    ("GET", "/subscriptions/{sub}/resourcegroups", list_groups),
    ("PUT", "/subscriptions/{sub}/resourcegroups/{rg}", put_group),
    ("GET", "/subscriptions/{sub}/resourcegroups/{rg}", get_group),
    ("HEAD", "/subscriptions/{sub}/resourcegroups/{rg}", head_group),
    ("PATCH", "/subscriptions/{sub}/resourcegroups/{rg}", patch_group),
    ("DELETE", "/subscriptions/{sub}/resourcegroups/{rg}", delete_group),
    ("GET", "/subscriptions/{sub}/operationresults/{op}", operation_result),
    ("GET", "/subscriptions/{sub}/resources", list_resources),
    ("GET", "/subscriptions/{sub}/resourcegroups/{rg}/resources", list_resources_rg),
    ("GET PUT PATCH DELETE HEAD", "/subscriptions/{sub}/resourcegroups/{rg}/providers/{rest:path}",
     resource_item_rg),
    ("GET PUT PATCH DELETE HEAD", "/subscriptions/{sub}/providers/{rest:path}", resource_item),
]
