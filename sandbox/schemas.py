"""Microsoft's ARM template schemas, held against every resource a deployment declares.

The schemas are Microsoft's published `resourceDefinitions` (Azure/azure-resource-manager-schemas),
one file per provider and api-version. They are third-party reference data, so the project does
not ship them: the sandbox reads them from the folder `AIFACTORY_ARM_SCHEMAS` names, or from
`../shared/reference/arm-schemas` beside the project, and checks nothing where there are none.
A resource whose type and api-version have no schema there is not checked either (its api-version
is still checked against the provider, see `sandbox.api_versions`).

A body that breaks its schema (a property of the wrong type, a value outside an enum, a missing
required property, a name longer than allowed) is refused at submission as ARM's template
validation refuses a template: 400 `InvalidTemplate`, naming the resource and the property path.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sandbox.json_positions import path_text

SCHEMA_HOST = "https://schema.management.azure.com/schemas/"
ENVIRONMENT = "AIFACTORY_ARM_SCHEMAS"
"""Environment variable naming a folder laid out like schema.management.azure.com (`schemas/...`)."""
_SECTIONS = ("resourceDefinitions", "subscription_resourceDefinitions", "extension_resourceDefinitions",
             "managementGroup_resourceDefinitions", "tenant_resourceDefinitions")
_MESSAGE_LIMIT = 300
EXPRESSION_PATTERN = "^\\[([^\\[].*)?\\]$"
"""The pattern of `common/definitions.json#/definitions/expression`."""


@dataclass(frozen=True)
class SchemaProblem:
    """Where a body breaks its schema (`path`, e.g. `properties.addressSpace.addressPrefixes[0]`) and how."""

    path: str
    message: str


def default_location() -> Path | None:
    """The schema folder to use: `$AIFACTORY_ARM_SCHEMAS`, else the reference data beside the project."""
    named = os.environ.get(ENVIRONMENT)
    candidates = [Path(named)] if named else [Path(__file__).resolve().parents[2] / "shared" / "reference" /
                                              "arm-schemas"]
    return next((c for c in candidates if (c / "schemas").is_dir()), None)


class SchemaSet:
    """The schemas under one folder, indexed by resource type and api-version on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index: dict[tuple[str, str], list[tuple[str, str, str]]] | None = None
        self._validators: dict[tuple[str, str, str], Any] = {}
        self._registry: Any = None
        self._loaded: set[str] = set()

    def _build_index(self) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
        index: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        for path in sorted((self.root / "schemas").glob("*/*.json")):
            document = _load(path)
            uri = SCHEMA_HOST + path.relative_to(self.root / "schemas").as_posix()
            for section in _SECTIONS:
                for name, definition in (document.get(section) or {}).items():
                    props = definition.get("properties") or {}
                    types = (props.get("type") or {}).get("enum") or []
                    versions = (props.get("apiVersion") or {}).get("enum") or []
                    for rtype in types:
                        for version in versions:
                            index.setdefault((rtype.lower(), version), []).append((uri, section, name))
        return index

    def covers(self, resource_type: str, api_version: str) -> bool:
        """Is there a schema for this type at this api-version?"""
        if self._index is None:
            self._index = self._build_index()
        return (resource_type.lower(), api_version) in self._index

    def problems(self, resource_type: str, api_version: str, body: dict[str, Any], *,
                 subscription_scope: bool = False) -> list[SchemaProblem]:
        """What in `body` (a template resource with `type`, `apiVersion`, `name` and its envelope)
        breaks the schema of its type and api-version; empty when it fits or there is no schema."""
        if not self.covers(resource_type, api_version):
            return []
        assert self._index is not None
        entries = self._index[(resource_type.lower(), api_version)]
        wanted = "subscription_resourceDefinitions" if subscription_scope else "resourceDefinitions"
        uri, section, name = next((e for e in entries if e[1] == wanted), entries[0])
        validator = self._validator(uri, section, name)
        error = _most_relevant(e for e in validator.iter_errors(body)
                               if not _blanket_properties(e) and not _about_name(e))
        if error is None:
            return []
        return [SchemaProblem(path_text(tuple(error.absolute_path)), _short(error.message))]

    def _validator(self, uri: str, section: str, name: str) -> Any:
        key = (uri, section, name)
        if key not in self._validators:
            from jsonschema import Draft4Validator

            registry = self._registry_with(uri, SCHEMA_HOST + "common/definitions.json")
            self._validators[key] = Draft4Validator({"$ref": f"{uri}#/{section}/{name}"}, registry=registry)
        return self._validators[key]

    def _registry_with(self, *uris: str) -> Any:
        """The registry holding these schema files, crawled once (crawling a large provider's file
        on every lookup would cost a second per resource)."""
        from referencing import Registry
        from referencing.jsonschema import DRAFT4

        registry = self._registry if self._registry is not None else Registry()
        missing = [uri for uri in uris if uri not in self._loaded]
        if missing:
            resources = [(uri, DRAFT4.create_resource(_load(self.root / "schemas" / uri[len(SCHEMA_HOST):])))
                         for uri in missing]
            registry = registry.with_resources(resources).crawl()
            self._loaded.update(missing)
            self._registry = registry
        return registry


@functools.lru_cache(maxsize=64)
def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return {}
    _open_all_of_branches(data)
    return data


def _open_all_of_branches(node: Any) -> None:
    """Drop `additionalProperties: false` from the branches of every `allOf`, in place.

    The schema generator writes discriminated types (an Azure ML compute: `computeType` and its
    `properties`) as `allOf: [{common members, additionalProperties: false}, {oneOf: the kinds}]`.
    Each branch is checked on its own, so the first refuses the members only the second defines:
    no body fits. ARM itself checks no schema, so the sandbox reads the intent: the branches
    together say what is allowed.
    """
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for branch in item.get("allOf") or []:
                if isinstance(branch, dict) and branch.get("additionalProperties") is False:
                    del branch["additionalProperties"]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@functools.lru_cache(maxsize=4)
def schema_set(root: Path) -> SchemaSet:
    """One shared (lazily indexed) `SchemaSet` per folder in this process."""
    return SchemaSet(root)


def default_set() -> SchemaSet | None:
    """The schemas at `default_location()`, or None where there are none."""
    location = default_location()
    return schema_set(location) if location is not None else None


def _blanket_properties(error: Any) -> bool:
    """The schema generator marks `properties` required on every resource; ARM does not (a resource
    group is declared without it in Microsoft's own samples), so neither does the sandbox."""
    return bool(error.validator == "required" and not error.path and error.message == "'properties' is a required "
                "property")


def _about_name(error: Any) -> bool:
    """Names are the providers' to check (in preflight, with their own codes), not the schema's:
    callers put a placeholder there, which some types' length limits would refuse."""
    return bool(error.path) and error.path[0] == "name"


def _through_expression(error: Any) -> bool:
    """An error from the "or a template expression" branch every schema property offers."""
    return isinstance(error.schema, dict) and error.schema.get("pattern") == EXPRESSION_PATTERN


def _most_relevant(errors: Any) -> Any:
    """jsonschema's `best_match`, descending `oneOf` into the concrete branch, never the expression one."""
    from jsonschema.exceptions import relevance

    best = max(errors, key=relevance, default=None)
    while best is not None and best.context:
        concrete = [e for e in best.context if not _through_expression(e)]
        if not concrete:
            break
        best = min(concrete, key=relevance)
    return best


def _short(message: str) -> str:
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 3] + "..."
