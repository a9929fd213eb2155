"""Editing one field of a configuration: the seam every front end's input goes through.

A form field, a prompt answer, a finding's Apply button and a command-line `--set` all hold a
dotted path (the same one `Finding.field` carries) and a raw value, usually the text a person
typed. `try_set` applies it to a copy and validates the whole configuration again, so a change
that breaks a rule spanning fields (turning off the only environment) is refused like a typo,
with the full dotted path in every problem. The original is never touched.

`changed_paths` is the other half: which fields differ between two configurations, so the live
checks that read them (and only those) run again.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from wizard.errors import FieldProblem, friendly_problems
from wizard.model import FactoryConfig


class PathError(LookupError):
    """A dotted path that names no field of the configuration."""


@dataclass(frozen=True, slots=True)
class Edit:
    """The outcome of `try_set`: a new configuration, or why there is none."""

    config: FactoryConfig | None
    """The edited copy; None when the value was refused."""
    problems: list[FieldProblem] = field(default_factory=list)
    """Every problem with the edited configuration, each with its full dotted path."""

    @property
    def ok(self) -> bool:
        """True when the value was accepted."""
        return self.config is not None


def split_path(path: str) -> list[str | int]:
    """`projects.0.members` -> ['projects', 0, 'members'] (digits index lists)."""
    if not path or path.startswith(".") or path.endswith(".") or ".." in path:
        raise PathError(f"{path!r} is not a dotted path such as environments.dev.region")
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def get_path(config: BaseModel, path: str) -> Any:
    """The value at `path` in `config` (models by attribute, lists by index, dicts by key)."""
    current: Any = config
    for part in split_path(path):
        current = _child(current, part, path)
    return current


def _child(current: Any, part: str | int, path: str) -> Any:
    try:
        if isinstance(current, BaseModel):
            if not isinstance(part, str) or part not in type(current).model_fields:
                raise KeyError(part)
            return getattr(current, part)
        if isinstance(current, list):
            return current[int(part)]
        if isinstance(current, dict):
            return current[str(part)]
    except (KeyError, IndexError, ValueError):
        pass
    raise PathError(f"{path} names no setting (no {part!r} there)")


def _allows_none(parent: Any, name: str | int) -> bool:
    """True when the field `name` of model `parent` may be None (an optional setting)."""
    if not isinstance(parent, BaseModel) or not isinstance(name, str):
        return False
    info = type(parent).model_fields.get(name)
    if info is None:
        return False
    annotation = info.annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return type(None) in typing.get_args(annotation)
    return False


def _coerce(raw: Any, current: Any, optional: bool) -> Any:
    """Typed text into the shape the field holds; pydantic's lax mode does the rest."""
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    if text == "" and (optional or current is None):
        return None
    if isinstance(current, list):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def try_set(config: FactoryConfig, path: str, raw: Any) -> Edit:
    """`config` with the value at `path` set from `raw`, validated whole; or the problems.

    `raw` may be typed text ("true", "5", "10.0.0.0/24, 10.1.0.0/24", "" for unset) or a value of
    the field's own type. Setting a key of a mapping field (a project's `services`,
    `aifactory_extra`) adds it. An unknown path is reported as a problem, not raised.
    """
    try:
        parts = split_path(path)
        parent: Any = config
        for part in parts[:-1]:
            parent = _child(parent, part, path)
        last = parts[-1]
        current = _child(parent, last, path) if not isinstance(parent, dict) else parent.get(str(last))
    except PathError as exc:
        return Edit(None, [FieldProblem(path, str(exc))])
    value = _coerce(raw, current, _allows_none(parent, last))
    data = config.model_dump(mode="python", round_trip=True)
    target: Any = data
    for part in parts[:-1]:
        target = target[part]
    target[last if not isinstance(target, dict) else str(last)] = value
    if parts == ["landing_zone", "mode"]:
        data["landing_zone"] = _zone_for_mode(data["landing_zone"], value)
    return validated(data)


def validated(data: dict[str, Any]) -> Edit:
    """A configuration's data validated whole: the new configuration, or every problem with its
    full dotted path. `try_set` and every edit of several fields at once (`wizard.projects`) end here."""
    try:
        return Edit(FactoryConfig.model_validate(data))
    except ValidationError as exc:
        return Edit(None, friendly_problems(exc, FactoryConfig))


def _zone_for_mode(zone: dict[str, Any], mode: Any) -> dict[str, Any]:
    """A landing zone switched to `mode`, keeping the settings the new mode also has.

    Going from hub/spoke to Virtual WAN keeps the hub's DNS and address prefixes; going to
    standalone drops what only a hub needs instead of refusing it as unknown settings.
    """
    from wizard.model import HubSpokeZone, HybridZone, StandaloneZone, VwanZone

    zones: dict[Any, type[BaseModel]] = {"standalone": StandaloneZone, "hub_spoke": HubSpokeZone,
                                          "vwan": VwanZone, "hybrid": HybridZone}
    model = zones.get(mode)
    if model is None:
        return zone  # validation names the unknown mode
    return {key: value for key, value in zone.items() if key in model.model_fields}


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        yield prefix + ".#", len(value)
        for index, inner in enumerate(value):
            yield from _leaves(inner, f"{prefix}.{index}")
    else:
        yield prefix, value


def changed_paths(old: FactoryConfig, new: FactoryConfig) -> set[str]:
    """The dotted paths whose values differ between two configurations.

    A list whose length changed is reported by its own path too (`projects`), and a mode change
    of the landing zone by every leaf under it, so a check reading a container sees the change.
    """
    if old is new:
        return set()
    before = dict(_leaves(old.model_dump(mode="json"), ""))
    after = dict(_leaves(new.model_dump(mode="json"), ""))
    changed = set()
    for path in before.keys() | after.keys():
        if before.get(path, _MISSING) != after.get(path, _MISSING):
            changed.add(path[:-2] if path.endswith(".#") else path)
    return changed


_MISSING = object()


def path_matches(declared: str, changed: str) -> bool:
    """True when a change at `changed` touches what `declared` covers.

    Either may be the other's ancestor: a check reading `network` sees a change to
    `network.vnet_cidr`, and one reading `landing_zone.dns` sees `landing_zone` replaced. A `*`
    segment in `declared` matches any one segment (`environments.*.region`).
    """
    want, got = declared.split("."), changed.split(".")
    return all(w == "*" or w == g for w, g in zip(want, got, strict=False))


FieldKind = typing.Literal["bool", "choice", "int", "list", "text"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What a form needs to draw one field: its kind, choices, help text, whether it may be empty.

    Derived from the model, so a form never keeps a second list of choices or a second copy of
    the help text (WIZARD.md: the form is built from the model).
    """

    path: str
    kind: FieldKind
    title: str
    """A short label: the field's name in words."""
    description: str
    """The model's description: the help pane's text and the JSON Schema's."""
    choices: tuple[str, ...] = ()
    """The allowed values of a `choice` field, or of each item of a `list` field, in the model's order."""
    optional: bool = False
    """Empty means unset (None)."""


def _literal_choices(annotation: Any) -> tuple[str, ...]:
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(a) for a in typing.get_args(annotation))
    for arg in typing.get_args(annotation):
        found = _literal_choices(arg)
        if found:
            return found
    return ()


def _base_type(annotation: Any) -> Any:
    """The annotation without Optional and Annotated wrappers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _base_type(inner[0]) if len(inner) == 1 else annotation
    return annotation


def field_spec(config: FactoryConfig, path: str) -> FieldSpec:
    """How to present the field at `path` of `config` (raises PathError for an unknown path)."""
    parts = split_path(path)
    parent: Any = config
    owner: tuple[BaseModel, str] | None = None
    for part in parts[:-1]:
        if isinstance(parent, BaseModel) and isinstance(part, str):
            owner = (parent, part)
        parent = _child(parent, part, path)
    name = parts[-1]
    if isinstance(parent, dict) and owner is not None:
        # an entry of a mapping field (hub_vnet_ids.dev): typed by the mapping's value type
        info = type(owner[0]).model_fields[owner[1]]
        args = typing.get_args(_base_type(info.annotation))
        annotation = args[1] if len(args) == 2 else str
        spec = FieldSpec(path, "text", str(name), info.description or "")
        return _spec_of(spec, annotation)
    if not isinstance(parent, BaseModel) or not isinstance(name, str) or name not in type(parent).model_fields:
        raise PathError(f"{path} is not a field of a settings group")
    info = type(parent).model_fields[name]
    title = name.replace("_", " ")
    spec = FieldSpec(path, "text", title[:1].upper() + title[1:], info.description or "", (),
                     _allows_none(parent, name))
    return _spec_of(spec, info.annotation)


def _spec_of(spec: FieldSpec, annotation: Any) -> FieldSpec:
    """`spec` with the kind and choices its annotation gives."""
    base = _base_type(annotation)
    choices = _literal_choices(annotation)
    kind: FieldKind
    if base is bool:
        kind = "bool"
    elif typing.get_origin(base) is list:
        kind = "list"  # with choices: several of them (landing_zone.access_paths)
    elif choices:
        kind = "choice"
    elif base is int:
        kind = "int"
    else:
        kind = "text"
    return dataclasses.replace(spec, kind=kind, choices=choices)


def display_value(value: Any) -> str:
    """A field's value as the text a form shows (lists comma-separated, unset empty)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
