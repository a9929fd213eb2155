"""ARM templates as ARM reads them: structure, parameters, expressions, expansion to resources.

ARM refuses a template at submission (PUT, validate and what-if alike) for what is wrong in the
template itself, in the order it reads the request:

1. deserialising: a top-level member a template does not have, or a parameter declaration member
   a parameter does not have, is 400 `InvalidRequestContent` ("Could not find member 'x' on object
   of type 'Template'. Path 'properties.template.x', line 1, position 123.");
2. parsing: every expression is parsed before anything is evaluated; a malformed one is 400
   `InvalidTemplate` "Deployment template language expression evaluation failed: 'Unable to parse
   language expression ...'", with a `TemplateViolation` (line, position, path) in
   `additionalInfo`;
3. validating: parameters (missing, of the wrong type, outside allowed values or bounds),
   functions that do not exist, expressions that cannot be evaluated, a resource declared twice,
   dependencies that are not in the template or go round in a circle: 400 `InvalidTemplate`
   "Deployment template validation failed: '...'", naming the element and where it is.

Positions are those of the request text the client sent (see `sandbox.json_positions`), as
Json.NET reports them: the SDK sends one line, so `line '1'` and the column in it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sandbox.expressions import (
    FUNCTIONS_HELP,
    ExpressionError,
    Scope,
    evaluate,
    is_expression,
    kind_of,
    not_valid,
    parse,
    reads_deployed_state,
    unknown_function,
)
from sandbox.json_positions import JsonText, path_text
from sandbox.wire import ArmError

SCHEMA_HINT = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
TEMPLATE_MEMBERS = frozenset({
    "$schema", "contentversion", "apiprofile", "parameters", "variables", "functions", "resources", "outputs",
    "metadata", "languageversion", "definitions", "imports",
})
"""What ARM's `Template` type has (Json.NET matches member names case-insensitively)."""
PARAMETER_MEMBERS = frozenset({
    "type", "defaultvalue", "allowedvalues", "metadata", "minvalue", "maxvalue", "minlength", "maxlength",
    "nullable", "items", "properties", "additionalproperties", "discriminator", "prefixitems", "sealed", "$ref",
})
"""What ARM's `TemplateInputParameter` type has."""
PARAMETER_TYPES = {
    "string": "String", "securestring": "SecureString", "int": "Int", "bool": "Bool", "object": "Object",
    "secureobject": "SecureObject", "array": "Array",
}
_EXPECTED = {"string": "String, Uri", "securestring": "String, Uri", "int": "Integer", "bool": "Boolean",
             "object": "Object", "secureobject": "Object", "array": "Array"}
"""How ARM names the JSON type a parameter of each type needs."""
PARAMETERS_HELP = "Please see https://aka.ms/arm-create-parameter-file for usage details."
RESOURCES_HELP = "Please see https://aka.ms/arm-syntax-resources for usage details."


# --- where things are, and ARM's answers --------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Where a template sits in the request (`text`, and the `path` of the template in it)."""

    text: JsonText | None
    path: tuple[str | int, ...] = ("properties", "template")

    def within(self, *steps: str | int) -> Origin:
        """The origin of a template nested at `steps` inside this one."""
        return Origin(self.text, self.path + steps)

    def position(self, *steps: str | int) -> tuple[int, int]:
        """(line, column) of the value at `steps` in the template; (0, 0) when unknown."""
        return self.text.position(self.path + steps) if self.text is not None else (0, 0)

    def violation(self, *steps: str | int) -> list[dict[str, Any]]:
        """ARM's `TemplateViolation` additional info for the value at `steps`."""
        line, column = self.position(*steps)
        return [{"type": "TemplateViolation",
                 "info": {"lineNumber": line, "linePosition": column, "path": path_text(self.path + steps)}}]

    def unknown_member(self, member: str, owner: str, *steps: str | int) -> ArmError:
        """Json.NET's refusal of a member its type does not have (400 `InvalidRequestContent`)."""
        line, column = self.text.after_key((*self.path, *steps, member)) if self.text is not None else (0, 0)
        return ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                        f"deserialized: 'Could not find member '{member}' on object of type '{owner}'. Path "
                        f"'{path_text((*self.path, *steps, member))}', line {line}, position {column}.'.")


def invalid_template(message: str, *, violation: list[dict[str, Any]] | None = None) -> ArmError:
    """ARM's answer to a template it cannot accept: 400 `InvalidTemplate`."""
    return ArmError(400, "InvalidTemplate", f"Deployment template validation failed: '{message}'.",
                    additional_info=violation)


def unparsable(error: ExpressionError, origin: Origin, steps: tuple[str | int, ...]) -> ArmError:
    """ARM's answer to an expression it cannot parse."""
    return ArmError(400, "InvalidTemplate", f"Deployment template language expression evaluation failed: "
                    f"'{error.message}'. {FUNCTIONS_HELP}", additional_info=origin.violation(*steps))


def element_error(kind: str, name: str, origin: Origin, steps: tuple[str | int, ...], problem: str) -> ArmError:
    """`The template resource 'x' at line '1' and column '2' is not valid: ...` (or variable, output...)."""
    line, column = origin.position(*steps)
    return invalid_template(f"The template {kind} '{name}' at line '{line}' and column '{column}' is not valid: "
                            f"{problem}. {FUNCTIONS_HELP}", violation=origin.violation(*steps))


# --- 1 and 2: structure and expressions ---------------------------------------------------------


def check_template(template: Any, origin: Origin) -> None:
    """What ARM refuses before evaluating anything: structure, unknown members, unparsable
    expressions and functions that do not exist."""
    if not isinstance(template, dict):
        raise invalid_template("The template must be a JSON object", violation=origin.violation())
    for member in template:
        if member.lower() not in TEMPLATE_MEMBERS:
            raise origin.unknown_member(member, "Template")
    missing = [key for key in ("$schema", "contentVersion", "resources") if key not in template]
    if missing:
        raise invalid_template(f"Required property '{missing[0]}' not found in JSON. Path "
                               f"'{path_text(origin.path)}'", violation=origin.violation())
    if not isinstance(template["resources"], list | dict):
        raise invalid_template("The template property 'resources' must be an array or an object",
                               violation=origin.violation("resources"))
    for key in ("parameters", "variables", "outputs"):
        if key in template and not isinstance(template[key], dict):
            raise invalid_template(f"The template property '{key}' must be an object", violation=origin.violation(key))
    _check_parameter_declarations(template, origin)
    for steps, resource in _declared_resources(template):
        _check_resource(resource, steps, origin)
    user_functions = user_functions_of(template)
    for element, steps, kind, name, value in _elements(template):
        _check_expressions(value, origin, element, steps, kind, name, user_functions)


def _check_parameter_declarations(template: dict[str, Any], origin: Origin) -> None:
    for name, spec in (template.get("parameters") or {}).items():
        steps: tuple[str | int, ...] = ("parameters", name)
        if not isinstance(spec, dict):
            raise invalid_template(f"The template parameter '{name}' must be an object",
                                   violation=origin.violation(*steps))
        for member in spec:
            if member.lower() not in PARAMETER_MEMBERS:
                raise origin.unknown_member(member, "TemplateInputParameter", *steps)
        kind = str(spec.get("type", "")).lower()
        if kind not in PARAMETER_TYPES and "$ref" not in spec:
            line, column = origin.position(*steps)
            raise invalid_template(f"The template parameter '{name}' at line '{line}' and column '{column}' has an "
                                   f"invalid type '{spec.get('type')}'. The supported types are "
                                   f"'{', '.join(PARAMETER_TYPES.values())}'. {PARAMETERS_HELP}",
                                   violation=origin.violation(*steps))


def _declared_resources(template: dict[str, Any]) -> list[tuple[tuple[str | int, ...], Any]]:
    resources = template.get("resources")
    items = resources.items() if isinstance(resources, dict) else enumerate(resources or [])
    return [(("resources", key), resource) for key, resource in items]


def _check_resource(resource: Any, steps: tuple[str | int, ...], origin: Origin) -> None:
    where = path_text(origin.path + steps)
    if not isinstance(resource, dict):
        raise invalid_template(f"The template resource at '{where}' must be an object",
                               violation=origin.violation(*steps))
    missing = [key for key in ("type", "name", "apiVersion") if key not in resource]
    if missing and not resource.get("existing"):
        raise invalid_template(f"The template resource at '{where}' is missing required property '{missing[0]}'",
                               violation=origin.violation(*steps))
    if not isinstance(resource.get("dependsOn", []), list):
        raise invalid_template(f"The template resource at '{where}' has a 'dependsOn' that is not an array",
                               violation=origin.violation(*steps, "dependsOn"))
    for index, child in enumerate(resource.get("resources", []) or []):
        _check_resource(child, (*steps, "resources", index), origin)


def user_functions_of(template: dict[str, Any]) -> dict[str, Any]:
    """`namespace.member` (lower case) -> definition, from the template's `functions`."""
    out: dict[str, Any] = {}
    for namespace in template.get("functions") or []:
        if isinstance(namespace, dict):
            for name, definition in (namespace.get("members") or {}).items():
                out[f"{namespace.get('namespace', '')}.{name}".lower()] = definition
    return out


Element = tuple[tuple[str | int, ...], tuple[str | int, ...], str, str, Any]
"""(steps of the element, steps of the value, element kind, element name, value)."""


def _elements(template: dict[str, Any]) -> list[Element]:
    """Every place an expression may appear; the template of a nested deployment is left to its
    own check."""
    out: list[Element] = []
    for name, spec in (template.get("parameters") or {}).items():
        if isinstance(spec, dict) and "defaultValue" in spec:
            out.append((("parameters", name), ("parameters", name, "defaultValue"), "parameter", name,
                        spec["defaultValue"]))
    for name, value in (template.get("variables") or {}).items():
        out.append((("variables", name), ("variables", name), "variable", name, value))
    for name, spec in (template.get("outputs") or {}).items():
        out.append((("outputs", name), ("outputs", name), "output", name, spec))
    for steps, resource in _declared_resources(template):
        out += _resource_elements(resource, steps)
    return out


def _resource_elements(resource: Any, steps: tuple[str | int, ...]) -> list[Element]:
    if not isinstance(resource, dict):
        return []
    name = str(resource.get("name", ""))
    out: list[Element] = []
    nested = str(resource.get("type", "")).lower() == "microsoft.resources/deployments"
    for key, value in resource.items():
        if key == "resources":
            continue
        if nested and key == "properties" and isinstance(value, dict):
            value = {k: v for k, v in value.items() if k != "template"}
        out.append((steps, (*steps, key), "resource", name, value))
    for index, child in enumerate(resource.get("resources", []) or []):
        out += _resource_elements(child, (*steps, "resources", index))
    return out


def _check_expressions(value: Any, origin: Origin, element: tuple[str | int, ...], steps: tuple[str | int, ...],
                       kind: str, name: str, user_functions: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _check_expressions(inner, origin, element, (*steps, key), kind, name, user_functions)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_expressions(inner, origin, element, (*steps, index), kind, name, user_functions)
    elif is_expression(value):
        try:
            node = parse(value[1:-1])
        except ExpressionError as error:
            raise unparsable(error, origin, steps) from None
        missing = unknown_function(node, user_functions)
        if missing is not None:
            raise element_error(kind, name, origin, element, not_valid(missing))


# --- 3: parameters -------------------------------------------------------------------------------


def resolve_parameters(template: dict[str, Any], supplied: Any, scope: Scope, origin: Origin) -> dict[str, Any]:
    """The parameters' values: supplied ones checked against their declarations, defaults evaluated."""
    declared = template.get("parameters", {}) or {}
    supplied = supplied or {}
    if not isinstance(supplied, dict):
        raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: "
                       "'The deployment parameters must be an object. Path 'properties.parameters'.'.")
    unknown = [name for name in supplied if name.lower() not in {d.lower() for d in declared}]
    if unknown:
        raise invalid_template("The following parameters were supplied, but do not correspond to any parameters "
                               f"defined in the template: '{', '.join(unknown)}'")
    given_by_name = {k.lower(): (k, v) for k, v in supplied.items()}
    values: dict[str, Any] = {}
    scope.parameters = values
    for name, spec in declared.items():
        key, given = given_by_name.get(name.lower(), (name, None))
        value_path: tuple[str | int, ...]
        if given is not None:
            if not isinstance(given, dict) or not ({"value", "reference"} & set(given)):
                raise ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be "
                               f"deserialized: 'Error converting value {json.dumps(given)[:60]} to type 'Microsoft."
                               "WindowsAzure.ResourceStack.Frontdoor.Data.Definitions.DeploymentParameterDefinition'. "
                               f"Path 'properties.parameters.{key}'.'.")
            values[name] = given.get("value", "sandbox-secret")
            value_path = ("properties", "parameters", key, "value")
            where = Origin(origin.text, ())
        elif "defaultValue" in spec:
            scope.in_parameter_default = True
            try:
                values[name] = evaluate(spec["defaultValue"], scope)
            except ExpressionError as error:
                raise element_error("parameter", name, origin, ("parameters", name), error.message) from None
            finally:
                scope.in_parameter_default = False
            value_path, where = ("parameters", name, "defaultValue"), origin
        else:
            line, column = origin.position("parameters", name)
            raise invalid_template(f"The value for the template parameter '{name}' at line '{line}' and column "
                                   f"'{column}' is not provided. {PARAMETERS_HELP}",
                                   violation=origin.violation("parameters", name))
        problem = parameter_problem(name, spec, values[name])
        if problem is not None:
            raise invalid_template(problem, violation=where.violation(*value_path))
    return values


def _fits(kind: str, value: Any) -> bool:
    if value is None:
        return False
    if kind in ("string", "securestring"):
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("object", "secureobject"):
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def parameter_problem(name: str, spec: dict[str, Any], value: Any) -> str | None:
    """Why `value` is not a valid value of the declared parameter, in ARM's words; None when it is."""
    kind = str(spec.get("type", "")).lower()
    if value is None and spec.get("nullable"):
        return None
    if not _fits(kind, value):
        return (f"Template parameter JToken type is not valid. Expected '{_EXPECTED.get(kind, kind)}'. Actual "
                f"'{kind_of(value)}'. {PARAMETERS_HELP}")
    allowed = spec.get("allowedValues")
    if isinstance(allowed, list) and allowed:
        candidates = value if kind == "array" else [value]
        if any(v not in allowed for v in candidates):
            return (f"The provided value '{_shown(value)}' for the template parameter '{name}' is not valid. "
                    f"Expected a value from the allowed values: '{','.join(map(_shown, allowed))}'. {PARAMETERS_HELP}")
    if kind == "int":
        if "minValue" in spec and value < spec["minValue"]:
            return (f"The provided value for the template parameter '{name}' is not valid. The value must be "
                    f"greater than or equal to '{spec['minValue']}'. {PARAMETERS_HELP}")
        if "maxValue" in spec and value > spec["maxValue"]:
            return (f"The provided value for the template parameter '{name}' is not valid. The value must be "
                    f"less than or equal to '{spec['maxValue']}'. {PARAMETERS_HELP}")
    if isinstance(value, str | list):
        if "minLength" in spec and len(value) < spec["minLength"]:
            return (f"The provided value for the template parameter '{name}' is not valid. Length of the value "
                    f"should be greater than or equal to '{spec['minLength']}'. {PARAMETERS_HELP}")
        if "maxLength" in spec and len(value) > spec["maxLength"]:
            return (f"The provided value for the template parameter '{name}' is not valid. Length of the value "
                    f"should be less than or equal to '{spec['maxLength']}'. {PARAMETERS_HELP}")
    return None


def _shown(value: Any) -> str:
    return json.dumps(value, separators=(",", ":")) if isinstance(value, dict | list) else str(value)


def echo_parameters(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Parameters as a deployment shows them: `{name: {type, value}}`, secure values hidden."""
    declared = template.get("parameters", {}) or {}
    out: dict[str, Any] = {}
    for name, spec in declared.items():
        raw_type = str((spec or {}).get("type", "string")).lower()
        kind = PARAMETER_TYPES.get(raw_type, raw_type.capitalize())
        out[name] = {"type": kind} if raw_type.startswith("secure") else {"type": kind, "value": values.get(name)}
    return out


def check_variables(template: dict[str, Any], scope: Scope, origin: Origin) -> None:
    """Evaluate every variable now, as ARM validates them, except those reading deployed resources
    (`reference()`, `list*()`), which ARM evaluates when the deployment runs."""
    for name, value in (template.get("variables") or {}).items():
        if name == "copy" or reads_deployed_state(value):
            continue
        try:
            scope.variable(name)
        except ExpressionError as error:
            raise element_error("variable", name, origin, ("variables", name), error.message) from None


def evaluate_outputs(template: dict[str, Any], scope: Scope, origin: Origin) -> dict[str, Any]:
    """The outputs' types and values (a false `condition` leaves an output out)."""
    out: dict[str, Any] = {}
    for name, spec in (template.get("outputs") or {}).items():
        try:
            if not isinstance(spec, dict):
                raise ExpressionError("an output must be an object with a 'type' and a 'value'")
            if "condition" in spec and evaluate(spec["condition"], scope) is False:
                continue
            value = evaluate(spec.get("value"), scope)
        except ExpressionError as error:
            raise element_error("output", name, origin, ("outputs", name), error.message) from None
        kind = str(spec.get("type", "string")).lower()
        if not _fits(kind, value):
            raise element_error("output", name, origin, ("outputs", name), f"Template output JToken type is not "
                                f"valid. Expected '{_EXPECTED.get(kind, kind)}'. Actual '{kind_of(value)}'")
        out[name] = {"type": PARAMETER_TYPES.get(kind, kind.capitalize()), "value": value}
    return out


# --- expansion ----------------------------------------------------------------------------------


@dataclass
class PlannedResource:
    """One resource a template creates, with everything the engine needs to deploy it."""

    type: str
    name: str
    id: str
    api_version: str
    location: str | None
    depends_on: list[str]
    body: dict[str, Any]
    symbolic: str | None = None
    nested: dict[str, Any] | None = None
    """For `Microsoft.Resources/deployments`: subscription, resource group, template, parameters."""
    source: tuple[str | int, ...] = ()
    """Where the template declares it (steps from the template root)."""
    raw_name: str = ""
    """The name as the template writes it (ARM names the resource so in its messages)."""


@dataclass
class _Declaration:
    """A resource found in pass 1 (its type, name and id known), whose body pass 2 evaluates."""

    item: PlannedResource
    resource: dict[str, Any]
    copy_index: dict[str, int]
    evaluated: bool = False
    evaluating: bool = False


_ENVELOPE_SKIP = {
    "type", "name", "apiVersion", "dependsOn", "condition", "copy", "resources", "scope",
    "comments", "metadata", "resourceGroup", "subscriptionId", "existing",
}


@dataclass
class _Expansion:
    scope: Scope
    origin: Origin
    normalize: Any
    declarations: list[_Declaration] = field(default_factory=list)
    by_id: dict[str, _Declaration] = field(default_factory=dict)


def expand(template: dict[str, Any], scope: Scope, origin: Origin, normalize: Any) -> list[PlannedResource]:
    """Flatten a template's resources (child resources and copy loops included), evaluated.

    `normalize(resource_id, body)` gives the resource as it will read once written: `reference()`
    to a resource of the same template reads that (ARM reads the deployed resource at run time).
    """
    expansion = _Expansion(scope, origin, normalize)
    for steps, resource in _declared_resources(template):
        if resource.get("existing"):
            continue
        symbolic = steps[1] if isinstance(steps[1], str) else None
        _declare(expansion, resource, steps, symbolic, parent=None)
    seen: dict[str, PlannedResource] = {}
    for declaration in expansion.declarations:
        key = declaration.item.id.lower()
        if key in seen:
            line, column = origin.position(*declaration.item.source)
            raise invalid_template(f"The resource '{_type_and_name(declaration.item)}' at line '{line}' and column "
                                   f"'{column}' is defined multiple times in a template. Please see "
                                   "https://aka.ms/arm-template/#resources for usage details",
                                   violation=origin.violation(*declaration.item.source))
        seen[key] = declaration.item
    scope.resolve = lambda rid: _realize(expansion, expansion.by_id[rid]) if rid in expansion.by_id else None
    for declaration in expansion.declarations:
        _realize(expansion, declaration)
    scope.resolve = None
    return [d.item for d in expansion.declarations]


def _type_and_name(item: PlannedResource) -> str:
    return f"{item.type}/{item.name}"


def _fail(item: PlannedResource, origin: Origin, error: ExpressionError) -> ArmError:
    return element_error("resource", item.raw_name, origin, item.source, error.message)


def _declare(expansion: _Expansion, resource: dict[str, Any], steps: tuple[str | int, ...], symbolic: str | None,
             parent: PlannedResource | None) -> None:
    scope, origin = expansion.scope, expansion.origin
    probe = PlannedResource(type=str(resource.get("type")), name="", id="", api_version="", location=None,
                            depends_on=[], body={}, source=steps, raw_name=str(resource.get("name", "")))
    loop = resource.get("copy")
    try:
        if isinstance(loop, dict) and "count" in loop:
            count = evaluate(loop["count"], scope)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 800:
                raise ExpressionError(f"The copy count must be a whole number from 0 to 800, not '{count}'")
            name = str(loop.get("name", "copy"))
            for index in range(count):
                scope.copy_index[name] = index
                _declare(expansion, {k: v for k, v in resource.items() if k != "copy"}, steps, symbolic, parent)
            scope.copy_index.pop(name, None)
            return
        if "condition" in resource:
            condition = evaluate(resource["condition"], scope)
            if not isinstance(condition, bool):
                raise ExpressionError(f"The template resource condition must be a boolean, not '{kind_of(condition)}'")
            if not condition:
                return
        rtype = str(evaluate(resource["type"], scope))
        name = str(evaluate(resource["name"], scope))
    except ExpressionError as error:
        raise _fail(probe, origin, error) from None
    if parent is not None:
        if not rtype.lower().startswith(parent.type.lower() + "/"):
            rtype = f"{parent.type}/{rtype}"
        if name.count("/") < rtype.count("/") - 1:
            name = f"{parent.name}/{name}"
    item = PlannedResource(type=rtype, name=name, id="", api_version=str(resource.get("apiVersion", "")),
                           location=None, depends_on=[parent.id] if parent is not None else [], body={},
                           symbolic=symbolic, source=steps, raw_name=probe.raw_name)
    try:
        item.id = _resource_id(resource, rtype, name, scope)
    except ExpressionError as error:
        raise _fail(item, origin, error) from None
    declaration = _Declaration(item, resource, dict(scope.copy_index))
    expansion.declarations.append(declaration)
    expansion.by_id.setdefault(item.id.lower(), declaration)
    scope.symbols.setdefault(name.lower(), item.id.lower())
    if symbolic:
        scope.symbols.setdefault(symbolic.lower(), item.id.lower())
    for index, child in enumerate(resource.get("resources", []) or []):
        _declare(expansion, child, (*steps, "resources", index), None, item)


def _realize(expansion: _Expansion, declaration: _Declaration) -> dict[str, Any]:
    """Evaluate a declared resource's body (once), and return it as it will read once written."""
    item, scope = declaration.item, expansion.scope
    if declaration.evaluating:
        raise ExpressionError(f"The template resource '{item.raw_name}' refers to itself through 'reference'")
    if not declaration.evaluated:
        declaration.evaluating = True
        saved = scope.copy_index
        scope.copy_index = dict(declaration.copy_index)
        try:
            resource = declaration.resource
            item.depends_on += [str(evaluate(d, scope)) for d in resource.get("dependsOn", []) or []]
            item.body = {k: evaluate(v, scope) for k, v in resource.items() if k not in _ENVELOPE_SKIP}
            if item.type.lower() == "microsoft.resources/deployments":
                item.nested = _nested(resource, item, scope)
        except ExpressionError as error:
            raise _fail(item, expansion.origin, error) from None
        finally:
            scope.copy_index = saved
            declaration.evaluating = False
        location = item.body.get("location")
        item.location = str(location) if location is not None else None
        declaration.evaluated = True
        scope.planned[item.id.lower()] = expansion.normalize(item.id, item.body)
    return scope.planned[item.id.lower()]


def _nested(resource: dict[str, Any], item: PlannedResource, scope: Scope) -> dict[str, Any]:
    target_sub = str(evaluate(resource.get("subscriptionId", scope.subscription_id), scope))
    target_rg = resource.get("resourceGroup")
    target_rg = str(evaluate(target_rg, scope)) if target_rg is not None else None
    if target_rg is None and "subscriptionId" not in resource:
        target_rg = scope.resource_group
    return {"subscription": target_sub, "resource_group": target_rg, "name": item.name,
            "properties": evaluate_nested_envelope(resource.get("properties", {}) or {}, scope)}


def _resource_id(resource: dict[str, Any], rtype: str, name: str, scope: Scope) -> str:
    lowered = rtype.lower()
    sub_prefix = f"/subscriptions/{scope.subscription_id}"
    if lowered == "microsoft.resources/resourcegroups":
        return f"{sub_prefix}/resourceGroups/{name}"
    if lowered == "microsoft.resources/deployments":
        target_sub = str(evaluate(resource.get("subscriptionId", scope.subscription_id), scope))
        target_rg = resource.get("resourceGroup")
        target_rg = str(evaluate(target_rg, scope)) if target_rg is not None else None
        if target_rg is None and "subscriptionId" not in resource:
            target_rg = scope.resource_group
        prefix = f"/subscriptions/{target_sub}" + (f"/resourceGroups/{target_rg}" if target_rg else "")
        return f"{prefix}/providers/Microsoft.Resources/deployments/{name}"
    base = scope.scope_id()
    scope_value = resource.get("scope")
    if scope_value is not None:
        base = str(evaluate(scope_value, scope))
        if not base.startswith("/"):
            parts = base.split("/")
            base = _id(scope.scope_id(), "/".join([parts[0], *parts[1::2]]), parts[2::2])
    return _id(base, rtype, name.split("/"))


def _id(prefix: str, rtype: str, names: list[str]) -> str:
    parts = rtype.split("/")
    if len(parts) < 2 or len(parts) - 1 != len(names):
        raise ExpressionError(f"The template resource name '{'/'.join(names)}' of type '{rtype}' is not valid: a "
                              f"resource of type '{rtype}' needs {max(len(parts) - 1, 1)} name segment(s) separated "
                              "by '/'")
    return f"{prefix}/providers/{parts[0]}/" + "/".join(f"{t}/{n}" for t, n in zip(parts[1:], names, strict=True))


def evaluate_nested_envelope(props: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """A nested deployment's properties: mode and parameters evaluated in the outer scope, its
    template kept raw (it is evaluated in its own scope when the child is planned)."""
    out = evaluate({k: v for k, v in props.items() if k != "template"}, scope)
    if "template" in props:
        inner = str((props.get("expressionEvaluationOptions") or {}).get("scope", "outer")).lower() == "inner"
        out["template"] = props["template"]
        out["_outer_parameters"] = None if inner else dict(scope.parameters)
        out["_outer_variables"] = None if inner else {k: scope.variable(k) for k in scope.variables if k != "copy"}
    return out


# --- dependencies -------------------------------------------------------------------------------


def resolve_dependencies(planned: list[PlannedResource], origin: Origin) -> list[list[int]]:
    """For each resource, the indexes of the resources it depends on (ARM's matching rules)."""
    by_id = {p.id.lower(): i for i, p in enumerate(planned)}
    result: list[list[int]] = []
    for item in planned:
        deps: list[int] = []
        for dep in item.depends_on:
            index = _match_dependency(dep, planned, by_id)
            if index is None:
                raise invalid_template(f"The resource '{dep}' is not defined in the template. {RESOURCES_HELP}",
                                       violation=origin.violation(*item.source))
            if index not in deps and planned[index] is not item:
                deps.append(index)
        result.append(deps)
    _check_cycles(planned, result, origin)
    return result


def _signature(resource_id: str) -> str | None:
    """`type|name` of an id, ignoring its scope (ARM matches `subscriptionResourceId(...)` of a
    resource group, or a deployment's id, to the template resource of that type and name)."""
    parts = [p for p in resource_id.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        if len(parts) == 4 and lowered[2] == "resourcegroups":
            return f"microsoft.resources/resourcegroups|{lowered[3]}"
        return None
    at = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = lowered[at + 1 :]
    if len(rest) < 3:
        return None
    return "/".join([rest[0], *rest[1::2]]) + "|" + "/".join(rest[2::2])


def _match_dependency(dep: str, planned: list[PlannedResource], by_id: dict[str, int]) -> int | None:
    key = dep.lower()
    if key in by_id:
        return by_id[key]
    signature = _signature(dep) if dep.startswith("/") else None
    if signature is not None:
        for index, item in enumerate(planned):
            if _signature(item.id) == signature:
                return index
    for index, item in enumerate(planned):
        rid = item.id.lower()
        if item.symbolic and item.symbolic.lower() == key:
            return index
        if rid.endswith("/providers/" + key) or (rid.endswith("/" + key) and "/" in key):
            return index
    for index, item in enumerate(planned):
        if item.name.lower() == key or item.name.split("/")[-1].lower() == key:
            return index
    return None


def _check_cycles(planned: list[PlannedResource], deps: list[list[int]], origin: Origin) -> None:
    state = [0] * len(planned)

    def visit(i: int) -> None:
        if state[i] == 1:
            raise invalid_template(f"Circular dependency detected on resource: '{planned[i].id}'. {RESOURCES_HELP}",
                                   violation=origin.violation(*planned[i].source))
        if state[i] == 2:
            return
        state[i] = 1
        for d in deps[i]:
            visit(d)
        state[i] = 2

    for i in range(len(planned)):
        visit(i)


def template_hash(template: Any) -> str:
    """A stable 19-digit hash, shaped like ARM's `templateHash`."""
    digest = hashlib.sha256(json.dumps(template, sort_keys=True).encode()).hexdigest()
    return str(int(digest[:16], 16) % 10**19).rjust(19, "1")

