"""ARM's preflight: what a deployment meets against the tenant before anything runs.

After the template itself is valid (`sandbox.plans`), ARM checks every resource of the tree
against the tenant, and refuses the whole deployment at submission (PUT, validate and what-if
alike), so nothing is deployed:

* a type or api-version that does not exist: `InvalidResourceNamespace`, `InvalidResourceType`,
  `NoRegisteredProviderFound` (as for a direct request, see `sandbox.api_versions`);
* a provider that is not registered: 409 `MissingSubscriptionRegistration`;
* a location that does not offer the type: `LocationNotAvailableForResourceType`;
* a resource group being deleted: 409 `ResourceGroupBeingDeleted`;
* a write the caller may not make (role assignments for a Contributor): 400
  `InvalidTemplateDeployment` with an `AuthorizationFailed` detail per resource;
* an enforced policy that denies a resource: 400 `InvalidTemplateDeployment` with
  `RequestDisallowedByPolicy` details;
* the providers' own validation (a storage account or registry name already taken): 400
  `InvalidTemplateDeployment` with `PreflightValidationCheckFailed`.

What only fails once a resource is written (quota, soft-deleted vault names, address prefixes,
injected faults) is decided when the deployment is scheduled (`sandbox.deployments`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox import names
from sandbox.api_versions import type_problem
from sandbox.plans import Plan
from sandbox.resources import parse_id
from sandbox.routes_authorization import allows, policy_denial
from sandbox.templates import PlannedResource
from sandbox.wire import ArmError, error_object

if TYPE_CHECKING:
    from sandbox.arm import Arm

POLICY_MESSAGE = "The template deployment failed because of policy violation. Please see details for more information."


def not_valid(arm: Arm, plan: Plan, details: list[dict[str, Any]]) -> ArmError:
    """ARM's 400 `InvalidTemplateDeployment`: the deployment failed validation, see the details."""
    return ArmError(400, "InvalidTemplateDeployment", f"The template deployment '{plan.name}' is not valid according "
                    f"to the validation procedure. The tracking id is '{arm.new_id('tracking')}'. See inner errors "
                    "for details.", details=details)


def preflight(arm: Arm, plan: Plan) -> None:
    """Every check above, over the whole tree; the first that fails is raised as ARM answers it."""
    resources = plan.walk()
    for nested in plan.plans():
        existing = f"{nested.subscription}/{nested.resource_group}".lower() in arm.world.resource_groups
        if nested.resource_group and existing:
            arm.writable_group(nested.subscription, nested.resource_group)
    for owner, item in resources:
        subscription = parse_id(item.id)["subscription"] or owner.subscription
        problem = type_problem(arm.catalog, item.type, item.api_version, lambda i=item: i.location or "global")
        if problem is not None:
            raise problem
        arm.ensure_registered(subscription, item.type)
        if item.location:
            _check_location(arm, item)
    denied = [_authorization_failure(arm, item) for _, item in resources if not _may_write(arm, item)]
    if denied:
        raise not_valid(arm, plan, denied)
    disallowed = [detail for _, item in resources if (detail := _policy_detail(arm, item)) is not None]
    if disallowed:
        raise ArmError(400, "InvalidTemplateDeployment", POLICY_MESSAGE, details=disallowed)
    for _, item in resources:
        _provider_validation(arm, plan, item)


def _action(item: PlannedResource) -> str:
    return f"{item.type}/write"


def _may_write(arm: Arm, item: PlannedResource) -> bool:
    return allows(arm, parse_id(item.id)["subscription"] or "", _action(item))


def _authorization_failure(arm: Arm, item: PlannedResource) -> dict[str, Any]:
    caller = arm.catalog.caller
    return error_object(
        "AuthorizationFailed",
        f"Authorization failed for template resource '{item.name}' of type '{item.type}'. The client "
        f"'{caller['upn']}' with object id '{caller['objectId']}' does not have permission to perform action "
        f"'{_action(item)}' at scope '{item.id}'.",
    )


def _policy_detail(arm: Arm, item: PlannedResource) -> dict[str, Any] | None:
    denial = policy_denial(arm, parse_id(item.id)["subscription"] or "", item.id, item.type)
    if denial is None:
        return None
    return error_object(denial.code, denial.message, target=item.name.split("/")[-1],
                        additional_info=denial.additional_info)


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
        raise ArmError(400, "LocationNotAvailableForResourceType", f"The provided location '{location}' is not "
                       f"available for resource type '{item.type}'. List of available regions for the resource type "
                       f"is '{','.join(entry['locations'])}'.")


def _provider_validation(arm: Arm, plan: Plan, item: PlannedResource) -> None:
    """The providers' preflight: storage and registry names are checked before anything runs."""
    if item.type.lower() not in (names.STORAGE, names.REGISTRY):
        return
    problem = names.creation_conflict(arm, item.id, item.body)
    if problem is not None:
        raise not_valid(arm, plan, [error_object(
            "PreflightValidationCheckFailed",
            "Preflight validation failed. Please refer to the details for the specific errors.",
            details=[error_object(problem.code, problem.message, target=item.name)],
        )])
