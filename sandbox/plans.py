"""From a deployment request to a validated plan: the template checks ARM makes at submission.

PUT, validate and what-if all start here. `read_body` checks the request envelope, `build_plan`
the template (and every nested inline template, recursively): structure, expressions, parameters,
variables, the resources it expands to (copy loops, conditions, child resources), their bodies
against Microsoft's schemas, their dependencies, the outputs. What ARM's preflight then checks
against the tenant (providers, permissions, policy, names) is `sandbox.preflight`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.expressions import Scope
from sandbox.json_positions import JsonText
from sandbox.resources import normalize
from sandbox.templates import (
    RESOURCES_HELP,
    Origin,
    PlannedResource,
    check_template,
    check_variables,
    evaluate_outputs,
    expand,
    invalid_template,
    resolve_dependencies,
    resolve_parameters,
    user_functions_of,
)
from sandbox.wire import ArmError

if TYPE_CHECKING:
    from sandbox.arm import Arm

DEPLOYMENTS_TYPE = "Microsoft.Resources/deployments"
REQUEST_MEMBERS = frozenset({"location", "properties", "tags", "identity"})
"""What ARM's `DeploymentContent` has."""
_NAME = re.compile(r"[-\w\._\(\)]{1,64}")


def scope_id(subscription: str, resource_group: str | None) -> str:
    """The id of a deployment scope."""
    base = f"/subscriptions/{subscription}"
    return f"{base}/resourceGroups/{resource_group}" if resource_group else base


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
    origin: Origin
    children: dict[int, Plan] = field(default_factory=dict)

    @property
    def scope(self) -> str:
        return scope_id(self.subscription, self.resource_group)

    @property
    def id(self) -> str:
        return f"{self.scope}/providers/{DEPLOYMENTS_TYPE}/{self.name}"

    def walk(self) -> list[tuple[Plan, PlannedResource]]:
        """Every resource of the tree with the plan that deploys it, parents before children."""
        out: list[tuple[Plan, PlannedResource]] = []
        for index, item in enumerate(self.planned):
            out.append((self, item))
            if index in self.children:
                out += self.children[index].walk()
        return out

    def plans(self) -> list[Plan]:
        """This plan and every nested one."""
        return [self, *(p for child in self.children.values() for p in child.plans())]


def read_body(body: Any, name: str, subscription_scope: bool, text: JsonText | None = None) -> dict[str, Any]:
    """The request envelope checks ARM makes before looking at the template."""
    if not _NAME.fullmatch(name):
        raise ArmError(400, "InvalidDeploymentName", f"The deployment name '{name}' is invalid. It can contain only "
                       "alphanumeric characters, underscores, parentheses, hyphens and periods, and cannot exceed 64 "
                       "characters.")
    if isinstance(body, dict):
        for member in body:
            if member.lower() not in REQUEST_MEMBERS:
                line, position = text.after_key((member,)) if text is not None else (0, 0)
                raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                               f"deserialized: 'Could not find member '{member}' on object of type "
                               f"'DeploymentContent'. Path '{member}', line {line}, position {position}.'.")
    if not isinstance(body, dict) or not isinstance(body.get("properties"), dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'Required property 'properties' not found in JSON. Path '', line 1, position 2.'.")
    props = body["properties"]
    if props.get("mode") not in ("Incremental", "Complete"):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'Required property 'mode' not found in JSON or its value is not Incremental or Complete.'.")
    if "template" not in props and "templateLink" not in props:
        raise ArmError(400, "InvalidRequestContent",
                       "The request content was invalid: one of 'template' or 'templateLink' is required.")
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
    origin: Origin,
    nested_in: Scope | None = None,
    created_groups: set[str] | None = None,
) -> Plan:
    """Validate a template and expand it (recursively for nested deployments); ARM's template
    errors as `ArmError`."""
    sub = arm.subscription(subscription, write=True)
    template = properties.get("template")
    linked = template is None
    if linked:
        template = {"$schema": "", "contentVersion": "1.0.0.0", "resources": []}
    check_template(template, origin)
    assert isinstance(template, dict)
    group_location = None
    if resource_group:
        group = arm.world.resource_groups.get(f"{subscription}/{resource_group}".lower())
        if group is not None:
            group_location, resource_group = group["location"], group["name"]
        elif resource_group.lower() not in (created_groups or set()):
            raise ArmError(404, "ResourceGroupNotFound", f"Resource group '{resource_group}' could not be found.")
    scope = Scope(
        parameters={}, variables=template.get("variables", {}) or {}, subscription_id=sub["subscriptionId"],
        tenant_id=sub["tenantId"], subscription_name=sub["displayName"], resource_group=resource_group,
        resource_group_location=group_location or location, deployment_name=name, deployment_location=location,
        now=arm.now(), known_resources=arm.world.resources, user_functions=user_functions_of(template),
    )
    if nested_in is not None and properties.get("_outer_parameters") is not None:
        scope.parameters = dict(properties["_outer_parameters"])
        scope.variables = {**(properties.get("_outer_variables") or {}), **scope.variables}
        values = dict(scope.parameters)
    else:
        values = resolve_parameters(template, properties.get("parameters"), scope, origin)
    check_variables(template, scope, origin)
    tenant = arm.catalog.caller["tenantId"]
    planned = expand(template, scope, origin, lambda rid, body: normalize(rid, body, tenant, scope.now))
    _check_schemas(arm, planned, origin, subscription_scope=resource_group is None)
    plan = Plan(
        subscription=sub["subscriptionId"], resource_group=resource_group, name=name, location=location,
        properties=properties, template=template, parameters=values,
        outputs=evaluate_outputs(template, scope, origin), planned=planned,
        deps=resolve_dependencies(planned, origin), linked=linked, origin=origin,
    )
    groups = set(created_groups or set()) | {
        p.name.lower() for p in planned if p.type.lower() == "microsoft.resources/resourcegroups"}
    for index, item in enumerate(planned):
        if item.nested is None:
            continue
        nested = item.nested
        nested_props = nested["properties"]
        if nested_props.get("mode") not in ("Incremental", "Complete"):
            nested_props["mode"] = "Incremental"
        plan.children[index] = build_plan(
            arm, subscription=nested["subscription"], resource_group=nested["resource_group"], name=nested["name"],
            location=item.location or location, properties=nested_props,
            origin=origin.within(*item.source, "properties", "template"), nested_in=scope, created_groups=groups,
        )
    return plan


def _check_schemas(arm: Arm, planned: list[PlannedResource], origin: Origin, *, subscription_scope: bool) -> None:
    """Each resource's body against Microsoft's schema for its type and api-version.

    The name is left to the providers, which check it in preflight with their own codes
    (`AccountNameInvalid`, `VaultNameNotValid`, ...), as Microsoft's validate example shows.
    """
    if arm.schemas is None:
        return
    for item in planned:
        if item.nested is not None:
            continue
        body = {**item.body, "type": item.type, "apiVersion": item.api_version, "name": "name"}
        problems = arm.schemas.problems(item.type, item.api_version, body, subscription_scope=subscription_scope)
        if not problems:
            continue
        problem = problems[0]
        line, column = origin.position(*item.source)
        where = f"'{problem.path}'" if problem.path else "the resource"
        steps = (*item.source, *_steps(problem.path))
        if origin.text is None or origin.text.offset(origin.path + steps) is None:
            steps = item.source  # the value came from an expression: point at the resource
        raise invalid_template(
            f"The template resource '{item.raw_name}' at line '{line}' and column '{column}' is not valid: {where} "
            f"does not match the schema of '{item.type}' at api-version '{item.api_version}': {problem.message}. "
            f"{RESOURCES_HELP}", violation=origin.violation(*steps))


def _steps(path: str) -> list[str | int]:
    """`properties.a[0].b` -> ["properties", "a", 0, "b"]."""
    steps: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        steps.append(int(part[1:-1]) if part.startswith("[") else part)
    return steps
