"""ARM templates as the sandbox reads them: validation, expressions, and expansion to resources.

The wizard generates templates with literal values, so the sandbox does not need ARM's whole
expression language; it needs to be strict where ARM is strict (a malformed template is a 400
`InvalidTemplate` with details, exactly what a client must show) and to understand the common
expressions (`parameters()`, `variables()`, `resourceId()`, `concat()`, `format()`, ...) that
hand-written and exported templates use. An expression it does not know is left as its literal
text rather than failing, since the sandbox only needs names, types, scopes and dependencies.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from sandbox.wire import ArmError, error_object

SCHEMA_HINT = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
_GUID_NAMESPACE = uuid.UUID("11f4b4c8-3b0e-4a53-9f0a-7d0c3c3b5a10")


def invalid_template(message: str, *, details: list[dict[str, Any]] | None = None) -> ArmError:
    """ARM's answer to a template it cannot accept: 400 `InvalidTemplate` with details."""
    return ArmError(
        400,
        "InvalidTemplate",
        f"Deployment template validation failed: '{message}'.",
        details=details if details is not None else [error_object("InvalidTemplate", message)],
    )


class _Unsupported(Exception):
    """An expression the sandbox does not evaluate; the literal text is kept."""


# --- expression language ------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<ident>[A-Za-z_][\w]*)|(?P<op>[(),.\[\]]))"
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise invalid_template(f"The template language expression '{text}' is not valid")
        pos = match.end()
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
    return tokens


@dataclass
class Context:
    """What an expression can see: parameters, variables, the deployment's scope."""

    parameters: dict[str, Any]
    variables: dict[str, Any]
    subscription_id: str
    tenant_id: str
    subscription_name: str
    resource_group: str | None
    resource_group_location: str | None
    deployment_name: str
    deployment_location: str | None
    known_resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources `reference()` can read, keyed by lower-cased id."""
    copy_index: dict[str, int] = field(default_factory=dict)
    _evaluated_vars: dict[str, Any] = field(default_factory=dict)

    def variable(self, name: str) -> Any:
        """Evaluate a variable lazily (variables may refer to each other)."""
        if name not in self._evaluated_vars:
            if name not in self.variables:
                raise invalid_template(f"The template variable '{name}' is not found")
            self._evaluated_vars[name] = evaluate(self.variables[name], self)
        return self._evaluated_vars[name]

    def scope_id(self) -> str:
        """The id of the deployment's target scope."""
        base = f"/subscriptions/{self.subscription_id}"
        if self.resource_group:
            return f"{base}/resourceGroups/{self.resource_group}"
        return base


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], ctx: Context) -> None:
        self.tokens = tokens
        self.pos = 0
        self.ctx = ctx

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise invalid_template("The template language expression is not valid")
        self.pos += 1
        return token

    def expression(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            value: Any = text[1:-1].replace("''", "'")
        elif kind == "num":
            value = float(text) if "." in text else int(text)
        elif kind == "ident":
            self.take("(")
            args: list[Any] = []
            if self.peek() and self.peek()[1] != ")":  # type: ignore[index]
                args.append(self.expression())
                while self.peek() and self.peek()[1] == ",":  # type: ignore[index]
                    self.take(",")
                    args.append(self.expression())
            self.take(")")
            value = _call(text.lower(), args, self.ctx)
        else:
            raise invalid_template("The template language expression is not valid")
        while self.peek() and self.peek()[1] in (".", "["):  # type: ignore[index]
            if self.take()[1] == ".":
                prop = self.take()[1]
                value = _member(value, prop)
            else:
                index = self.expression()
                self.take("]")
                value = _member(value, index)
        return value


def _member(value: Any, key: Any) -> Any:
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(key, str) and k.lower() == key.lower():
                return v
        raise _Unsupported(f"property {key}")
    if isinstance(value, list) and isinstance(key, int):
        return value[key]
    raise _Unsupported(f"member {key}")


def _id(prefix: str, rtype: str, names: list[str]) -> str:
    parts = rtype.split("/")
    namespace, types = parts[0], parts[1:]
    if len(types) != len(names):
        raise invalid_template(
            f"Unable to evaluate template language function 'resourceId': the type '{rtype}' "
            f"requires '{len(types)}' resource name argument(s)"
        )
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"{prefix}/providers/{namespace}/{path}"


def _looks_like_guid(text: Any) -> bool:
    return isinstance(text, str) and bool(re.fullmatch(r"[0-9a-fA-F-]{36}", text))


def unique_string(*parts: str) -> str:
    """A deterministic 13-character lower-case string, like ARM's `uniqueString()`."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return base64.b32encode(digest).decode().lower()[:13]


def _call(name: str, args: list[Any], ctx: Context) -> Any:
    if name == "parameters":
        if args[0] not in ctx.parameters:
            raise invalid_template(f"The template parameter '{args[0]}' is not found")
        return ctx.parameters[args[0]]
    if name == "variables":
        return ctx.variable(args[0])
    if name == "concat":
        if args and all(isinstance(a, list) for a in args):
            return [x for a in args for x in a]
        return "".join(_text(a) for a in args)
    if name == "format":
        return re.sub(r"\{(\d+)(?::[^}]*)?\}", lambda m: _text(args[1 + int(m.group(1))]), args[0])
    if name == "resourceid":
        prefix = f"/subscriptions/{ctx.subscription_id}"
        rest = list(args)
        if rest and _looks_like_guid(rest[0]) and len(rest) > 2 and "/" not in rest[0]:
            prefix = f"/subscriptions/{rest.pop(0)}"
            if len(rest) > 1 and "/" not in rest[0]:
                prefix += f"/resourceGroups/{rest.pop(0)}"
        elif len(rest) > 1 and "/" not in rest[0]:
            prefix += f"/resourceGroups/{rest.pop(0)}"
        elif ctx.resource_group:
            prefix += f"/resourceGroups/{ctx.resource_group}"
        return _id(prefix, rest[0], [_text(a) for a in rest[1:]])
    if name == "subscriptionresourceid":
        rest = list(args)
        sub = rest.pop(0) if len(rest) > 1 and "/" not in rest[0] else ctx.subscription_id
        return _id(f"/subscriptions/{sub}", rest[0], [_text(a) for a in rest[1:]])
    if name == "tenantresourceid":
        return _id("", args[0], [_text(a) for a in args[1:]])
    if name == "extensionresourceid":
        return _id(args[0], args[1], [_text(a) for a in args[2:]])
    if name == "resourcegroup":
        if not ctx.resource_group:
            raise invalid_template("The template function 'resourceGroup' is not expected at this location")
        return {
            "id": ctx.scope_id(),
            "name": ctx.resource_group,
            "type": "Microsoft.Resources/resourceGroups",
            "location": ctx.resource_group_location,
            "properties": {"provisioningState": "Succeeded"},
        }
    if name == "subscription":
        return {
            "id": f"/subscriptions/{ctx.subscription_id}",
            "subscriptionId": ctx.subscription_id,
            "tenantId": ctx.tenant_id,
            "displayName": ctx.subscription_name,
        }
    if name == "tenant":
        return {"tenantId": ctx.tenant_id, "id": f"/tenants/{ctx.tenant_id}"}
    if name == "deployment":
        return {"name": ctx.deployment_name, "location": ctx.deployment_location, "properties": {}}
    if name == "environment":
        return {
            "name": "AzureCloud",
            "resourceManager": "https://management.azure.com/",
            "suffixes": {"storage": "core.windows.net", "keyvaultDns": ".vault.azure.net"},
        }
    if name == "copyindex":
        offset = args[-1] if args and isinstance(args[-1], int) else 0
        loop = args[0] if args and isinstance(args[0], str) else next(iter(ctx.copy_index), None)
        if loop is None or loop not in ctx.copy_index:
            raise invalid_template("The template function 'copyIndex' is not expected at this location")
        return ctx.copy_index[loop] + offset
    if name == "reference":
        target = str(args[0]).lower()
        for rid, body in ctx.known_resources.items():
            if rid == target or rid.endswith("/" + target):
                full = len(args) > 2 and str(args[2]).lower() == "full"
                return body if full else body.get("properties", {})
        return {}
    if name in ("listkeys", "listsecrets"):
        return {"keys": [{"keyName": "key1", "value": "sandbox-key"}], "primaryKey": "sandbox-key"}
    simple = _SIMPLE.get(name)
    if simple is None:
        raise _Unsupported(name)
    return simple(*args)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _union(*items: Any) -> Any:
    if all(isinstance(i, dict) for i in items):
        merged: dict[str, Any] = {}
        for item in items:
            merged.update(item)
        return merged
    out: list[Any] = []
    for item in items:
        out += [x for x in item if x not in out]
    return out


_SIMPLE: dict[str, Any] = {
    "tolower": lambda s: str(s).lower(),
    "toupper": lambda s: str(s).upper(),
    "string": _text,
    "int": lambda v: int(v),
    "bool": lambda v: v if isinstance(v, bool) else str(v).lower() == "true",
    "true": lambda: True,
    "false": lambda: False,
    "null": lambda: None,
    "if": lambda c, a, b: a if c else b,
    "equals": lambda a, b: a == b,
    "not": lambda a: not a,
    "and": lambda *a: all(a),
    "or": lambda *a: any(a),
    "empty": lambda v: v is None or len(v) == 0,
    "length": lambda v: len(v),
    "contains": lambda c, v: v in c,
    "union": _union,
    "createarray": lambda *a: list(a),
    "createobject": lambda *a: {a[i]: a[i + 1] for i in range(0, len(a), 2)},
    "coalesce": lambda *a: next((x for x in a if x is not None), None),
    "replace": lambda s, old, new: str(s).replace(old, new),
    "substring": lambda s, start, length=None: str(s)[start : None if length is None else start + length],
    "take": lambda v, n: v[:n],
    "skip": lambda v, n: v[n:],
    "split": lambda s, d: str(s).split(d) if isinstance(d, str) else re.split("|".join(map(re.escape, d)), s),
    "trim": lambda s: str(s).strip(),
    "first": lambda v: v[0],
    "last": lambda v: v[-1],
    "startswith": lambda s, p: str(s).lower().startswith(str(p).lower()),
    "endswith": lambda s, p: str(s).lower().endswith(str(p).lower()),
    "indexof": lambda s, p: str(s).lower().find(str(p).lower()),
    "min": lambda *a: min(a[0] if len(a) == 1 else a),
    "max": lambda *a: max(a[0] if len(a) == 1 else a),
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a // b,
    "mod": lambda a, b: a % b,
    "greater": lambda a, b: a > b,
    "less": lambda a, b: a < b,
    "greaterorequals": lambda a, b: a >= b,
    "lessorequals": lambda a, b: a <= b,
    "json": lambda s: json.loads(s),
    "uniquestring": lambda *a: unique_string(*map(_text, a)),
    "guid": lambda *a: str(uuid.uuid5(_GUID_NAMESPACE, "-".join(map(_text, a)))),
    "base64": lambda s: base64.b64encode(str(s).encode()).decode(),
    "utcnow": lambda *a: "20261116T090000Z",
}


def evaluate(value: Any, ctx: Context) -> Any:
    """Evaluate every template expression inside a JSON value."""
    if isinstance(value, str):
        if value.startswith("[["):
            return value[1:]
        if value.startswith("[") and value.endswith("]"):
            try:
                parser = _Parser(_tokenize(value[1:-1]), ctx)
                result = parser.expression()
                if parser.peek() is not None:
                    raise _Unsupported("trailing tokens")
                return result
            except _Unsupported:
                return value
            except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError):
                return value
        return value
    if isinstance(value, list):
        return [evaluate(v, ctx) for v in value]
    if isinstance(value, dict):
        return {k: evaluate(v, ctx) for k, v in value.items()}
    return value


# --- validation ---------------------------------------------------------------------------------

_PARAM_TYPES = {
    "string": "String",
    "securestring": "SecureString",
    "int": "Int",
    "bool": "Bool",
    "object": "Object",
    "secureobject": "SecureObject",
    "array": "Array",
}


def check_template(template: Any) -> None:
    """The structural checks ARM makes before anything else; raises `InvalidTemplate`."""
    if not isinstance(template, dict):
        raise invalid_template("The template must be a JSON object")
    problems = []
    if "$schema" not in template:
        problems.append("Required property '$schema' not found in JSON. Path '', line 1, position 1")
    if "contentVersion" not in template:
        problems.append("Required property 'contentVersion' not found in JSON. Path '', line 1, position 1")
    if "resources" not in template:
        problems.append("Required property 'resources' not found in JSON. Path '', line 1, position 1")
    elif not isinstance(template["resources"], list | dict):
        problems.append("The template property 'resources' must be an array")
    if problems:
        raise invalid_template(
            problems[0], details=[error_object("InvalidTemplate", p) for p in problems]
        )
    for key in ("parameters", "variables", "outputs"):
        if key in template and not isinstance(template[key], dict):
            raise invalid_template(f"The template property '{key}' must be an object")
    resources = template["resources"]
    items = resources.values() if isinstance(resources, dict) else resources
    for index, resource in enumerate(items):
        _check_resource(resource, f"resources[{index}]")


def _check_resource(resource: Any, path: str) -> None:
    if not isinstance(resource, dict):
        raise invalid_template(f"The template resource at '{path}' must be an object")
    missing = [key for key in ("type", "name", "apiVersion") if key not in resource]
    if missing:
        raise invalid_template(
            f"The template resource at '{path}' is missing required property '{missing[0]}'"
        )
    deps = resource.get("dependsOn", [])
    if not isinstance(deps, list):
        raise invalid_template(f"The template resource at '{path}' has a 'dependsOn' that is not an array")
    for index, child in enumerate(resource.get("resources", []) or []):
        _check_resource(child, f"{path}.resources[{index}]")


def resolve_parameters(template: dict[str, Any], supplied: Any, ctx: Context) -> dict[str, Any]:
    """Merge supplied parameter values with defaults; ARM rejects unknown or missing ones."""
    declared = template.get("parameters", {}) or {}
    supplied = supplied or {}
    if not isinstance(supplied, dict):
        raise ArmError(400, "InvalidRequestContent", "The deployment parameters must be an object.")
    unknown = [name for name in supplied if name not in declared]
    if unknown:
        raise invalid_template(
            "The following parameters were supplied, but do not correspond to any parameters "
            f"defined in the template: '{', '.join(unknown)}'"
        )
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        given = supplied.get(name)
        if isinstance(given, dict) and "value" in given:
            values[name] = given["value"]
        elif isinstance(given, dict) and "reference" in given:
            values[name] = "sandbox-secret"
        elif isinstance(spec, dict) and "defaultValue" in spec:
            ctx.parameters = values
            values[name] = evaluate(spec["defaultValue"], ctx)
        else:
            raise invalid_template(
                f"The value for the template parameter '{name}' at line '1' and column '1' is not provided"
            )
        allowed = spec.get("allowedValues") if isinstance(spec, dict) else None
        if allowed and values[name] not in allowed:
            raise invalid_template(
                f"The provided value '{values[name]}' for the template parameter '{name}' is not valid. "
                f"The parameter value is not part of the allowed value(s): '{','.join(map(str, allowed))}'"
            )
    return values


def echo_parameters(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Parameters as a deployment shows them: `{name: {type, value}}`, secure values hidden."""
    declared = template.get("parameters", {}) or {}
    out: dict[str, Any] = {}
    for name, spec in declared.items():
        raw_type = str((spec or {}).get("type", "string")).lower()
        kind = _PARAM_TYPES.get(raw_type, raw_type.capitalize())
        out[name] = {"type": kind} if raw_type.startswith("secure") else {"type": kind, "value": values.get(name)}
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


_ENVELOPE_SKIP = {
    "type", "name", "apiVersion", "dependsOn", "condition", "copy", "resources", "scope",
    "comments", "metadata", "resourceGroup", "subscriptionId", "existing",
}


def expand(template: dict[str, Any], ctx: Context) -> list[PlannedResource]:
    """Flatten a template's resources (child resources and copy loops included)."""
    resources = template.get("resources", [])
    items: list[tuple[str | None, dict[str, Any]]]
    items = list(resources.items()) if isinstance(resources, dict) else [(None, r) for r in resources]
    planned: list[PlannedResource] = []
    for symbolic, resource in items:
        if resource.get("existing"):
            continue
        _expand_one(resource, ctx, planned, symbolic, parent=None)
    return planned


def _expand_one(
    resource: dict[str, Any],
    ctx: Context,
    out: list[PlannedResource],
    symbolic: str | None,
    parent: PlannedResource | None,
) -> None:
    copy = resource.get("copy")
    if isinstance(copy, dict) and "count" in copy:
        count = evaluate(copy["count"], ctx)
        loop = str(copy.get("name", "copy"))
        for index in range(int(count) if isinstance(count, int | str) else 0):
            ctx.copy_index[loop] = index
            single = {k: v for k, v in resource.items() if k != "copy"}
            _expand_one(single, ctx, out, symbolic, parent)
        ctx.copy_index.pop(loop, None)
        return
    if "condition" in resource and not evaluate(resource["condition"], ctx):
        return
    rtype = str(evaluate(resource["type"], ctx))
    name = str(evaluate(resource["name"], ctx))
    depends = [str(evaluate(d, ctx)) for d in resource.get("dependsOn", []) or []]
    if parent is not None:
        if "/" not in rtype or rtype.count("/") < parent.type.count("/") + 1 or not rtype.lower().startswith(
            parent.type.lower() + "/"
        ):
            rtype = f"{parent.type}/{rtype}"
        if name.count("/") < rtype.count("/") - 1:
            name = f"{parent.name}/{name}"
        depends.append(parent.id)
    rid, nested = _resource_id(resource, rtype, name, ctx)
    body = {k: evaluate(v, ctx) for k, v in resource.items() if k not in _ENVELOPE_SKIP}
    location = body.get("location")
    item = PlannedResource(
        type=rtype,
        name=name,
        id=rid,
        api_version=str(resource.get("apiVersion", "")),
        location=str(location) if location is not None else None,
        depends_on=depends,
        body=body,
        symbolic=symbolic,
        nested=nested,
    )
    out.append(item)
    for child in resource.get("resources", []) or []:
        _expand_one(child, ctx, out, None, item)


def _resource_id(
    resource: dict[str, Any], rtype: str, name: str, ctx: Context
) -> tuple[str, dict[str, Any] | None]:
    names = name.split("/")
    sub_prefix = f"/subscriptions/{ctx.subscription_id}"
    lowered = rtype.lower()
    if lowered == "microsoft.resources/resourcegroups":
        return f"{sub_prefix}/resourceGroups/{name}", None
    if lowered == "microsoft.resources/deployments":
        target_sub = str(evaluate(resource.get("subscriptionId", ctx.subscription_id), ctx))
        target_rg = resource.get("resourceGroup")
        target_rg = str(evaluate(target_rg, ctx)) if target_rg is not None else None
        if target_rg is None and "subscriptionId" not in resource:
            target_rg = ctx.resource_group
        prefix = f"/subscriptions/{target_sub}"
        if target_rg:
            prefix += f"/resourceGroups/{target_rg}"
        props = evaluate_nested_envelope(resource.get("properties", {}) or {}, ctx)
        nested = {
            "subscription": target_sub,
            "resource_group": target_rg,
            "name": name,
            "properties": props,
        }
        return f"{prefix}/providers/Microsoft.Resources/deployments/{name}", nested
    scope = resource.get("scope")
    if scope is not None:
        scope_value = str(evaluate(scope, ctx))
        if not scope_value.startswith("/"):
            parts = scope_value.split("/")
            scope_value = _id(ctx.scope_id(), "/".join([parts[0], *parts[1::2]]), parts[2::2])
        return _id(scope_value, rtype, names), None
    return _id(ctx.scope_id(), rtype, names), None


def evaluate_nested_envelope(props: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """A nested deployment's properties: mode and parameters evaluated in the outer context,
    its template kept raw (it is evaluated in its own context when the child runs)."""
    out = {k: v for k, v in props.items() if k != "template"}
    out = evaluate(out, ctx)
    if "template" in props:
        inner = str((props.get("expressionEvaluationOptions") or {}).get("scope", "outer")).lower() == "inner"
        out["template"] = props["template"]
        out["_outer_parameters"] = None if inner else dict(ctx.parameters)
        out["_outer_variables"] = None if inner else {k: ctx.variable(k) for k in ctx.variables}
    return out


def resolve_dependencies(planned: list[PlannedResource]) -> list[list[int]]:
    """For each resource, the indexes of the resources it depends on (ARM's matching rules)."""
    by_id = {p.id.lower(): i for i, p in enumerate(planned)}
    result: list[list[int]] = []
    for item in planned:
        deps: list[int] = []
        for dep in item.depends_on:
            index = _match_dependency(dep, planned, by_id)
            if index is None:
                raise invalid_template(f"The resource '{dep}' is not defined in the template")
            if index not in deps and planned[index] is not item:
                deps.append(index)
        result.append(deps)
    _check_cycles(planned, result)
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


def _check_cycles(planned: list[PlannedResource], deps: list[list[int]]) -> None:
    state = [0] * len(planned)

    def visit(i: int) -> None:
        if state[i] == 1:
            raise invalid_template(
                f"Circular dependency detected on resource: '{planned[i].id}'"
            )
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
