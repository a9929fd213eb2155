"""ARM's template expression language: `[concat(parameters('prefix'), '-kv')]` and friends.

Strict where ARM is strict. An expression is parsed in full before anything is evaluated, so a
malformed one (`[concat('a'`) is refused with ARM's "Unable to parse language expression" message
even in a resource whose condition is false, and a function ARM does not have is refused with
"The template function 'x' is not valid". Evaluating checks argument counts and types and
property access with ARM's messages. Nothing is ever kept as literal text because the sandbox did
not understand it: a template that deploys here evaluates as it would in Azure.

`parse()` returns an AST; `evaluate_text()` evaluates one string value in a `Scope`. Errors are
`ExpressionError`; `sandbox.templates` adds the template element and position ARM quotes.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, unquote, urljoin

from sandbox.arm_functions import guid, unique_string

FUNCTIONS_HELP = "Please see https://aka.ms/arm-template-expressions for usage details."


class ExpressionError(Exception):
    """An expression ARM would refuse: `parse` is True for a syntax error (reported before any
    evaluation, with the text of the expression), False for an evaluation error."""

    def __init__(self, message: str, *, parse: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.parse = parse


def is_expression(value: Any) -> bool:
    """Is this JSON string a template expression (`[...]`, not an escaped `[[...`)?"""
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


# --- parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class Call:
    name: str
    """Lower-cased; `namespace.member` for a user-defined function."""
    args: tuple[Any, ...]
    text: str
    """The name as written (ARM quotes it in messages)."""


@dataclass(frozen=True)
class Member:
    target: Any
    key: Any
    """A property name (str) or an index expression (node)."""
    indexed: bool


_TOKEN = re.compile(
    r"(?P<String>'(?:[^']|'')*')|(?P<Float>-?\d+\.\d+)|(?P<Integer>-?\d+)|(?P<Identifier>[A-Za-z_$][\w$]*)"
    r"|(?P<LeftParenthesis>\()|(?P<RightParenthesis>\))|(?P<Comma>,)|(?P<Dot>\.)"
    r"|(?P<LeftSquareBracket>\[)|(?P<RightSquareBracket>\])"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    index = 0
    while index < len(text):
        if text[index] in " \t\r\n":
            index += 1
            continue
        match = _TOKEN.match(text, index)
        if match is None:
            if text[index] == "'":
                raise ExpressionError(f"Unable to parse language expression '{text}': expected token "
                                      "'String' and actual 'EndOfData'.", parse=True)
            raise ExpressionError(f"The language expression '{text}' is not valid: the string character "
                                  f"'{text[index]}' at position '{index}' is not expected.", parse=True)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        index = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> str:
        return self.tokens[self.index][0] if self.index < len(self.tokens) else "EndOfData"

    def expect(self, kind: str) -> str:
        actual = self.peek()
        if actual != kind:
            raise ExpressionError(f"Unable to parse language expression '{self.text}': expected token '{kind}' and "
                                  f"actual '{actual}'.", parse=True)
        value = self.tokens[self.index][1]
        self.index += 1
        return value

    def parse(self) -> Any:
        if not self.tokens:
            raise ExpressionError(f"Unable to parse language expression '{self.text}': expected token 'Identifier' "
                                  "and actual 'EndOfData'.", parse=True)
        node = self.expression()
        if self.peek() != "EndOfData":
            raise ExpressionError(f"Unable to parse language expression '{self.text}': expected token 'EndOfData' "
                                  f"and actual '{self.peek()}'.", parse=True)
        return node

    def expression(self) -> Any:
        kind = self.peek()
        node: Any
        if kind == "String":
            node = Literal(self.expect("String")[1:-1].replace("''", "'"))
        elif kind == "Integer":
            node = Literal(int(self.expect("Integer")))
        elif kind == "Float":
            raise ExpressionError(f"The language expression '{self.text}' is not valid: floating point numbers "
                                  "are not supported.", parse=True)
        else:
            node = self.call()
        while self.peek() in ("Dot", "LeftSquareBracket"):
            if self.peek() == "Dot":
                self.expect("Dot")
                node = Member(node, self.expect("Identifier"), indexed=False)
            else:
                self.expect("LeftSquareBracket")
                index = self.expression()
                self.expect("RightSquareBracket")
                node = Member(node, index, indexed=True)
        return node

    def call(self) -> Call:
        name = self.expect("Identifier")
        if self.peek() == "Dot":  # a user-defined function: namespace.member(...)
            self.expect("Dot")
            name = f"{name}.{self.expect('Identifier')}"
        self.expect("LeftParenthesis")
        args: list[Any] = []
        if self.peek() != "RightParenthesis":
            args.append(self.expression())
            while self.peek() == "Comma":
                self.expect("Comma")
                args.append(self.expression())
        self.expect("RightParenthesis")
        return Call(name.lower(), tuple(args), name)


def parse(text: str) -> Any:
    """The AST of an expression's inner text (without the brackets); ExpressionError(parse=True)."""
    return _Parser(text).parse()


def calls(node: Any) -> list[Call]:
    """Every function call in an AST (to refuse unknown functions before evaluating anything)."""
    if isinstance(node, Call):
        return [node, *(c for a in node.args for c in calls(a))]
    if isinstance(node, Member):
        return calls(node.target) + (calls(node.key) if node.indexed else [])
    return []


def unknown_function(node: Any, user_functions: dict[str, Any]) -> str | None:
    """The first function the AST calls that neither ARM nor the template defines (as written)."""
    for call in calls(node):
        if call.name not in FUNCTIONS and call.name not in user_functions:
            return call.text
    return None


def reads_deployed_state(value: Any) -> bool:
    """Does a JSON value call `reference()` or a `list*()` function (which ARM evaluates when the
    deployment runs, not when it validates)?"""
    if isinstance(value, dict):
        return any(reads_deployed_state(v) for v in value.values())
    if isinstance(value, list):
        return any(reads_deployed_state(v) for v in value)
    if not is_expression(value):
        return False
    try:
        return any(c.name == "reference" or c.name.startswith("list") for c in calls(parse(value[1:-1])))
    except ExpressionError:
        return False


def not_valid(name: str) -> str:
    """ARM's message for a function it does not have."""
    return f"The template function '{name}' is not valid. {FUNCTIONS_HELP}"


# --- evaluation ---------------------------------------------------------------------------------


@dataclass
class Scope:
    """What an expression can see. `sandbox.templates.Context` is the one deployments use."""

    parameters: dict[str, Any]
    variables: dict[str, Any]
    subscription_id: str
    tenant_id: str
    subscription_name: str
    resource_group: str | None
    resource_group_location: str | None
    deployment_name: str
    deployment_location: str | None
    now: float = 0.0
    """Sandbox time, for `utcNow()`."""
    known_resources: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources `reference()` can read, keyed by lower-cased id."""
    planned: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Resources this deployment will create, as they will read once written (lower-cased id)."""
    symbols: dict[str, str] = field(default_factory=dict)
    """Template resource names and symbolic names (lower case) -> resource id, for `reference('name')`."""
    copy_index: dict[str, int] = field(default_factory=dict)
    user_functions: dict[str, Any] = field(default_factory=dict)
    """`namespace.member` (lower case) -> the function's definition."""
    lambda_variables: dict[str, Any] = field(default_factory=dict)
    in_parameter_default: bool = False
    """`utcNow()` and `newGuid()` are only allowed in parameter defaults."""
    resolve: Callable[[str], dict[str, Any] | None] | None = None
    """Evaluates a resource of the same template on demand (lower-cased id -> its view), so that
    `reference()` reads it whatever order the template declares resources in."""
    _evaluated_vars: dict[str, Any] = field(default_factory=dict)
    _evaluating: set[str] = field(default_factory=set)

    def variable(self, name: str) -> Any:
        """Evaluate a variable lazily (variables may refer to each other)."""
        if not isinstance(name, str):
            raise ExpressionError("The template function 'variables' expects its parameter to be a string.")
        key = next((k for k in self.variables if k.lower() == name.lower() and k != "copy"), None)
        if key is None and name.lower() in self._copy_variables():
            return self._copy_variable(name)
        if key is None:
            raise ExpressionError(f"The template variable '{name}' is not found. Please see "
                                  "https://aka.ms/arm-syntax-variables for usage details.")
        if key not in self._evaluated_vars:
            if key in self._evaluating:
                raise ExpressionError(f"The template variable '{key}' refers to itself.")
            self._evaluating.add(key)
            try:
                self._evaluated_vars[key] = evaluate(self.variables[key], self)
            finally:
                self._evaluating.discard(key)
        return self._evaluated_vars[key]

    def _copy_variables(self) -> dict[str, dict[str, Any]]:
        loops = self.variables.get("copy")
        if not isinstance(loops, list):
            return {}
        return {str(loop.get("name", "")).lower(): loop for loop in loops if isinstance(loop, dict)}

    def _copy_variable(self, name: str) -> list[Any]:
        """A variable a `copy` loop defines: `count` values of `input`, `copyIndex('name')` in each."""
        key = f"copy:{name.lower()}"
        if key not in self._evaluated_vars:
            loop = self._copy_variables()[name.lower()]
            count = evaluate(loop.get("count", 0), self)
            if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 800:
                raise ExpressionError(f"The copy count of variable '{name}' must be a whole number from 0 to 800.")
            values = []
            for index in range(count):
                self.copy_index[str(loop.get("name"))] = index
                values.append(evaluate(loop.get("input"), self))
            self.copy_index.pop(str(loop.get("name")), None)
            self._evaluated_vars[key] = values
        return self._evaluated_vars[key]

    def parameter(self, name: str) -> Any:
        if not isinstance(name, str):
            raise ExpressionError("The template function 'parameters' expects its parameter to be a string.")
        key = next((k for k in self.parameters if k.lower() == name.lower()), None)
        if key is None:
            raise ExpressionError(f"The template parameter '{name}' is not found. Please see "
                                  "https://aka.ms/arm-syntax-parameters for usage details.")
        return self.parameters[key]

    def scope_id(self) -> str:
        """The id of the deployment's target scope."""
        base = f"/subscriptions/{self.subscription_id}"
        return f"{base}/resourceGroups/{self.resource_group}" if self.resource_group else base


def evaluate(value: Any, scope: Scope) -> Any:
    """Evaluate every template expression inside a JSON value (`[[` escapes a literal `[`)."""
    if isinstance(value, str):
        if value.startswith("[["):
            return value[1:]
        if is_expression(value):
            return evaluate_text(value[1:-1], scope)
        return value
    if isinstance(value, list):
        return [evaluate(v, scope) for v in value]
    if isinstance(value, dict):
        return {k: evaluate(v, scope) for k, v in value.items()}
    return value


def evaluate_text(text: str, scope: Scope) -> Any:
    """Parse and evaluate one expression's inner text."""
    node = parse(text)
    missing = unknown_function(node, scope.user_functions)
    if missing is not None:
        raise ExpressionError(not_valid(missing))
    return _eval(node, scope)


def _eval(node: Any, scope: Scope) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Member):
        target = _eval(node.target, scope)
        key = _eval(node.key, scope) if node.indexed else node.key
        return member(target, key)
    assert isinstance(node, Call)
    if node.name in LAZY:
        return LAZY[node.name](node, scope)
    args = [_eval(a, scope) for a in node.args]
    if node.name in scope.user_functions:
        return _user_function(node, scope.user_functions[node.name], args, scope)
    low, high, impl = FUNCTIONS[node.name]
    if len(args) < low or (high is not None and len(args) > high):
        wanted = f"{low}" if low == high else f"{low} to {high}" if high is not None else f"at least {low}"
        raise ExpressionError(f"Unable to evaluate template language function '{node.text}': function requires "
                              f"{wanted} argument(s) while {len(args)} were provided. Please see "
                              f"https://aka.ms/arm-functions/#{node.name} for usage details.")
    try:
        return impl(scope, *args)
    except ExpressionError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError, OverflowError) as exc:
        kinds = ", ".join(f"'{kind_of(a)}'" for a in args)
        raise ExpressionError(f"Unable to evaluate template language function '{node.text}': the provided "
                              f"arguments ({kinds}) are not valid for it ({exc}). Please see "
                              f"https://aka.ms/arm-functions/#{node.name} for usage details.") from None


def kind_of(value: Any) -> str:
    """ARM's (Json.NET's) name for a value's type."""
    kinds = ((bool, "Boolean"), (int, "Integer"), (float, "Float"), (str, "String"), (list, "Array"),
             (dict, "Object"), (Lambda, "Lambda"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "Null")


def member(value: Any, key: Any) -> Any:
    """`value.key` or `value[key]` with ARM's messages when it is not there."""
    if isinstance(value, dict):
        if not isinstance(key, str):
            raise ExpressionError(f"The language expression property '{key}' can't be evaluated, property name "
                                  "must be a string.")
        for k, v in value.items():
            if k.lower() == key.lower():
                return v
        available = ", ".join(value)
        raise ExpressionError(f"The language expression property '{key}' doesn't exist, available properties are "
                              f"'{available}'.")
    if isinstance(value, list):
        if isinstance(key, bool) or not isinstance(key, int):
            raise ExpressionError(f"The language expression property '{key}' can't be evaluated, property index "
                                  "must be an integer.")
        if not 0 <= key < len(value):
            raise ExpressionError(f"The language expression property array index '{key}' is out of bounds.")
        return value[key]
    raise ExpressionError(f"The language expression property '{key}' can't be evaluated because its target is "
                          f"of type '{kind_of(value)}'.")


def text_of(value: Any) -> str:
    """`string()`: how ARM turns a value into text."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    if value is None:
        return ""
    return str(value)


def _strings(name: str, args: tuple[Any, ...]) -> list[str]:
    for arg in args:
        if not isinstance(arg, str):
            raise ExpressionError(f"The template language function '{name}' expects its parameters to be of type "
                                  f"string. The provided value is of type '{kind_of(arg)}'. Please see "
                                  "https://aka.ms/arm-functions for usage details.")
    return list(args)


def _ints(name: str, args: tuple[Any, ...]) -> list[int]:
    for arg in args:
        if isinstance(arg, bool) or not isinstance(arg, int):
            raise ExpressionError(f"The template language function '{name}' expects its parameters to be integers. "
                                  f"The provided value is of type '{kind_of(arg)}'. Please see "
                                  "https://aka.ms/arm-functions for usage details.")
    return list(args)


# --- lambdas and user-defined functions ---------------------------------------------------------


@dataclass(frozen=True)
class Lambda:
    """`lambda('x', body)`: evaluated later, by `map`, `filter`, `reduce`, `sort`, `toObject`."""

    names: tuple[str, ...]
    body: Any

    def __call__(self, scope: Scope, *values: Any) -> Any:
        saved = dict(scope.lambda_variables)
        scope.lambda_variables.update({n.lower(): v for n, v in zip(self.names, values, strict=False)})
        try:
            return _eval(self.body, scope)
        finally:
            scope.lambda_variables = saved


def _lambda(node: Call, scope: Scope) -> Lambda:
    if len(node.args) < 2:
        raise ExpressionError("The template function 'lambda' requires at least 2 argument(s).")
    names = [_eval(a, scope) for a in node.args[:-1]]
    return Lambda(tuple(_strings("lambda", tuple(names))), node.args[-1])


def _lambda_variables(scope: Scope, name: Any) -> Any:
    if not isinstance(name, str) or name.lower() not in scope.lambda_variables:
        raise ExpressionError(f"The lambda variable '{name}' is not found. Please see "
                              "https://aka.ms/arm-lambda for usage details.")
    return scope.lambda_variables[name.lower()]


def _if(node: Call, scope: Scope) -> Any:
    """`if()` evaluates only the branch it takes, as ARM does."""
    if len(node.args) != 3:
        raise ExpressionError(f"Unable to evaluate template language function 'if': function requires 3 argument(s) "
                              f"while {len(node.args)} were provided.")
    condition = _eval(node.args[0], scope)
    if not isinstance(condition, bool):
        raise ExpressionError(f"The template language function 'if' expects its first parameter to be of type "
                              f"'Boolean'. The provided value is of type '{kind_of(condition)}'.")
    return _eval(node.args[1] if condition else node.args[2], scope)


def _user_function(node: Call, definition: dict[str, Any], args: list[Any], scope: Scope) -> Any:
    declared = definition.get("parameters") or []
    if len(args) != len(declared):
        raise ExpressionError(f"The template function '{node.text}' expects {len(declared)} argument(s) while "
                              f"{len(args)} were provided.")
    inner = Scope(
        parameters={p["name"]: a for p, a in zip(declared, args, strict=True)}, variables={},
        subscription_id=scope.subscription_id, tenant_id=scope.tenant_id, subscription_name=scope.subscription_name,
        resource_group=scope.resource_group, resource_group_location=scope.resource_group_location,
        deployment_name=scope.deployment_name, deployment_location=scope.deployment_location, now=scope.now,
        user_functions=scope.user_functions,
    )
    return evaluate((definition.get("output") or {}).get("value"), inner)


LAZY: dict[str, Callable[[Call, Scope], Any]] = {"if": _if, "lambda": _lambda}
"""Functions that decide themselves which of their arguments to evaluate."""


# --- the functions ------------------------------------------------------------------------------


def _id(prefix: str, rtype: Any, names: list[Any], function: str) -> str:
    _strings(function, (rtype, *names))
    parts = rtype.split("/")
    namespace, types = parts[0], parts[1:]
    names = [segment for name in names for segment in name.split("/")]
    if len(types) != len(names) or not types:
        raise ExpressionError(f"Unable to evaluate template language function '{function}': the type '{rtype}' "
                              f"requires '{len(types)}' resource name argument(s).")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    return f"{prefix}/providers/{namespace}/{path}"


def _looks_like_guid(text: Any) -> bool:
    return isinstance(text, str) and bool(re.fullmatch(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}", text))


def _resource_id(scope: Scope, *args: Any) -> str:
    rest = list(args)
    prefix = f"/subscriptions/{scope.subscription_id}"
    if len(rest) > 2 and _looks_like_guid(rest[0]) and "/" not in str(rest[1]) and "/" in str(rest[2]):
        prefix = f"/subscriptions/{rest.pop(0)}"
        prefix += f"/resourceGroups/{rest.pop(0)}"
    elif len(rest) > 1 and _looks_like_guid(rest[0]) and "/" in str(rest[1]):
        prefix = f"/subscriptions/{rest.pop(0)}"
        if scope.resource_group:
            prefix += f"/resourceGroups/{scope.resource_group}"
    elif len(rest) > 1 and isinstance(rest[0], str) and "/" not in rest[0]:
        prefix += f"/resourceGroups/{rest.pop(0)}"
    elif scope.resource_group:
        prefix += f"/resourceGroups/{scope.resource_group}"
    return _id(prefix, rest[0], rest[1:], "resourceId")


def _subscription_resource_id(scope: Scope, *args: Any) -> str:
    rest = list(args)
    sub = rest.pop(0) if len(rest) > 1 and isinstance(rest[0], str) and "/" not in rest[0] else scope.subscription_id
    return _id(f"/subscriptions/{sub}", rest[0], rest[1:], "subscriptionResourceId")


def _resource_group(scope: Scope) -> dict[str, Any]:
    if not scope.resource_group:
        raise ExpressionError("The template function 'resourceGroup' is not expected at this location. Please see "
                              "https://aka.ms/arm-functions for usage details.")
    return {"id": scope.scope_id(), "name": scope.resource_group, "type": "Microsoft.Resources/resourceGroups",
            "location": scope.resource_group_location, "properties": {"provisioningState": "Succeeded"}}


def _management_group(scope: Scope, *args: Any) -> Any:
    raise ExpressionError("The template function 'managementGroup' is not expected at this location. Please see "
                          "https://aka.ms/arm-functions for usage details.")


def _copy_index(scope: Scope, *args: Any) -> int:
    offset = args[-1] if args and isinstance(args[-1], int) and not isinstance(args[-1], bool) else 0
    loop = args[0] if args and isinstance(args[0], str) else next(reversed(scope.copy_index), None)
    if loop is None or loop not in scope.copy_index:
        raise ExpressionError("The template function 'copyIndex' is not expected at this location. Please see "
                              "https://aka.ms/arm-copy for usage details.")
    return scope.copy_index[loop] + offset


def _reference(scope: Scope, target: Any, api_version: Any = None, full: Any = None) -> Any:
    _strings("reference", (target,))
    key = target.lower()
    if not key.startswith("/"):
        key = scope.symbols.get(key, "")
        if not key:
            raise ExpressionError(f"The template reference '{target}' is not valid: could not find template "
                                  "resource or resource copy with this name. Please see "
                                  "https://aka.ms/arm-function-reference for usage details.")
    body = scope.planned.get(key)
    if body is None and scope.resolve is not None:
        body = scope.resolve(key)
    if body is None:
        body = scope.known_resources.get(key)
    if body is None:
        raise ExpressionError(f"The Resource '{target}' was not found. For more details please go to "
                              "https://aka.ms/ARMResourceNotFoundFix")
    view = {k: v for k, v in body.items() if not k.startswith("_")}
    if isinstance(full, str) and full.lower() == "full":
        return view
    return view.get("properties", {})


def _list_keys(scope: Scope, target: Any, api_version: Any = None, *rest: Any) -> dict[str, Any]:
    _strings("listKeys", (target,))
    return {"keys": [{"keyName": "key1", "value": "sandbox-key-1", "permissions": "FULL"},
                     {"keyName": "key2", "value": "sandbox-key-2", "permissions": "FULL"}],
            "key1": "sandbox-key-1", "key2": "sandbox-key-2", "primaryKey": "sandbox-key-1",
            "secondaryKey": "sandbox-key-2"}


def _utc_now(scope: Scope, fmt: str = "yyyyMMddTHHmmssZ") -> str:
    if not scope.in_parameter_default:
        raise ExpressionError("The template function 'utcNow' is not expected at this location. It can only be used "
                              "with the default value of a parameter. Please see https://aka.ms/arm-functions for "
                              "usage details.")
    return _dotnet_format(datetime.fromtimestamp(scope.now, UTC), fmt)


def _new_guid(scope: Scope) -> str:
    if not scope.in_parameter_default:
        raise ExpressionError("The template function 'newGuid' is not expected at this location. It can only be "
                              "used with the default value of a parameter. Please see https://aka.ms/arm-functions "
                              "for usage details.")
    return guid(scope.deployment_name, str(scope.now))


_DOTNET_TOKENS = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}


def _dotnet_format(moment: datetime, fmt: str) -> str:
    standard = {"u": "%Y-%m-%d %H:%M:%SZ", "s": "%Y-%m-%dT%H:%M:%S", "o": "%Y-%m-%dT%H:%M:%S.%f0Z"}
    if fmt in standard:
        return moment.strftime(standard[fmt])
    out = re.sub("yyyy|MM|dd|HH|mm|ss", lambda m: _DOTNET_TOKENS[m.group(0)], fmt)
    return moment.strftime(out)


def _parse_datetime(text: Any) -> datetime:
    _strings("dateTime", (text,))
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_DURATION = re.compile(r"^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def _date_time_add(scope: Scope, base: Any, duration: Any, fmt: str = "o") -> str:
    match = _DURATION.match(str(duration))
    if not match:
        raise ExpressionError(f"The template language function 'dateTimeAdd' expects an ISO 8601 duration, not "
                              f"'{duration}'.")
    sign = -1 if match.group(1) else 1
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups()[1:])
    delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds) * sign
    return _dotnet_format(_parse_datetime(base) + delta, fmt)


def _format(scope: Scope, template: Any, *args: Any) -> str:
    _strings("format", (template,))

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(1))
        if index >= len(args):
            raise ExpressionError(f"Unable to evaluate template language function 'format': the format string "
                                  f"'{template}' refers to argument {index} but only {len(args)} were provided.")
        return text_of(args[index])

    return re.sub(r"\{(\d+)(?:[,:][^}]*)?\}", replace, template).replace("{{", "{").replace("}}", "}")


def _concat(scope: Scope, *args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        return [x for a in args for x in a]
    if any(isinstance(a, list) for a in args):
        raise ExpressionError("The template language function 'concat' expects its parameters to be either all "
                              "arrays or all strings, integers and booleans.")
    return "".join(text_of(a) for a in args)


def _contains(scope: Scope, container: Any, item: Any) -> bool:
    if isinstance(container, str):
        return text_of(item).lower() in container.lower()
    if isinstance(container, dict):
        return isinstance(item, str) and any(k.lower() == item.lower() for k in container)
    if isinstance(container, list):
        return item in container
    raise ExpressionError(f"The template language function 'contains' expects its first parameter to be an array, "
                          f"object or string. The provided value is of type '{kind_of(container)}'.")


def _length(scope: Scope, value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise ExpressionError(f"The template language function 'length' expects its parameter to be an array, object "
                          f"or string. The provided value is of type '{kind_of(value)}'.")


def _empty(scope: Scope, value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _union(scope: Scope, *items: Any) -> Any:
    if all(isinstance(i, dict) for i in items):
        merged: dict[str, Any] = {}
        for item in items:
            merged.update(item)
        return merged
    if all(isinstance(i, list) for i in items):
        out: list[Any] = []
        for item in items:
            out += [x for x in item if x not in out]
        return out
    raise ExpressionError("The template language function 'union' expects its parameters to be all arrays or all "
                          "objects.")


def _intersection(scope: Scope, first: Any, *rest: Any) -> Any:
    if isinstance(first, dict) and all(isinstance(r, dict) for r in rest):
        return {k: v for k, v in first.items() if all(r.get(k) == v for r in rest)}
    if isinstance(first, list) and all(isinstance(r, list) for r in rest):
        return [x for x in first if all(x in r for r in rest)]
    raise ExpressionError("The template language function 'intersection' expects its parameters to be all arrays "
                          "or all objects.")


def _split(scope: Scope, text: Any, delimiters: Any) -> list[str]:
    _strings("split", (text,))
    if isinstance(delimiters, str):
        return text.split(delimiters)
    if isinstance(delimiters, list):
        return re.split("|".join(map(re.escape, _strings("split", tuple(delimiters)))), text)
    raise ExpressionError("The template language function 'split' expects its second parameter to be a string or "
                          "an array of strings.")


def _substring(scope: Scope, text: Any, start: Any, length: Any = None) -> str:
    _strings("substring", (text,))
    _ints("substring", (start,) if length is None else (start, length))
    end = len(text) if length is None else start + length
    if start < 0 or start > len(text) or end > len(text) or end < start:
        raise ExpressionError(f"The index and length parameters must refer to a location within the string. The "
                              f"index parameter: '{start}', the length parameter: '{length}', the length of the "
                              f"string parameter: '{len(text)}'. Please see https://aka.ms/arm-functions for usage "
                              "details.")
    return text[start:end]


def _take(scope: Scope, value: Any, count: Any) -> Any:
    _ints("take", (count,))
    if not isinstance(value, str | list):
        raise ExpressionError("The template language function 'take' expects its first parameter to be an array or "
                              "a string.")
    return value[: max(count, 0)]


def _skip(scope: Scope, value: Any, count: Any) -> Any:
    _ints("skip", (count,))
    if not isinstance(value, str | list):
        raise ExpressionError("The template language function 'skip' expects its first parameter to be an array or "
                              "a string.")
    return value[max(count, 0):]


def _first_or_last(which: int) -> Callable[[Scope, Any], Any]:
    def pick(scope: Scope, value: Any) -> Any:
        if isinstance(value, str | list):
            return value[which] if value else ("" if isinstance(value, str) else None)
        raise ExpressionError("The template language functions 'first' and 'last' expect an array or a string.")

    return pick


def _index_of(last: bool) -> Callable[[Scope, Any, Any], int]:
    def find(scope: Scope, value: Any, item: Any) -> int:
        if isinstance(value, str):
            needle, hay = text_of(item).lower(), value.lower()
            return hay.rfind(needle) if last else hay.find(needle)
        if isinstance(value, list):
            hits = [i for i, x in enumerate(value) if x == item]
            return (hits[-1] if last else hits[0]) if hits else -1
        raise ExpressionError("The template language functions 'indexOf' and 'lastIndexOf' expect an array or a "
                              "string.")

    return find


def _min_max(pick: Callable[..., Any], name: str) -> Callable[..., int]:
    def choose(scope: Scope, *args: Any) -> int:
        values = args[0] if len(args) == 1 and isinstance(args[0], list) else list(args)
        if not values:
            raise ExpressionError(f"The template language function '{name}' expects at least one value.")
        return int(pick(_ints(name, tuple(values))))

    return choose


def _arith(op: Callable[[int, int], int], name: str) -> Callable[[Scope, Any, Any], int]:
    def apply(scope: Scope, a: Any, b: Any) -> int:
        first, second = _ints(name, (a, b))
        if name in ("div", "mod") and second == 0:
            raise ExpressionError(f"The template language function '{name}' cannot divide by zero.")
        return op(first, second)

    return apply


def _div(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return quotient if (a >= 0) == (b >= 0) else -quotient


def _mod(a: int, b: int) -> int:
    return a - _div(a, b) * b


def _int(scope: Scope, value: Any) -> int:
    if isinstance(value, bool):
        raise ExpressionError("The template language function 'int' expects a string or an integer.")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        return int(value)
    raise ExpressionError(f"The template language function 'int' could not convert '{value}' to an integer.")


def _bool(scope: Scope, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ExpressionError(f"The template language function 'bool' could not convert '{value}' to a boolean.")


def _booleans(name: str, values: tuple[Any, ...]) -> list[bool]:
    for value in values:
        if not isinstance(value, bool):
            raise ExpressionError(f"The template language function '{name}' expects its parameters to be of type "
                                  f"'Boolean'. The provided value is of type '{kind_of(value)}'.")
    return list(values)


def _compare(op: Callable[[Any, Any], bool], name: str) -> Callable[[Scope, Any, Any], bool]:
    def apply(scope: Scope, a: Any, b: Any) -> bool:
        both_ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (a, b))
        if not both_ints and not all(isinstance(x, str) for x in (a, b)):
            raise ExpressionError(f"The template language function '{name}' expects two integers or two strings.")
        return op(a, b)

    return apply


def _equals(scope: Scope, a: Any, b: Any) -> bool:
    """Case-sensitive for strings (Bicep's `==` compiles to it); never equal across types."""
    return bool(a == b and type(a) is type(b))


def _replace(scope: Scope, text: Any, old: Any, new: Any) -> str:
    _strings("replace", (text, old, new))
    return str(text).replace(old, new)


def _pad_left(scope: Scope, value: Any, width: Any, char: Any = " ") -> str:
    _ints("padLeft", (width,))
    text = text_of(value)
    _strings("padLeft", (char,))
    return text.rjust(width, char[:1] or " ")


def _join(scope: Scope, items: Any, delimiter: Any) -> str:
    if not isinstance(items, list):
        raise ExpressionError("The template language function 'join' expects its first parameter to be an array.")
    return _strings("join", (delimiter,))[0].join(text_of(i) for i in items)


def _range(scope: Scope, start: Any, count: Any) -> list[int]:
    first, length = _ints("range", (start, count))
    if length < 0 or length > 10000:
        raise ExpressionError("The template language function 'range' expects a count between 0 and 10000.")
    return list(range(first, first + length))


def _json(scope: Scope, text: Any) -> Any:
    _strings("json", (text,))
    try:
        return json.loads(text)
    except ValueError:
        raise ExpressionError(f"The template language function 'json' could not parse '{text[:80]}' as JSON.") from None


def _create_object(scope: Scope, *args: Any) -> dict[str, Any]:
    if len(args) % 2:
        raise ExpressionError("The template language function 'createObject' expects an even number of parameters.")
    return {_strings("createObject", (args[i],))[0]: args[i + 1] for i in range(0, len(args), 2)}


def _items(scope: Scope, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, dict):
        raise ExpressionError("The template language function 'items' expects an object.")
    return [{"key": k, "value": v} for k, v in sorted(value.items(), key=lambda kv: kv[0].lower())]


def _lambda_arg(name: str, value: Any) -> Lambda:
    if not isinstance(value, Lambda):
        raise ExpressionError(f"The template language function '{name}' expects a lambda function as its last "
                              "parameter.")
    return value


def _map(scope: Scope, items: Any, fn: Any) -> list[Any]:
    return [_lambda_arg("map", fn)(scope, item, index) for index, item in enumerate(_array("map", items))]


def _filter(scope: Scope, items: Any, fn: Any) -> list[Any]:
    return [item for index, item in enumerate(_array("filter", items))
            if _lambda_arg("filter", fn)(scope, item, index) is True]


def _reduce(scope: Scope, items: Any, initial: Any, fn: Any) -> Any:
    value = initial
    for index, item in enumerate(_array("reduce", items)):
        value = _lambda_arg("reduce", fn)(scope, value, item, index)
    return value


def _sort(scope: Scope, items: Any, fn: Any) -> list[Any]:
    ordered = list(_array("sort", items))
    comparator = _lambda_arg("sort", fn)
    for i in range(1, len(ordered)):  # insertion sort: ARM's comparator is "a before b"
        j = i
        while j > 0 and comparator(scope, ordered[j], ordered[j - 1]) is True:
            ordered[j - 1], ordered[j] = ordered[j], ordered[j - 1]
            j -= 1
    return ordered


def _to_object(scope: Scope, items: Any, key_fn: Any, value_fn: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in _array("toObject", items):
        key = _lambda_arg("toObject", key_fn)(scope, item)
        out[text_of(key)] = _lambda_arg("toObject", value_fn)(scope, item) if value_fn is not None else item
    return out


def _array(name: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ExpressionError(f"The template language function '{name}' expects an array. The provided value is of "
                              f"type '{kind_of(value)}'.")
    return value


def _flatten(scope: Scope, value: Any) -> list[Any]:
    return [x for inner in _array("flatten", value) for x in _array("flatten", inner)]


def _parse_cidr(scope: Scope, text: Any) -> dict[str, Any]:
    network = ipaddress.ip_network(_strings("parseCidr", (text,))[0], strict=False)
    hosts = list(network.hosts()) if network.num_addresses <= 4 else None
    first = hosts[0] if hosts else network.network_address + (1 if network.num_addresses > 2 else 0)
    last = hosts[-1] if hosts else network.broadcast_address - (1 if network.num_addresses > 2 else 0)
    out: dict[str, Any] = {"network": str(network.network_address), "cidr": network.prefixlen,
                           "firstUsable": str(first), "lastUsable": str(last)}
    if network.version == 4:
        out = {"network": str(network.network_address), "netmask": str(network.netmask),
               "broadcast": str(network.broadcast_address), "firstUsable": str(first), "lastUsable": str(last),
               "cidr": network.prefixlen}
    return out


def _cidr_subnet(scope: Scope, text: Any, prefix: Any, index: Any) -> str:
    network = ipaddress.ip_network(_strings("cidrSubnet", (text,))[0], strict=False)
    length, which = _ints("cidrSubnet", (prefix, index))
    subnets = network.subnets(new_prefix=length)
    for position, subnet in enumerate(subnets):
        if position == which:
            return str(subnet)
    raise ExpressionError(f"The template language function 'cidrSubnet': index {which} is outside '{text}'.")


def _cidr_host(scope: Scope, text: Any, index: Any) -> str:
    network = ipaddress.ip_network(_strings("cidrHost", (text,))[0], strict=False)
    (which,) = _ints("cidrHost", (index,))
    address = network.network_address + 1 + which
    if address not in network:
        raise ExpressionError(f"The template language function 'cidrHost': host {which} is outside '{text}'.")
    return str(address)


def _deployment(scope: Scope) -> dict[str, Any]:
    out: dict[str, Any] = {"name": scope.deployment_name, "properties": {"templateHash": "", "mode": "Incremental"}}
    if scope.deployment_location:
        out["location"] = scope.deployment_location
    return out


def _environment(scope: Scope) -> dict[str, Any]:
    return {
        "name": "AzureCloud", "gallery": "https://gallery.azure.com/", "graph": "https://graph.windows.net/",
        "portal": "https://portal.azure.com", "resourceManager": "https://management.azure.com/",
        "authentication": {"loginEndpoint": "https://login.microsoftonline.com/",
                           "audiences": ["https://management.core.windows.net/", "https://management.azure.com/"],
                           "tenant": "common", "identityProvider": "AAD"},
        "suffixes": {"acrLoginServer": ".azurecr.io", "keyvaultDns": ".vault.azure.net",
                     "sqlServerHostname": ".database.windows.net", "storage": "core.windows.net"},
    }


_F = Callable[..., Any]


def _f(low: int, high: int | None, impl: _F) -> tuple[int, int | None, _F]:
    return low, high, impl


FUNCTIONS: dict[str, tuple[int, int | None, _F]] = {
    # deployment and scope
    "parameters": _f(1, 1, lambda s, n: s.parameter(n)),
    "variables": _f(1, 1, lambda s, n: s.variable(n)),
    "deployment": _f(0, 0, _deployment),
    "environment": _f(0, 0, _environment),
    "resourcegroup": _f(0, 0, _resource_group),
    "subscription": _f(0, 0, lambda s: {"id": f"/subscriptions/{s.subscription_id}",
                                        "subscriptionId": s.subscription_id, "tenantId": s.tenant_id,
                                        "displayName": s.subscription_name}),
    "tenant": _f(0, 0, lambda s: {"tenantId": s.tenant_id, "id": f"/tenants/{s.tenant_id}",
                                  "countryCode": "US", "displayName": s.subscription_name}),
    "managementgroup": _f(0, 1, _management_group),
    # resource ids and references
    "resourceid": _f(2, None, _resource_id),
    "subscriptionresourceid": _f(2, None, _subscription_resource_id),
    "tenantresourceid": _f(2, None, lambda s, t, *n: _id("", t, list(n), "tenantResourceId")),
    "extensionresourceid": _f(3, None, lambda s, base, t, *n: _id(_strings("extensionResourceId", (base,))[0],
                                                                   t, list(n), "extensionResourceId")),
    "managementgroupresourceid": _f(2, None, lambda s, t, *n: _id(
        "/providers/Microsoft.Management/managementGroups/sandbox", t, list(n), "managementGroupResourceId")),
    "reference": _f(1, 3, _reference),
    "listkeys": _f(2, 3, _list_keys),
    "listsecrets": _f(2, 3, _list_keys),
    "listaccountsas": _f(2, 3, lambda s, *a: {"accountSasToken": "sv=2026-04-01&sig=sandbox"}),
    "listservicesas": _f(2, 3, lambda s, *a: {"serviceSasToken": "sv=2026-04-01&sig=sandbox"}),
    "listconnectionstrings": _f(2, 3, lambda s, *a: {"connectionStrings": []}),
    "copyindex": _f(0, 2, _copy_index),
    "pickzones": _f(3, 5, lambda s, *a: ["1"]),
    # logic and comparison
    "true": _f(0, 0, lambda s: True),
    "false": _f(0, 0, lambda s: False),
    "null": _f(0, 0, lambda s: None),
    "and": _f(2, None, lambda s, *a: all(_booleans("and", a))),
    "or": _f(2, None, lambda s, *a: any(_booleans("or", a))),
    "not": _f(1, 1, lambda s, a: not _booleans("not", (a,))[0]),
    "bool": _f(1, 1, _bool),
    "equals": _f(2, 2, _equals),
    "greater": _f(2, 2, _compare(lambda a, b: a > b, "greater")),
    "greaterorequals": _f(2, 2, _compare(lambda a, b: a >= b, "greaterOrEquals")),
    "less": _f(2, 2, _compare(lambda a, b: a < b, "less")),
    "lessorequals": _f(2, 2, _compare(lambda a, b: a <= b, "lessOrEquals")),
    "coalesce": _f(1, None, lambda s, *a: next((x for x in a if x is not None), None)),
    # numbers
    "int": _f(1, 1, _int),
    "float": _f(1, 1, lambda s, v: float(v)),
    "add": _f(2, 2, _arith(lambda a, b: a + b, "add")),
    "sub": _f(2, 2, _arith(lambda a, b: a - b, "sub")),
    "mul": _f(2, 2, _arith(lambda a, b: a * b, "mul")),
    "div": _f(2, 2, _arith(_div, "div")),
    "mod": _f(2, 2, _arith(_mod, "mod")),
    "min": _f(1, None, _min_max(min, "min")),
    "max": _f(1, None, _min_max(max, "max")),
    "range": _f(2, 2, _range),
    # strings
    "string": _f(1, 1, lambda s, v: text_of(v)),
    "concat": _f(1, None, _concat),
    "format": _f(1, None, _format),
    "tolower": _f(1, 1, lambda s, v: _strings("toLower", (v,))[0].lower()),
    "toupper": _f(1, 1, lambda s, v: _strings("toUpper", (v,))[0].upper()),
    "trim": _f(1, 1, lambda s, v: _strings("trim", (v,))[0].strip()),
    "replace": _f(3, 3, _replace),
    "substring": _f(2, 3, _substring),
    "split": _f(2, 2, _split),
    "join": _f(2, 2, _join),
    "startswith": _f(2, 2, lambda s, a, b: _strings("startsWith", (a, b))[0].lower().startswith(b.lower())),
    "endswith": _f(2, 2, lambda s, a, b: _strings("endsWith", (a, b))[0].lower().endswith(b.lower())),
    "indexof": _f(2, 2, _index_of(last=False)),
    "lastindexof": _f(2, 2, _index_of(last=True)),
    "padleft": _f(2, 3, _pad_left),
    "uniquestring": _f(1, None, lambda s, *a: unique_string(*_strings("uniqueString", a))),
    "guid": _f(1, None, lambda s, *a: guid(*_strings("guid", a))),
    "newguid": _f(0, 0, _new_guid),
    "base64": _f(1, 1, lambda s, v: base64.b64encode(_strings("base64", (v,))[0].encode()).decode()),
    "base64tostring": _f(1, 1, lambda s, v: base64.b64decode(_strings("base64ToString", (v,))[0]).decode()),
    "base64tojson": _f(1, 1, lambda s, v: json.loads(base64.b64decode(_strings("base64ToJson", (v,))[0]))),
    "datauri": _f(1, 1, lambda s, v: "data:text/plain;charset=utf8;base64," + base64.b64encode(
        text_of(v).encode()).decode()),
    "datauritostring": _f(1, 1, lambda s, v: base64.b64decode(_strings("dataUriToString", (v,))[0]
                                                              .split(",", 1)[1]).decode()),
    "uri": _f(2, 2, lambda s, base, rel: urljoin(*_strings("uri", (base, rel)))),
    "uricomponent": _f(1, 1, lambda s, v: quote(_strings("uriComponent", (v,))[0], safe="")),
    "uricomponenttostring": _f(1, 1, lambda s, v: unquote(_strings("uriComponentToString", (v,))[0])),
    "json": _f(1, 1, _json),
    "utcnow": _f(0, 1, _utc_now),
    "datetimeadd": _f(2, 3, _date_time_add),
    "datetimefromepoch": _f(1, 1, lambda s, v: datetime.fromtimestamp(_ints("dateTimeFromEpoch", (v,))[0], UTC)
                            .strftime("%Y-%m-%dT%H:%M:%SZ")),
    "datetimetoepoch": _f(1, 1, lambda s, v: int(_parse_datetime(v).timestamp())),
    # arrays and objects
    "array": _f(1, 1, lambda s, v: v if isinstance(v, list) else [v]),
    "createarray": _f(0, None, lambda s, *a: list(a)),
    "createobject": _f(0, None, _create_object),
    "contains": _f(2, 2, _contains),
    "empty": _f(1, 1, _empty),
    "length": _f(1, 1, _length),
    "first": _f(1, 1, _first_or_last(0)),
    "last": _f(1, 1, _first_or_last(-1)),
    "take": _f(2, 2, _take),
    "skip": _f(2, 2, _skip),
    "union": _f(1, None, _union),
    "intersection": _f(2, None, _intersection),
    "items": _f(1, 1, _items),
    "objectkeys": _f(1, 1, lambda s, v: list(v) if isinstance(v, dict) else _array("objectKeys", v)),
    "shallowmerge": _f(1, 1, lambda s, v: _union(s, *_array("shallowMerge", v)) if v else {}),
    "flatten": _f(1, 1, _flatten),
    "map": _f(2, 2, _map),
    "filter": _f(2, 2, _filter),
    "reduce": _f(3, 3, _reduce),
    "sort": _f(2, 2, _sort),
    "toobject": _f(2, 3, _to_object),
    "lambdavariables": _f(1, 1, _lambda_variables),
    "tryget": _f(2, None, lambda s, v, *keys: _try_get(v, keys)),
    # networks
    "parsecidr": _f(1, 1, _parse_cidr),
    "cidrsubnet": _f(3, 3, _cidr_subnet),
    "cidrhost": _f(2, 2, _cidr_host),
}
"""ARM's template functions (lower case) -> (fewest arguments, most arguments or None, implementation)."""
FUNCTIONS.update({name: (0, None, lambda s, *a: None) for name in LAZY})


def _try_get(value: Any, keys: tuple[Any, ...]) -> Any:
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = next((v for k, v in value.items() if k.lower() == key.lower()), None)
        elif isinstance(value, list) and isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(value):
            value = value[key]
        else:
            return None
    return value

